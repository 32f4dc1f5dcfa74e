//! Tables of pledges: templates and campaigns, pledges and rosters, coverage counters, disputes.

pub mod batch;
pub mod campaigns;
pub mod coverage;
pub mod disputes;
pub mod pledges;

//! The rules of pledges (the only writer of their tables): campaigns, signing, rosters,
//! counters, disputes, coverage.

pub mod campaigns;
pub mod counters;
pub mod coverage;
pub mod disputes;
pub mod pledges;
pub mod roster;
pub mod signing;
pub mod templates;

pub use crate::pledges::cache::{CampaignCache, CampaignContext};
pub use campaigns::{owner_of, require_manage};

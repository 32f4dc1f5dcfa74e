//! The routes of pledges.

pub mod campaigns;
pub mod coverage;
pub mod pledges;
pub mod templates;

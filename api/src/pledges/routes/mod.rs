//! The routes of pledges: parse the request, make one call to the service, answer.

pub mod campaigns;
pub mod coverage;
pub mod disputes;
pub mod exports;
pub mod pledges;
pub mod roster;
pub mod signing;
pub mod templates;

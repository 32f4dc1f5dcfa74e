//! Records a commune keeps through the year: the registrations of quarter I and the units outside
//! Thông tư 124 (`shared::registration`), the self-managed models of its units and the security
//! team (Tổ bảo vệ an ninh, trật tự) of each residential area, each with a yearly review, and the
//! events of criterion 4 with the force-majeure exception (`shared::incident`), the briefings of
//! agencies', enterprises' and schools' people (`shared::briefing`), the emulation titles of their
//! sub-units (`shared::titles`); what
//! counts towards a plan's targets is decided in `shared::records`.

pub mod briefing_store;
pub mod briefings;
pub mod incident_store;
pub mod incidents;
pub mod registration_store;
pub mod registrations;
pub mod routes;
pub mod schools;
pub mod service;
pub mod store;
pub mod titles;

pub use service::{areas_with_team, team, units_with_model};

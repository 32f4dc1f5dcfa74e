//! bvantq's domain core: the types, validation rules and wire formats shared by the API server
//! and the browser form. No I/O; builds for `wasm32-unknown-unknown`.

/// The date types of the wire formats, for crates that should not pull in chrono's clock (the
/// browser form).
pub use chrono;

pub mod api;
pub mod assessment;
pub mod briefing;
pub mod citizen_id;
pub mod education;
pub mod enums;
pub mod error;
pub mod i18n;
pub mod incident;
pub mod messages;
pub mod person_name;
pub mod phone;
pub mod plan;
pub mod pledge;
pub mod recognition;
pub mod records;
pub mod reform;
pub mod registration;
pub mod scorecard;
pub mod text;
pub mod time;
pub mod tip;
pub mod titles;
pub mod unicode;
pub mod unit_code;

pub use citizen_id::CitizenId;
pub use enums::{
    AssessmentAction, AssessmentStatus, Classification, DisputeStatus, PledgeChannel, PledgeFlag,
    PledgeKind, PledgeStatus, Role, TipCategory, TipStatus, UnitKind,
};
pub use error::{Errors, FieldError, Problem, ProblemField, ValidationError};
pub use person_name::PersonName;
pub use phone::PhoneNumber;
pub use unit_code::UnitCode;

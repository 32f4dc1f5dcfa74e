//! Signed pledges as their signer, the public and the campaign's managers see them; statuses,
//! declared counts and disputes.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub use crate::enums::DisputeStatus;
use crate::enums::{PledgeChannel, PledgeStatus};
use crate::error::{Errors, FieldError, ValidationError};
use crate::text::parse_line;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The answer to a signing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PledgeReceipt {
    pub receipt: String,
    /// `GET` this to verify the pledge (initials, campaign, date).
    pub verify_url: String,
    pub campaign_code: String,
    #[serde(with = "crate::time::utc")]
    pub signed_at: NaiveDateTime,
    /// False when this person (household) had already signed: the first receipt is returned.
    pub created: bool,
    /// The pledge contests another signed on the same household or person
    /// (`POST …/pledges/contest`): both are kept, neither counts, until the ward decides.
    #[serde(default)]
    pub disputed: bool,
}

/// `GET /api/v1/pledges/verify/{receipt}` — public, minimal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PledgeVerification {
    pub receipt: String,
    pub initials: String,
    pub campaign_title: String,
    pub campaign_code: String,
    pub signed_on: NaiveDate,
    pub status: PledgeStatus,
}

/// A pledge as a campaign's managers see it (the CCCD only as its last 4 digits).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PledgeDto {
    pub id: String,
    pub receipt: String,
    pub unit_code: String,
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub citizen_id_last4: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub members: Option<i32>,
    pub guardian_name: Option<String>,
    pub guardian_relation: Option<String>,
    pub channel: PledgeChannel,
    pub status: PledgeStatus,
    pub status_reason: Option<String>,
    /// Matched to a row of the campaign's roster.
    pub on_roster: bool,
    /// Why an officer should look at it (a burst from one address, not on the roster).
    #[serde(default)]
    pub flags: Vec<crate::PledgeFlag>,
    #[serde(with = "crate::time::utc")]
    pub signed_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PledgePage {
    pub items: Vec<PledgeDto>,
    pub next_cursor: Option<String>,
}

/// `POST /api/v1/pledges/{id}/void` (reason required) and `/verify`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatusRequest {
    #[serde(default)]
    pub reason: Option<String>,
}

impl StatusRequest {
    pub fn reason(&self, required: bool) -> Result<Option<String>, Vec<FieldError>> {
        let mut e = Errors::new();
        let r = match self
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(r) => e.check("reason", parse_line(r, 500)),
            None if required => {
                e.push(ValidationError::Required.on("reason"));
                None
            }
            None => None,
        };
        e.into_result().map(|_| r)
    }
}

/// `PUT /api/v1/campaigns/{code}/expected`: a declared number of signers where no roster exists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DeclaredCount {
    pub unit_code: String,
    pub expected: i64,
}

/// The most signers a unit may declare.
pub const DECLARED_MAX: i64 = 1_000_000;

impl DeclaredCount {
    /// The count, within 0 to [`DECLARED_MAX`].
    pub fn parse(&self) -> Result<i64, Vec<FieldError>> {
        if (0..=DECLARED_MAX).contains(&self.expected) {
            Ok(self.expected)
        } else {
            Err(vec![
                ValidationError::OutOfRange {
                    min: 0,
                    max: DECLARED_MAX,
                }
                .on("expected"),
            ])
        }
    }
}

/// A household (or person) contesting the pledge signed in its name, as the campaign's managers
/// see it: both pledges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DisputeDto {
    pub id: String,
    pub status: DisputeStatus,
    /// The pledge signed first.
    pub original: PledgeDto,
    /// The pledge of whoever contests it.
    pub contest: PledgeDto,
    pub resolution: Option<String>,
    #[serde(with = "crate::time::utc_opt")]
    pub resolved_at: Option<NaiveDateTime>,
    #[serde(with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
}

/// Which pledge of a dispute stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DisputeKeep {
    Original,
    Contest,
}

/// `POST /api/v1/pledge-disputes/{id}/resolve`: which pledge stands, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResolveDispute {
    pub keep: DisputeKeep,
    #[serde(default)]
    pub reason: Option<String>,
}

impl ResolveDispute {
    /// The reason is required (it is kept with the pledge made void).
    pub fn parse(&self) -> Result<(DisputeKeep, String), Vec<FieldError>> {
        let reason = StatusRequest {
            reason: self.reason.clone(),
        }
        .reason(true)?;
        match reason {
            Some(r) => Ok((self.keep, r)),
            None => Err(vec![ValidationError::Required.on("reason")]),
        }
    }
}

/// The answer to `POST /api/v1/pledges/{id}/verify` and `/void`: the pledge's status now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PledgeStatusChanged {
    pub id: String,
    pub status: PledgeStatus,
}

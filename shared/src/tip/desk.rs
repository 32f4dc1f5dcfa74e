//! The officers' side: the requests a tip's workflow takes and the views of a tip.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::procedure::{
    self, Act, CrimeClass, Holder, Step, StepRequest, TipPeriod, TransferClass, Warning,
};
use super::{
    AuditAction, ClockState, MESSAGE_MAX_CHARS, REASON_MAX_CHARS, TipEventKind, TipMessageKind,
    TipPriority,
};
use crate::error::{Errors, FieldError, ValidationError};
use crate::text::parse_long_text;
use crate::{Role, TipCategory, TipStatus};

/// A reason every state change carries (lý do).
pub fn parse_reason(raw: Option<&str>) -> Result<String, ValidationError> {
    parse_long_text(raw.unwrap_or(""), 1, REASON_MAX_CHARS)
}

/// `POST /api/v1/tips/{id}/transition` (deprecated: `POST /api/v1/tips/{id}/steps`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TransitionRequest {
    pub to: String,
    #[serde(default)]
    pub reason: Option<String>,
    /// With `to = merged`: the id of the tip this one duplicates.
    #[serde(default)]
    pub merge_into: Option<String>,
}

impl TransitionRequest {
    /// The step the old target stands for; `resolved` and `rejected`, which a ward may no longer
    /// reach, are refused naming the rule.
    pub fn to_step(&self) -> Result<StepRequest, Vec<FieldError>> {
        let step = TipStatus::parse(self.to.trim())
            .and_then(procedure::step_for_status)
            .map_err(|e| vec![e.on("to")])?;
        Ok(StepRequest {
            step: step.as_str().into(),
            reason: self.reason.clone(),
            merge_into: self.merge_into.clone(),
            ..Default::default()
        })
    }
}

/// `POST /api/v1/tips/{id}/assign`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssignRequest {
    /// The officer's user id, or `null` to unassign.
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /api/v1/tips/{id}/priority`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PriorityRequest {
    pub priority: String,
    #[serde(default)]
    pub reason: Option<String>,
}

impl PriorityRequest {
    /// The new priority and its reason (both required).
    pub fn parse(&self) -> Result<(TipPriority, String), Vec<FieldError>> {
        let mut e = Errors::new();
        let p = e.check("priority", TipPriority::parse(&self.priority));
        let reason = e.check("reason", parse_reason(self.reason.as_deref()));
        e.into_result()?;
        match (p, reason) {
            (Some(p), Some(r)) => Ok((p, r)),
            _ => Err(vec![ValidationError::Required.on("priority")]),
        }
    }
}

/// `POST /api/v1/tips/{id}/extend` (gia hạn)
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExtendRequest {
    #[serde(default)]
    pub reason: Option<String>,
}

impl ExtendRequest {
    /// The reason of the extension (required).
    pub fn parse(&self) -> Result<String, Vec<FieldError>> {
        parse_reason(self.reason.as_deref()).map_err(|e| vec![e.on("reason")])
    }
}

/// `POST /api/v1/tips/{id}/messages` (to the reporter) and `/notes` (internal).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OfficerTextRequest {
    pub body: String,
}

/// The answer to `POST /api/v1/tips/{id}/messages` and `/notes`: the new message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipMessageCreated {
    pub id: String,
    pub kind: TipMessageKind,
}

impl OfficerTextRequest {
    /// The message or note, normalised (1 to `MESSAGE_MAX_CHARS` characters).
    pub fn parse(&self) -> Result<String, Vec<FieldError>> {
        parse_long_text(&self.body, 1, MESSAGE_MAX_CHARS).map_err(|e| vec![e.on("body")])
    }
}

/// A tip in an officer's queue: no content, so listing is not a content read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipSummary {
    pub id: String,
    pub category: TipCategory,
    pub status: TipStatus,
    pub priority: TipPriority,
    pub commune_code: String,
    pub commune_name: String,
    /// UTC, to the minute.
    #[serde(with = "crate::time::utc")]
    pub received_at: NaiveDateTime,
    /// Who holds the tip now: the receiving commune, the investigating body or the assigned
    /// commune head.
    pub holder: Holder,
    /// The period the clock counts; absent when no clock runs (transferred and waiting,
    /// suspended, closed).
    pub period: Option<TipPeriod>,
    /// The last day (Vietnam) of the current period, or of the last one that ran.
    pub deadline: NaiveDate,
    /// When the current period ends (for the hour-counted transfer limits).
    #[serde(with = "crate::time::utc_opt")]
    pub due_at: Option<NaiveDateTime>,
    /// The rule of the current period, e.g. "Chuyển Cơ quan điều tra trong 24 giờ — TT 28/2020 Đ.7".
    pub rule: Option<RuleText>,
    pub extensions: u8,
    pub clock: ClockState,
    /// The legally meaningful points reached (transfer due, extension request due, …).
    pub warnings: Vec<Warning>,
    pub transfer_class: Option<TransferClass>,
    pub crime_class: Option<CrimeClass>,
    pub assigned_to: Option<String>,
    pub anonymous: bool,
    pub photos: i64,
    pub merged_into: Option<String>,
    pub purged: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipPage {
    pub items: Vec<TipSummary>,
    pub next_cursor: Option<String>,
}

/// A rule as shown beside a clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RuleText {
    pub id: String,
    pub vi: String,
    pub en: String,
}

impl From<&procedure::Rule> for RuleText {
    fn from(r: &procedure::Rule) -> Self {
        Self {
            id: r.id.into(),
            vi: r.vi.into(),
            en: r.en.into(),
        }
    }
}

impl TipSummary {
    /// Where the procedure sees the tip.
    pub fn position(&self) -> procedure::Position {
        procedure::Position {
            status: self.status,
            holder: self.holder,
            period: self.period,
        }
    }
}

/// One entry of a tip's history (every transition, assignment, extension, merge, message).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipEvent {
    pub seq: i32,
    #[serde(with = "crate::time::utc")]
    pub at: NaiveDateTime,
    /// A user id, or `reporter`.
    pub actor: String,
    pub kind: TipEventKind,
    pub from_status: Option<TipStatus>,
    pub to_status: Option<TipStatus>,
    pub detail: Option<String>,
    pub reason: Option<String>,
    /// The step of the procedure, when the entry is one.
    pub step: Option<Step>,
    /// The decision's number, date and signer, when the step is a decision.
    pub act: Option<Act>,
}

/// A message or internal note as officers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OfficerMessage {
    pub id: String,
    /// A note is internal, never shown to the reporter.
    pub kind: TipMessageKind,
    pub author_id: Option<String>,
    pub body: String,
    #[serde(with = "crate::time::utc")]
    pub at: NaiveDateTime,
    pub photo_ids: Vec<String>,
}

/// A tip's full content (reading it is audited).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipDetail {
    #[serde(flatten)]
    pub summary: TipSummary,
    pub description: Option<String>,
    pub place: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    #[serde(with = "crate::time::vn_opt")]
    pub incident_at: Option<NaiveDateTime>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub photo_ids: Vec<String>,
    pub messages: Vec<OfficerMessage>,
    pub history: Vec<TipEvent>,
    /// Tips merged into this one.
    pub merged_from: Vec<String>,
    /// The suspect's phone numbers, accounts and links the reporter gave (fraud tips).
    pub indicators: Vec<super::indicator::Indicator>,
    /// Other tips in the caller's scope that name one of them.
    pub shared_indicators: Vec<super::indicator::SharedIndicator>,
}

/// One audit entry (who did or read what, when; never content).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditEntry {
    pub id: String,
    #[serde(with = "crate::time::utc")]
    pub at: NaiveDateTime,
    pub actor_id: String,
    pub actor_role: Role,
    pub action: AuditAction,
    pub tip_id: Option<String>,
    pub detail: Option<String>,
}

/// `GET /api/v1/audit`: newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub next_cursor: Option<String>,
}

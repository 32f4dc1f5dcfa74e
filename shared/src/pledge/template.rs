//! Pledge templates (mẫu cam kết): numbered commitments, versions, the request that makes one.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::api::optional;
use crate::enums::PledgeKind;
use crate::error::{Errors, FieldError, ValidationError};
use crate::text::parse_line;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// One numbered commitment of a template, Vietnamese first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Commitment {
    pub vi: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

/// A pledge template as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TemplateDto {
    pub id: String,
    pub kind: PledgeKind,
    pub version: i32,
    pub title_vi: String,
    pub title_en: Option<String>,
    pub commitments: Vec<Commitment>,
    /// Published versions are immutable; an edit makes a new version.
    pub published: bool,
    /// The province whose officers edit, publish and retire it; `None` for a national template
    /// (an administrator's). Campaigns use national templates and their own province's.
    pub owner_unit: Option<String>,
    /// Retired: no new campaign may use it (campaigns that do keep it).
    pub retired: bool,
    #[serde(with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
}

/// `POST /api/v1/pledge-templates` (a new draft version) and `PUT …/{id}` (edit a draft).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TemplateRequest {
    pub kind: String,
    pub title_vi: String,
    #[serde(default)]
    pub title_en: Option<String>,
    pub commitments: Vec<Commitment>,
    /// Only on creation: the owning province's code. Omitted: a province officer's own
    /// province, or a national template when an administrator creates it.
    #[serde(default)]
    pub province: Option<String>,
}

pub const COMMITMENT_MAX_CHARS: usize = 500;
pub const COMMITMENTS_MAX: usize = 30;

/// A checked template.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTemplate {
    pub kind: PledgeKind,
    pub title_vi: String,
    pub title_en: Option<String>,
    pub commitments: Vec<Commitment>,
    pub province: Option<crate::UnitCode>,
}

impl TemplateRequest {
    pub fn parse(&self) -> Result<NewTemplate, Vec<FieldError>> {
        let mut e = Errors::new();
        let kind = e.check("kind", PledgeKind::parse(&self.kind));
        let province = optional(&mut e, "province", self.province.as_deref(), |s| {
            crate::UnitCode::parse(s)
        });
        let title_vi = e.check("title_vi", parse_line(&self.title_vi, 200));
        let title_en = optional(&mut e, "title_en", self.title_en.as_deref(), |s| {
            parse_line(s, 200)
        });
        if self.commitments.is_empty() {
            e.push(ValidationError::Required.on("commitments"));
        }
        if self.commitments.len() > COMMITMENTS_MAX {
            e.push(
                ValidationError::OutOfRange {
                    min: 1,
                    max: COMMITMENTS_MAX as i64,
                }
                .on("commitments"),
            );
        }
        let mut commitments = Vec::new();
        for (i, c) in self.commitments.iter().enumerate() {
            let vi = e.check(
                &format!("commitments.{i}.vi"),
                parse_line(&c.vi, COMMITMENT_MAX_CHARS),
            );
            let en = optional(
                &mut e,
                &format!("commitments.{i}.en"),
                c.en.as_deref(),
                |s| parse_line(s, COMMITMENT_MAX_CHARS),
            );
            if let Some(vi) = vi {
                commitments.push(Commitment { vi, en });
            }
        }
        match (kind, title_vi) {
            (Some(kind), Some(title_vi)) if e.is_empty() => Ok(NewTemplate {
                kind,
                title_vi,
                title_en,
                commitments,
                province,
            }),
            _ => Err(e.into_vec()),
        }
    }
}

//! Campaigns (đợt vận động ký cam kết): who runs which, their units and windows, rosters and
//! coverage.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::enums::{PledgeKind, Role, UnitKind};
use crate::error::{Errors, FieldError, ValidationError};
use crate::text::parse_line;
use crate::unit_code::UnitCode;

use super::*;
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Unit kinds a campaign of `kind` may cover.
pub fn leaf_kinds(kind: PledgeKind) -> &'static [UnitKind] {
    match kind {
        PledgeKind::Household => &[UnitKind::ResidentialArea, UnitKind::Commune],
        PledgeKind::Student => &[UnitKind::Class],
        PledgeKind::Worker => &[UnitKind::Department, UnitKind::Agency, UnitKind::Enterprise],
    }
}

/// Which roles run which audience.
pub fn may_run(role: Role, kind: PledgeKind) -> bool {
    match role {
        Role::Admin | Role::ProvinceOfficer => true,
        Role::WardOfficer => kind == PledgeKind::Household,
        Role::SchoolAdmin => kind == PledgeKind::Student,
        Role::OrgAdmin => kind == PledgeKind::Worker,
        Role::CommuneHead
        | Role::Investigator
        | Role::AreaHead
        | Role::CommuneLeader
        | Role::EducationOfficer
        | Role::FormTeacher => false,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
/// A roster row refused, and why.
pub struct RosterRejection {
    /// Line number in the file (the header is line 1).
    pub line: usize,
    pub field: String,
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
/// `POST /api/v1/campaigns/{code}/roster`: what was read, accepted, refused and written.
pub struct RosterReport {
    pub unit_code: String,
    pub rows: usize,
    pub accepted: usize,
    pub rejected: Vec<RosterRejection>,
    /// Whether the accepted rows were written (all of them or, with `accept_partial`, the good ones).
    pub imported: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
/// Signed ÷ expected for one unit.
pub struct CoverageLine {
    pub unit_code: String,
    pub name: String,
    /// Named apart from the coverage's own `kind` (the audience): flattened into it, the two
    /// would be one JSON key twice.
    pub unit_kind: UnitKind,
    pub signed: i64,
    pub expected: i64,
    /// signed ÷ expected × 100, one decimal; absent when nothing is expected.
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
/// `GET /api/v1/coverage`: a unit and each of its children.
pub struct Coverage {
    pub year: i32,
    pub kind: PledgeKind,
    #[serde(flatten)]
    pub total: CoverageLine,
    /// Each child unit, with everything below it rolled up.
    pub children: Vec<CoverageLine>,
}

/// `POST /api/v1/campaigns`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateCampaignRequest {
    pub kind: String,
    pub year: i64,
    pub title: String,
    pub template_id: String,
    /// YYYY-MM-DD, inclusive.
    pub opens_on: String,
    /// YYYY-MM-DD, inclusive.
    pub closes_on: String,
    /// Residential areas (or the commune) for households, classes for students, departments
    /// (or the agency/enterprise) for workers.
    pub units: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewCampaign {
    pub kind: PledgeKind,
    pub year: i32,
    pub title: String,
    pub template_id: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub units: Vec<UnitCode>,
}

impl CreateCampaignRequest {
    pub fn parse(&self) -> Result<NewCampaign, Vec<FieldError>> {
        let mut e = Errors::new();
        let kind = e.check("kind", PledgeKind::parse(&self.kind));
        let year = if (2000..=2100).contains(&self.year) {
            Some(self.year as i32)
        } else {
            e.push(
                ValidationError::OutOfRange {
                    min: 2000,
                    max: 2100,
                }
                .on("year"),
            );
            None
        };
        let title = e.check("title", parse_line(&self.title, 200));
        let template_id = e.check("template_id", parse_line(&self.template_id, 64));
        let window = parse_window(&mut e, &self.opens_on, &self.closes_on);
        let (opens_on, closes_on) = (window.map(|w| w.0), window.map(|w| w.1));
        if self.units.is_empty() || self.units.len() > 500 {
            e.push(ValidationError::OutOfRange { min: 1, max: 500 }.on("units"));
        }
        let mut units = Vec::new();
        for (i, u) in self.units.iter().enumerate() {
            if let Some(c) = e.check(&format!("units.{i}"), UnitCode::parse(u))
                && !units.contains(&c)
            {
                units.push(c);
            }
        }
        match (kind, year, title, template_id, opens_on, closes_on) {
            (
                Some(kind),
                Some(year),
                Some(title),
                Some(template_id),
                Some(opens_on),
                Some(closes_on),
            ) if e.is_empty() => Ok(NewCampaign {
                kind,
                year,
                title,
                template_id,
                opens_on,
                closes_on,
                units,
            }),
            _ => Err(e.into_vec()),
        }
    }
}

/// A signing window, `opens_on` to `closes_on` inclusive: both dates valid, the end not before the
/// start. Errors go into `e`, named `opens_on` and `closes_on`.
fn parse_window(e: &mut Errors, opens_on: &str, closes_on: &str) -> Option<(NaiveDate, NaiveDate)> {
    let opens = e.check("opens_on", parse_date(opens_on));
    let closes = e.check("closes_on", parse_date(closes_on));
    let (opens, closes) = (opens?, closes?);
    if closes < opens {
        e.push(ValidationError::EndBeforeStart.on("closes_on"));
        return None;
    }
    Some((opens, closes))
}

/// `PUT /api/v1/campaigns/{code}/window`: moves a campaign's signing window — extends it, closes
/// it early, reopens it — under the same code, so QR codes already printed keep working.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CampaignWindow {
    /// YYYY-MM-DD, inclusive.
    pub opens_on: String,
    /// YYYY-MM-DD, inclusive.
    pub closes_on: String,
}

impl CampaignWindow {
    /// The window as dates: `(opens_on, closes_on)`.
    pub fn parse(&self) -> Result<(NaiveDate, NaiveDate), Vec<FieldError>> {
        let mut e = Errors::new();
        match parse_window(&mut e, &self.opens_on, &self.closes_on) {
            Some(w) if e.is_empty() => Ok(w),
            _ => Err(e.into_vec()),
        }
    }
}

/// A unit a signer can choose in a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CampaignUnit {
    pub code: String,
    pub name: String,
}

/// A campaign as its managers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CampaignDto {
    pub id: String,
    pub code: String,
    pub kind: PledgeKind,
    pub year: i32,
    pub title: String,
    pub owner_unit: String,
    pub template_id: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub units: Vec<CampaignUnit>,
    /// Where the campaign's QR code points.
    pub form_path: String,
}

/// `GET /api/v1/campaigns/{code}`: what the public form needs, nothing private.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicCampaign {
    pub code: String,
    pub kind: PledgeKind,
    pub year: i32,
    pub title: String,
    /// The owner: commune, school, agency or enterprise.
    pub owner_name: String,
    pub template_version: i32,
    pub template_title_vi: String,
    pub template_title_en: Option<String>,
    pub commitments: Vec<Commitment>,
    pub units: Vec<CampaignUnit>,
    pub fields: FieldRules,
    #[serde(with = "crate::time::date")]
    pub opens_on: NaiveDate,
    #[serde(with = "crate::time::date")]
    pub closes_on: NaiveDate,
    /// Open for signing today.
    pub open: bool,
}

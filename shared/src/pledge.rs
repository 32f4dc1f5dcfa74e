//! Pledges (cam kết): templates, campaigns, and the signing form's rules — one definition for
//! the server and the browser.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::api::optional;
use crate::citizen_id::CitizenId;
pub use crate::enums::DisputeStatus;
use crate::enums::{PledgeChannel, PledgeKind, PledgeStatus, Role, UnitKind};
use crate::error::{Errors, FieldError, ValidationError};
use crate::person_name::PersonName;
use crate::phone::PhoneNumber;
use crate::text::parse_line;
use crate::unit_code::UnitCode;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Letters and digits that cannot be misread for each other: no 0/O, 1/I/L.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const CAMPAIGN_CODE_LEN: usize = 6;

/// A code typed in any case, with or without spaces and dashes: upper-cased and stripped, it must
/// be `len` characters of [`CODE_ALPHABET`], else `format_error`.
pub(crate) fn parse_code(
    raw: &str,
    len: usize,
    format_error: ValidationError,
) -> Result<String, ValidationError> {
    let s: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if s.is_empty() {
        return Err(ValidationError::Required);
    }
    if s.len() != len || !s.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
        return Err(format_error);
    }
    Ok(s)
}

/// The short public code of a campaign, printed on posters and in the QR code: 6 characters of
/// [`CODE_ALPHABET`] (~30 bits). Typed in any case, with or without spaces and dashes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CampaignCode(String);

impl CampaignCode {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        parse_code(raw, CAMPAIGN_CODE_LEN, ValidationError::CampaignCodeFormat).map(Self)
    }

    /// A code from random bytes (one byte per character, rejection-free modulo bias is
    /// negligible for a lookup code; uniqueness is enforced by the database).
    pub fn from_random(bytes: &[u8; CAMPAIGN_CODE_LEN]) -> Self {
        Self(
            bytes
                .iter()
                .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
                .collect(),
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CampaignCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CampaignCode {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CampaignCode> for String {
    fn from(c: CampaignCode) -> Self {
        c.0
    }
}

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

/// Age in whole years on `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Below this age a student's pledge needs a guardian's co-signature.
pub const ADULT_AGE: i32 = 18;

/// Which fields the form asks for, per audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldRules {
    /// The CCCD is required (household heads and workers) or optional (students: children
    /// under 14 may not have one).
    pub citizen_id_required: bool,
    pub birth_date_required: bool,
    /// Household address and number of members.
    pub household: bool,
    /// A guardian co-signs when the signer is under 18.
    pub guardian_under_18: bool,
}

impl FieldRules {
    pub fn for_kind(kind: PledgeKind) -> Self {
        Self {
            citizen_id_required: kind != PledgeKind::Student,
            birth_date_required: true,
            household: kind == PledgeKind::Household,
            guardian_under_18: kind == PledgeKind::Student,
        }
    }
}

/// A guardian's co-signature (người giám hộ) for a student under 18.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GuardianRequest {
    pub name: String,
    /// e.g. "mẹ", "bố", "ông", "bà", "người giám hộ"
    pub relation: String,
    pub phone: String,
}

/// `POST /api/v1/campaigns/{code}/pledges` — signing, public, no account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SignRequest {
    /// The residential area, class or department the signer belongs to (one of the campaign's).
    pub unit_code: String,
    pub full_name: String,
    /// YYYY-MM-DD
    pub birth_date: String,
    #[serde(default)]
    pub citizen_id: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// Household campaigns: the household's address.
    #[serde(default)]
    pub address: Option<String>,
    /// Household campaigns: number of members.
    #[serde(default)]
    pub members: Option<i64>,
    /// Numbers (1-based) of the commitments accepted; all are required.
    pub commitments_accepted: Vec<i64>,
    #[serde(default)]
    pub guardian: Option<GuardianRequest>,
    pub privacy_consent: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Guardian {
    pub name: PersonName,
    pub relation: String,
    pub phone: PhoneNumber,
}

/// A checked signing.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPledge {
    pub unit: UnitCode,
    pub full_name: PersonName,
    pub birth_date: NaiveDate,
    pub citizen_id: Option<CitizenId>,
    pub phone: Option<PhoneNumber>,
    pub address: Option<String>,
    pub members: Option<i32>,
    pub guardian: Option<Guardian>,
}

/// What the form knows about the campaign when it checks a signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignContext {
    pub kind: PledgeKind,
    pub commitments: usize,
    pub today: NaiveDate,
}

/// Parses `YYYY-MM-DD`, what a date input sends (month and day may have one digit).
pub fn parse_date(raw: &str) -> Result<NaiveDate, ValidationError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(ValidationError::Required);
    }
    iso_date(s).ok_or(ValidationError::DateFormat)
}

/// `YYYY-MM-DD` by hand rather than with chrono's format strings: the browser form then carries
/// no strftime parser (issue 6's size budget).
pub(crate) fn iso_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(number(y, 4)?).ok()?,
        number(m, 2)?,
        number(d, 2)?,
    )
}

/// An unsigned decimal of 1 to `max_digits` ASCII digits.
pub(crate) fn number(s: &str, max_digits: usize) -> Option<u32> {
    if s.is_empty() || s.len() > max_digits || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_birth_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, ValidationError> {
    let d = parse_date(raw)?;
    if d > today {
        return Err(ValidationError::DateInFuture);
    }
    if age_on(d, today) > 120 {
        return Err(ValidationError::OutOfRange { min: 0, max: 120 });
    }
    Ok(d)
}

impl SignRequest {
    /// Checks a signing against its campaign. Field names in errors are the JSON names
    /// (`guardian.phone`, …).
    pub fn parse(&self, ctx: SignContext) -> Result<NewPledge, Vec<FieldError>> {
        let rules = FieldRules::for_kind(ctx.kind);
        let mut e = Errors::new();
        let unit = e.check("unit_code", UnitCode::parse(&self.unit_code));
        let full_name = e.check("full_name", PersonName::parse(&self.full_name));
        let birth_date = e.check("birth_date", parse_birth_date(&self.birth_date, ctx.today));
        let citizen_id = match (
            self.citizen_id
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty()),
            rules.citizen_id_required,
        ) {
            (None, true) => {
                e.push(ValidationError::Required.on("citizen_id"));
                None
            }
            (None, false) => None,
            (Some(raw), _) => match birth_date {
                Some(b) => e.check("citizen_id", CitizenId::parse_with_birth_date(raw, b)),
                None => e.check("citizen_id", CitizenId::parse(raw)),
            },
        };
        let phone = optional(&mut e, "phone", self.phone.as_deref(), PhoneNumber::parse);
        let (address, members) = if rules.household {
            let address = e.check(
                "address",
                parse_line(self.address.as_deref().unwrap_or(""), 300),
            );
            let members = match self.members {
                None => {
                    e.push(ValidationError::Required.on("members"));
                    None
                }
                Some(m) if (1..=50).contains(&m) => Some(m as i32),
                Some(_) => {
                    e.push(ValidationError::OutOfRange { min: 1, max: 50 }.on("members"));
                    None
                }
            };
            (address, members)
        } else {
            (None, None)
        };
        let mut accepted: Vec<i64> = self.commitments_accepted.clone();
        accepted.sort_unstable();
        accepted.dedup();
        let all: Vec<i64> = (1..=ctx.commitments as i64).collect();
        if accepted != all {
            e.push(ValidationError::CommitmentsIncomplete.on("commitments_accepted"));
        }
        let minor =
            rules.guardian_under_18 && birth_date.is_some_and(|b| age_on(b, ctx.today) < ADULT_AGE);
        let guardian = match (&self.guardian, minor) {
            (None, true) => {
                e.push(ValidationError::GuardianRequired.on("guardian"));
                None
            }
            (Some(g), true) => {
                let name = e.check("guardian.name", PersonName::parse(&g.name));
                let relation = e.check("guardian.relation", parse_line(&g.relation, 50));
                let phone = e.check("guardian.phone", PhoneNumber::parse(&g.phone));
                match (name, relation, phone) {
                    (Some(name), Some(relation), Some(phone)) => Some(Guardian {
                        name,
                        relation,
                        phone,
                    }),
                    _ => None,
                }
            }
            // An adult signs alone; a guardian block sent anyway is ignored.
            (_, false) => None,
        };
        if !self.privacy_consent {
            e.push(ValidationError::ConsentRequired.on("privacy_consent"));
        }
        match (unit, full_name, birth_date) {
            (Some(unit), Some(full_name), Some(birth_date)) if e.is_empty() => Ok(NewPledge {
                unit,
                full_name,
                birth_date,
                citizen_id,
                phone,
                address,
                members,
                guardian,
            }),
            _ => Err(e.into_vec()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Who runs which campaign, rosters and coverage
// ---------------------------------------------------------------------------------------------

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

#[cfg(test)]
mod tests {
    use super::*;

    /// A coverage answer reads back as it was written: no key of the flattened total collides
    /// with the coverage's own (the browser parses this with the same type).
    #[test]
    fn coverage_roundtrips_through_json() {
        let line = |code: &str, kind| CoverageLine {
            unit_code: code.into(),
            name: format!("Đơn vị {code}"),
            unit_kind: kind,
            signed: 3,
            expected: 4,
            percent: Some(75.0),
        };
        let c = Coverage {
            year: 2026,
            kind: PledgeKind::Student,
            total: line("TH-22759-0001", UnitKind::School),
            children: vec![line("LH-22759-0001", UnitKind::Class)],
        };
        let text = serde_json::to_string(&c).unwrap();
        assert_eq!(text.matches("\"kind\"").count(), 1, "{text}");
        assert_eq!(serde_json::from_str::<Coverage>(&text).ok(), Some(c));
    }

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn student(birth: &str) -> SignRequest {
        SignRequest {
            unit_code: "LH-22759-0001".into(),
            full_name: "Nguyễn Văn Bình".into(),
            birth_date: birth.into(),
            commitments_accepted: vec![1, 2, 3],
            privacy_consent: true,
            ..Default::default()
        }
    }

    const CTX: SignContext = SignContext {
        kind: PledgeKind::Student,
        commitments: 3,
        today: match NaiveDate::from_ymd_opt(2026, 9, 5) {
            Some(d) => d,
            None => NaiveDate::MIN,
        },
    };

    #[test]
    fn ages() {
        assert_eq!(age_on(d(2008, 9, 5), d(2026, 9, 5)), 18);
        assert_eq!(age_on(d(2008, 9, 6), d(2026, 9, 5)), 17);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 28)), 17);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 3, 1)), 18);
    }

    #[test]
    fn minor_needs_guardian_adult_does_not() {
        let errs = student("2013-04-01").parse(CTX).err().unwrap();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "guardian");
        assert_eq!(errs[0].error, ValidationError::GuardianRequired);
        let mut with = student("2013-04-01");
        with.guardian = Some(GuardianRequest {
            name: "Trần Thị Mai".into(),
            relation: "mẹ".into(),
            phone: "0912345678".into(),
        });
        assert!(with.parse(CTX).is_ok());
        assert!(
            student("2008-09-05").parse(CTX).is_ok(),
            "18 today: no guardian"
        );
        let mut bad = student("2013-04-01");
        bad.guardian = Some(GuardianRequest {
            name: "Trần Thị Mai".into(),
            relation: "mẹ".into(),
            phone: "123".into(),
        });
        let errs = bad.parse(CTX).err().unwrap();
        assert_eq!(errs[0].field, "guardian.phone");
    }

    #[test]
    fn every_commitment_and_consent() {
        let mut r = student("2000-01-01");
        r.commitments_accepted = vec![1, 3];
        r.privacy_consent = false;
        let fields: Vec<String> = r
            .parse(CTX)
            .err()
            .unwrap()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["commitments_accepted", "privacy_consent"]);
    }

    #[test]
    fn household_and_worker_need_cccd() {
        let ctx = SignContext {
            kind: PledgeKind::Household,
            ..CTX
        };
        let mut r = student("1980-01-01");
        r.address = Some("12 Lê Lợi".into());
        r.members = Some(4);
        let errs = r.parse(ctx).err().unwrap();
        assert_eq!(errs[0].field, "citizen_id");
        r.citizen_id = Some("056080012345".into());
        assert!(r.parse(ctx).is_ok());
        r.citizen_id = Some("056085012345".into());
        assert_eq!(
            r.parse(ctx).err().unwrap()[0].error,
            ValidationError::CitizenIdBirthMismatch
        );
    }

    #[test]
    fn campaign_codes() {
        assert_eq!(
            CampaignCode::parse(" ab3-k7z ").map(|c| c.0),
            Ok("AB3K7Z".to_string())
        );
        assert_eq!(
            CampaignCode::parse("AB0K7Z"),
            Err(ValidationError::CampaignCodeFormat)
        );
        assert_eq!(
            CampaignCode::parse("ABIK7Z"),
            Err(ValidationError::CampaignCodeFormat)
        );
        let c = CampaignCode::from_random(&[0, 255, 31, 62, 7, 100]);
        assert_eq!(CampaignCode::parse(c.as_str()), Ok(c));
    }
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
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// Open for signing today.
    pub open: bool,
}

/// The answer to a signing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PledgeReceipt {
    pub receipt: String,
    /// `GET` this to verify the pledge (initials, campaign, date).
    pub verify_url: String,
    pub campaign_code: String,
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
    pub resolved_at: Option<NaiveDateTime>,
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

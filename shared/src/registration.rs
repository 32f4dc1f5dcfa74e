//! Registrations of quarter I (đăng ký phấn đấu đạt tiêu chuẩn «An toàn về an ninh, trật tự»)
//! and the commune's share rule, as Thông tư 124/2021/TT-BCA sets them:
//!
//! - **who is assessed at all** — art. 1.2.b: "Cơ quan (trừ cơ quan, đơn vị lực lượng vũ trang),
//!   doanh nghiệp (trừ doanh nghiệp nhỏ, siêu nhỏ), cơ sở giáo dục (trừ cơ sở giáo dục tiểu học,
//!   mầm non, nhà trẻ)". A unit the ward marks with an [`Exclusion`] is not registered, not
//!   assessed and not counted ([`exclusion_fits`]);
//! - **when a unit registers** — each year, in quarter I (art. 9.2.a; art. 4.1 for a
//!   residential area: "Quý I hằng năm, chi bộ có nghị quyết, khu dân cư có đăng ký phấn đấu đạt
//!   tiêu chuẩn") — [`in_quarter_one`]; a later registration is kept and shown as late;
//! - **the commune's rule** — art. 5.4: every residential area, agency, enterprise and school of
//!   the commune registered (100%) and at least 70% of them recognised, over the units the
//!   Thông tư applies to ([`commune_rule`]; the share is the criteria set's
//!   `children_threshold_percent`, 70 by default).

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::UnitKind;
use crate::enums::labelled_enum;
use crate::error::{Errors, FieldError, ValidationError};
use crate::records::Share;

/// The longest document reference (số nghị quyết, kế hoạch, bản đăng ký) or note.
pub const DOCUMENT_MAX: usize = 200;

labelled_enum! {
    /// Why a unit is outside Thông tư 124 (art. 1.2.b).
    Exclusion {
        /// cơ quan, đơn vị lực lượng vũ trang
        ArmedForces = "armed_forces", "Cơ quan, đơn vị lực lượng vũ trang", "Armed-forces agency or unit";
        /// doanh nghiệp nhỏ, siêu nhỏ
        SmallEnterprise = "small_enterprise", "Doanh nghiệp nhỏ, siêu nhỏ", "Small or micro enterprise";
        /// cơ sở giáo dục tiểu học, mầm non, nhà trẻ
        PrimaryOrPreschool = "primary_or_preschool", "Cơ sở giáo dục tiểu học, mầm non, nhà trẻ", "Primary school, kindergarten or nursery";
    }
}

/// The kinds of unit a commune's rule counts (art. 5.4: "khu dân cư, cơ quan, doanh nghiệp,
/// cơ sở giáo dục").
pub const COUNTED_KINDS: &[UnitKind] = &[
    UnitKind::ResidentialArea,
    UnitKind::Agency,
    UnitKind::Enterprise,
    UnitKind::School,
];

/// Who says a unit is outside the Thông tư: the commune's police, who manage the units of the
/// commune, and the province.
pub const ELIGIBILITY_KEEPERS: &[crate::Role] =
    &[crate::Role::WardOfficer, crate::Role::ProvinceOfficer];

/// The kinds that register: those a commune counts, and the commune itself.
pub const REGISTERING_KINDS: &[UnitKind] = &[
    UnitKind::Commune,
    UnitKind::ResidentialArea,
    UnitKind::Agency,
    UnitKind::Enterprise,
    UnitKind::School,
];

/// Whether an exclusion of art. 1.2.b can be said of a unit of `kind`: armed forces of an
/// agency, small and micro of an enterprise, primary and pre-school of a school.
pub fn exclusion_fits(kind: UnitKind, exclusion: Exclusion) -> bool {
    matches!(
        (kind, exclusion),
        (UnitKind::Agency, Exclusion::ArmedForces)
            | (UnitKind::Enterprise, Exclusion::SmallEnterprise)
            | (UnitKind::School, Exclusion::PrimaryOrPreschool)
    )
}

/// Whether `day` is in quarter I of `year` (1 January – 31 March; art. 9.2.a).
pub fn in_quarter_one(day: NaiveDate, year: i32) -> bool {
    day.year() == year && day.month() <= 3
}

/// `PUT /api/v1/units/{code}/registrations/{year}`: a unit's registration of a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RegistrationRequest {
    /// The day the unit registered.
    pub registered_on: NaiveDate,
    /// The resolution, plan or registration it registered by, e.g. `05-NQ/CB`, `12/KH-UBND`.
    pub document: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A [`RegistrationRequest`] as checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRegistration {
    pub registered_on: NaiveDate,
    pub document: String,
    pub note: Option<String>,
}

impl RegistrationRequest {
    /// A day in `year` and not after `today`, a one-line document reference, a one-line note.
    pub fn parse(&self, year: i32, today: NaiveDate) -> Result<NewRegistration, Vec<FieldError>> {
        let mut e = Errors::new();
        if self.registered_on > today {
            e.push(ValidationError::DateInFuture.on("registered_on"));
        } else if self.registered_on.year() != year {
            e.push(
                ValidationError::OutOfRange {
                    min: i64::from(year),
                    max: i64::from(year),
                }
                .on("registered_on"),
            );
        }
        let document = e.check(
            "document",
            crate::text::parse_line(&self.document, DOCUMENT_MAX),
        );
        let note = match self.note.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(n) => e.check("note", crate::text::parse_line(n, DOCUMENT_MAX)),
        };
        e.into_result()?;
        let document = document.ok_or_else(|| vec![ValidationError::Required.on("document")])?;
        Ok(NewRegistration {
            registered_on: self.registered_on,
            document,
            note,
        })
    }
}

/// A registration as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Registration {
    pub unit_code: String,
    pub year: i32,
    pub registered_on: NaiveDate,
    pub document: String,
    pub note: Option<String>,
    /// Registered in quarter I, as art. 9.2.a asks ([`in_quarter_one`]).
    pub in_quarter_one: bool,
    #[serde(with = "crate::time::utc")]
    pub recorded_at: NaiveDateTime,
}

/// `PUT /api/v1/units/{code}/eligibility`: why a unit is outside the Thông tư, or `null` when it
/// is not.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EligibilityRequest {
    /// An [`Exclusion`] wire name, or `null`.
    #[serde(default)]
    pub exclusion: Option<String>,
}

/// One unit of a commune as its rule sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RegistrationLine {
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    /// Outside the Thông tư (art. 1.2.b): not counted.
    pub exclusion: Option<Exclusion>,
    pub registration: Option<Registration>,
    /// An approved assessment of the year recognises it.
    pub recognised: bool,
}

/// What a commune's rule needs from one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleUnit {
    pub excluded: bool,
    pub registered: bool,
    pub recognised: bool,
}

/// The commune's rule (art. 5.4) over its units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CommuneRule {
    /// Units the Thông tư applies to (the denominator).
    pub eligible: i64,
    /// Units outside it (art. 1.2.b), not counted.
    pub excluded: i64,
    /// Eligible units registered for the year, of the eligible.
    pub registered: Share,
    /// Eligible units recognised, of the eligible.
    pub recognised: Share,
    /// The share that must be recognised (percent).
    pub threshold_percent: u32,
    /// 100% registered and at least the threshold recognised; `false` with no eligible unit.
    pub passed: bool,
}

/// Art. 5.4: "100% khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục đăng ký" and at least
/// `threshold_percent` of them recognised, over the units not excluded by art. 1.2.b.
pub fn commune_rule(units: &[RuleUnit], threshold_percent: u32) -> CommuneRule {
    let counted = || units.iter().filter(|u| !u.excluded);
    let eligible = counted().count() as i64;
    let registered = counted().filter(|u| u.registered).count() as i64;
    let recognised = counted().filter(|u| u.recognised).count() as i64;
    CommuneRule {
        eligible,
        excluded: units.len() as i64 - eligible,
        registered: Share::new(eligible, registered),
        recognised: Share::new(eligible, recognised),
        threshold_percent,
        passed: eligible > 0
            && registered == eligible
            && recognised * 100 >= i64::from(threshold_percent) * eligible,
    }
}

/// `GET /api/v1/units/{code}/registrations?year=…`: a commune's units with their registration of
/// the year, and the commune's rule over them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RegistrationBoard {
    pub year: i32,
    /// The commune's own registration.
    pub own: Option<Registration>,
    pub lines: Vec<RegistrationLine>,
    pub rule: CommuneRule,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| panic!("{y}-{m}-{day}"))
    }

    /// Art. 1.2.b: "Cơ quan (trừ cơ quan, đơn vị lực lượng vũ trang), doanh nghiệp (trừ doanh
    /// nghiệp nhỏ, siêu nhỏ), cơ sở giáo dục (trừ cơ sở giáo dục tiểu học, mầm non, nhà trẻ)".
    #[test]
    fn tt124_art1_cl2_b_each_exclusion_fits_its_kind_only() {
        use Exclusion::*;
        use UnitKind::*;
        for (kind, exclusion, fits) in [
            (Agency, ArmedForces, true),
            (Enterprise, SmallEnterprise, true),
            (School, PrimaryOrPreschool, true),
            (Agency, SmallEnterprise, false),
            (Enterprise, ArmedForces, false),
            (School, SmallEnterprise, false),
            // Residential areas and communes are always assessed (art. 1.2.a).
            (ResidentialArea, ArmedForces, false),
            (Commune, PrimaryOrPreschool, false),
        ] {
            assert_eq!(
                exclusion_fits(kind, exclusion),
                fits,
                "{kind} {exclusion:?}"
            );
        }
    }

    /// Art. 9.2.a / art. 4.1: "Quý I hằng năm … có đăng ký phấn đấu".
    #[test]
    fn tt124_art9_cl2_a_registration_falls_in_quarter_one() {
        for (day, year, inside) in [
            (d(2026, 1, 1), 2026, true),
            (d(2026, 3, 31), 2026, true),
            (d(2026, 4, 1), 2026, false),
            (d(2025, 12, 31), 2026, false),
            (d(2026, 2, 10), 2027, false),
        ] {
            assert_eq!(in_quarter_one(day, year), inside, "{day} for {year}");
        }
    }

    fn u(excluded: bool, registered: bool, recognised: bool) -> RuleUnit {
        RuleUnit {
            excluded,
            registered,
            recognised,
        }
    }

    /// Art. 5.4: 100% of the commune's residential areas, agencies, enterprises and schools
    /// registered, and at least 70% recognised, over the units the Thông tư applies to.
    #[test]
    fn tt124_art5_cl4_commune_rule_table() {
        let full = |n: usize, rec: usize| -> Vec<RuleUnit> {
            (0..n).map(|i| u(false, true, i < rec)).collect()
        };
        // 7 of 10 recognised, all registered: passes at the edge.
        assert!(commune_rule(&full(10, 7), 70).passed);
        // 6 of 10: fails.
        assert!(!commune_rule(&full(10, 6), 70).passed);
        // One eligible unit not registered fails the first half whatever the share recognised.
        let mut one_missing = full(10, 10);
        one_missing[3].registered = false;
        let r = commune_rule(&one_missing, 70);
        assert!(!r.passed);
        assert_eq!((r.registered.counted, r.registered.units), (9, 10));
        // Excluded units (a small enterprise, a primary school) leave the denominator: 7 of the
        // 10 eligible recognised passes although 7 of 12 would not.
        let mut with_excluded = full(10, 7);
        with_excluded.push(u(true, false, false));
        with_excluded.push(u(true, false, false));
        let r = commune_rule(&with_excluded, 70);
        assert!(r.passed);
        assert_eq!((r.eligible, r.excluded), (10, 2));
        // A province's own threshold.
        assert!(!commune_rule(&full(10, 7), 80).passed);
        // Nothing eligible: nothing to show, not passed.
        assert!(!commune_rule(&[u(true, false, false)], 70).passed);
    }

    #[test]
    fn a_registration_is_of_its_year_and_names_bad_fields() {
        let today = d(2026, 5, 4);
        let ok = RegistrationRequest {
            registered_on: d(2026, 2, 20),
            document: " 05-NQ/CB ".into(),
            note: Some("  ".into()),
        };
        assert_eq!(
            ok.parse(2026, today),
            Ok(NewRegistration {
                registered_on: d(2026, 2, 20),
                document: "05-NQ/CB".into(),
                note: None,
            })
        );
        let fields = |r: RegistrationRequest, year| -> Vec<String> {
            match r.parse(year, today) {
                Ok(v) => panic!("accepted {v:?}"),
                Err(e) => e.into_iter().map(|e| e.field).collect(),
            }
        };
        let bad = RegistrationRequest {
            registered_on: d(2026, 6, 1),
            document: String::new(),
            note: Some("a\u{7}b".into()),
        };
        assert_eq!(fields(bad, 2026), ["registered_on", "document", "note"]);
        let other_year = RegistrationRequest {
            registered_on: d(2025, 2, 1),
            ..ok
        };
        assert_eq!(fields(other_year, 2026), ["registered_on"]);
    }
}

//! The signing form's rules: which fields a pledge asks for, and the checks the server and the
//! browser both run.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::api::optional;
use crate::citizen_id::CitizenId;
use crate::enums::PledgeKind;
use crate::error::{Errors, FieldError, ValidationError};
use crate::person_name::PersonName;
use crate::phone::PhoneNumber;
use crate::text::parse_line;
use crate::unit_code::UnitCode;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

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

impl SignRequest {
    /// The request a filled form makes, from what was typed in each field (by the field's name:
    /// `unit_code`, `full_name`, `birth_date`, `citizen_id`, `phone`, `address`, `members`,
    /// `guardian_name`, `guardian_relation`, `guardian_phone`), the commitments ticked and the
    /// consent. The browser form and the page the server draws build it here, so both send the
    /// same thing for the same screen: a blank optional field is absent, a guardian block with
    /// anything typed in it is sent whole, and a unit left unchosen is the campaign's first.
    pub fn from_form(
        values: &std::collections::BTreeMap<String, String>,
        commitments_accepted: Vec<i64>,
        privacy_consent: bool,
        first_unit: &str,
    ) -> Self {
        // A field a form leaves out was typed nothing.
        let v = |k: &str| values.get(k).map_or("", String::as_str).to_string();
        let opt = |k: &str| values.get(k).filter(|s| !s.trim().is_empty()).cloned();
        let guardian = ["guardian_name", "guardian_relation", "guardian_phone"]
            .iter()
            .any(|k| opt(k).is_some())
            .then(|| GuardianRequest {
                name: v("guardian_name"),
                relation: v("guardian_relation"),
                phone: v("guardian_phone"),
            });
        SignRequest {
            unit_code: opt("unit_code").unwrap_or_else(|| first_unit.to_string()),
            full_name: v("full_name"),
            birth_date: v("birth_date"),
            citizen_id: opt("citizen_id"),
            phone: opt("phone"),
            address: opt("address"),
            // Not a number is as good as blank: the parser names the field as required.
            members: opt("members").and_then(|m| m.trim().parse().ok()),
            commitments_accepted,
            guardian,
            privacy_consent,
        }
    }
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

#[cfg(test)]
mod form_tests {
    use super::*;
    use std::collections::BTreeMap;

    fn typed(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// What a filled form sends, whether the browser or the server builds it.
    #[test]
    fn a_form_becomes_the_request_the_api_takes() {
        let r = SignRequest::from_form(
            &typed(&[
                ("full_name", "Nguyễn Văn An"),
                ("birth_date", "1980-05-01"),
                ("phone", "  "),
                ("members", "4"),
                ("guardian_relation", "mẹ"),
            ]),
            vec![1, 2],
            true,
            "01001-KDC1",
        );
        // The unit left unchosen is the campaign's first; blank optional fields are absent.
        assert_eq!(r.unit_code, "01001-KDC1");
        assert_eq!((r.phone, r.citizen_id, r.members), (None, None, Some(4)));
        // Anything typed in the guardian block sends the block whole, for the parser to judge.
        let g = r
            .guardian
            .unwrap_or_else(|| panic!("the guardian block is sent"));
        assert_eq!((g.name.as_str(), g.relation.as_str()), ("", "mẹ"));
        assert_eq!(r.commitments_accepted, vec![1, 2]);
        // A number of members that is not a number is as good as blank.
        let r = SignRequest::from_form(&typed(&[("members", "bốn")]), vec![], false, "X");
        assert_eq!((r.members, r.guardian.is_none()), (None, true));
    }
}

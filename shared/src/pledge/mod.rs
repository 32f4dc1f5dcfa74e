//! Pledges (cam kết): templates, campaigns, and the signing form's rules — one definition for
//! the server and the browser.

use serde::{Deserialize, Serialize};

pub use crate::enums::DisputeStatus;
use crate::error::ValidationError;

mod campaign;
mod class_sheet;
mod records;
mod signing;
mod template;

pub use campaign::*;
pub use class_sheet::*;
pub use records::*;
pub use signing::*;
pub use template::*;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PledgeKind, UnitKind};
    use chrono::NaiveDate;

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

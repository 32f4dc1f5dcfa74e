//! Unit codes: the state's codes for provinces (2 digits), former districts (3 digits) and
//! communes (5 digits, QĐ 19/2025/QĐ-TTg), and the platform's own codes for the units it creates.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::enums::UnitKind;
use crate::error::ValidationError;

/// A unit code. Platform codes read `KD-22333-0001`: a kind tag, the 5-digit commune the unit
/// belongs to, and a serial number of 4 to 6 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitCode(String);

/// Kind tags of platform-created codes.
const TAGS: [(&str, UnitKind); 6] = [
    ("KD", UnitKind::ResidentialArea),
    ("TH", UnitKind::School),
    ("LH", UnitKind::Class),
    ("CQ", UnitKind::Agency),
    ("DN", UnitKind::Enterprise),
    ("PB", UnitKind::Department),
];

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

impl UnitCode {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ValidationError::Required);
        }
        let ok = match s.len() {
            2 | 3 | 5 => all_digits(s),
            _ => {
                let parts: Vec<&str> = s.split('-').collect();
                parts.len() == 3
                    && TAGS.iter().any(|(t, _)| *t == parts[0])
                    && parts[1].len() == 5
                    && all_digits(parts[1])
                    && (4..=6).contains(&parts[2].len())
                    && all_digits(parts[2])
            }
        };
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(ValidationError::UnitCodeFormat)
        }
    }

    /// A new platform code for a unit of `kind` in `commune` with serial number `serial`.
    pub fn platform(kind: UnitKind, commune: &UnitCode, serial: u32) -> Option<Self> {
        let tag = TAGS.iter().find(|(_, k)| *k == kind)?.0;
        if commune.0.len() != 5 || serial == 0 || serial > 999_999 {
            return None;
        }
        Some(Self(format!("{tag}-{}-{serial:04}", commune.0)))
    }

    /// The prefix shared by all platform codes of `kind` in `commune`, e.g. `KD-22333-`.
    pub fn platform_prefix(kind: UnitKind, commune: &UnitCode) -> Option<String> {
        let tag = TAGS.iter().find(|(_, k)| *k == kind)?.0;
        Some(format!("{tag}-{}-", commune.0))
    }

    /// The kind a code implies, when it implies one (2 digits: province, 3: district, 5: commune,
    /// or the tag of a platform code).
    pub fn implied_kind(&self) -> UnitKind {
        match self.0.len() {
            2 => UnitKind::Province,
            3 => UnitKind::District,
            5 => UnitKind::Commune,
            _ => TAGS
                .iter()
                .find(|(t, _)| self.0.starts_with(t))
                .map(|(_, k)| *k)
                .unwrap_or(UnitKind::Commune),
        }
    }

    /// The serial number of a platform code.
    pub fn serial(&self) -> Option<u32> {
        self.0
            .rsplit('-')
            .next()
            .filter(|_| self.0.contains('-'))?
            .parse()
            .ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for UnitCode {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<UnitCode> for String {
    fn from(c: UnitCode) -> Self {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> UnitCode {
        UnitCode::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parses_state_and_platform_codes() {
        assert_eq!(ok("56").implied_kind(), UnitKind::Province);
        assert_eq!(ok("568").implied_kind(), UnitKind::District);
        assert_eq!(ok("22333").implied_kind(), UnitKind::Commune);
        assert_eq!(
            ok("KD-22333-0001").implied_kind(),
            UnitKind::ResidentialArea
        );
        assert_eq!(ok("LH-22333-000123").implied_kind(), UnitKind::Class);
        assert_eq!(ok("LH-22333-000123").serial(), Some(123));
        for bad in [
            "",
            "5",
            "5a",
            "1234",
            "123456",
            "XX-22333-0001",
            "KD-2233-0001",
            "KD-22333-01",
            "KD-22333-0001-1",
            "kd-22333-0001",
        ] {
            assert!(UnitCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn makes_platform_codes() {
        let c = ok("22333");
        assert_eq!(
            UnitCode::platform(UnitKind::School, &c, 7).map(|c| c.0),
            Some("TH-22333-0007".into())
        );
        assert_eq!(UnitCode::platform(UnitKind::Commune, &c, 7), None);
        assert_eq!(
            UnitCode::platform_prefix(UnitKind::Department, &c),
            Some("PB-22333-".into())
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = UnitCode::parse(&s);
        }

        #[test]
        fn roundtrips(commune in "[0-9]{5}", serial in 1u32..999_999, k in 0usize..6) {
            let c = UnitCode::platform(TAGS[k].1, &ok(&commune), serial);
            prop_assert!(c.is_some());
            let c = c.unwrap_or_else(|| unreachable!());
            prop_assert_eq!(UnitCode::parse(&c.to_string()), Ok(c.clone()));
            prop_assert_eq!(c.implied_kind(), TAGS[k].1);
            prop_assert_eq!(c.serial(), Some(serial));
        }
    }
}

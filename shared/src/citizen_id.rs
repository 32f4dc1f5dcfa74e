//! CCCD — căn cước công dân, the 12-digit citizen identity number.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

/// Birth-registration province codes used in CCCD numbers (the 63 provinces before the 2025
/// merger; the 34 provinces since then kept codes from this list, so it is a superset).
const PROVINCE_CODES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37,
    38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77,
    79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

/// Sex as encoded in a CCCD (the only reason this type exists is to decode the number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CccdSex {
    Male,
    Female,
}

/// A citizen identity number: 3-digit birth-registration province, 1 digit for century and sex,
/// 2 digits of the year of birth, 6 serial digits. Never logged, never stored in clear.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CitizenId(String);

impl CitizenId {
    /// Parses a CCCD; spaces and dots people type between groups are ignored.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let digits: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect();
        if digits.is_empty() {
            return Err(ValidationError::Required);
        }
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::CitizenIdFormat);
        }
        let province: u16 = digits[0..3]
            .parse()
            .map_err(|_| ValidationError::CitizenIdFormat)?;
        if !PROVINCE_CODES.contains(&province) {
            return Err(ValidationError::CitizenIdProvince);
        }
        Ok(Self(digits))
    }

    /// Parses and checks the number against a date of birth (century, sex digit and year).
    pub fn parse_with_birth_date(raw: &str, birth: NaiveDate) -> Result<Self, ValidationError> {
        let id = Self::parse(raw)?;
        if id.birth_year() != birth.year() {
            return Err(ValidationError::CitizenIdBirthMismatch);
        }
        Ok(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn digit(&self, i: usize) -> u32 {
        u32::from(self.0.as_bytes()[i] - b'0')
    }

    /// Province code of birth registration, e.g. 56 for Khánh Hòa.
    pub fn province_code(&self) -> u16 {
        (self.digit(0) * 100 + self.digit(1) * 10 + self.digit(2)) as u16
    }

    /// Year of birth decoded from the century digit and the two year digits.
    pub fn birth_year(&self) -> i32 {
        let century = 1900 + (self.digit(3) / 2) as i32 * 100;
        century + (self.digit(4) * 10 + self.digit(5)) as i32
    }

    pub fn sex(&self) -> CccdSex {
        if self.digit(3).is_multiple_of(2) {
            CccdSex::Male
        } else {
            CccdSex::Female
        }
    }

    /// The last four digits, the only part ever shown back.
    pub fn last4(&self) -> &str {
        &self.0[8..]
    }
}

/// Never print the number by accident (e.g. in a `{:?}` in a log line).
impl fmt::Debug for CitizenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CitizenId(********{})", self.last4())
    }
}

impl fmt::Display for CitizenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CitizenId {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CitizenId> for String {
    fn from(c: CitizenId) -> Self {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> CitizenId {
        CitizenId::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn decodes_the_number() {
        let c = ok("056 1 85 012345");
        assert_eq!(c.as_str(), "056185012345");
        assert_eq!(c.province_code(), 56);
        assert_eq!(c.birth_year(), 1985);
        assert_eq!(c.sex(), CccdSex::Female);
        assert_eq!(c.last4(), "2345");
        let c = ok("058210000001");
        assert_eq!(c.birth_year(), 2010);
        assert_eq!(c.sex(), CccdSex::Male);
    }

    #[test]
    fn rejects_bad_numbers() {
        assert_eq!(CitizenId::parse(""), Err(ValidationError::Required));
        assert_eq!(
            CitizenId::parse("05618501234"),
            Err(ValidationError::CitizenIdFormat)
        );
        assert_eq!(
            CitizenId::parse("0561850123456"),
            Err(ValidationError::CitizenIdFormat)
        );
        assert_eq!(
            CitizenId::parse("05618501234a"),
            Err(ValidationError::CitizenIdFormat)
        );
        assert_eq!(
            CitizenId::parse("003185012345"),
            Err(ValidationError::CitizenIdProvince)
        );
        assert_eq!(
            CitizenId::parse("000185012345"),
            Err(ValidationError::CitizenIdProvince)
        );
        assert_eq!(
            CitizenId::parse("٠٥٦١٨٥٠١٢٣٤٥"),
            Err(ValidationError::CitizenIdFormat)
        );
    }

    #[test]
    fn cross_checks_birth_date() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert!(CitizenId::parse_with_birth_date("056185012345", d(1985, 3, 1)).is_ok());
        assert_eq!(
            CitizenId::parse_with_birth_date("056185012345", d(2085, 3, 1)),
            Err(ValidationError::CitizenIdBirthMismatch)
        );
        assert_eq!(
            CitizenId::parse_with_birth_date("056185012345", d(1986, 3, 1)),
            Err(ValidationError::CitizenIdBirthMismatch)
        );
        assert!(CitizenId::parse_with_birth_date("056310012345", d(2010, 12, 31)).is_ok());
    }

    #[test]
    fn debug_hides_the_number() {
        assert_eq!(
            format!("{:?}", ok("056185012345")),
            "CitizenId(********2345)"
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = CitizenId::parse(&s);
        }

        #[test]
        fn roundtrips(p in proptest::sample::select(PROVINCE_CODES.to_vec()), rest in "[0-9]{9}") {
            let s = format!("{p:03}{rest}");
            let c = CitizenId::parse(&s);
            prop_assert!(c.is_ok());
            let c = c.unwrap_or_else(|_| unreachable!());
            prop_assert_eq!(CitizenId::parse(&c.to_string()), Ok(c));
        }
    }
}

//! Vietnamese mobile phone numbers.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

/// Mobile prefixes after the leading 0 (Viettel, Vinaphone, MobiFone, Vietnamobile, Gmobile,
/// Itelecom, Reddi and the MVNOs), as allotted after the 2018 renumbering.
/// Digits as bytes, compared byte by byte (a `str` search would add a substring searcher to the
/// browser's download for one digit).
const MOBILE_PREFIXES: &[u8] = b"35789";
const ALLOWED_SECOND: [(u8, &[u8]); 4] = [
    (b'3', b"23456789"),
    (b'5', b"25689"),
    (b'7', b"06789"),
    (b'8', b"123456789"),
];

/// A Vietnamese mobile number, normalised to E.164 (`+84` and 9 digits).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts `0912345678`, `+84912345678`, `84912345678`, with spaces, dots or dashes.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let cleaned: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
            .collect();
        if cleaned.is_empty() {
            return Err(ValidationError::Required);
        }
        let national = if let Some(rest) = cleaned.strip_prefix("+84") {
            rest
        } else if let Some(rest) = cleaned.strip_prefix("84").filter(|r| r.len() == 9) {
            rest
        } else if let Some(rest) = cleaned.strip_prefix('0') {
            rest
        } else {
            return Err(ValidationError::PhoneFormat);
        };
        if national.len() != 9 || !national.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::PhoneFormat);
        }
        let (first, second) = (national.as_bytes()[0], national.as_bytes()[1]);
        if !MOBILE_PREFIXES.contains(&first) {
            return Err(ValidationError::PhoneFormat);
        }
        if let Some((_, seconds)) = ALLOWED_SECOND.iter().find(|(f, _)| *f == first)
            && !seconds.contains(&second)
        {
            return Err(ValidationError::PhoneFormat);
        }
        Ok(Self(format!("+84{national}")))
    }

    /// E.164 form, e.g. `+84912345678`.
    pub fn e164(&self) -> &str {
        &self.0
    }

    /// Domestic form, e.g. `0912345678`.
    pub fn national(&self) -> String {
        format!("0{}", &self.0[3..])
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber(*******{})", &self.0[self.0.len() - 3..])
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PhoneNumber> for String {
    fn from(p: PhoneNumber) -> Self {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises() {
        for raw in [
            "0912345678",
            "+84912345678",
            "84912345678",
            "091 234 5678",
            "091.234.5678",
            "+84 91-234-5678",
        ] {
            assert_eq!(
                PhoneNumber::parse(raw).map(|p| p.0),
                Ok("+84912345678".to_string()),
                "{raw}"
            );
        }
        let p = PhoneNumber::parse("0387654321").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.national(), "0387654321");
    }

    #[test]
    fn rejects() {
        for raw in [
            "",
            "091234567",
            "09123456789",
            "0212345678",
            "0112345678",
            "0312345678",
            "+1912345678",
            "09123a5678",
            "0512345678",
        ] {
            assert!(PhoneNumber::parse(raw).is_err(), "{raw}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = PhoneNumber::parse(&s);
        }

        #[test]
        fn roundtrips(rest in "9[0-9]{8}|8[1-9][0-9]{7}|3[2-9][0-9]{7}") {
            let p = PhoneNumber::parse(&format!("0{rest}"));
            prop_assert!(p.is_ok());
            let p = p.unwrap_or_else(|_| unreachable!());
            prop_assert_eq!(PhoneNumber::parse(&p.to_string()), Ok(p.clone()));
            prop_assert_eq!(PhoneNumber::parse(&p.national()), Ok(p));
        }
    }
}

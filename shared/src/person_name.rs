//! A person's name as written in Vietnamese documents.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::text::squash_spaces;

pub const PERSON_NAME_MAX: usize = 100;

/// A person's full name: Unicode NFC, trimmed, 1–100 characters, Latin letters with Vietnamese
/// (or other) diacritics, single spaces, `'` and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    /// Parses a name. Surrounding and repeated spaces are removed; text that is not NFC is
    /// rejected (browsers normalise with [`PersonName::normalize_input`] before sending).
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let s = squash_spaces(raw);
        if s.is_empty() {
            return Err(ValidationError::Required);
        }
        if !crate::unicode::is_nfc(&s) {
            return Err(ValidationError::NotNfc);
        }
        if s.chars().count() > PERSON_NAME_MAX {
            return Err(ValidationError::TooLong {
                max: PERSON_NAME_MAX,
            });
        }
        if let Some(ch) = s.chars().find(|&c| !is_name_char(c)) {
            return Err(ValidationError::InvalidCharacter { ch });
        }
        if !s.chars().any(char::is_alphabetic) {
            return Err(ValidationError::NameWithoutLetter);
        }
        Ok(Self(s))
    }

    /// What a form does to typed text before parsing: NFC and trimmed. Some Vietnamese keyboards
    /// produce decomposed (NFD) text; the person should never see an error for that.
    pub fn normalize_input(raw: &str) -> String {
        crate::unicode::nfc(raw).trim().to_string()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Initials for public display, e.g. "Nguyễn Văn An" → "N.V.A."
    pub fn initials(&self) -> String {
        self.0
            .split([' ', '-'])
            .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
            .flat_map(|c| c.to_uppercase().chain(std::iter::once('.')))
            .collect()
    }
}

/// Latin letters (ASCII, Latin-1, Latin Extended A/B and Additional, where Vietnamese lives),
/// space, apostrophe and hyphen.
fn is_name_char(c: char) -> bool {
    if c == ' ' || c == '\'' || c == '-' {
        return true;
    }
    c.is_alphabetic()
        && matches!(c as u32, 0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF)
}

impl TryFrom<String> for PersonName {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PersonName> for String {
    fn from(n: PersonName) -> Self {
        n.0
    }
}

impl AsRef<str> for PersonName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_vietnamese_names() {
        for n in [
            "Nguyễn Văn An",
            "Trần Thị Ánh Tuyết",
            "H'Hen Niê",
            "Lê-Hoàng",
            "Đỗ Mỹ Linh",
            "Ka Sô Liễng",
        ] {
            assert_eq!(PersonName::parse(n).map(|p| p.0), Ok(n.to_string()), "{n}");
        }
    }

    #[test]
    fn trims_and_squashes() {
        assert_eq!(
            PersonName::parse("  Lê   Văn  Tám ")
                .unwrap_or_else(|e| panic!("{e}"))
                .as_str(),
            "Lê Văn Tám"
        );
    }

    #[test]
    fn rejects_bad_names() {
        assert_eq!(PersonName::parse("   "), Err(ValidationError::Required));
        assert_eq!(
            PersonName::parse("Lê Văn 3"),
            Err(ValidationError::InvalidCharacter { ch: '3' })
        );
        assert_eq!(
            PersonName::parse("Lê <b>"),
            Err(ValidationError::InvalidCharacter { ch: '<' })
        );
        assert_eq!(
            PersonName::parse("李小龍"),
            Err(ValidationError::InvalidCharacter { ch: '李' })
        );
        assert_eq!(
            PersonName::parse("--"),
            Err(ValidationError::NameWithoutLetter)
        );
        let long = "A".repeat(101);
        assert_eq!(
            PersonName::parse(&long),
            Err(ValidationError::TooLong { max: 100 })
        );
        assert!(
            PersonName::parse(&"Ễ".repeat(100)).is_ok(),
            "100 characters, not bytes"
        );
    }

    #[test]
    fn rejects_decomposed_text_but_normalize_input_fixes_it() {
        let nfd = crate::unicode::nfd("Nguyễn Văn An");
        assert_eq!(PersonName::parse(&nfd), Err(ValidationError::NotNfc));
        assert!(PersonName::parse(&PersonName::normalize_input(&nfd)).is_ok());
    }

    #[test]
    fn initials() {
        let n = PersonName::parse("Nguyễn Văn Ánh").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(n.initials(), "N.V.Á.");
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = PersonName::parse(&s);
        }

        #[test]
        fn roundtrips(s in "[A-Za-zÀ-ỹ' -]{1,120}") {
            if let Ok(n) = PersonName::parse(&s) {
                prop_assert_eq!(PersonName::parse(n.as_ref()), Ok(n));
            }
        }
    }
}

//! Unicode normalisation (NFC, NFD) for the checks and the search folding.
//!
//! On the server this is the `unicode-normalization` crate. In the browser it is the browser's own
//! `String.prototype.normalize`: the same Unicode algorithm, and it keeps about 70 KB of
//! compressed tables out of the form's download (issue 6's size budget). Tests compare both
//! against each other only through behaviour: every caller sees "is it NFC", "make it NFC" and
//! "decompose it", nothing else.

/// Whether `s` is in Unicode Normalization Form C.
pub fn is_nfc(s: &str) -> bool {
    s.is_ascii() || imp::is_nfc(s)
}

/// `s` in Normalization Form C.
pub fn nfc(s: &str) -> String {
    if s.is_ascii() {
        s.to_string()
    } else {
        imp::normalize(s, imp::Form::C)
    }
}

/// `s` in Normalization Form D (base letters followed by combining marks).
pub fn nfd(s: &str) -> String {
    if s.is_ascii() {
        s.to_string()
    } else {
        imp::normalize(s, imp::Form::D)
    }
}

/// A combining diacritical mark, as NFD leaves them after a Latin letter: the blocks Combining
/// Diacritical Marks (and their Extended and Supplement blocks), for Symbols, and Half Marks.
/// Explicit ranges rather than the full general category so the server and the browser fold
/// exactly alike.
pub fn is_combining_diacritic(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod imp {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

    pub enum Form {
        C,
        D,
    }

    pub fn is_nfc(s: &str) -> bool {
        match is_nfc_quick(s.chars()) {
            IsNormalized::Yes => true,
            IsNormalized::No => false,
            IsNormalized::Maybe => unicode_normalization::is_nfc(s),
        }
    }

    pub fn normalize(s: &str, form: Form) -> String {
        match form {
            Form::C => s.nfc().collect(),
            Form::D => s.nfd().collect(),
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod imp {
    pub enum Form {
        C,
        D,
    }

    pub fn is_nfc(s: &str) -> bool {
        normalize(s, Form::C) == s
    }

    pub fn normalize(s: &str, form: Form) -> String {
        let name = match form {
            Form::C => "NFC",
            Form::D => "NFD",
        };
        String::from(js_sys::JsString::from(s).normalize(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_and_decomposes_vietnamese() {
        let composed = "Nguyễn Thị Ánh, Đắk Lắk";
        let decomposed = nfd(composed);
        assert_ne!(decomposed, composed);
        assert!(!is_nfc(&decomposed));
        assert_eq!(nfc(&decomposed), composed);
        assert!(is_nfc(composed));
        assert!(is_nfc("plain ascii"));
        assert!(
            decomposed
                .chars()
                .filter(|c| !c.is_ascii())
                .all(|c| is_combining_diacritic(c) || c == 'Đ')
        );
    }
}

//! Text helpers: folding Vietnamese to plain ASCII for search ("Ba Đình" → "ba dinh"), and the
//! checks every free-text field goes through.

use crate::ValidationError;

/// Lower-cases, strips diacritics (including đ/Đ → d) and collapses white space, so that a search
/// typed without diacritics matches names written with them.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in crate::unicode::nfd(s).chars() {
        if crate::unicode::is_combining_diacritic(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_whitespace() || c == '_' {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        for l in c.to_lowercase() {
            out.push(l);
        }
        last_space = false;
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A one-line text: spaces squashed, NFC, at most `max` characters, no control characters.
pub fn parse_line(raw: &str, max: usize) -> Result<String, ValidationError> {
    let s = squash_spaces(raw);
    if s.is_empty() {
        return Err(ValidationError::Required);
    }
    if !crate::unicode::is_nfc(&s) {
        return Err(ValidationError::NotNfc);
    }
    if s.chars().count() > max {
        return Err(ValidationError::TooLong { max });
    }
    if let Some(ch) = s.chars().find(|c| c.is_control()) {
        return Err(ValidationError::InvalidCharacter { ch });
    }
    Ok(s)
}

/// A bounded multi-line text: NFC, trimmed, line breaks kept, no other control characters.
pub fn parse_long_text(raw: &str, min: usize, max: usize) -> Result<String, ValidationError> {
    let s = raw.replace("\r\n", "\n");
    let s = s.trim();
    if s.is_empty() {
        return Err(ValidationError::Required);
    }
    if !crate::unicode::is_nfc(s) {
        return Err(ValidationError::NotNfc);
    }
    if let Some(ch) = s
        .chars()
        .find(|c| c.is_control() && *c != '\n' && *c != '\t')
    {
        return Err(ValidationError::InvalidCharacter { ch });
    }
    let n = s.chars().count();
    if n < min {
        return Err(ValidationError::TooShort { min });
    }
    if n > max {
        return Err(ValidationError::TooLong { max });
    }
    Ok(s.to_string())
}

/// Trims and collapses runs of white space inside a value to one space.
pub fn squash_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Ba Đình"), "ba dinh");
        assert_eq!(fold("  Phường   Hồng  Hà "), "phuong hong ha");
        assert_eq!(fold("Khánh Hòa"), "khanh hoa");
        assert_eq!(fold("Cam Ranh"), "cam ranh");
        assert_eq!(fold("ĐẮK LẮK"), "dak lak");
        assert_eq!(fold("ninh_thuan"), "ninh thuan");
    }

    #[test]
    fn folding_decomposed_equals_folding_composed() {
        let composed = "Nguyễn Thị Ánh";
        let decomposed = crate::unicode::nfd(composed);
        assert_eq!(fold(composed), fold(&decomposed));
    }
}

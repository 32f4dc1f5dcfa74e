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

/// How a folded name matches a folded search, best first: 0 the name itself, 1 a name that
/// starts with it, 2 a word of the name that starts with it, 3 anywhere else; `None` when it is
/// not there. Whoever searches for their commune types its name: «an giang» finds the province
/// An Giang before Xuân Giang. The server's search orders by the same tiers in SQL
/// (`units::store::list`), the forms' commune filter by this function.
pub fn match_tier(name_ascii: &str, needle: &str) -> Option<u8> {
    if needle.is_empty() {
        return Some(3);
    }
    if name_ascii == needle {
        Some(0)
    } else if name_ascii.starts_with(needle) {
        Some(1)
    } else if name_ascii.contains(&format!(" {needle}")) {
        Some(2)
    } else if name_ascii.contains(needle) {
        Some(3)
    } else {
        None
    }
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

    #[test]
    fn a_typed_name_finds_itself_first() {
        for (name, needle, tier) in [
            ("an giang", "an giang", Some(0)),
            ("an nhon", "an", Some(1)),
            ("kim anh", "an", Some(2)),
            ("thuan an", "an", Some(2)),
            ("xuan giang", "an giang", Some(3)),
            ("giang vo", "an", Some(3)),
            ("ba dinh", "an", None),
        ] {
            assert_eq!(match_tier(name, needle), tier, "{name:?} for {needle:?}");
        }
    }
}

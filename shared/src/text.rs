//! Text helpers: folding Vietnamese to plain ASCII for search ("Ba Đình" → "ba dinh").

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-cases, strips diacritics (including đ/Đ → d) and collapses white space, so that a search
/// typed without diacritics matches names written with them.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.nfd() {
        if is_combining_mark(c) {
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
        let decomposed: String = composed.nfd().collect();
        assert_eq!(fold(composed), fold(&decomposed));
    }
}

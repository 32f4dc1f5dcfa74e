//! Every user-facing string, Vietnamese first and English second; the choice is remembered.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LangContext(pub Lang);

const STORAGE_KEY: &str = "bvantq.lang";

impl Lang {
    pub fn load() -> Self {
        let stored = web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        if stored.as_deref() == Some("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    }

    pub fn store(self) {
        if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = s.set_item(STORAGE_KEY, if self == Lang::En { "en" } else { "vi" });
        }
    }

    pub fn other(self) -> Self {
        if self == Lang::Vi { Lang::En } else { Lang::Vi }
    }
}

/// The string `key` in `lang`.
pub fn t(lang: Lang, key: &str) -> &'static str {
    let (vi, en) = match key {
        "title" => (
            "Toàn dân bảo vệ an ninh Tổ quốc",
            "All people protect national security",
        ),
        "switch_language" => ("Chuyển sang tiếng Anh", "Switch to Vietnamese"),
        "other_language" => ("English", "Tiếng Việt"),
        "provinces" => ("Tỉnh, thành phố", "Provinces"),
        "communes_of" => ("Xã, phường, đặc khu của", "Communes of"),
        "search" => (
            "Tìm kiếm (gõ không dấu cũng được)",
            "Search (diacritics optional)",
        ),
        "search_placeholder" => ("ví dụ: ba dinh", "e.g. ba dinh"),
        "loading" => ("Đang tải…", "Loading…"),
        "back" => ("← Danh sách tỉnh", "← All provinces"),
        "none_found" => ("Không tìm thấy đơn vị phù hợp.", "No matching unit."),
        "load_failed" => (
            "Không tải được dữ liệu; vui lòng thử lại.",
            "Could not load data; please try again.",
        ),
        "retry" => ("Thử lại", "Retry"),
        "count" => ("đơn vị", "units"),
        "pick_province" => (
            "Chọn tỉnh, thành phố để xem các xã, phường.",
            "Pick a province to see its communes.",
        ),
        _ => ("?", "?"),
    };
    if lang == Lang::Vi { vi } else { en }
}

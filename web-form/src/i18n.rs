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
        "campaign_not_found" => (
            "Không tìm thấy đợt cam kết này. Kiểm tra lại mã hoặc liên hệ nơi phát động.",
            "This pledge campaign was not found. Check the code or ask whoever runs it.",
        ),
        "campaign_closed" => (
            "Đợt cam kết này hiện không mở để ký.",
            "This campaign is not open for signing now.",
        ),
        "saved_will_send" => (
            "Đã lưu trên máy, sẽ gửi khi có mạng.",
            "Saved on this phone; it will be sent when the network is back.",
        ),
        "fix_errors" => (
            "Vui lòng sửa các mục được đánh dấu bên dưới.",
            "Please correct the marked fields below.",
        ),
        "commitments" => (
            "Nội dung cam kết (đánh dấu đồng ý từng mục)",
            "Commitments (accept each one)",
        ),
        "about_you" => ("Thông tin người ký", "About the signer"),
        "unit_household" => ("Khu dân cư (thôn, tổ dân phố)", "Residential area"),
        "unit_student" => ("Lớp", "Class"),
        "unit_worker" => ("Phòng, ban, bộ phận", "Department"),
        "head_name" => ("Họ và tên chủ hộ", "Head of household's full name"),
        "full_name" => ("Họ và tên", "Full name"),
        "birth_date" => ("Ngày sinh", "Date of birth"),
        "citizen_id" => ("Số CCCD", "Citizen ID (CCCD) number"),
        "citizen_id_hint" => (
            "12 chữ số; chỉ dùng để tránh ký trùng, không hiển thị công khai.",
            "12 digits; used only to avoid duplicates, never shown publicly.",
        ),
        "phone_optional" => ("Số điện thoại (không bắt buộc)", "Phone number (optional)"),
        "address" => ("Địa chỉ hộ gia đình", "Household address"),
        "members" => ("Số nhân khẩu", "Number of household members"),
        "guardian" => (
            "Cha, mẹ hoặc người giám hộ cùng ký",
            "Co-signature of a parent or guardian",
        ),
        "guardian_hint" => (
            "Học sinh dưới 18 tuổi cần cha, mẹ hoặc người giám hộ cùng ký.",
            "A student under 18 signs together with a parent or guardian.",
        ),
        "guardian_name" => ("Họ và tên người giám hộ", "Guardian's full name"),
        "guardian_relation" => (
            "Quan hệ với học sinh (ví dụ: mẹ)",
            "Relation to the student (e.g. mother)",
        ),
        "guardian_phone" => ("Số điện thoại người giám hộ", "Guardian's phone number"),
        "consent" => (
            "Tôi đồng ý để thông tin trên được dùng cho việc quản lý cam kết của phong trào, theo quy định về bảo vệ dữ liệu cá nhân.",
            "I agree that this information is used to manage the movement's pledges, under the rules on personal data protection.",
        ),
        "sign" => ("Ký cam kết", "Sign the pledge"),
        "sending" => ("Đang gửi…", "Sending…"),
        "thank_you" => (
            "Cảm ơn! Cam kết đã được ghi nhận.",
            "Thank you! Your pledge is recorded.",
        ),
        "already_signed" => (
            "Bạn đã ký cam kết này trước đây. Đây là biên nhận lần ký đầu.",
            "You already signed this pledge. Here is the receipt of the first signing.",
        ),
        "receipt_number" => ("Số biên nhận:", "Receipt number:"),
        "verify_qr" => ("Mã QR để kiểm tra cam kết", "QR code to verify the pledge"),
        "verify_link" => ("Kiểm tra cam kết", "Verify the pledge"),
        _ => ("?", "?"),
    };
    if lang == Lang::Vi { vi } else { en }
}

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
        let stored = crate::form::storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        if stored.as_deref() == Some("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    }

    pub fn store(self) {
        if let Some(s) = crate::form::storage() {
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
        "signing_period" => ("Thời gian ký:", "Signing period:"),
        "campaign_closed" => (
            "Đợt cam kết này hiện không mở để ký.",
            "This campaign is not open for signing now.",
        ),
        "not_saved" => (
            "Không gửi được và điện thoại không lưu lại được cam kết này. Vui lòng thử lại khi có mạng.",
            "Could not send, and this phone could not keep the pledge. Please try again when online.",
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
        "not_you" => (
            "Không phải hộ (người) của bạn đã ký? Nếu ai đó đã ký thay cho hộ hoặc số CCCD của bạn, bạn có thể khiếu nại: cam kết của bạn được ghi nhận bên cạnh, và công an phường, xã sẽ xem xét.",
            "Not your household (or you) who signed? If someone signed for your household or your CCCD number, you can contest it: your pledge is recorded beside it and the ward police will review both.",
        ),
        "contest" => ("Khiếu nại cam kết đã ký", "Contest the signed pledge"),
        "contested" => (
            "Cam kết của bạn đã được ghi nhận và đang chờ công an phường, xã xem xét cùng cam kết đã ký trước.",
            "Your pledge is recorded and waits for the ward police to review it beside the earlier one.",
        ),
        "kept_without_cccd" => (
            "Cam kết chưa gửi được đã được giữ trên máy, nhưng không giữ số CCCD (trang nhúng ở trang web khác không được lưu số này). Vui lòng nhập lại số CCCD rồi bấm Ký cam kết.",
            "Your unsent pledge was kept on this phone, but not your CCCD number (a form embedded in another site never stores it). Please enter the CCCD number again and sign.",
        ),
        "receipt_number" => ("Số biên nhận:", "Receipt number:"),
        "verify_qr" => ("Mã QR để kiểm tra cam kết", "QR code to verify the pledge"),
        "verify_link" => ("Kiểm tra cam kết", "Verify the pledge"),
        "use_location" => ("Dùng vị trí hiện tại của tôi", "Use my current location"),
        "locating" => ("Đang lấy vị trí…", "Finding your location…"),
        "location_taken" => ("Đã lấy vị trí", "Location added"),
        "location_failed" => (
            "Không lấy được vị trí; hãy ghi địa điểm bằng chữ.",
            "Could not get the location; please describe the place in words.",
        ),
        "forget_location" => ("Bỏ vị trí", "Remove the location"),
        "nav_tip" => ("Báo tin tố giác", "Report a crime"),
        "nav_follow" => ("Theo dõi tin báo", "Follow a report"),
        "choose" => ("— Chọn —", "— Choose —"),
        "province" => ("Tỉnh, thành phố", "Province"),
        "commune_search" => (
            "Xã, phường nơi xảy ra (gõ không dấu cũng được)",
            "Commune where it happened (diacritics optional)",
        ),
        "commune_chosen" => ("Đã chọn:", "Chosen:"),
        "tip_title" => ("Báo tin tố giác tội phạm", "Report a crime"),
        "tip_protection" => (
            "Bạn có thể báo tin mà không cần cho biết tên. Nội dung được mã hóa khi lưu trữ; hệ thống không lưu địa chỉ IP hay thông tin thiết bị của bạn; chỉ cán bộ công an phụ trách địa bàn được đọc, và mọi lần đọc đều được ghi nhật ký. Ảnh được xóa thông tin vị trí trước khi lưu.",
            "You can report without giving your name. The content is encrypted when stored; the system keeps no IP address or device details of yours; only the police officers in charge of the area can read it, and every reading is logged. Photos lose their location data before they are stored.",
        ),
        "tip_category" => ("Loại vụ việc", "What kind of matter"),
        "tip_description" => ("Sự việc xảy ra như thế nào", "What happened"),
        "tip_place" => (
            "Địa điểm cụ thể (số nhà, đường, thôn…)",
            "Exact place (house number, street, village…)",
        ),
        "tip_when" => ("Thời gian xảy ra (nếu biết)", "When it happened (if known)"),
        "tip_danger" => (
            "Có người đang gặp nguy hiểm đến tính mạng",
            "Someone's life is in danger now",
        ),
        "tip_photos" => (
            "Ảnh (tối đa 5, không bắt buộc)",
            "Photos (up to 5, optional)",
        ),
        "tip_leave_contact" => (
            "Tôi muốn để lại thông tin liên hệ (mặc định: ẩn danh)",
            "I want to leave contact details (default: anonymous)",
        ),
        "tip_contact_name" => ("Họ và tên", "Full name"),
        "tip_contact_phone" => ("Số điện thoại", "Phone number"),
        "tip_keep" => (
            "Nếu mất mạng, cho phép lưu tạm tin báo trên máy này để gửi sau (xóa ngay khi đã gửi)",
            "If the network fails, keep this report on this phone to send later (deleted once sent)",
        ),
        "tip_send" => ("Gửi tin báo", "Send the report"),
        "tip_saved" => (
            "Chưa gửi được; tin báo được lưu tạm trên máy và sẽ gửi khi có mạng.",
            "Not sent yet; the report is kept on this phone and will be sent when the network is back.",
        ),
        "tip_not_sent" => (
            "Chưa gửi được tin báo. Vui lòng thử lại khi có mạng.",
            "The report was not sent. Please try again when you are online.",
        ),
        "tip_received" => (
            "Đã tiếp nhận tin báo. Cảm ơn bạn!",
            "Your report was received. Thank you!",
        ),
        "tip_code_is" => ("Mã tiếp nhận của bạn:", "Your receipt code:"),
        "tip_code_once" => (
            "Mã này chỉ hiện một lần. Hãy chép lại hoặc chụp màn hình: chỉ với mã này bạn mới theo dõi được tin báo và trao đổi với cán bộ.",
            "This code is shown only once. Copy it or take a screenshot: only with it can you follow the report and talk with the officers.",
        ),
        "copy" => ("Sao chép mã", "Copy the code"),
        "copied" => ("Đã sao chép", "Copied"),
        "follow_link" => ("Theo dõi tin báo", "Follow the report"),
        "follow_title" => ("Theo dõi tin báo", "Follow a report"),
        "follow_code" => ("Mã tiếp nhận (20 ký tự)", "Receipt code (20 characters)"),
        "follow_open" => ("Xem tình trạng", "See the status"),
        "follow_thread" => ("Trao đổi với cán bộ", "Messages with the officers"),
        "follow_no_messages" => ("Chưa có tin nhắn.", "No messages yet."),
        "from_officer" => ("Cán bộ", "Officer"),
        "from_you" => ("Bạn", "You"),
        "photos_attached" => ("ảnh đính kèm", "photo(s) attached"),
        "follow_reply" => (
            "Bổ sung thông tin, trả lời cán bộ",
            "Add information or reply",
        ),
        "follow_send" => ("Gửi", "Send"),
        _ => ("?", "?"),
    };
    if lang == Lang::Vi { vi } else { en }
}

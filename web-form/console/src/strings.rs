//! Every string of the console, Vietnamese first and English second (the language choice is the
//! citizen form's, remembered in the same place).

use web_form::i18n::Lang;

/// The string `key` in `lang`.
pub fn s(lang: Lang, key: &str) -> &'static str {
    let (vi, en) = match key {
        "title" => ("Bàn làm việc cán bộ", "Officer console"),
        "switch_language" => ("Chuyển sang tiếng Anh", "Switch to Vietnamese"),
        "other_language" => ("English", "Tiếng Việt"),
        "sign_in" => ("Đăng nhập", "Sign in"),
        "signing_in" => ("Đang đăng nhập…", "Signing in…"),
        "username" => ("Tên đăng nhập", "Username"),
        "password" => ("Mật khẩu", "Password"),
        "sign_out" => ("Đăng xuất", "Sign out"),
        "session_note" => (
            "Phiên làm việc chỉ được giữ trong thẻ trình duyệt này và kết thúc khi đóng thẻ.",
            "The session is kept in this browser tab only and ends when the tab is closed.",
        ),
        "expired" => (
            "Phiên làm việc đã hết hạn; vui lòng đăng nhập lại.",
            "Your session has expired; please sign in again.",
        ),
        "network" => (
            "Không kết nối được máy chủ; vui lòng thử lại.",
            "Could not reach the server; please try again.",
        ),
        "required" => ("Bắt buộc", "Required"),
        "tips" => ("Tin báo, tố giác tội phạm", "Crime tips"),
        "open_tips" => ("Đang xử lý", "Open"),
        "due_soon" => ("Sắp đến hạn", "Due soon"),
        "overdue" => ("Quá hạn", "Overdue"),
        "mine" => ("Giao cho tôi", "Assigned to me"),
        "all" => ("Tất cả", "All"),
        "filter" => ("Lọc danh sách", "Filter the list"),
        "commune" => ("Xã, phường", "Commune"),
        "received" => ("Tiếp nhận", "Received"),
        "deadline" => ("Hạn giải quyết", "Decision deadline"),
        "status" => ("Trạng thái", "Status"),
        "category" => ("Loại", "Category"),
        "priority" => ("Mức ưu tiên", "Priority"),
        "none" => ("Không có tin báo nào.", "No tips."),
        "more" => ("Xem thêm", "Show more"),
        "loading" => ("Đang tải…", "Loading…"),
        "retry" => ("Thử lại", "Retry"),
        "refresh" => ("Làm mới", "Refresh"),
        "back" => ("← Danh sách", "← The list"),
        "open_tip" => ("Mở", "Open"),
        "by_commune" => ("Theo xã, phường", "By commune"),
        "on_time" => ("Trong hạn", "On time"),
        "stopped" => ("Đã quyết định", "Decided"),
        "extensions" => ("Số lần gia hạn", "Extensions"),
        "assigned" => ("Người xử lý", "Assigned to"),
        "assigned_me" => ("Tôi", "Me"),
        "assigned_other" => ("Cán bộ khác", "Another officer"),
        "unassigned" => ("Chưa giao", "Unassigned"),
        "read_audited" => (
            "Việc xem nội dung tin báo được ghi vào nhật ký (ai, khi nào, tin nào).",
            "Reading a tip's content is recorded in the audit log (who, when, which tip).",
        ),
        "content" => ("Nội dung", "Content"),
        "place" => ("Địa điểm", "Place"),
        "coordinates" => ("Tọa độ", "Coordinates"),
        "incident_at" => ("Thời gian xảy ra", "When it happened"),
        "reporter" => ("Người báo tin", "Reporter"),
        "anonymous" => ("Ẩn danh", "Anonymous"),
        "photos" => ("Ảnh", "Photos"),
        "photo" => ("Ảnh kèm theo", "Attached photo"),
        "purged" => (
            "Nội dung đã được xóa theo thời hạn lưu trữ.",
            "The content was purged after the retention period.",
        ),
        "merged_into" => ("Đã gộp vào tin", "Merged into tip"),
        "merged_from" => ("Các tin đã gộp vào tin này", "Tips merged into this one"),
        "thread" => (
            "Trao đổi với người báo tin và ghi chú nội bộ",
            "Thread with the reporter and internal notes",
        ),
        "from_reporter" => ("Người báo tin", "Reporter"),
        "from_officer" => (
            "Cán bộ (người báo tin thấy)",
            "Officer (the reporter sees it)",
        ),
        "note" => (
            "Ghi chú nội bộ (người báo tin không thấy)",
            "Internal note (never shown to the reporter)",
        ),
        "no_messages" => ("Chưa có trao đổi nào.", "No messages yet."),
        "reply" => ("Trả lời người báo tin", "Reply to the reporter"),
        "send_reply" => ("Gửi trả lời", "Send reply"),
        "add_note" => ("Ghi chú nội bộ", "Internal note"),
        "save_note" => ("Lưu ghi chú", "Save note"),
        "change_status" => ("Chuyển trạng thái", "Change status"),
        "new_status" => ("Trạng thái mới", "New status"),
        "choose" => ("— Chọn —", "— Choose —"),
        "reason" => ("Lý do", "Reason"),
        "merge_into" => ("Mã tin được gộp vào", "Id of the tip it duplicates"),
        "apply" => ("Xác nhận", "Confirm"),
        "no_transition" => (
            "Tin đã được quyết định; không còn bước xử lý tiếp theo.",
            "The tip is decided; there is no further step.",
        ),
        "extend" => (
            "Gia hạn thời hạn giải quyết",
            "Extend the decision deadline",
        ),
        "extend_hint" => (
            "Lần 1: đến 2 tháng kể từ ngày tiếp nhận; lần 2: đến 4 tháng (Điều 147 BLTTHS).",
            "First: to 2 months from receipt; second: to 4 months (BLTTHS art. 147).",
        ),
        "extend_none" => (
            "Đã gia hạn tối đa 2 lần.",
            "Already extended twice, the most the law allows.",
        ),
        "do_extend" => ("Gia hạn", "Extend"),
        "assign_me" => ("Nhận xử lý", "Take it"),
        "unassign" => ("Bỏ nhận xử lý", "Release it"),
        "set_priority" => ("Đổi mức ưu tiên", "Change priority"),
        "history" => ("Lịch sử xử lý", "History"),
        "done" => ("Đã lưu.", "Saved."),
        "by_me" => ("tôi", "me"),
        "by_reporter" => ("người báo tin", "the reporter"),
        "by_officer" => ("cán bộ", "an officer"),
        "not_found" => (
            "Không tìm thấy tin báo (hoặc tin không thuộc phạm vi của bạn).",
            "Tip not found (or outside your scope).",
        ),
        "role" => ("Vai trò", "Role"),
        _ => ("", ""),
    };
    debug_assert!(!vi.is_empty(), "missing console string {key}");
    if lang == Lang::Vi { vi } else { en }
}

/// A label pair from `shared` (enum labels) in `lang`.
pub fn pick(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Vi { vi } else { en }
}

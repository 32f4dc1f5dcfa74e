//! The rules of the procedure with their texts, and the numbers a province may correct.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

// ---------------------------------------------------------------------------------------------
// The rules and their texts
// ---------------------------------------------------------------------------------------------

/// A rule of the procedure with where it is written, shown beside a clock and in a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
}

macro_rules! rules {
    ($( $(#[$m:meta])* $name:ident = $id:literal, $vi:literal, $en:literal; )+) => {
        $( $(#[$m])* pub const $name: Rule = Rule { id: $id, vi: $vi, en: $en }; )+
        /// Every rule, for lookups by id and the table tests.
        pub const RULES: &[Rule] = &[$($name),+];
    };
}

rules! {
    /// TTLT 01/2017/TTLT-BCA-BQP-BTC-BNN&PTNT-VKSNDTC as amended by TTLT 01/2021 (in force
    /// 14/01/2022), applied in the police by TT 28/2020/TT-BCA art. 7: "tố giác, tin báo về hành vi
    /// phạm tội quả tang; … rất nghiêm trọng, đặc biệt nghiêm trọng hoặc được dư luận xã hội quan
    /// tâm chuyển cho Cơ quan điều tra có thẩm quyền trong thời hạn không quá 24 giờ kể từ khi tiếp
    /// nhận".
    TRANSFER_URGENT = "transfer_urgent",
        "Chuyển Cơ quan điều tra trong 24 giờ — TT 28/2020 Đ.7; TTLT 01/2021",
        "Transfer to the investigating body within 24 hours — TT 28/2020 art. 7; TTLT 01/2021";
    /// The same text: "đối với các xã ở vùng rừng núi xa xôi, hẻo lánh, hải đảo, điều kiện đi lại
    /// khó khăn thì thời hạn chuyển … không quá 48 giờ kể từ khi tiếp nhận".
    TRANSFER_REMOTE = "transfer_remote",
        "Xã vùng sâu, vùng xa, hải đảo: chuyển trong 48 giờ — TT 28/2020 Đ.7; TTLT 01/2021",
        "Remote commune: transfer within 48 hours — TT 28/2020 art. 7; TTLT 01/2021";
    /// The same text: "Đối với những vụ án ngoài trường hợp trên thì thời hạn kể từ khi tiếp nhận
    /// đến khi chuyển … không quá 7 ngày."
    TRANSFER_ORDINARY = "transfer_ordinary",
        "Chuyển Cơ quan điều tra trong 7 ngày — TT 28/2020 Đ.7; TTLT 01/2021",
        "Transfer to the investigating body within 7 days — TT 28/2020 art. 7; TTLT 01/2021";
    /// BLTTHS 2015 art. 147 cl. 1: "Trong thời hạn 20 ngày kể từ ngày nhận được tố giác, tin báo
    /// về tội phạm …, Cơ quan điều tra … phải kiểm tra, xác minh và ra một trong các quyết định".
    DECISION_20_DAYS = "decision_20_days",
        "Giải quyết trong 20 ngày kể từ ngày tiếp nhận — BLTTHS Đ.147 k.1",
        "Decide within 20 days of receipt — BLTTHS art. 147 cl. 1";
    /// Art. 147 cl. 2: "có nhiều tình tiết phức tạp hoặc phải kiểm tra, xác minh tại nhiều địa điểm
    /// thì thời hạn … có thể kéo dài nhưng không quá 2 tháng."
    COMPLEX_2_MONTHS = "complex_2_months",
        "Vụ việc phức tạp: kéo dài đến 2 tháng — BLTTHS Đ.147 k.2",
        "Complex case: up to 2 months — BLTTHS art. 147 cl. 2";
    /// Art. 147 cl. 2: "Viện trưởng Viện kiểm sát … có thể gia hạn một lần nhưng không quá 2
    /// tháng"; TTLT 01/2017 art. 11: counted from the end of the period it extends.
    PROCURACY_EXTENSION = "procuracy_extension",
        "VKS gia hạn một lần đến 2 tháng, tính từ khi hết thời hạn trước — BLTTHS Đ.147 k.2; TTLT 01/2017 Đ.11",
        "Procuracy extends once by up to 2 months from the end of the previous period — BLTTHS art. 147 cl. 2; TTLT 01/2017 art. 11";
    /// TTLT 01/2017 art. 11: the written request for an extension reaches the procuracy at least
    /// 5 days before the period ends.
    EXTENSION_REQUEST = "extension_request",
        "Đề nghị VKS gia hạn chậm nhất 5 ngày trước khi hết hạn — TTLT 01/2017 Đ.11",
        "Ask the procuracy for an extension at least 5 days before the end — TTLT 01/2017 art. 11";
    /// The point at which the handler reports the result before the last period ends; a working
    /// practice, not a text: a province setting (default 7 days).
    CLOSING_REPORT = "closing_report",
        "Báo cáo kết quả giải quyết trước khi hết hạn (mốc do tỉnh quy định, mặc định 7 ngày)",
        "Report the result before the end (a province's own point, 7 days by default)";
    /// BLTTHS art. 149: after "quyết định phục hồi giải quyết", the time limit runs again under
    /// art. 147 from the date of that decision.
    RESUME_NEW_PERIOD = "resume_new_period",
        "Phục hồi giải quyết: thời hạn tính lại từ ngày phục hồi — BLTTHS Đ.149",
        "Resumed: the period runs again from the date of resumption — BLTTHS art. 149";
    /// BLTTHS art. 145 cl. 3 as amended in 2021 (and art. 146): the commune police receive, make
    /// the record, do a preliminary check and transfer; they do not decide on a crime tip.
    COMMUNE_RECEIVES_AND_TRANSFERS = "commune_receives_and_transfers",
        "Công an xã tiếp nhận, kiểm tra sơ bộ và chuyển Cơ quan điều tra; không tự kết thúc tố giác về tội phạm — BLTTHS Đ.145 k.3 (sửa đổi 2021)",
        "Commune police receive, check and transfer; they do not close a crime tip themselves — BLTTHS art. 145 cl. 3 (amended 2021)";
    /// BLTTHS art. 37 as amended by the 2025 law (in force 1 July 2025): an investigator who is
    /// head or deputy head of a commune police unit, assigned by the head of the provincial
    /// investigating body, handles "tội ít nghiêm trọng, tội nghiêm trọng" in the commune.
    COMMUNE_HEAD_SCOPE = "commune_head_scope",
        "Trưởng/Phó Công an xã được phân công thụ lý tội ít nghiêm trọng, nghiêm trọng trên địa bàn — BLTTHS Đ.37 (sửa đổi 2025)",
        "An assigned commune police head handles less serious and serious crimes in the commune — BLTTHS art. 37 (amended 2025)";
    /// TT 28/2020/TT-BCA art. 7 cl. 2 point d: information that is not a crime is handed to the
    /// competent body (administrative violation, civil dispute) and the sender told.
    NOT_A_CRIME = "not_a_crime",
        "Không phải tội phạm: chuyển cơ quan có thẩm quyền xử lý, thông báo người báo tin — TT 28/2020 Đ.7 k.2 đ.d",
        "Not a crime: referred to the competent body and the sender told — TT 28/2020 art. 7 cl. 2(d)";
    /// BLTTHS art. 147 cl. 3 and art. 148: the handler decides to prosecute, not to prosecute, or
    /// to suspend; each a decision with its number, date and signer.
    DECISIONS = "decisions",
        "Quyết định khởi tố, không khởi tố hoặc tạm đình chỉ do cơ quan đang giải quyết ban hành — BLTTHS Đ.147 k.3, Đ.148",
        "Prosecution, non-prosecution or suspension is decided by the body handling the tip — BLTTHS art. 147 cl. 3, art. 148";
    /// The investigating body's clock starts when it receives the transferred file (art. 147
    /// cl. 1: "kể từ ngày nhận được").
    INVESTIGATOR_RECEIVES = "investigator_receives",
        "Cơ quan điều tra tiếp nhận hồ sơ chuyển đến; thời hạn tính từ ngày tiếp nhận — BLTTHS Đ.147 k.1",
        "The investigating body receives the file; its period runs from that day — BLTTHS art. 147 cl. 1";
    /// Merging a duplicate is bookkeeping, not a decision (both reports stay on the record).
    MERGE_DUPLICATE = "merge_duplicate",
        "Gộp tin báo trùng nội dung vào tin đang giải quyết",
        "Merge a duplicate into the tip being handled";
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The numbers of the procedure a province may correct (texts change); the defaults are the
/// texts' as researched for issue 17, each cited on its rule above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProcedureSettings {
    /// [`TRANSFER_URGENT`]
    pub transfer_urgent_hours: u32,
    /// [`TRANSFER_REMOTE`]
    pub transfer_remote_hours: u32,
    /// [`TRANSFER_ORDINARY`]
    pub transfer_days: u32,
    /// [`DECISION_20_DAYS`]
    pub decision_days: u32,
    /// [`COMPLEX_2_MONTHS`]
    pub complex_months: u32,
    /// [`PROCURACY_EXTENSION`]
    pub procuracy_months: u32,
    /// [`EXTENSION_REQUEST`]
    pub extension_request_days: u32,
    /// [`CLOSING_REPORT`]
    pub closing_report_days: u32,
    /// Minutes an urgent notice may stay unopened before it goes to the province.
    pub escalate_minutes: u32,
}

impl Default for ProcedureSettings {
    fn default() -> Self {
        Self {
            transfer_urgent_hours: 24,
            transfer_remote_hours: 48,
            transfer_days: 7,
            decision_days: 20,
            complex_months: 2,
            procuracy_months: 2,
            extension_request_days: 5,
            closing_report_days: 7,
            escalate_minutes: 15,
        }
    }
}

//! Notices of urgent tips: what the commune's officers see at once in the console, what reaches
//! the province when nobody opened the tip in time, and what a gateway (SMS, Zalo OA, e-mail)
//! delivers. A notice never carries a tip's content: a kind, a commune, a time.

use chrono::NaiveDateTime;

use crate::error::ValidationError;
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

crate::enums::labelled_enum! {
    /// Why a notice was sent.
    NoticeKind {
        /// a tip the reporter marked dangerous to life
        UrgentTip = "urgent_tip", "Tin báo khẩn mới", "New urgent tip";
        /// the commune's transfer limit ends within 24 hours
        TransferDue = "transfer_due", "Sắp hết hạn chuyển Cơ quan điều tra", "Transfer due within 24 hours";
        /// nobody of the commune opened an urgent tip in time
        Escalated = "escalated", "Chưa ai mở tin báo khẩn", "Urgent tip not opened in time";
    }
}

crate::enums::labelled_enum! {
    /// Who a notice is for.
    NoticeAudience {
        /// the commune's police on duty
        Commune = "commune", "Công an xã/phường", "Commune police";
        /// the province, when the commune did not open it
        Province = "province", "Cấp tỉnh", "Province";
    }
}

/// The words of a notice: the kind and the commune, never the tip's content.
pub fn notice_text(kind: NoticeKind, commune_name: &str) -> (String, String) {
    match kind {
        NoticeKind::UrgentTip => (
            format!("Có tin báo khẩn mới tại {commune_name}. Mở bàn làm việc cán bộ để xem."),
            format!("A new urgent tip in {commune_name}. Open the officer console to see it."),
        ),
        NoticeKind::TransferDue => (
            format!(
                "Một tin báo tại {commune_name} sắp hết hạn chuyển Cơ quan điều tra (dưới 24 giờ). Mở bàn làm việc cán bộ."
            ),
            format!(
                "A tip in {commune_name} is due for transfer within 24 hours. Open the officer console."
            ),
        ),
        NoticeKind::Escalated => (
            format!(
                "Tin báo khẩn tại {commune_name} chưa được cán bộ xã mở. Mở bàn làm việc cán bộ để đôn đốc."
            ),
            format!(
                "An urgent tip in {commune_name} has not been opened by the commune. Open the officer console."
            ),
        ),
    }
}

/// A notice as the console receives it (`GET /api/v1/notices`, and each event of the stream).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Notice {
    pub id: String,
    pub kind: NoticeKind,
    pub audience: NoticeAudience,
    /// The tip to open (the console is signed in; the gateway's copy has no id).
    pub tip_id: String,
    pub commune_code: String,
    pub commune_name: String,
    #[serde(with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
    /// When an officer of the commune opened the tip, if one has.
    #[serde(with = "crate::time::utc_opt")]
    pub opened_at: Option<NaiveDateTime>,
    pub message_vi: String,
    pub message_en: String,
}

/// What the outbox posts to the gateway: enough to send "a new urgent tip in phường X, open the
/// console" to the officers on duty, nothing about the tip itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GatewayNotice {
    /// Also sent as `Idempotency-Key`: a retried delivery is the same notice.
    pub id: String,
    pub kind: NoticeKind,
    pub audience: NoticeAudience,
    pub commune_code: String,
    pub message_vi: String,
    pub message_en: String,
    /// Where the officer opens the console.
    pub console_path: String,
}

/// A notice the gateway never took (`GET /api/v1/notices/dead-letters`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DeadLetter {
    pub id: String,
    pub kind: NoticeKind,
    pub commune_code: String,
    pub attempts: i32,
    #[serde(with = "crate::time::utc_opt")]
    pub dead_at: Option<NaiveDateTime>,
    /// The gateway's last answer (a status or a network error; never a notice's words).
    pub last_error: Option<String>,
}

/// `GET /api/v1/notices`: the notices after a cursor, and the cursor to ask with next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NoticePage {
    pub items: Vec<Notice>,
    pub next_cursor: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_names_the_commune_and_nothing_of_the_tip() {
        for &k in NoticeKind::ALL {
            let (vi, en) = notice_text(k, "Phường Phan Rang");
            assert!(vi.contains("Phường Phan Rang") && en.contains("Phường Phan Rang"));
            assert!(vi.contains("Mở bàn làm việc") && en.contains("Open the officer console"));
            assert_ne!(vi, en);
        }
    }
}

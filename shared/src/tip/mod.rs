//! Crime tips (tố giác, tin báo về tội phạm): the receipt code a reporter follows a tip with, the
//! intake request and its checks, the legal clock of BLTTHS 2015 art. 147, the small-count
//! suppression of statistics, and the wire types of the reporter and officer sides.

use serde::{Deserialize, Serialize};

use crate::TipStatus;
use crate::error::ValidationError;
use crate::pledge::{CODE_ALPHABET, parse_code};

// ---------------------------------------------------------------------------------------------
// Receipt code
// ---------------------------------------------------------------------------------------------

/// Characters of a receipt code: 20 from [`CODE_ALPHABET`] (31 symbols, no 0/O/1/I/L), about
/// 99 bits, read aloud in five groups of four.
pub const RECEIPT_CODE_LEN: usize = 20;

/// A tip's receipt code (mã tiếp nhận). Shown once to the reporter; the server keeps only its
/// hash. Typed in any case, with or without spaces and dashes.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceiptCode(String);

impl std::fmt::Debug for ReceiptCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A receipt code is a bearer secret: never printed whole.
        write!(f, "ReceiptCode(****-{})", &self.0[RECEIPT_CODE_LEN - 4..])
    }
}

impl ReceiptCode {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        parse_code(raw, RECEIPT_CODE_LEN, ValidationError::ReceiptCodeFormat).map(Self)
    }

    /// A uniformly random code from a source of random bytes (rejection sampling, no modulo
    /// bias).
    pub fn generate(mut next_byte: impl FnMut() -> u8) -> Self {
        let n = CODE_ALPHABET.len();
        let limit = (256 / n * n) as u8;
        let mut s = String::with_capacity(RECEIPT_CODE_LEN);
        while s.len() < RECEIPT_CODE_LEN {
            let b = next_byte();
            if b < limit {
                s.push(CODE_ALPHABET[b as usize % n] as char);
            }
        }
        Self(s)
    }

    /// The bare 20 characters (what is hashed).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `XXXX-XXXX-XXXX-XXXX-XXXX`, for reading aloud and copying.
    pub fn grouped(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        chars
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
    }
}

// ---------------------------------------------------------------------------------------------
// Priority
// ---------------------------------------------------------------------------------------------

crate::enums::labelled_enum! {
    /// Triage priority (mức độ ưu tiên); the queue lists `life_safety` first.
    TipPriority {
        /// nguy hiểm đến tính mạng
        LifeSafety = "life_safety", "Nguy hiểm đến tính mạng", "Danger to life";
        High = "high", "Khẩn", "High";
        Normal = "normal", "Bình thường", "Normal";
    }
}

impl TipPriority {
    /// Sort rank: 0 is handled first.
    pub fn rank(self) -> i32 {
        match self {
            TipPriority::LifeSafety => 0,
            TipPriority::High => 1,
            TipPriority::Normal => 2,
        }
    }

    pub fn from_rank(rank: i32) -> Self {
        match rank {
            0 => TipPriority::LifeSafety,
            1 => TipPriority::High,
            _ => TipPriority::Normal,
        }
    }
}

crate::enums::labelled_enum! {
    /// A message of a tip's thread: the reporter's, an officer's reply to them, or an internal
    /// note (ghi chú nội bộ) the reporter never sees.
    TipMessageKind {
        Reporter = "reporter", "Người báo tin", "Reporter";
        Officer = "officer", "Cán bộ trả lời", "Officer's reply";
        Note = "note", "Ghi chú nội bộ", "Internal note";
    }
}

crate::enums::labelled_enum! {
    /// One step of a tip's history.
    TipEventKind {
        Created = "created", "Tiếp nhận", "Received";
        Transition = "transition", "Chuyển trạng thái", "Status changed";
        /// another tip was merged into this one
        MergedFrom = "merged_from", "Gộp tin khác vào", "Another tip merged in";
        Assign = "assign", "Phân công", "Assigned";
        Priority = "priority", "Mức ưu tiên", "Priority";
        /// gia hạn
        Extend = "extend", "Gia hạn", "Deadline extended";
        Reporter = "reporter", "Người báo tin bổ sung", "Reporter added information";
        Officer = "officer", "Cán bộ trả lời", "Officer replied";
        Note = "note", "Ghi chú nội bộ", "Internal note";
    }
}

impl TipMessageKind {
    /// What the audit log records when an officer writes this kind; none for the reporter's.
    pub fn audit_action(self) -> Option<AuditAction> {
        match self {
            TipMessageKind::Reporter => None,
            TipMessageKind::Officer => Some(AuditAction::Officer),
            TipMessageKind::Note => Some(AuditAction::Note),
        }
    }
}

impl From<TipMessageKind> for TipEventKind {
    fn from(k: TipMessageKind) -> Self {
        match k {
            TipMessageKind::Reporter => TipEventKind::Reporter,
            TipMessageKind::Officer => TipEventKind::Officer,
            TipMessageKind::Note => TipEventKind::Note,
        }
    }
}

crate::enums::labelled_enum! {
    /// What an entry of the audit log (nhật ký truy cập) records: a read of a tip's content or a
    /// change to it.
    AuditAction {
        Read = "tip.read", "Xem nội dung", "Read the content";
        PhotoRead = "tip.photo.read", "Xem ảnh", "Viewed a photo";
        Transition = "tip.transition", "Chuyển trạng thái", "Changed the status";
        Merge = "tip.merge", "Gộp tin trùng", "Merged a duplicate";
        Assign = "tip.assign", "Giao xử lý", "Assigned";
        Priority = "tip.priority", "Đổi mức ưu tiên", "Changed the priority";
        Extend = "tip.extend", "Gia hạn", "Extended the deadline";
        Officer = "tip.officer", "Trả lời người báo tin", "Replied to the reporter";
        Note = "tip.note", "Ghi chú nội bộ", "Wrote an internal note";
    }
}

/// The reporter-facing wording of a status: plain words, nothing internal.
pub fn public_status(status: TipStatus) -> (&'static str, &'static str) {
    match status {
        TipStatus::Received => (
            "Đã tiếp nhận, đang chờ xử lý.",
            "Received, waiting to be handled.",
        ),
        TipStatus::Verifying => (
            "Đang được kiểm tra, xác minh.",
            "Being checked and verified.",
        ),
        TipStatus::Transferred => (
            "Đã chuyển đến cơ quan có thẩm quyền giải quyết.",
            "Passed to the competent authority.",
        ),
        TipStatus::Handling => (
            "Cơ quan có thẩm quyền đang giải quyết.",
            "The competent authority is handling it.",
        ),
        TipStatus::Suspended => (
            "Việc giải quyết tạm dừng theo quy định; sẽ tiếp tục khi có điều kiện.",
            "Handling is paused as the law allows; it will resume when it can.",
        ),
        TipStatus::Decided => (
            "Cơ quan có thẩm quyền đã ra quyết định giải quyết.",
            "The competent authority has made its decision.",
        ),
        TipStatus::NotCrime => (
            "Sự việc không phải tội phạm; đã được chuyển đến cơ quan có thẩm quyền xử lý.",
            "What you reported is not a crime; it was passed to the body that deals with it.",
        ),
        TipStatus::Resolved => ("Đã được giải quyết.", "Resolved."),
        TipStatus::Rejected => (
            "Đã xem xét; chưa đủ căn cứ để xử lý.",
            "Examined; there were not enough grounds to act.",
        ),
        TipStatus::Merged => (
            "Đang được xử lý cùng một tin báo khác có cùng nội dung.",
            "Handled together with another report of the same matter.",
        ),
    }
}

mod clock;
mod desk;
pub mod indicator;
mod intake;
pub mod notice;
pub mod procedure;
mod stats;

pub use clock::*;
pub use desk::*;
pub use intake::*;
pub use procedure::rule;
pub use stats::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldError;
    use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
    }

    /// The officer requests the console checks in the browser name the same fields the server
    /// names.
    #[test]
    fn officer_requests_name_their_fields() {
        let fields = |e: Vec<FieldError>| e.into_iter().map(|f| f.field).collect::<Vec<_>>();
        let p = |priority: &str, reason: Option<&str>| PriorityRequest {
            priority: priority.into(),
            reason: reason.map(String::from),
        };
        assert_eq!(
            p("high", Some("  Có vũ khí  ")).parse().ok(),
            Some((TipPriority::High, "Có vũ khí".to_string()))
        );
        assert_eq!(
            p("urgent", None).parse().map_err(fields),
            Err(vec!["priority".to_string(), "reason".to_string()])
        );
        let extend = ExtendRequest {
            reason: Some(" ".into()),
        };
        assert_eq!(
            extend.parse().map_err(fields),
            Err(vec!["reason".to_string()])
        );
        let text = |body: String| OfficerTextRequest { body }.parse().map_err(fields);
        assert_eq!(
            text("Cảm ơn bạn.".into()).ok().as_deref(),
            Some("Cảm ơn bạn.")
        );
        assert_eq!(text(String::new()), Err(vec!["body".to_string()]));
        assert_eq!(
            text("a".repeat(MESSAGE_MAX_CHARS + 1)),
            Err(vec!["body".to_string()])
        );
        assert!(text("a".repeat(MESSAGE_MAX_CHARS)).is_ok());
    }

    #[test]
    fn local_minute_parses_what_inputs_send_and_nothing_else() {
        let ok = |s: &str| parse_local_minute(s).ok();
        let at = |h, m| d(2026, 2, 28).and_hms_opt(h, m, 0);
        assert_eq!(ok("2026-02-28T07:05"), at(7, 5));
        assert_eq!(ok(" 2026-02-28T23:59:58 "), at(23, 59));
        assert_eq!(ok("2026-2-28T7:05"), at(7, 5));
        for bad in [
            "2026-02-29T10:00",
            "2026-02-28",
            "2026-02-28T24:00",
            "2026-02-28T10:60",
            "2026-02-28T10:00:60",
            "2026-02-28 10:00",
            "26-02-28T10:00",
            "2026-02-28T10:00:00:00",
            "2026-02-28T+1:00",
            "2026-02-28T10",
            "２026-02-28T10:00",
        ] {
            assert_eq!(
                parse_local_minute(bad),
                Err(ValidationError::DateFormat),
                "{bad}"
            );
        }
        assert_eq!(parse_local_minute("  "), Err(ValidationError::Required));
        assert_eq!(crate::pledge::parse_date("2024-02-29"), Ok(d(2024, 2, 29)));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-32",
            "24-01-01",
            "2024/01/01",
            "2024-01-01-",
        ] {
            assert_eq!(
                crate::pledge::parse_date(bad),
                Err(ValidationError::DateFormat),
                "{bad}"
            );
        }
    }

    #[test]
    fn receipt_code_has_80_bits_and_reads_in_groups() {
        let bits = RECEIPT_CODE_LEN as f64 * (CODE_ALPHABET.len() as f64).log2();
        assert!(bits >= 80.0, "{bits}");
        let mut i = 0u8;
        let c = ReceiptCode::generate(|| {
            i = i.wrapping_add(37);
            i
        });
        let g = c.grouped();
        assert_eq!(g.len(), 24);
        assert_eq!(g.matches('-').count(), 4);
        assert_eq!(ReceiptCode::parse(&g.to_lowercase()), Ok(c.clone()));
        assert_eq!(ReceiptCode::parse(&g.replace('-', " ")), Ok(c.clone()));
        assert!(!format!("{c:?}").contains(&c.as_str()[..8]));
        assert_eq!(
            ReceiptCode::parse("ABCD-EFGH-JKMN-PQRS-TUV0"),
            Err(ValidationError::ReceiptCodeFormat)
        );
        assert_eq!(
            ReceiptCode::parse("ABCD-EFGH"),
            Err(ValidationError::ReceiptCodeFormat)
        );
        assert_eq!(ReceiptCode::parse(" "), Err(ValidationError::Required));
    }

    #[test]
    fn receipt_generation_rejects_biased_bytes() {
        // 248..=255 would favour the first 8 symbols; they are skipped.
        let mut bytes = [
            255u8, 250, 248, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
        ]
        .into_iter();
        let c = ReceiptCode::generate(|| bytes.next().unwrap_or(0));
        assert_eq!(c.as_str(), "23456789ABCDEFGHJKMN");
    }

    #[test]
    fn clock_states() {
        let last = d(2026, 3, 23);
        let due = procedure::end_of_day_utc(last);
        let at = |day: u32, h: u32| d(2026, 3, day).and_hms_opt(h, 0, 0).expect("time");
        let state = |s, now| clock_state(s, Some(due), last, now);
        assert_eq!(state(TipStatus::Received, at(10, 3)), ClockState::OnTime);
        assert_eq!(state(TipStatus::Verifying, at(20, 3)), ClockState::DueSoon);
        assert_eq!(state(TipStatus::Handling, at(23, 16)), ClockState::DueSoon);
        // 17:00 UTC on the last day is 24:00 in Vietnam: the period has ended.
        assert_eq!(state(TipStatus::Handling, at(23, 17)), ClockState::DueSoon);
        assert_eq!(
            state(TipStatus::Handling, at(23, 17) + TimeDelta::minutes(1)),
            ClockState::Overdue
        );
        for stopped in [
            TipStatus::Transferred,
            TipStatus::Suspended,
            TipStatus::Decided,
        ] {
            assert_eq!(state(stopped, at(24, 3)), ClockState::Stopped);
        }
        assert_eq!(
            clock_state(TipStatus::Handling, None, last, at(1, 1)),
            ClockState::Stopped
        );
        // A transfer due in 20 hours is due soon though its day is not.
        let due = at(11, 5);
        assert_eq!(
            clock_state(TipStatus::Received, Some(due), d(2026, 3, 30), at(10, 9)),
            ClockState::DueSoon
        );
        let t = NaiveDate::from_ymd_opt(2026, 3, 23)
            .and_then(|x| x.and_hms_opt(17, 0, 0))
            .unwrap();
        assert_eq!(vn_date(t), d(2026, 3, 24));
    }

    #[test]
    fn suppression_table() {
        let shown = |v: &[u64]| {
            let (c, t) = suppress(v);
            (
                c.into_iter().map(|c| c.display).collect::<Vec<_>>(),
                t.display,
            )
        };
        assert_eq!(
            shown(&[7, 0, 12]),
            (vec!["7".into(), "0".into(), "12".into()], "19".into())
        );
        // One small cell: the smallest other non-zero cell is hidden too.
        assert_eq!(
            shown(&[3, 7, 12]),
            (vec!["< 5".into(), "< 5".into(), "12".into()], "22".into())
        );
        // One small cell and nothing else to hide: the total goes.
        assert_eq!(
            shown(&[4, 0]),
            (vec!["< 5".into(), "0".into()], "< 5".into())
        );
        assert_eq!(shown(&[3, 0, 0]).1, "< 5");
        assert_eq!(shown(&[2, 2, 9]).0, vec!["< 5", "< 5", "9"]);
        assert_eq!(shown(&[]), (vec![], "0".into()));
    }

    proptest! {
        #[test]
        fn suppression_never_shows_or_leaks_a_small_count(v in proptest::collection::vec(0u64..12, 0..10)) {
            let (cells, total) = suppress(&v);
            for c in cells.iter().chain(std::iter::once(&total)) {
                if let Some(n) = c.count {
                    prop_assert!(!(1..=4).contains(&n));
                    prop_assert_eq!(c.display.clone(), n.to_string());
                } else {
                    prop_assert_eq!(c.display.as_str(), SUPPRESSED);
                }
            }
            // With the total shown, a lone hidden cell would be total − shown: never.
            if total.count.is_some() {
                prop_assert_ne!(cells.iter().filter(|c| c.count.is_none()).count(), 1);
            }
        }

        #[test]
        fn receipt_parse_never_panics(s in ".{0,40}") {
            let _ = ReceiptCode::parse(&s);
        }
    }

    fn sample() -> TipRequest {
        TipRequest {
            category: "drugs".into(),
            description: "Có người bán ma túy ở đầu hẻm\nmỗi tối sau 22 giờ.".into(),
            commune_code: "22759".into(),
            anonymous: true,
            ..Default::default()
        }
    }

    fn now() -> NaiveDateTime {
        d(2026, 3, 2).and_hms_opt(15, 0, 0).unwrap()
    }

    #[test]
    fn tip_request_checks() {
        let t = sample().parse(now()).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(t.description.contains('\n'));
        assert_eq!(t.priority, TipPriority::Normal);
        assert!(t.contact.is_none());

        // Anonymous: contact details are dropped, whatever was sent.
        let mut r = sample();
        r.contact = Some(ContactRequest {
            name: Some("Nguyễn Văn A".into()),
            phone: Some("0912345678".into()),
        });
        assert!(r.parse(now()).is_ok_and(|t| t.contact.is_none()));
        // Not anonymous: a way to reach the reporter is required.
        r.anonymous = false;
        r.contact = None;
        let e = r.parse(now()).err().unwrap();
        assert_eq!(e[0].field, "contact.phone");

        let mut r = sample();
        r.incident_at = Some("2026-03-02T15:01".into());
        let e = r.parse(now()).err().unwrap();
        assert_eq!(e[0], ValidationError::DateInFuture.on("incident_at"));
        r.incident_at = Some("2026-03-02T14:59:31".into());
        assert_eq!(
            r.parse(now()).map(|t| t.incident_at),
            Ok(Some(d(2026, 3, 2).and_hms_opt(14, 59, 0).unwrap()))
        );

        let mut r = sample();
        r.latitude = Some(48.85);
        r.longitude = Some(2.35);
        let e = r.parse(now()).err().unwrap();
        assert_eq!(e.len(), 2);
        r.latitude = Some(11.56);
        r.longitude = Some(108.98);
        assert!(r.parse(now()).is_ok());

        let mut r = sample();
        r.photos = vec![
            PhotoUpload {
                data: "AAAA".into()
            };
            6
        ];
        assert_eq!(
            r.parse(now()).err().unwrap()[0],
            ValidationError::TooMany { max: 5 }.on("photos")
        );

        let mut r = sample();
        r.description = "ngắn".into();
        r.category = "spying".into();
        r.commune_code = "56".into();
        let fields: Vec<String> = r
            .parse(now())
            .err()
            .unwrap()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["category", "description", "commune_code"]);
    }

    #[test]
    fn old_transitions_map_to_steps_and_refuse_closing() {
        let r = |to: &str| TransitionRequest {
            to: to.into(),
            reason: Some("Đã xử lý".into()),
            merge_into: Some("t1".into()),
        };
        let step = |to: &str| r(to).to_step().map(|s| s.step);
        assert_eq!(step("verifying"), Ok("check".to_string()));
        assert_eq!(step("transferred"), Ok("transfer".to_string()));
        assert_eq!(step("merged"), Ok("merge".to_string()));
        for closed in ["resolved", "rejected"] {
            let e = r(closed).to_step().expect_err("refused");
            assert_eq!(e[0].field, "to");
            assert_eq!(e[0].error.code(), "step_not_allowed");
        }
        assert_eq!(r("done").to_step().expect_err("unknown")[0].field, "to");
    }
}

//! The legal clock of a tip (BLTTHS 2015 art. 147): decision deadlines on working days, the
//! extensions, and where a tip stands against them.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::TipStatus;

/// Days to decide on a tip (BLTTHS 2015 art. 147 cl. 1).
pub const DECISION_DAYS: u64 = 20;
/// Extensions allowed: the first to 2 months from receipt (cl. 2, complex cases), the second once
/// more by up to 2 months, 4 months in all.
pub const MAX_EXTENSIONS: u8 = 2;
/// A deadline this close (in days) or closer counts as due soon.
pub const DUE_SOON_DAYS: i64 = 3;
/// Vietnam's offset from UTC; deadlines are dates in Vietnam.
pub const VN_OFFSET_HOURS: i64 = 7;

/// The date in Vietnam at a UTC instant.
pub fn vn_date(utc: NaiveDateTime) -> NaiveDate {
    (utc + TimeDelta::hours(VN_OFFSET_HOURS)).date()
}

/// Saturdays, Sundays and the solar-calendar public holidays (1/1, 30/4, 1/5, 2/9). The lunar
/// holidays (Tết, Giỗ Tổ Hùng Vương) are not computed: pass them in `extra_holidays`.
pub fn is_day_off(d: NaiveDate, extra_holidays: &[NaiveDate]) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
        || matches!((d.month(), d.day()), (1, 1) | (4, 30) | (5, 1) | (9, 2))
        || extra_holidays.contains(&d)
}

/// The last day to decide on a tip received on `received_on` (a date in Vietnam) after
/// `extensions` extensions, or `None` beyond [`MAX_EXTENSIONS`].
///
/// Counting follows BLTTHS 2015 art. 134 cl. 1 (tính thời hạn): "Khi tính thời hạn theo ngày thì
/// thời hạn sẽ hết vào lúc 24 giờ ngày cuối cùng của thời hạn. Khi tính thời hạn theo tháng thì
/// thời hạn hết vào ngày trùng của tháng sau; nếu tháng đó không có ngày trùng thì thời hạn hết
/// vào ngày cuối cùng của tháng đó; nếu thời hạn hết vào ngày nghỉ thì ngày làm việc đầu tiên
/// tiếp theo được tính là ngày cuối cùng của thời hạn." So the 20 days start the day after
/// receipt and end at 24:00 of the 20th day even when it is a Saturday, a Sunday or a holiday
/// (the text moves only a period in months); a period in months ends on the same day number of
/// the month it reaches, or that month's last day (31 Dec + 2 months → 28/29 Feb), and moves to
/// the next working day when that is a day off. Both extensions count from receipt: 2 months,
/// then 4 months in all.
pub fn decision_deadline(
    received_on: NaiveDate,
    extensions: u8,
    extra_holidays: &[NaiveDate],
) -> Option<NaiveDate> {
    let months = match extensions {
        0 => return received_on.checked_add_days(chrono::Days::new(DECISION_DAYS)),
        1 => 2,
        2 => 4,
        _ => return None,
    };
    let mut d = received_on.checked_add_months(Months::new(months))?;
    while is_day_off(d, extra_holidays) {
        d = d.succ_opt()?;
    }
    Some(d)
}

/// Where an open tip stands against its deadline on `today` (Vietnam date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    OnTime,
    DueSoon,
    Overdue,
    /// Decided (transferred, resolved, rejected or merged): the clock has stopped.
    Stopped,
}

pub fn clock_state(status: TipStatus, deadline: NaiveDate, today: NaiveDate) -> ClockState {
    if status.is_closed() {
        ClockState::Stopped
    } else if today > deadline {
        ClockState::Overdue
    } else if (deadline - today).num_days() <= DUE_SOON_DAYS {
        ClockState::DueSoon
    } else {
        ClockState::OnTime
    }
}

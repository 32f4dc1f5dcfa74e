//! Days and dates of the legal clock: Vietnam's date at an instant, days off, and where a tip
//! stands against the clock of its period (the periods themselves: `procedure`).

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::TipStatus;

/// A deadline this close (in days) or closer counts as due soon.
pub const DUE_SOON_DAYS: i64 = 3;
/// Vietnam's offset from UTC; deadlines are dates in Vietnam.
pub const VN_OFFSET_HOURS: i64 = 7;

/// The date in Vietnam at a UTC instant.
pub fn vn_date(utc: NaiveDateTime) -> NaiveDate {
    (utc + TimeDelta::hours(VN_OFFSET_HOURS)).date()
}

/// Saturdays, Sundays and the solar-calendar public holidays (1/1, 30/4, 1/5, 2/9; Bộ luật Lao
/// động 2019 art. 112). The lunar holidays (Tết, Giỗ Tổ Hùng Vương), the second day of Quốc khánh
/// (1/9 or 3/9, fixed each year) and compensatory days are not computed: they come from the
/// province's yearly list (`procedure::ProvinceProcedure`) in `extra_holidays`.
pub fn is_day_off(d: NaiveDate, extra_holidays: &[NaiveDate]) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
        || matches!((d.month(), d.day()), (1, 1) | (4, 30) | (5, 1) | (9, 2))
        || extra_holidays.contains(&d)
}

/// Where an open tip stands against its deadline on `today` (Vietnam date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    OnTime,
    DueSoon,
    Overdue,
    /// Not in an open stage (transferred and waiting, suspended, closed): no clock runs.
    Stopped,
}

/// Where a tip in `status` whose period ends at `due_at` (UTC) on `last_day` (Vietnam) stands at
/// `now`: the clock runs only in the open stages; within [`DUE_SOON_DAYS`] days or 24 hours of
/// the end it is due soon.
pub fn clock_state(
    status: TipStatus,
    due_at: Option<NaiveDateTime>,
    last_day: NaiveDate,
    now: NaiveDateTime,
) -> ClockState {
    let Some(due_at) = due_at.filter(|_| TipStatus::OPEN.contains(&status)) else {
        return ClockState::Stopped;
    };
    if now > due_at {
        ClockState::Overdue
    } else if (last_day - vn_date(now)).num_days() <= DUE_SOON_DAYS
        || due_at - now <= TimeDelta::hours(24)
    {
        ClockState::DueSoon
    } else {
        ClockState::OnTime
    }
}

//! The clock of each period (BLTTHS art. 134 counting) and the warnings at its meaningful points.

use chrono::{Days, Months, NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::rules::*;
use super::steps::{TipPeriod, TransferClass};
use crate::error::ValidationError;
use crate::tip::{is_day_off, vn_date};

// ---------------------------------------------------------------------------------------------
// Clocks
// ---------------------------------------------------------------------------------------------

/// The clock of a tip's current period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub period: TipPeriod,
    /// The instant the period ends (UTC).
    pub due_at: NaiveDateTime,
    /// The period's last day in Vietnam.
    pub last_day: NaiveDate,
    pub rule: &'static Rule,
}

/// 24:00 in Vietnam at the end of `d`, as a UTC instant ("thời hạn sẽ hết vào lúc 24 giờ ngày
/// cuối cùng của thời hạn", BLTTHS art. 134 cl. 1).
pub fn end_of_day_utc(d: NaiveDate) -> NaiveDateTime {
    (d + Days::new(1)).and_time(chrono::NaiveTime::MIN)
        - TimeDelta::hours(crate::tip::VN_OFFSET_HOURS)
}

/// A period in days from `start` (art. 134 cl. 1): it ends at 24:00 of its last day even when
/// that is a day off — the text moves only a period in months.
pub fn add_days(start: NaiveDate, days: u32) -> Option<NaiveDate> {
    start.checked_add_days(Days::new(u64::from(days)))
}

/// A period in months from `start` (art. 134 cl. 1): "thời hạn hết vào ngày trùng của tháng
/// sau; nếu tháng đó không có ngày trùng thì … ngày cuối cùng của tháng đó; nếu thời hạn hết
/// vào ngày nghỉ thì ngày làm việc đầu tiên tiếp theo được tính là ngày cuối cùng".
pub fn add_months(start: NaiveDate, months: u32, days_off: &[NaiveDate]) -> Option<NaiveDate> {
    let mut d = start.checked_add_months(Months::new(months))?;
    while is_day_off(d, days_off) {
        d = d.succ_opt()?;
    }
    Some(d)
}

fn day_clock(period: TipPeriod, last_day: NaiveDate, rule: &'static Rule) -> Clock {
    Clock {
        period,
        due_at: end_of_day_utc(last_day),
        last_day,
        rule,
    }
}

/// The commune's transfer clock, from the instant of receipt (UTC): 24 or 48 hours for the
/// urgent classes, otherwise 7 days counted as days.
pub fn transfer_clock(
    s: &ProcedureSettings,
    received_at: NaiveDateTime,
    class: TransferClass,
) -> Option<Clock> {
    let hours = match class {
        TransferClass::Urgent => s.transfer_urgent_hours,
        TransferClass::UrgentRemote => s.transfer_remote_hours,
        TransferClass::Ordinary => {
            let last = add_days(vn_date(received_at), s.transfer_days)?;
            return Some(day_clock(TipPeriod::Transfer, last, class.rule()));
        }
    };
    let due_at = received_at.checked_add_signed(TimeDelta::hours(i64::from(hours)))?;
    Some(Clock {
        period: TipPeriod::Transfer,
        due_at,
        last_day: vn_date(due_at),
        rule: class.rule(),
    })
}

/// The handler's first period: 20 days from its receipt, or from the decision to resume.
pub fn first_period(s: &ProcedureSettings, start: NaiveDate, resumed: bool) -> Option<Clock> {
    let rule = if resumed {
        &RESUME_NEW_PERIOD
    } else {
        &DECISION_20_DAYS
    };
    Some(day_clock(
        TipPeriod::First,
        add_days(start, s.decision_days)?,
        rule,
    ))
}

/// A complex case: up to 2 months from the handler's receipt (art. 147 cl. 2).
pub fn complex_period(
    s: &ProcedureSettings,
    start: NaiveDate,
    days_off: &[NaiveDate],
) -> Option<Clock> {
    Some(day_clock(
        TipPeriod::Complex,
        add_months(start, s.complex_months, days_off)?,
        &COMPLEX_2_MONTHS,
    ))
}

/// The procuracy's extension: up to 2 months from the end of the period it extends (TTLT
/// 01/2017 art. 11).
pub fn procuracy_period(
    s: &ProcedureSettings,
    previous_last_day: NaiveDate,
    days_off: &[NaiveDate],
) -> Option<Clock> {
    Some(day_clock(
        TipPeriod::Procuracy,
        add_months(previous_last_day, s.procuracy_months, days_off)?,
        &PROCURACY_EXTENSION,
    ))
}

crate::enums::labelled_enum! {
    /// A legally meaningful point a tip has reached.
    Warning {
        /// the transfer is due within 24 hours
        TransferDue = "transfer_due", "Sắp hết hạn chuyển Cơ quan điều tra", "Transfer due soon";
        /// the request to the procuracy must go now
        ExtensionRequestDue = "extension_request_due", "Đến hạn đề nghị VKS gia hạn", "Time to ask the procuracy for an extension";
        /// the result must be reported now
        ClosingReportDue = "closing_report_due", "Đến hạn báo cáo kết quả giải quyết", "Time to report the result";
        Overdue = "overdue", "Quá hạn", "Overdue";
    }
}

/// The warnings of a running clock at `now` (UTC).
pub fn warnings(s: &ProcedureSettings, c: &Clock, now: NaiveDateTime) -> Vec<Warning> {
    if now > c.due_at {
        return vec![Warning::Overdue];
    }
    let today = vn_date(now);
    let within = |days: u32| {
        c.last_day
            .checked_sub_days(Days::new(u64::from(days)))
            .is_none_or(|d| today >= d)
    };
    let mut w = Vec::new();
    match c.period {
        TipPeriod::Transfer => {
            if c.due_at - now <= TimeDelta::hours(24) {
                w.push(Warning::TransferDue);
            }
        }
        TipPeriod::First | TipPeriod::Complex => {
            if within(s.extension_request_days) {
                w.push(Warning::ExtensionRequestDue);
            }
            if within(s.closing_report_days) {
                w.push(Warning::ClosingReportDue);
            }
        }
        TipPeriod::Procuracy => {
            if within(s.closing_report_days) {
                w.push(Warning::ClosingReportDue);
            }
        }
    }
    w
}

//! A unit's annual report sent through the platform (báo cáo tổng kết năm, issue 19): the figures
//! the platform holds (the dashboard of the year, frozen when sent) and the figures the seeds ask
//! for that it does not hold, entered by the unit; the province sees who has sent, on time or
//! late, and who has not.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::error::{Errors, FieldError, ValidationError};
use crate::plan::Dashboard;

crate::enums::labelled_enum! {
    /// A figure of the annual report the unit enters itself.
    EnteredFigure {
        /// người có uy tín (seed 004 item 2)
        PeopleOfStanding = "people_of_standing", "Người có uy tín tham gia phong trào", "People of standing taking part";
        /// người chấp hành xong án phạt tù được giúp đỡ tái hòa nhập (seed 000 §II.4)
        Reintegrated = "reintegrated", "Người chấp hành xong án phạt tù được giúp đỡ tái hòa nhập cộng đồng", "People helped back into the community after prison";
        /// vũ khí, vật liệu nổ, công cụ hỗ trợ giao nộp, thu hồi (seed 000 §II.4, seed 004 item 2)
        WeaponsHandedIn = "weapons_handed_in", "Vũ khí, vật liệu nổ, công cụ hỗ trợ được giao nộp, thu hồi", "Weapons, explosives and support tools handed in";
        /// đối tượng ra đầu thú (seed 000 §II.4, seed 004 item 2)
        Surrenders = "surrenders", "Đối tượng được vận động ra đầu thú", "People persuaded to surrender";
    }
}

impl EnteredFigure {
    /// The seed text that asks for the figure.
    pub fn source(self) -> &'static str {
        match self {
            EnteredFigure::PeopleOfStanding => {
                "Seed 004 item 2: «phát huy vai trò người có uy tín trong đồng bào dân tộc thiểu số, \
                 trong tôn giáo và trong công tác vận động quần chúng»."
            }
            EnteredFigure::Reintegrated => {
                "Seed 000 §II.4: «tham gia cảm hóa, giáo dục, giúp đỡ người chấp hành xong án phạt \
                 tù tái hòa nhập cộng đồng»."
            }
            EnteredFigure::WeaponsHandedIn => {
                "Seed 000 §II.4: «tự giác giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ»; seed 004 \
                 item 2: «thu hồi vũ khí, vật liệu nổ, công cụ hỗ trợ»."
            }
            EnteredFigure::Surrenders => {
                "Seed 000 §II.4 and seed 004 item 2: «vận động đối tượng ra đầu thú»."
            }
        }
    }
}

/// The most a figure may be (a unit's count of a year).
pub const FIGURE_MAX: i64 = 10_000_000;

/// One entered figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FigureValue {
    pub figure: EnteredFigure,
    pub value: i64,
}

/// `POST /api/v1/units/{code}/annual-reports`: the unit sends its report of `year`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AnnualReportRequest {
    pub year: i32,
    /// Every [`EnteredFigure`] once (0 when there was none).
    pub figures: Vec<FigureValue>,
    /// What the unit adds in words (at most 2,000 characters).
    #[serde(default)]
    pub note: Option<String>,
}

/// The longest note.
pub const NOTE_MAX: usize = 2000;

impl AnnualReportRequest {
    /// Every figure once, none negative or absurd, a note of reasonable length; each fault named
    /// on its field (`figures.people_of_standing`, `note`).
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::new();
        for f in EnteredFigure::ALL {
            let field = format!("figures.{}", f.as_str());
            let values: Vec<i64> = self
                .figures
                .iter()
                .filter(|v| v.figure == *f)
                .map(|v| v.value)
                .collect();
            match values.as_slice() {
                [] => e.push(ValidationError::Required.on(field)),
                [v] if *v < 0 || *v > FIGURE_MAX => e.push(
                    ValidationError::OutOfRange {
                        min: 0,
                        max: FIGURE_MAX,
                    }
                    .on(field),
                ),
                [_] => {}
                _ => e.push(ValidationError::Duplicate.on(field)),
            }
        }
        if let Some(n) = &self.note
            && n.chars().count() > NOTE_MAX
        {
            e.push(ValidationError::TooLong { max: NOTE_MAX }.on("note"));
        }
        e.into_result()
    }
}

crate::enums::labelled_enum! {
    /// Where a unit stands with a report on a day.
    SubmissionState {
        OnTime = "on_time", "Đã gửi đúng hạn", "Sent on time";
        Late = "late", "Gửi muộn", "Sent late";
        Overdue = "overdue", "Quá hạn, chưa gửi", "Overdue, not sent";
        NotYet = "not_yet", "Chưa gửi (còn hạn)", "Not sent yet (before its day)";
    }
}

/// A unit's state with a report due on `due_on`, first sent on `first_sent_on` (Vietnam's day),
/// on `today`. The due day itself is on time: seed 002 §IV.1 writes «trước ngày 15/11», which we
/// read as "by 15/11" like the calendar shows it; a province that reads it strictly sets its due
/// day to 14/11 (`PUT /provinces/{code}/calendar`). A report corrected later keeps the state of
/// its first sending.
pub fn submission_state(
    due_on: NaiveDate,
    first_sent_on: Option<NaiveDate>,
    today: NaiveDate,
) -> SubmissionState {
    match first_sent_on {
        Some(d) if d <= due_on => SubmissionState::OnTime,
        Some(_) => SubmissionState::Late,
        None if today > due_on => SubmissionState::Overdue,
        None => SubmissionState::NotYet,
    }
}

/// A report as sent: the dashboard of the year frozen at sending and the entered figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AnnualReport {
    pub id: String,
    pub unit_code: String,
    pub unit_name: String,
    pub year: i32,
    /// 1 for the first sending, then each correction.
    pub version: i32,
    pub sent_at: NaiveDateTime,
    pub due_on: NaiveDate,
    /// The state of the unit's first sending.
    pub state: SubmissionState,
    pub figures: Vec<FigureValue>,
    pub note: Option<String>,
    pub dashboard: Dashboard,
}

/// One unit on the province's board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SubmissionLine {
    pub unit_code: String,
    pub unit_name: String,
    pub state: SubmissionState,
    pub first_sent_at: Option<NaiveDateTime>,
    /// The latest version, to open.
    pub latest_id: Option<String>,
    pub versions: i64,
}

/// `GET /api/v1/provinces/{code}/annual-reports?year=…`: who has sent, on time or late, and who
/// has not, for the communes of the province.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SubmissionBoard {
    pub province_code: String,
    pub year: i32,
    pub due_on: NaiveDate,
    pub lines: Vec<SubmissionLine>,
}

/// One sending of a unit's annual report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SentVersion {
    pub id: String,
    pub version: i32,
    pub sent_at: NaiveDateTime,
}

/// `GET /api/v1/units/{code}/annual-reports?year=…`: what a commune has sent for a year, for its
/// police to see (and the province's officers): each version, and the state the first decides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UnitSubmissions {
    pub unit_code: String,
    pub unit_name: String,
    pub year: i32,
    pub due_on: NaiveDate,
    pub state: SubmissionState,
    /// Oldest first.
    pub versions: Vec<SentVersion>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    /// Seed 002 §IV.1: «Báo cáo tổng kết hằng năm gửi về Thường trực Ban Chỉ đạo tỉnh … trước
    /// ngày 15/11».
    #[test]
    fn a_report_due_on_15_november() {
        use SubmissionState::*;
        let due = d(11, 15);
        for (sent, today, want) in [
            (Some(d(11, 10)), d(12, 1), OnTime),
            (Some(d(11, 15)), d(12, 1), OnTime),
            (Some(d(11, 16)), d(12, 1), Late),
            (None, d(11, 15), NotYet),
            (None, d(11, 16), Overdue),
        ] {
            assert_eq!(submission_state(due, sent, today), want, "{sent:?} {today}");
        }
    }

    fn all_figures() -> Vec<FigureValue> {
        EnteredFigure::ALL
            .iter()
            .map(|f| FigureValue {
                figure: *f,
                value: 0,
            })
            .collect()
    }

    #[test]
    fn every_figure_once_and_in_range() {
        let ok = AnnualReportRequest {
            year: 2026,
            figures: all_figures(),
            note: None,
        };
        assert_eq!(ok.check(), Ok(()));
        let mut bad = ok.clone();
        bad.figures.remove(0);
        bad.figures[0].value = -1;
        bad.figures.push(bad.figures[1]);
        bad.note = Some("x".repeat(NOTE_MAX + 1));
        let fields: Vec<String> = bad
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "figures.people_of_standing",
                "figures.reintegrated",
                "figures.weapons_handed_in",
                "note"
            ]
        );
    }
}

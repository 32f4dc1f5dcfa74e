//! The reporting year (issue 19): the deadlines the seed plans and TT 124 give, each with who
//! sends what to whom and the text it comes from. Every date is a province setting with the
//! researched default, since each province's plan fixes its own days.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::error::{Errors, FieldError, ValidationError};

crate::enums::labelled_enum! {
    /// One step of the reporting year.
    ReportingStep {
        /// đăng ký thi đua, đăng ký đạt tiêu chuẩn «An toàn về ANTT»
        Registration = "registration", "Đăng ký thi đua, đăng ký đạt tiêu chuẩn «An toàn về ANTT»", "Emulation registration and registration for the «safe» standard";
        /// sơ kết của đơn vị (quý IV)
        UnitReview = "unit_review", "Sơ kết phong trào tại đơn vị, địa phương", "Units' review of the year";
        /// báo cáo tổng kết hằng năm của đơn vị
        UnitAnnualReport = "unit_annual_report", "Báo cáo tổng kết năm của đơn vị, địa phương", "Units' annual report";
        /// xét, công nhận đạt tiêu chuẩn «An toàn về ANTT»
        Recognition = "recognition", "Xét, công nhận đạt tiêu chuẩn «An toàn về ANTT»", "Recognition as «safe»";
        /// báo cáo kết quả của tỉnh
        ProvinceAnnualReport = "province_annual_report", "Báo cáo kết quả của Công an tỉnh lên UBND tỉnh", "The province police's report to the People's Committee";
        /// phân loại phong trào
        Classification = "classification", "Phân loại phong trào toàn dân bảo vệ ANTQ", "Classification of the movement";
        /// sơ kết năm của tỉnh (quý I năm sau)
        ProvinceReview = "province_review", "UBND tỉnh sơ kết phong trào (quý I năm sau)", "The province's review (quarter I of the next year)";
    }
}

/// A day of the year (day, month), as a plan writes "trước ngày 15/11".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DayMonth {
    pub day: u32,
    pub month: u32,
}

const fn dm(day: u32, month: u32) -> DayMonth {
    DayMonth { day, month }
}

impl DayMonth {
    /// Reads "15/11" (day/month, as a plan writes it); a day no year has is refused.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let (d, m) = s
            .trim()
            .split_once('/')
            .ok_or(ValidationError::DateFormat)?;
        let (day, month) = (
            d.trim().parse().map_err(|_| ValidationError::DateFormat)?,
            m.trim().parse().map_err(|_| ValidationError::DateFormat)?,
        );
        let dm = DayMonth { day, month };
        // A leap year holds every real day.
        dm.in_year(2028)
            .map(|_| dm)
            .ok_or(ValidationError::DateFormat)
    }

    /// "15/11".
    pub fn text(self) -> String {
        format!("{:02}/{:02}", self.day, self.month)
    }

    /// This day in `year` (29/2 falls back to 28/2 in a common year).
    pub fn in_year(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day).or_else(|| {
            (self.month == 2 && self.day == 29)
                .then(|| NaiveDate::from_ymd_opt(year, 2, 28))
                .flatten()
        })
    }
}

/// One step's window: it opens (if it has an opening) and is due; `next_year` for the steps of
/// the year after (the province's review in quarter I).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StepDates {
    pub step: ReportingStep,
    pub opens: Option<DayMonth>,
    pub due: DayMonth,
    pub next_year: bool,
}

/// A province's reporting calendar: its dates for each step (`GET`/`PUT
/// /api/v1/provinces/{code}/calendar`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CalendarSettings {
    pub steps: Vec<StepDates>,
}

/// Who sends to whom at a step, and where the default date comes from.
struct StepText {
    step: ReportingStep,
    from_vi: &'static str,
    from_en: &'static str,
    to_vi: &'static str,
    to_en: &'static str,
    source: &'static str,
}

const TEXTS: [StepText; 7] = [
    StepText {
        step: ReportingStep::Registration,
        from_vi: "Cơ quan, đơn vị, địa phương",
        from_en: "Agencies, units and communes",
        to_vi: "Công an tỉnh (Cơ quan Thường trực Ban Chỉ đạo tỉnh)",
        to_en: "The province police (standing office of the steering committee)",
        source: "Seed 000 §IV.1: «gửi đăng ký thi về Công an tỉnh (Cơ quan Thường trực Ban Chỉ đạo \
                 tỉnh) trước ngày 25/5/2021» (the plan's first year); seed 003: «danh hiệu thi đua \
                 đã đăng ký đầu năm». Default: quarter I (31/3), a province setting.",
    },
    StepText {
        step: ReportingStep::UnitReview,
        from_vi: "Cơ quan, đơn vị, địa phương thuộc khối thi đua",
        from_en: "Agencies, units and communes of the emulation blocks",
        to_vi: "Tại đơn vị (biểu dương, đề xuất khen thưởng)",
        to_en: "Within the unit (commendations, award proposals)",
        source: "Seed 000 §IV.2: «tiến hành sơ kết vào quý IV hàng năm».",
    },
    StepText {
        step: ReportingStep::UnitAnnualReport,
        from_vi: "Sở, ban, ngành; UBND, Công an cấp xã",
        from_en: "Departments; commune People's Committees and police",
        to_vi: "Thường trực Ban Chỉ đạo tỉnh (Phòng Xây dựng phong trào bảo vệ ANTQ — Công an tỉnh)",
        to_en: "The steering committee's standing office (the province police's movement office)",
        source: "Seed 002 §IV.1: «Báo cáo tổng kết hằng năm gửi về Thường trực Ban Chỉ đạo tỉnh … \
                 trước ngày 15/11».",
    },
    StepText {
        step: ReportingStep::Recognition,
        from_vi: "Chủ tịch UBND cấp xã; thủ trưởng cơ quan có thẩm quyền",
        from_en: "The commune chairman; the competent heads",
        to_vi: "Khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục được công nhận",
        to_en: "The residential areas, agencies, enterprises and schools recognised",
        source: "TT 124/2021/TT-BCA (recognition each year before the annual report). Default \
                 15/11–20/11 from the issue's research, not verified against the article here: a \
                 province setting.",
    },
    StepText {
        step: ReportingStep::ProvinceAnnualReport,
        from_vi: "Công an tỉnh (Cơ quan Thường trực Ban Chỉ đạo)",
        from_en: "The province police (standing office)",
        to_vi: "UBND tỉnh",
        to_en: "The province People's Committee",
        source: "Seed 002 §IV.2: «tổng hợp tình hình, báo cáo kết quả về UBND tỉnh trước ngày \
                 20/11 hằng năm».",
    },
    StepText {
        step: ReportingStep::Classification,
        from_vi: "Công an tỉnh",
        from_en: "The province police",
        to_vi: "Bộ Công an (Cục Xây dựng phong trào bảo vệ ANTQ)",
        to_en: "The ministry (movement department)",
        source: "Default 20/11–30/11 from the issue's research, not verified against a text here: \
                 a province setting.",
    },
    StepText {
        step: ReportingStep::ProvinceReview,
        from_vi: "UBND tỉnh",
        from_en: "The province People's Committee",
        to_vi: "Toàn tỉnh (sơ kết, khen thưởng)",
        to_en: "The whole province (review, awards)",
        source: "Seed 000 §IV.2: «Ủy ban nhân dân tỉnh tổ chức sơ kết … hằng năm vào quý I năm \
                 tiếp theo».",
    },
];

impl Default for CalendarSettings {
    fn default() -> Self {
        let s = |step, opens, due, next_year| StepDates {
            step,
            opens,
            due,
            next_year,
        };
        CalendarSettings {
            steps: vec![
                s(
                    ReportingStep::Registration,
                    Some(dm(1, 1)),
                    dm(31, 3),
                    false,
                ),
                s(
                    ReportingStep::UnitReview,
                    Some(dm(1, 10)),
                    dm(31, 12),
                    false,
                ),
                s(ReportingStep::UnitAnnualReport, None, dm(15, 11), false),
                s(
                    ReportingStep::Recognition,
                    Some(dm(15, 11)),
                    dm(20, 11),
                    false,
                ),
                s(ReportingStep::ProvinceAnnualReport, None, dm(20, 11), false),
                s(
                    ReportingStep::Classification,
                    Some(dm(20, 11)),
                    dm(30, 11),
                    false,
                ),
                s(
                    ReportingStep::ProvinceReview,
                    Some(dm(1, 1)),
                    dm(31, 3),
                    true,
                ),
            ],
        }
    }
}

impl CalendarSettings {
    /// The day `step` of the reporting year `year` is due (in the next year for the steps of
    /// quarter I after it); `None` when the settings lack the step (checked settings never do).
    pub fn due_on(&self, step: ReportingStep, year: i32) -> Option<NaiveDate> {
        let s = self.steps.iter().find(|s| s.step == step)?;
        s.due.in_year(if s.next_year { year + 1 } else { year })
    }

    /// Checks a province's calendar: every step once, real days, an opening before its due day.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::new();
        for step in ReportingStep::ALL {
            if !self.steps.iter().any(|s| s.step == *step) {
                e.push(ValidationError::Required.on(format!("steps.{}", step.as_str())));
            }
        }
        for (i, s) in self.steps.iter().enumerate() {
            let f = |n: &str| format!("steps.{i}.{n}");
            if self.steps[..i].iter().any(|t| t.step == s.step) {
                e.push(ValidationError::Duplicate.on(f("step")));
            }
            // A leap year holds every real day.
            let real = |d: DayMonth| d.in_year(2028).is_some();
            if !real(s.due) {
                e.push(ValidationError::DateFormat.on(f("due")));
            }
            match s.opens {
                Some(o) if !real(o) => e.push(ValidationError::DateFormat.on(f("opens"))),
                Some(o) if (o.month, o.day) > (s.due.month, s.due.day) => {
                    e.push(ValidationError::EndBeforeStart.on(f("due")));
                }
                _ => {}
            }
        }
        e.into_result()
    }
}

crate::enums::labelled_enum! {
    /// Where a step stands on a day.
    StepState {
        Upcoming = "upcoming", "Sắp tới", "Upcoming";
        Open = "open", "Đang trong thời hạn", "Open now";
        Past = "past", "Đã qua hạn", "Past its day";
    }
}

/// One step of a year's calendar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CalendarEntry {
    pub step: ReportingStep,
    pub label_vi: String,
    pub label_en: String,
    pub opens_on: Option<NaiveDate>,
    pub due_on: NaiveDate,
    pub from_vi: String,
    pub from_en: String,
    pub to_vi: String,
    pub to_en: String,
    /// The text the default date comes from.
    pub source: String,
    pub state: StepState,
}

/// `GET /api/v1/calendar?unit=…&year=…`: the province's reporting year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReportingCalendar {
    pub province_code: String,
    pub year: i32,
    pub entries: Vec<CalendarEntry>,
}

/// The steps of `year` under `settings`, by due day, each with its state on `today`.
pub fn calendar(settings: &CalendarSettings, year: i32, today: NaiveDate) -> Vec<CalendarEntry> {
    let mut out: Vec<CalendarEntry> = settings
        .steps
        .iter()
        .filter_map(|s| {
            let y = if s.next_year { year + 1 } else { year };
            let due_on = s.due.in_year(y)?;
            let opens_on = s.opens.and_then(|o| o.in_year(y));
            let t = TEXTS.iter().find(|t| t.step == s.step)?;
            let state = if today > due_on {
                StepState::Past
            } else if opens_on.is_none_or(|o| today >= o) {
                StepState::Open
            } else {
                StepState::Upcoming
            };
            Some(CalendarEntry {
                step: s.step,
                label_vi: s.step.label_vi().into(),
                label_en: s.step.label_en().into(),
                opens_on,
                due_on,
                from_vi: t.from_vi.into(),
                from_en: t.from_en.into(),
                to_vi: t.to_vi.into(),
                to_en: t.to_en.into(),
                source: t.source.into(),
                state,
            })
        })
        .collect();
    out.sort_by_key(|e| (e.due_on, e.step));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_read_as_plans_write_them() {
        for (text, ok) in [
            ("15/11", Some(dm(15, 11))),
            (" 1/4 ", Some(dm(1, 4))),
            ("29/2", Some(dm(29, 2))),
            ("31/2", None),
            ("15-11", None),
            ("ngày 15", None),
            ("0/1", None),
        ] {
            assert_eq!(DayMonth::parse(text).ok(), ok, "{text}");
        }
        assert_eq!(dm(5, 3).text(), "05/03");
    }

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_defaults_say_what_the_seeds_say() {
        let cal = calendar(&CalendarSettings::default(), 2026, d(2026, 11, 18));
        let due = |s: ReportingStep| {
            cal.iter()
                .find(|e| e.step == s)
                .map(|e| (e.due_on, e.state))
        };
        // Seed 002 §IV.1: "Báo cáo tổng kết hằng năm … trước ngày 15/11".
        assert_eq!(
            due(ReportingStep::UnitAnnualReport),
            Some((d(2026, 11, 15), StepState::Past))
        );
        // Seed 002 §IV.2: "báo cáo kết quả về UBND tỉnh trước ngày 20/11 hằng năm".
        assert_eq!(
            due(ReportingStep::ProvinceAnnualReport),
            Some((d(2026, 11, 20), StepState::Open))
        );
        // Seed 000 §IV.2: "sơ kết … hằng năm vào quý I năm tiếp theo".
        assert_eq!(
            due(ReportingStep::ProvinceReview),
            Some((d(2027, 3, 31), StepState::Upcoming))
        );
        assert_eq!(
            due(ReportingStep::Classification),
            Some((d(2026, 11, 30), StepState::Upcoming))
        );
        assert_eq!(cal.len(), ReportingStep::ALL.len());
        // In order of their days.
        assert!(cal.windows(2).all(|w| w[0].due_on <= w[1].due_on));
        assert!(cal.iter().all(|e| !e.source.is_empty()));
    }

    #[test]
    fn a_province_calendar_is_checked() {
        assert_eq!(CalendarSettings::default().check(), Ok(()));
        let mut bad = CalendarSettings::default();
        bad.steps[0].due = dm(31, 2);
        bad.steps[1].opens = Some(dm(1, 12));
        bad.steps[1].due = dm(30, 11);
        bad.steps.pop();
        let fields: Vec<String> = match bad.check() {
            Err(e) => e.into_iter().map(|f| f.field).collect(),
            Ok(()) => panic!("accepted"),
        };
        assert_eq!(
            fields,
            ["steps.province_review", "steps.0.due", "steps.1.due"]
        );
        // 29 February falls on the 28th in a common year.
        assert_eq!(dm(29, 2).in_year(2027), Some(d(2027, 2, 28)));
    }
}

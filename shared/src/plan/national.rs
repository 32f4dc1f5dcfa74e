//! The country at a glance, for the administrators of a national deployment: one row per
//! province, each the province's own dashboard row (`GET /dashboard/national`) or coverage line
//! (`GET /coverage/national`), and the country's total added up from them.
//!
//! Every current unit lies under exactly one current province, so the country's counts are the
//! sum of its provinces' (the same sum the province makes of its communes). The country has no
//! plan of its own (Plans are kept by the provinces: "Kế hoạch" of each seed), so its total is
//! not checked against targets; each province row carries its own plan's.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::festival::FestivalShare;
use super::{DashboardRow, GroupLine, Metric, PledgeLine, TipLine};
use crate::PledgeKind;
use crate::api::percent;
use crate::pledge::CoverageLine;

/// The country's figures: a [`DashboardRow`] without a unit or a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NationalTotal {
    pub groups: Vec<GroupLine>,
    pub pledges: Vec<PledgeLine>,
    pub tips_overdue: i64,
    pub tips: TipLine,
    pub festival: FestivalShare,
}

/// `GET /api/v1/dashboard/national?period=…`: every province's dashboard row and the country's
/// total. Built from every unit of the country, it is kept as a snapshot: `computed_at` says when
/// its figures were read, never more than `max_age_seconds` before the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NationalDashboard {
    pub period: i32,
    /// When the figures were read (UTC).
    #[serde(with = "crate::time::utc")]
    pub computed_at: NaiveDateTime,
    /// The oldest a snapshot is served (the server's `BVANTQ_NATIONAL_MAX_AGE_S`; 0: every answer
    /// is read afresh).
    pub max_age_seconds: u64,
    pub total: NationalTotal,
    /// One row per current province, by code.
    pub provinces: Vec<DashboardRow>,
}

/// `GET /api/v1/coverage/national?year=…&kind=…`: signed ÷ expected for the country and each
/// current province, from the provinces' counters (read live).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NationalCoverage {
    pub year: i32,
    pub kind: PledgeKind,
    pub signed: i64,
    pub expected: i64,
    /// signed ÷ expected × 100, one decimal; absent when nothing is expected.
    pub percent: Option<f64>,
    pub provinces: Vec<CoverageLine>,
}

impl NationalCoverage {
    /// The country's line added up from its provinces'.
    pub fn of(year: i32, kind: PledgeKind, provinces: Vec<CoverageLine>) -> Self {
        let signed = provinces.iter().map(|p| p.signed).sum();
        let expected = provinces.iter().map(|p| p.expected).sum();
        NationalCoverage {
            year,
            kind,
            signed,
            expected,
            percent: percent(signed, expected),
            provinces,
        }
    }
}

/// The country's total added up from its provinces' rows: counts summed group by group and
/// audience by audience (in the rows' order), and the percentages computed again from the sums —
/// never averaged.
pub fn total(rows: &[DashboardRow]) -> NationalTotal {
    let mut groups: Vec<GroupLine> = Vec::new();
    let mut pledges: Vec<PledgeLine> = Vec::new();
    let (mut tips_overdue, mut tips) = (0, TipLine::default());
    let (mut areas, mut held) = (0, 0);
    for r in rows {
        for g in &r.groups {
            match groups.iter_mut().find(|x| x.group == g.group) {
                Some(x) => x.counts.merge(&g.counts),
                None => groups.push(GroupLine {
                    group: g.group,
                    counts: g.counts.clone(),
                    safe_percent: None,
                }),
            }
        }
        for p in &r.pledges {
            match pledges.iter_mut().find(|x| x.audience == p.audience) {
                Some(x) => {
                    x.signed += p.signed;
                    x.expected += p.expected;
                }
                None => pledges.push(PledgeLine {
                    percent: None,
                    ..p.clone()
                }),
            }
        }
        tips_overdue += r.tips_overdue;
        tips.add(&r.tips);
        areas += r.festival.areas;
        held += r.festival.held;
    }
    for g in &mut groups {
        g.safe_percent = g.counts.metric(Metric::SafePercent);
    }
    for p in &mut pledges {
        p.percent = percent(p.signed, p.expected);
    }
    NationalTotal {
        groups,
        pledges,
        tips_overdue,
        tips,
        festival: FestivalShare::new(areas, held),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UnitKind;
    use crate::plan::{Group, GroupCounts};

    fn row(
        units: i64,
        safe: i64,
        signed: i64,
        expected: i64,
        areas: i64,
        held: i64,
    ) -> DashboardRow {
        DashboardRow {
            unit_code: "79".into(),
            unit_name: "Thành phố Hồ Chí Minh".into(),
            unit_kind: UnitKind::Province,
            groups: vec![GroupLine {
                group: Group::All,
                counts: GroupCounts {
                    units,
                    safe,
                    not_assessed: units - safe,
                    ..GroupCounts::default()
                },
                safe_percent: percent(safe, units),
            }],
            pledges: vec![PledgeLine {
                audience: Group::Household,
                signed,
                expected,
                percent: percent(signed, expected),
            }],
            tips_overdue: 1,
            tips: TipLine {
                received: 2,
                concluded: 2,
                on_time: 1,
                on_time_percent: percent(1, 2),
                ..TipLine::default()
            },
            festival: FestivalShare::new(areas, held),
            plan_id: None,
            targets: Vec::new(),
        }
    }

    /// The country's percentages are those of its sums, not the average of its provinces'.
    #[test]
    fn the_country_is_the_sum_of_its_provinces() {
        let t = total(&[row(3, 1, 1, 2, 4, 1), row(2, 2, 1, 8, 6, 5)]);
        let all = &t.groups[0];
        assert_eq!(
            (all.counts.units, all.counts.safe, all.counts.not_assessed),
            (5, 3, 2)
        );
        assert_eq!(all.safe_percent, Some(60.0));
        // 1/2 and 1/8: 2/10 = 20 %, not (50 + 12.5) / 2.
        let p = &t.pledges[0];
        assert_eq!((p.signed, p.expected, p.percent), (2, 10, Some(20.0)));
        assert_eq!(
            (t.tips_overdue, t.tips.received, t.tips.on_time_percent),
            (2, 4, Some(50.0))
        );
        assert_eq!(
            (t.festival.areas, t.festival.held, t.festival.percent),
            (10, 6, Some(60.0))
        );
        assert_eq!(total(&[]).groups, Vec::new());
    }

    #[test]
    fn national_coverage_adds_up_its_provinces() {
        let line = |code: &str, signed, expected| CoverageLine {
            unit_code: code.into(),
            name: code.into(),
            unit_kind: UnitKind::Province,
            signed,
            expected,
            percent: percent(signed, expected),
        };
        let c = NationalCoverage::of(
            2026,
            PledgeKind::Household,
            vec![line("56", 3, 4), line("79", 0, 0)],
        );
        assert_eq!((c.signed, c.expected, c.percent), (3, 4, Some(75.0)));
        let none = NationalCoverage::of(2026, PledgeKind::Household, Vec::new());
        assert_eq!(none.percent, None);
    }
}

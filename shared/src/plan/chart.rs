//! What the results pictures show, computed once for every place that draws them: the console
//! draws these as SVG, the PDF report as vector paths, so both show the same bars.

use crate::Classification;

use super::{DashboardRow, Group, GroupLine, Metric, TargetCheck};

/// One child unit's household pledge coverage against the plan's household target.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageBar {
    pub unit_name: String,
    /// 0–100.
    pub percent: f64,
    pub target: Option<f64>,
}

/// The children that have a household coverage figure, each with its own plan's target line.
pub fn coverage(children: &[DashboardRow]) -> Vec<CoverageBar> {
    children
        .iter()
        .filter_map(|c| {
            let p = c.pledges.iter().find(|p| p.audience == Group::Household)?;
            let target = c
                .targets
                .iter()
                .find(|t| t.metric == Metric::PledgePercent && t.group == Group::Household)
                .and_then(|t| t.target_min);
            Some(CoverageBar {
                unit_name: c.unit_name.clone(),
                percent: p.percent?,
                target,
            })
        })
        .collect()
}

/// The segments of a class bar, in drawing order; `None` is "not assessed".
pub const SEGMENTS: [Option<Classification>; 5] = [
    Some(Classification::XuatSac),
    Some(Classification::Kha),
    Some(Classification::TrungBinh),
    Some(Classification::Yeu),
    None,
];

/// A segment's name: its class, or "not assessed" (chưa đánh giá).
pub fn segment_label(seg: Option<Classification>, vietnamese: bool) -> &'static str {
    match (seg, vietnamese) {
        (Some(c), true) => c.label_vi(),
        (Some(c), false) => c.label_en(),
        (None, true) => "Chưa đánh giá",
        (None, false) => "Not assessed",
    }
}

/// One group of units as a stacked bar of its classes.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassBar {
    pub group: Group,
    pub units: i64,
    /// (segment, count, start 0–100, width 0–100), in [`SEGMENTS`] order.
    pub segments: Vec<(Option<Classification>, i64, f64, f64)>,
}

/// Each group with units (not the "all units" total) as a stacked bar.
pub fn classes(groups: &[GroupLine]) -> Vec<ClassBar> {
    groups
        .iter()
        .filter(|g| g.group != Group::All && g.counts.units > 0)
        .map(|g| {
            let total = g.counts.units as f64;
            let mut x = 0.0;
            let segments = SEGMENTS
                .iter()
                .map(|s| {
                    let n = match s {
                        Some(Classification::XuatSac) => g.counts.xuat_sac,
                        Some(Classification::Kha) => g.counts.kha,
                        Some(Classification::TrungBinh) => g.counts.trung_binh,
                        Some(Classification::Yeu) => g.counts.yeu,
                        None => g.counts.not_assessed,
                    };
                    let w = n as f64 * 100.0 / total;
                    let seg = (*s, n, x, w);
                    x += w;
                    seg
                })
                .collect();
            ClassBar {
                group: g.group,
                units: g.counts.units,
                segments,
            }
        })
        .collect()
}

/// The targets of a unit as checked in one year of its plan.
pub type YearTargets = (i32, Vec<TargetCheck>);

/// One percentage target over the plan's years: (year, figure, target line) per year read.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetSeries {
    pub label_vi: String,
    pub label_en: String,
    pub points: Vec<(i32, Option<f64>, Option<f64>)>,
}

/// The percentage targets of the first year read (a count such as "no unit weak", or a figure
/// entered by hand, is no bar), each with its figure in every year read.
pub fn over_years(years: &[YearTargets]) -> Vec<TargetSeries> {
    let Some((_, first)) = years.first() else {
        return Vec::new();
    };
    first
        .iter()
        .filter(|t| !matches!(t.metric, Metric::WeakCount | Metric::Manual))
        .map(|t| TargetSeries {
            label_vi: t.label_vi.clone(),
            label_en: t.label_en.clone(),
            points: years
                .iter()
                .map(|(y, checks)| {
                    let same = checks
                        .iter()
                        .find(|c| c.metric == t.metric && c.group == t.group);
                    (
                        *y,
                        same.and_then(|c| c.actual),
                        same.and_then(|c| c.target_min),
                    )
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::GroupCounts;

    #[test]
    fn class_segments_add_up_to_the_whole_bar() {
        let mut c = GroupCounts::default();
        c.add(Some((true, Classification::XuatSac)));
        c.add(Some((true, Classification::Kha)));
        c.add(Some((false, Classification::Yeu)));
        c.add(None);
        let groups = [
            GroupLine {
                group: Group::ResidentialArea,
                safe_percent: None,
                counts: c.clone(),
            },
            GroupLine {
                group: Group::All,
                safe_percent: None,
                counts: c,
            },
            GroupLine {
                group: Group::Commune,
                safe_percent: None,
                counts: GroupCounts::default(),
            },
        ];
        let bars = classes(&groups);
        // The total and the empty group draw no bar.
        assert_eq!(bars.len(), 1);
        let b = &bars[0];
        assert_eq!(b.units, 4);
        let counts: Vec<i64> = b.segments.iter().map(|s| s.1).collect();
        assert_eq!(counts, [1, 1, 0, 1, 1]);
        let (_, _, x, w) = b.segments[4];
        assert!((x + w - 100.0).abs() < 1e-9);
        assert!((b.segments[3].2 - 50.0).abs() < 1e-9);
    }

    #[test]
    fn a_year_without_the_target_has_no_figure() {
        let check = |actual, min| TargetCheck {
            seq: 0,
            metric: Metric::SafePercent,
            group: Group::Commune,
            label_vi: "vi".into(),
            label_en: "en".into(),
            target_min: min,
            target_max: None,
            actual,
            met: false,
        };
        let weak = TargetCheck {
            metric: Metric::WeakCount,
            ..check(Some(0.0), None)
        };
        let years = vec![
            (2026, vec![check(Some(80.0), Some(90.0)), weak]),
            (2027, vec![]),
        ];
        let s = over_years(&years);
        assert_eq!(s.len(), 1, "a count target is no bar");
        assert_eq!(
            s[0].points,
            vec![(2026, Some(80.0), Some(90.0)), (2027, None, None)]
        );
    }
}

//! Province plans and their targets (chỉ tiêu), as data, and the dashboard's wire types: each
//! figure beside its target with a met / not met flag. A province keeps its plans itself
//! (`versions`: drafts, publishing, a new version taking over from a period); the two seed plans
//! are imported as published history.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::UnitKind;

/// A group of units a target counts over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// khu dân cư
    ResidentialArea,
    /// xã, phường, đặc khu
    Commune,
    /// xã only (not phường, not đặc khu): the communes of the national new-rural programme,
    /// which must meet its criterion 19.2 (tiêu chí 19.2 Bộ tiêu chí quốc gia về xây dựng nông
    /// thôn mới) — see [`is_rural_commune`].
    RuralCommune,
    /// cơ quan, doanh nghiệp, nhà trường
    Organisation,
    /// every assessed unit
    All,
    /// pledge audiences
    Household,
    Student,
    Worker,
}

impl Group {
    pub const ALL: &'static [Group] = &[
        Group::Commune,
        Group::RuralCommune,
        Group::ResidentialArea,
        Group::Organisation,
        Group::All,
        Group::Household,
        Group::Student,
        Group::Worker,
    ];
    pub const WIRE_NAMES: &'static [&'static str] = &[
        "commune",
        "rural_commune",
        "residential_area",
        "organisation",
        "all",
        "household",
        "student",
        "worker",
    ];

    /// The wire name (as serde writes it).
    pub fn as_str(self) -> &'static str {
        match self {
            Group::ResidentialArea => "residential_area",
            Group::Commune => "commune",
            Group::RuralCommune => "rural_commune",
            Group::Organisation => "organisation",
            Group::All => "all",
            Group::Household => "household",
            Group::Student => "student",
            Group::Worker => "worker",
        }
    }

    pub fn parse(s: &str) -> Result<Self, crate::ValidationError> {
        Self::ALL
            .iter()
            .copied()
            .find(|g| g.as_str() == s.trim())
            .ok_or(crate::ValidationError::UnknownValue {
                allowed: Self::WIRE_NAMES,
            })
    }

    pub const UNIT_GROUPS: &'static [Group] = &[
        Group::ResidentialArea,
        Group::Commune,
        Group::RuralCommune,
        Group::Organisation,
        Group::All,
    ];

    /// Whether a unit of `kind` named `full_name` (its administrative name, "Xã Ninh Phước")
    /// counts in the group.
    pub fn contains(self, kind: UnitKind, full_name: &str) -> bool {
        match self {
            Group::ResidentialArea => kind == UnitKind::ResidentialArea,
            Group::Commune => kind == UnitKind::Commune,
            Group::RuralCommune => is_rural_commune(kind, full_name),
            Group::Organisation => {
                matches!(
                    kind,
                    UnitKind::Agency | UnitKind::Enterprise | UnitKind::School
                )
            }
            Group::All => crate::assessment::ASSESSED_KINDS.contains(&kind),
            _ => false,
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Group::ResidentialArea => "Khu dân cư",
            Group::Commune => "Xã, phường, đặc khu",
            Group::RuralCommune => "Xã (tiêu chí 19.2 nông thôn mới)",
            Group::Organisation => "Cơ quan, doanh nghiệp, nhà trường",
            Group::All => "Tất cả đơn vị",
            Group::Household => "Hộ gia đình",
            Group::Student => "Học sinh",
            Group::Worker => "Cán bộ, công nhân viên",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Group::ResidentialArea => "Residential areas",
            Group::Commune => "Communes",
            Group::RuralCommune => "Rural communes (new-rural criterion 19.2)",
            Group::Organisation => "Agencies, enterprises and schools",
            Group::All => "All units",
            Group::Household => "Households",
            Group::Student => "Students",
            Group::Worker => "Workers",
        }
    }
}

/// A rural commune (xã), as opposed to a ward (phường) or a special zone (đặc khu): the level the
/// national new-rural criteria apply to. Seed 002 (Bình Phước, II.1): "Hằng năm, có 100% xã đạt
/// tiêu chí 19.2 Bộ tiêu chí quốc gia về xây dựng nông thôn mới". Since the 2025 reform the
/// official list names each commune by its kind ("Xã Ninh Phước", "Phường Ba Đình", "Đặc khu
/// Côn Đảo"); the name is the only place the kind is written, so the name decides.
pub fn is_rural_commune(kind: UnitKind, full_name: &str) -> bool {
    kind == UnitKind::Commune && full_name.trim_start().starts_with("Xã ")
}

/// What a target measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// % of the group's units recognised «An toàn về an ninh, trật tự»
    SafePercent,
    /// % rated xuất sắc or khá
    GoodOrBetterPercent,
    /// % rated xuất sắc
    ExcellentPercent,
    /// % rated khá
    GoodPercent,
    /// units rated yếu
    WeakCount,
    /// % of the audience that signed the year's pledge
    PledgePercent,
    /// % of the group's units with a self-managed model that counts for the year (mô hình «Tự
    /// phòng, tự quản, tự bảo vệ về ANTT»; seed 002, II.2; [`crate::records::model_counts`])
    ModelPercent,
    /// % of residential areas whose Tổ bảo vệ an ninh, trật tự is established with its leader
    /// (Law 30/2023/QH15; [`crate::records::team_counts`])
    TeamPercent,
    /// % of the tips whose handling concluded in the year (transferred, decided, suspended or
    /// referred) before the period in force ran out ([`crate::tip::Step::concludes`])
    TipsOnTimePercent,
    /// A target of the plan's own wording whose figure the province enters for each unit and
    /// period (chỉ tiêu khác): trainings, cameras — whatever the plan sets that the platform
    /// does not count itself. Named by the target's `label_vi` / `label_en`.
    Manual,
}

impl Metric {
    pub const ALL: &'static [Metric] = &[
        Metric::SafePercent,
        Metric::GoodOrBetterPercent,
        Metric::ExcellentPercent,
        Metric::GoodPercent,
        Metric::WeakCount,
        Metric::PledgePercent,
        Metric::ModelPercent,
        Metric::TeamPercent,
        Metric::TipsOnTimePercent,
        Metric::Manual,
    ];
    pub const WIRE_NAMES: &'static [&'static str] = &[
        "safe_percent",
        "good_or_better_percent",
        "excellent_percent",
        "good_percent",
        "weak_count",
        "pledge_percent",
        "model_percent",
        "team_percent",
        "tips_on_time_percent",
        "manual",
    ];

    /// The wire name (as serde writes it).
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::SafePercent => "safe_percent",
            Metric::GoodOrBetterPercent => "good_or_better_percent",
            Metric::ExcellentPercent => "excellent_percent",
            Metric::GoodPercent => "good_percent",
            Metric::WeakCount => "weak_count",
            Metric::PledgePercent => "pledge_percent",
            Metric::ModelPercent => "model_percent",
            Metric::TeamPercent => "team_percent",
            Metric::TipsOnTimePercent => "tips_on_time_percent",
            Metric::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Result<Self, crate::ValidationError> {
        Self::ALL
            .iter()
            .copied()
            .find(|m| m.as_str() == s.trim())
            .ok_or(crate::ValidationError::UnknownValue {
                allowed: Self::WIRE_NAMES,
            })
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Metric::SafePercent => "Tỷ lệ đạt «An toàn về ANTT» (%)",
            Metric::GoodOrBetterPercent => "Tỷ lệ xuất sắc và khá (%)",
            Metric::ExcellentPercent => "Tỷ lệ xuất sắc (%)",
            Metric::GoodPercent => "Tỷ lệ khá (%)",
            Metric::WeakCount => "Số đơn vị yếu",
            Metric::PledgePercent => "Tỷ lệ ký cam kết (%)",
            Metric::ModelPercent => "Tỷ lệ có mô hình tự phòng, tự quản, tự bảo vệ (%)",
            Metric::TeamPercent => "Tỷ lệ có Tổ bảo vệ an ninh, trật tự (%)",
            Metric::TipsOnTimePercent => "Tỷ lệ tin báo giải quyết đúng hạn (%)",
            Metric::Manual => "Chỉ tiêu khác (số liệu nhập)",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Metric::SafePercent => "Recognised as safe (%)",
            Metric::GoodOrBetterPercent => "Excellent or good (%)",
            Metric::ExcellentPercent => "Excellent (%)",
            Metric::GoodPercent => "Good (%)",
            Metric::WeakCount => "Units rated weak",
            Metric::PledgePercent => "Pledged (%)",
            Metric::ModelPercent => "With a self-managed security model (%)",
            Metric::TeamPercent => "With a grassroots security team (%)",
            Metric::TipsOnTimePercent => "Tips handled on time (%)",
            Metric::Manual => "Other target (figure entered)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Target {
    pub metric: Metric,
    pub group: Group,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// For ranges such as "75–80%": reaching `min` meets the target; `max` is the plan's upper
    /// figure, shown beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// A class share counted over the units recognised safe, not over all units: the seed plans
    /// write "… đạt tiêu chuẩn «An toàn về an ninh, trật tự». Trong đó, có từ 75 - 80% đơn vị
    /// được xếp loại xuất sắc và khá" (seed 000, I.2; seed 002, II.1: "trong đó phân loại xuất
    /// sắc từ 30% trở lên"), "trong đó" being "of which".
    #[serde(default)]
    pub of_safe: bool,
    /// A [`Metric::Manual`] target's own name, as the plan words it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_vi: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
}

impl Target {
    /// Whether `actual` meets the target (a missing figure never does).
    pub fn met(&self, actual: Option<f64>) -> bool {
        let Some(a) = actual else { return false };
        match self.metric {
            Metric::WeakCount => self.max.is_none_or(|m| a <= m),
            _ => self.min.is_none_or(|m| a + 1e-9 >= m),
        }
    }
}

pub mod calendar;
pub mod chart;
mod counts;
pub mod deadline;
pub mod emulation;
pub mod festival;
pub mod figures;
pub mod national;
pub mod submission;
pub mod versions;

pub use counts::{GroupCounts, TipLine, UnitRecords};
pub use figures::{figure, percent_text};

/// A province's plan for a run of periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Plan {
    pub id: String,
    /// The province the plan was made for (it may since have merged into another).
    pub province: String,
    pub from_period: i32,
    pub to_period: i32,
    pub title_vi: String,
    pub title_en: String,
    pub targets: Vec<Target>,
}

pub const BUILTIN_PLANS_JSON: &str = include_str!("../../plans/plans.json");

impl Plan {
    pub fn builtin() -> Result<Vec<Plan>, String> {
        serde_json::from_str(BUILTIN_PLANS_JSON).map_err(|e| e.to_string())
    }

    pub fn covers(&self, period: i32) -> bool {
        (self.from_period..=self.to_period).contains(&period)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GroupLine {
    pub group: Group,
    #[serde(flatten)]
    pub counts: GroupCounts,
    pub safe_percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PledgeLine {
    pub audience: Group,
    pub signed: i64,
    pub expected: i64,
    pub percent: Option<f64>,
}

/// A target beside the actual figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TargetCheck {
    /// The target's place in its plan (a manual figure is entered against it).
    pub seq: i32,
    pub metric: Metric,
    pub group: Group,
    pub label_vi: String,
    pub label_en: String,
    pub target_min: Option<f64>,
    pub target_max: Option<f64>,
    pub actual: Option<f64>,
    pub met: bool,
}

/// One row of the dashboard: a unit with everything below it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DashboardRow {
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    pub groups: Vec<GroupLine>,
    pub pledges: Vec<PledgeLine>,
    pub tips_overdue: i64,
    /// The tips under the row's unit in the period's year, and how many were handled on time.
    pub tips: TipLine,
    /// The residential areas under the row's unit that held the festival of 19/8 in the
    /// period's year (`festival`).
    pub festival: festival::FestivalShare,
    /// The plan this row is checked against: a commune formed from a former province's communes
    /// follows that province's plan until its own province publishes one for the period.
    pub plan_id: Option<String>,
    pub targets: Vec<TargetCheck>,
}

impl DashboardRow {
    /// The row's line of a unit group (every row carries each group; `None` means it was not).
    pub fn group(&self, g: Group) -> Option<&GroupLine> {
        self.groups.iter().find(|x| x.group == g)
    }
}

/// `GET /api/v1/dashboard?unit=…&period=…`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Dashboard {
    pub period: i32,
    /// The plan whose targets apply to the unit, if any (a former province's plan applies to the
    /// part of its successor that came from it); `None` when no plan covers the period.
    pub plan: Option<Plan>,
    /// Other plans some children follow (see [`DashboardRow::plan_id`]).
    pub child_plans: Vec<Plan>,
    /// The awards decided for the period's year to the unit and the units below it.
    pub awards: Vec<emulation::AwardLine>,
    /// The assessments of the period approved for the unit and the units below it, with their
    /// recognition decisions.
    pub recognitions: Vec<crate::recognition::RecognitionLine>,
    /// The year's deadlines read from records (registration, recognition, classification), with
    /// the units under the unit still missing at each.
    pub deadlines: Vec<deadline::Deadline>,
    pub unit: DashboardRow,
    pub children: Vec<DashboardRow>,
}

/// Checks a row's figures against a plan's targets; `entered` gives the figure entered for the
/// row's unit against a [`Metric::Manual`] target (by its `seq`), if any.
pub fn check_targets(
    plan: &Plan,
    groups: &[GroupLine],
    pledges: &[PledgeLine],
    tips: &TipLine,
    entered: &dyn Fn(i32) -> Option<f64>,
) -> Vec<TargetCheck> {
    plan.targets
        .iter()
        .zip(0..)
        .map(|(t, seq)| {
            let actual = match t.metric {
                Metric::PledgePercent => pledges
                    .iter()
                    .find(|p| p.audience == t.group)
                    .and_then(|p| p.percent),
                Metric::Manual => entered(seq),
                Metric::TipsOnTimePercent => tips.on_time_percent,
                m => groups
                    .iter()
                    .find(|g| g.group == t.group)
                    .filter(|g| g.counts.units > 0)
                    .and_then(|g| {
                        if t.of_safe {
                            g.counts.metric_of_safe(m)
                        } else {
                            g.counts.metric(m)
                        }
                    }),
            };
            let (label_vi, label_en) = match (t.metric, &t.label_vi, &t.label_en) {
                // A manual target is named by the plan, not by the platform.
                (Metric::Manual, Some(vi), Some(en)) => (vi.clone(), en.clone()),
                _ => {
                    let (metric_vi, metric_en) = if t.of_safe {
                        (
                            format!("{} (trong số đơn vị đạt «An toàn»)", t.metric.label_vi()),
                            format!("{} (of the units recognised safe)", t.metric.label_en()),
                        )
                    } else {
                        (
                            t.metric.label_vi().to_string(),
                            t.metric.label_en().to_string(),
                        )
                    };
                    (
                        format!("{metric_vi} — {}", t.group.label_vi()),
                        format!("{metric_en} — {}", t.group.label_en()),
                    )
                }
            };
            TargetCheck {
                seq,
                metric: t.metric,
                group: t.group,
                label_vi,
                label_en,
                target_min: t.min,
                target_max: t.max,
                actual,
                met: t.met(actual),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Classification;

    #[test]
    fn seed_plans_load() {
        let plans = Plan::builtin().unwrap();
        assert_eq!(plans.len(), 2);
        let nt = &plans[0];
        assert_eq!(nt.province, "58");
        assert!(nt.covers(2025) && !nt.covers(2026));
    }

    #[test]
    fn wire_names_are_serdes() {
        for m in Metric::ALL {
            assert_eq!(serde_json::to_value(m).unwrap(), m.as_str());
            assert_eq!(Metric::parse(m.as_str()), Ok(*m));
        }
        for g in Group::ALL {
            assert_eq!(serde_json::to_value(g).unwrap(), g.as_str());
            assert_eq!(Group::parse(g.as_str()), Ok(*g));
        }
        assert_eq!(Metric::WIRE_NAMES.len(), Metric::ALL.len());
        assert_eq!(Group::WIRE_NAMES.len(), Group::ALL.len());
    }

    #[test]
    fn only_xa_are_rural_communes() {
        for (kind, name, rural) in [
            (UnitKind::Commune, "Xã Ninh Phước", true),
            (UnitKind::Commune, "Phường Phan Rang", false),
            (UnitKind::Commune, "Đặc khu Côn Đảo", false),
            // A residential area named after its commune is not one.
            (UnitKind::ResidentialArea, "Xã Ninh Phước thôn 1", false),
        ] {
            assert_eq!(is_rural_commune(kind, name), rural, "{name}");
            assert_eq!(Group::RuralCommune.contains(kind, name), rural, "{name}");
        }
        assert!(Group::Commune.contains(UnitKind::Commune, "Phường Phan Rang"));
    }

    #[test]
    fn targets_and_counts() {
        let mut g = GroupCounts::default();
        for _ in 0..19 {
            g.add(Some((true, Classification::Kha)));
        }
        g.add(None);
        assert_eq!(g.metric(Metric::SafePercent), Some(95.0));
        let t = Target {
            metric: Metric::SafePercent,
            group: Group::Commune,
            min: Some(95.0),
            max: None,
            of_safe: false,
            label_vi: None,
            label_en: None,
        };
        assert!(t.met(g.metric(Metric::SafePercent)));
        g.add(None);
        assert!(!t.met(g.metric(Metric::SafePercent)));
        let weak = Target {
            metric: Metric::WeakCount,
            group: Group::Commune,
            min: None,
            max: Some(0.0),
            of_safe: false,
            label_vi: None,
            label_en: None,
        };
        assert!(weak.met(g.metric(Metric::WeakCount)));
        g.add(Some((false, Classification::Yeu)));
        assert!(!weak.met(g.metric(Metric::WeakCount)));
        assert!(!t.met(None));
    }
}

//! Plans a province keeps itself: a draft it edits, a published plan it never edits again, and a
//! new version that takes over from a later period (the plan it supersedes keeps the periods
//! before). Which plan is in force for a period is a pure function of the published plans.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::{Group, Metric, Plan, Target};
use crate::error::{Errors, FieldError, ValidationError};
use crate::text::parse_line;

pub const TITLE_MAX_CHARS: usize = 300;
pub const MAX_TARGETS: usize = 40;
/// A plan's periods: the movement's plans run five years (2021–2025, 2026–2030).
pub const MAX_PLAN_YEARS: i32 = 10;

crate::enums::labelled_enum! {
    /// Where a plan stands.
    PlanStatus {
        /// dự thảo: the province edits it
        Draft = "draft", "Dự thảo", "Draft";
        /// đã ban hành: never edited again
        Published = "published", "Đã ban hành", "Published";
    }
}

/// A plan as the province lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PlanVersion {
    #[serde(flatten)]
    pub plan: Plan,
    pub status: PlanStatus,
    /// The published plan this one takes over from, from its `from_period`.
    pub supersedes: Option<String>,
    /// The document: number, date, issuer.
    pub source: Option<String>,
    #[serde(with = "crate::time::utc_opt")]
    pub published_at: Option<chrono::NaiveDateTime>,
    /// Made for a former province that merged into this one (read-only here; the successor may
    /// adopt it or publish its own).
    pub inherited: bool,
}

/// One target as the province writes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TargetRequest {
    /// `safe_percent`, `good_or_better_percent`, `excellent_percent`, `good_percent`,
    /// `weak_count`, `pledge_percent`, or `manual` (a target of the plan's own wording whose
    /// figure the province enters).
    pub metric: String,
    /// `residential_area`, `commune`, `rural_commune`, `organisation`, `all`, or an audience
    /// (`household`, `student`, `worker`) for `pledge_percent`; `all` for `manual`.
    pub group: String,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// A class share counted over the safe units ("trong đó").
    #[serde(default)]
    pub of_safe: bool,
    /// A `manual` target's name, as the plan words it (required for it, ignored otherwise).
    #[serde(default)]
    pub label_vi: Option<String>,
    #[serde(default)]
    pub label_en: Option<String>,
}

/// The largest figure a manual target may set or be given.
pub const MANUAL_MAX: f64 = 1_000_000.0;

/// `POST /api/v1/provinces/{code}/plans`, `PUT /api/v1/plans/{id}`: a draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PlanRequest {
    pub title_vi: String,
    pub title_en: String,
    #[serde(default)]
    pub source: Option<String>,
    /// The first and last period (named by the year each ends in).
    pub from_period: i32,
    pub to_period: i32,
    /// A published plan of the same province this one takes over from, from `from_period`.
    #[serde(default)]
    pub supersedes: Option<String>,
    pub targets: Vec<TargetRequest>,
}

/// A checked draft.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlan {
    pub title_vi: String,
    pub title_en: String,
    pub source: Option<String>,
    pub from_period: i32,
    pub to_period: i32,
    pub supersedes: Option<String>,
    pub targets: Vec<Target>,
}

fn figure(v: Option<f64>, max: f64) -> Result<Option<f64>, ValidationError> {
    match v {
        Some(x) if !x.is_finite() || !(0.0..=max).contains(&x) => {
            Err(ValidationError::OutOfRange {
                min: 0,
                max: max as i64,
            })
        }
        v => Ok(v),
    }
}

/// A manual target's name: required, one line.
fn label(v: Option<&str>) -> Result<String, ValidationError> {
    match v {
        None => Err(ValidationError::Required),
        Some(s) => parse_line(s, TITLE_MAX_CHARS),
    }
}

impl PlanRequest {
    /// Checks a draft; `this_year` bounds the periods (a plan starts at most 10 years back).
    pub fn parse(&self, this_year: i32) -> Result<NewPlan, Vec<FieldError>> {
        let mut e = Errors::new();
        let title_vi = e.check("title_vi", parse_line(&self.title_vi, TITLE_MAX_CHARS));
        let title_en = e.check("title_en", parse_line(&self.title_en, TITLE_MAX_CHARS));
        let source = crate::api::optional(&mut e, "source", self.source.as_deref(), |s| {
            parse_line(s, TITLE_MAX_CHARS)
        });
        let years = (this_year - MAX_PLAN_YEARS)..=(this_year + MAX_PLAN_YEARS);
        let range = ValidationError::OutOfRange {
            min: i64::from(*years.start()),
            max: i64::from(*years.end()),
        };
        if !years.contains(&self.from_period) {
            e.push(range.clone().on("from_period"));
        }
        if !years.contains(&self.to_period) {
            e.push(range.on("to_period"));
        } else if self.to_period < self.from_period {
            e.push(ValidationError::EndBeforeStart.on("to_period"));
        } else if self.to_period - self.from_period >= MAX_PLAN_YEARS {
            e.push(
                ValidationError::OutOfRange {
                    min: i64::from(self.from_period),
                    max: i64::from(self.from_period + MAX_PLAN_YEARS - 1),
                }
                .on("to_period"),
            );
        }
        if self.targets.is_empty() {
            e.push(ValidationError::Required.on("targets"));
        } else if self.targets.len() > MAX_TARGETS {
            e.push(ValidationError::TooMany { max: MAX_TARGETS }.on("targets"));
        }
        let mut targets = Vec::new();
        for (i, t) in self.targets.iter().enumerate().take(MAX_TARGETS) {
            let f = |name: &str| format!("targets.{i}.{name}");
            let m = e.check(&f("metric"), Metric::parse(&t.metric));
            let g = e.check(&f("group"), Group::parse(&t.group));
            let cap = match m {
                Some(Metric::WeakCount) => 100_000.0,
                Some(Metric::Manual) => MANUAL_MAX,
                _ => 100.0,
            };
            let min = e.check(&f("min"), figure(t.min, cap)).flatten();
            let max = e.check(&f("max"), figure(t.max, cap)).flatten();
            // A manual target is named by the plan, in both languages.
            let labels = if m == Some(Metric::Manual) {
                let vi = e.check(&f("label_vi"), label(t.label_vi.as_deref()));
                let en = e.check(&f("label_en"), label(t.label_en.as_deref()));
                vi.zip(en)
            } else {
                None
            };
            let (Some(m), Some(g)) = (m, g) else { continue };
            // A pledge target counts an audience; a manual one no group ("all"); the others
            // count units.
            let audience = matches!(g, Group::Household | Group::Student | Group::Worker);
            // A team target counts residential areas (Law 30/2023/QH15 art. 2.3 places the teams
            // there); the tips on time, all the tips under the unit.
            let fits = match m {
                Metric::PledgePercent => audience,
                Metric::Manual | Metric::TipsOnTimePercent => g == Group::All,
                Metric::TeamPercent => g == Group::ResidentialArea,
                _ => !audience,
            };
            if !fits {
                e.push(ValidationError::UnknownValue { allowed: &[] }.on(f("group")));
                continue;
            }
            // A figure missing as sent (one out of range is already named).
            match (m, min, max) {
                (Metric::WeakCount, _, None) if t.max.is_none() => {
                    e.push(ValidationError::Required.on(f("max")));
                }
                (Metric::WeakCount, _, _) => {}
                (_, None, _) if t.min.is_none() => e.push(ValidationError::Required.on(f("min"))),
                (_, Some(a), Some(b)) if b < a => {
                    e.push(ValidationError::EndBeforeStart.on(f("max")));
                }
                _ => {}
            }
            let of_safe = t.of_safe
                && matches!(
                    m,
                    Metric::GoodOrBetterPercent | Metric::ExcellentPercent | Metric::GoodPercent
                );
            if targets.iter().any(|x: &Target| {
                x.metric == m
                    && x.group == g
                    && x.of_safe == of_safe
                    && (m != Metric::Manual || x.label_vi.as_ref() == labels.as_ref().map(|l| &l.0))
            }) {
                e.push(ValidationError::Duplicate.on(f("metric")));
                continue;
            }
            targets.push(Target {
                metric: m,
                group: g,
                min: if m == Metric::WeakCount { None } else { min },
                max,
                of_safe,
                label_vi: labels.as_ref().map(|l| l.0.clone()),
                label_en: labels.map(|l| l.1),
            });
        }
        let supersedes = self
            .supersedes
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        e.into_result()?;
        match (title_vi, title_en) {
            (Some(title_vi), Some(title_en)) => Ok(NewPlan {
                title_vi,
                title_en,
                source,
                from_period: self.from_period,
                to_period: self.to_period,
                supersedes,
                targets,
            }),
            _ => Err(vec![ValidationError::Required.on("title_vi")]),
        }
    }
}

/// A published plan as the resolution reads it: its plan, when it was published, and whether it
/// was made for this province itself (not a predecessor).
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub plan: Plan,
    pub published_at: chrono::NaiveDateTime,
    pub supersedes: Option<String>,
    pub own: bool,
}

/// The plan in force for `period`: among the published plans covering it, the province's own
/// before a predecessor's (the successor "can adopt or replace it"), and of those the one that
/// superseded the others (a new version takes over from its first period), else the latest
/// published. `None` when no plan covers the period — the dashboard says so.
pub fn in_force(plans: &[Published], period: i32) -> Option<&Published> {
    let covering: Vec<&Published> = plans.iter().filter(|p| p.plan.covers(period)).collect();
    let superseded = |p: &Published| {
        covering
            .iter()
            .any(|q| q.supersedes.as_deref() == Some(p.plan.id.as_str()))
    };
    covering
        .iter()
        .copied()
        .filter(|p| !superseded(p))
        .max_by(|a, b| {
            a.own
                .cmp(&b.own)
                .then(a.published_at.cmp(&b.published_at))
                .then(a.plan.id.cmp(&b.plan.id))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(id: &str, from: i32, to: i32) -> Plan {
        Plan {
            id: id.into(),
            province: "56".into(),
            from_period: from,
            to_period: to,
            title_vi: id.into(),
            title_en: id.into(),
            targets: Vec::new(),
        }
    }

    fn at(day: u32) -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, day)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap()
    }

    #[test]
    fn a_new_version_takes_over_from_its_first_period() {
        let first = Published {
            plan: plan("v1", 2026, 2030),
            published_at: at(1),
            supersedes: None,
            own: true,
        };
        let second = Published {
            plan: plan("v2", 2028, 2030),
            published_at: at(2),
            supersedes: Some("v1".into()),
            own: true,
        };
        let inherited = Published {
            plan: plan("former", 2022, 2027),
            published_at: at(3),
            supersedes: None,
            own: false,
        };
        let all = [first, second, inherited];
        let id = |p: i32| in_force(&all, p).map(|p| p.plan.id.as_str());
        assert_eq!(
            id(2025),
            Some("former"),
            "only the former province's covers it"
        );
        assert_eq!(
            id(2026),
            Some("v1"),
            "the province's own before a predecessor's"
        );
        assert_eq!(id(2027), Some("v1"));
        assert_eq!(
            id(2028),
            Some("v2"),
            "the new version from its first period"
        );
        assert_eq!(id(2030), Some("v2"));
        assert_eq!(id(2031), None);
        assert_eq!(id(2021), None);
    }

    #[test]
    fn drafts_are_checked_field_by_field() {
        let ok = PlanRequest {
            title_vi: "Kế hoạch 2026–2030".into(),
            title_en: "Plan 2026–2030".into(),
            from_period: 2026,
            to_period: 2030,
            targets: vec![
                TargetRequest {
                    metric: "safe_percent".into(),
                    group: "commune".into(),
                    min: Some(95.0),
                    ..Default::default()
                },
                TargetRequest {
                    metric: "good_or_better_percent".into(),
                    group: "commune".into(),
                    min: Some(75.0),
                    max: Some(80.0),
                    of_safe: true,
                    ..Default::default()
                },
                TargetRequest {
                    metric: "weak_count".into(),
                    group: "commune".into(),
                    max: Some(0.0),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let p = ok.parse(2026).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(p.targets.len(), 3);
        assert!(p.targets[1].of_safe);

        let mut bad = ok.clone();
        bad.to_period = 2025;
        bad.targets[0].min = Some(120.0);
        bad.targets[1].group = "household".into();
        bad.targets[2].max = None;
        let fields: Vec<String> = match bad.parse(2026) {
            Err(e) => e.into_iter().map(|f| f.field).collect(),
            Ok(p) => panic!("accepted {p:?}"),
        };
        assert_eq!(
            fields,
            [
                "to_period",
                "targets.0.min",
                "targets.1.group",
                "targets.2.max"
            ]
        );
    }

    /// A target the platform does not count (seed 002, II.2: "80% số khu dân cư, xã, phường,
    /// thị trấn xây dựng mới hoặc duy trì hoạt động có hiệu quả ít nhất 01 mô hình «Tự phòng,
    /// tự quản, tự bảo vệ về ANTT»") is kept with the plan's own words and a figure the
    /// province enters.
    #[test]
    fn a_manual_target_is_named_by_the_plan() {
        let manual = |vi: Option<&str>, group: &str| TargetRequest {
            metric: "manual".into(),
            group: group.into(),
            min: Some(80.0),
            label_vi: vi.map(str::to_string),
            label_en: Some("Residential areas with a self-managed model (%)".into()),
            ..Default::default()
        };
        let mut req = PlanRequest {
            title_vi: "Kế hoạch".into(),
            title_en: "Plan".into(),
            from_period: 2026,
            to_period: 2030,
            targets: vec![
                manual(Some("Khu dân cư có mô hình tự quản (%)"), "all"),
                manual(Some("Số buổi tập huấn Tổ bảo vệ ANTT"), "all"),
            ],
            ..Default::default()
        };
        let p = req.parse(2026).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            p.targets[0].label_vi.as_deref(),
            Some("Khu dân cư có mô hình tự quản (%)")
        );
        // Unnamed, counted over a group, or the same name twice: each named on its field.
        req.targets = vec![
            manual(None, "all"),
            manual(Some("Mô hình"), "commune"),
            manual(Some("Mô hình"), "all"),
            manual(Some("Mô hình"), "all"),
        ];
        let fields: Vec<String> = match req.parse(2026) {
            Err(e) => e.into_iter().map(|f| f.field).collect(),
            Ok(p) => panic!("accepted {p:?}"),
        };
        assert_eq!(
            fields,
            ["targets.0.label_vi", "targets.1.group", "targets.3.metric"]
        );
    }

    /// The seed plans, imported as published history, quote their documents.
    #[test]
    fn seed_plans_say_what_their_documents_say() {
        let plans = Plan::builtin().unwrap_or_else(|e| panic!("{e}"));
        let find = |id: &str, m: Metric, g: Group| {
            plans
                .iter()
                .find(|p| p.id == id)
                .and_then(|p| p.targets.iter().find(|t| t.metric == m && t.group == g))
                .cloned()
                .unwrap_or_else(|| panic!("{id}: no {m:?} of {g:?}"))
        };
        // Seed 000, I.2: "Đối với xã, phường, thị trấn: 95% trở lên đạt tiêu chuẩn «An toàn về
        // an ninh, trật tự». Trong đó, có từ 75 - 80% đơn vị được xếp loại xuất sắc và khá,
        // không có yếu kém."
        let nt = "ninh-thuan-2156-kh-ubnd-2021";
        assert_eq!(
            find(nt, Metric::SafePercent, Group::Commune).min,
            Some(95.0)
        );
        let good = find(nt, Metric::GoodOrBetterPercent, Group::Commune);
        assert_eq!(
            (good.min, good.max, good.of_safe),
            (Some(75.0), Some(80.0), true)
        );
        assert_eq!(find(nt, Metric::WeakCount, Group::Commune).max, Some(0.0));
        // "Đối với cơ quan, doanh nghiệp, nhà trường: … Trong đó, có từ 80 - 85% …"
        let org = find(nt, Metric::GoodOrBetterPercent, Group::Organisation);
        assert_eq!(
            (org.min, org.max, org.of_safe),
            (Some(80.0), Some(85.0), true)
        );
        // Seed 002, II.1: "90% khu dân cư, xã, phường, thị trấn, cơ quan, doanh nghiệp, cơ sở giáo
        // dục đạt tiêu chuẩn «An toàn về ANTT»; trong đó phân loại xuất sắc từ 30% trở lên; khá
        // 50% trở lên, không có đơn vị phân loại PTTD BVANTQ yếu."
        let bp = "binh-phuoc-kh-ubnd-2022";
        // Seed 002, II.1, first: "Hằng năm, có 100% xã đạt tiêu chí 19.2 Bộ tiêu chí quốc gia về
        // xây dựng nông thôn mới" — the rural communes (xã), all recognised «An toàn».
        assert_eq!(
            find(bp, Metric::SafePercent, Group::RuralCommune).min,
            Some(100.0)
        );
        for g in [Group::ResidentialArea, Group::Commune, Group::Organisation] {
            assert_eq!(find(bp, Metric::SafePercent, g).min, Some(90.0));
        }
        let ex = find(bp, Metric::ExcellentPercent, Group::All);
        assert_eq!((ex.min, ex.of_safe), (Some(30.0), true));
        let kha = find(bp, Metric::GoodPercent, Group::All);
        assert_eq!((kha.min, kha.of_safe), (Some(50.0), true));
        // Seed 002, II.2: "Hằng năm, có trên 50% cơ quan, doanh nghiệp, cơ sở giáo dục, 80% số khu
        // dân cư, xã, phường, thị trấn xây dựng mới hoặc duy trì hoạt động có hiệu quả ít nhất 01
        // mô hình «Tự phòng, tự quản, tự bảo vệ về ANTT»" (the yearly figures; "đến năm 2025 …
        // trên 70% …, 100% …" is for a version of 2025). The platform reads a figure as a floor
        // ("≥ 50"), as it does every "trên" and "từ … trở lên" of the seeds.
        assert_eq!(
            find(bp, Metric::ModelPercent, Group::Organisation).min,
            Some(50.0)
        );
        for g in [Group::ResidentialArea, Group::Commune] {
            assert_eq!(find(bp, Metric::ModelPercent, g).min, Some(80.0));
        }
    }
}

//! The dashboard a province or commune reads each November: per unit and period, assessment
//! results by group and class, pledge coverage per audience and overdue tips — for the unit and
//! each child, beside the targets of the province's plan.

use std::collections::{HashMap, HashSet};

use bvantq_shared::plan::chart::YearTargets;
use bvantq_shared::plan::deadline::{self, Deadline, Standing};
use bvantq_shared::plan::{
    Dashboard, DashboardRow, Group, GroupCounts, GroupLine, Plan, PledgeLine, TipLine, UnitRecords,
    check_targets,
};
use bvantq_shared::{AssessmentStatus, Classification, PledgeKind};

use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::pledges::store::coverage;
use crate::records::registration_store;
use crate::units::scope::require_code as require_scope_code;
use crate::units::store::{self as units, TreeUnit, UnitRow};

use crate::plans::versions::{origins_of, plan_for};

const AUDIENCES: [(Group, PledgeKind); 3] = [
    (Group::Household, PledgeKind::Household),
    (Group::Student, PledgeKind::Student),
    (Group::Worker, PledgeKind::Worker),
];

pub fn dashboard(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    period: i32,
    now: chrono::NaiveDateTime,
) -> Result<Dashboard, ApiError> {
    crate::infra::request::check_year("period", period)?;
    let code = bvantq_shared::UnitCode::parse(unit_code).map_err(|e| ApiError::field("unit", e))?;
    let unit = require_scope_code(conn, user, &code)?;
    dashboard_of(conn, &unit, period, now)
}

/// The dashboard of `unit` (its scope already checked; the country's view asks it of each
/// province, `plans::national`).
pub fn dashboard_of(
    conn: &mut DbConn,
    unit: &UnitRow,
    period: i32,
    now: chrono::NaiveDateTime,
) -> Result<Dashboard, ApiError> {
    let today = bvantq_shared::tip::vn_date(now);
    let unit = unit.clone();
    let children = units::children(conn, &unit.code, today)?;
    let all = units::subtree(conn, &unit.path, today)?;
    // The approved assessments, read once: counted here by group and class, listed with their
    // decisions below.
    let recognitions = crate::assessments::service::recognitions::under(conn, &unit.path, period)?;
    let mut approved: HashMap<String, (bool, Classification)> = HashMap::new();
    for r in &recognitions {
        // An assessment is classified when it is submitted; an approved one without a class is
        // a broken row, not an unclassified unit.
        let class = r.classification.ok_or_else(|| {
            ApiError::internal(format!(
                "approved assessment of {} has no classification",
                r.unit_code
            ))
        })?;
        approved.insert(r.unit_code.clone(), (r.recognised, class));
    }
    let mut nodes: Vec<&UnitRow> = vec![&unit];
    nodes.extend(children.iter());
    let codes: Vec<String> = nodes.iter().map(|n| n.code.clone()).collect();
    let mut pledge: HashMap<(String, PledgeKind), (i64, i64)> = HashMap::new();
    for (_, kind) in AUDIENCES {
        for (u, n) in coverage::signed_of(conn, &codes, period, kind)? {
            pledge.entry((u, kind)).or_default().0 += n;
        }
        for (u, n) in coverage::expected_of(conn, &codes, period, kind)? {
            pledge.entry((u, kind)).or_default().1 += n;
        }
    }
    let paths: HashMap<&str, &str> = all
        .iter()
        .map(|u| (u.code.as_str(), u.path.as_str()))
        .collect();
    let overdue: Vec<(String, i64)> =
        crate::tips::store::open_deadlines(conn, &unit.path, bvantq_shared::TipStatus::OPEN)?
            .into_iter()
            // Overdue against the clock of each tip's current period, as the queue counts it.
            .filter(|(_, status, last_day, due_at, _)| {
                bvantq_shared::tip::clock_state(*status, *due_at, *last_day, now)
                    == bvantq_shared::tip::ClockState::Overdue
            })
            .filter_map(|(commune, _, _, _, n)| Some((paths.get(commune.as_str())?.to_string(), n)))
            .collect();
    // The residential areas that held the festival of 19/8 in the period's year.
    let festivals: std::collections::HashSet<String> =
        crate::plans::festivals::held_under(conn, &unit.path, period)?
            .into_iter()
            .collect();
    // The year's tips per commune, and the units whose model and security team count.
    let tip_lines = crate::tips::service::year_lines(conn, &unit.path, period)?;
    let with_model = crate::records::units_with_model(conn, &unit.path, period)?;
    let with_team = crate::records::areas_with_team(conn, &unit.path, period)?;
    let set = |v: Vec<String>| v.into_iter().collect::<HashSet<String>>();
    let registered = set(registration_store::registered_under(
        conn, &unit.path, period,
    )?);
    let excluded = set(registration_store::excluded_under(conn, &unit.path)?);
    let briefed = crate::records::briefings::briefed_under(conn, &unit.path, &all, period)?;
    let deadlines = deadlines_of(conn, &unit, &all, period, today, &registered, &excluded)?;
    // The plan in force for each row, looked up once per set of origins.
    let mut by_origins: HashMap<Vec<String>, Option<Plan>> = HashMap::new();
    let mut plan_of: HashMap<String, Option<Plan>> = HashMap::new();
    for (node, o) in nodes.iter().zip(origins_of(conn, &nodes)?) {
        let p = match by_origins.get(&o) {
            Some(p) => p.clone(),
            None => {
                let p = plan_for(conn, &o, period)?;
                by_origins.insert(o, p.clone());
                p
            }
        };
        plan_of.insert(node.code.clone(), p);
    }
    let plan = plan_of.get(&unit.code).cloned().flatten();
    let mut child_plans: Vec<Plan> = Vec::new();
    for p in children
        .iter()
        .filter_map(|c| plan_of.get(&c.code).cloned().flatten())
    {
        if plan.as_ref().is_none_or(|u| u.id != p.id) && !child_plans.iter().any(|c| c.id == p.id) {
            child_plans.push(p);
        }
    }
    // The figures entered against the manual targets of those plans, for these rows.
    let plan_ids: Vec<String> = plan_of
        .values()
        .flatten()
        .map(|p| p.id.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let entered = crate::plans::figures::entered(conn, &plan_ids, &codes, period)?;
    // Each unit counted once, into the unit's row and into the row of the child it lies under
    // (a province's 5,000 residential areas are not walked again for each of its 168 communes).
    // One tally for each row, even a row with nothing below it (all zero).
    let mut tallies: HashMap<&str, Tally> = nodes
        .iter()
        .map(|n| (n.code.as_str(), Tally::new()))
        .collect();
    let child_of: HashMap<&str, &str> = children
        .iter()
        .map(|c| (c.path.as_str(), c.code.as_str()))
        .collect();
    for u in &all {
        let records = UnitRecords {
            model: with_model.contains(&u.code),
            team: with_team.contains(&u.code),
            registered: registered.contains(&u.code),
            excluded: excluded.contains(&u.code),
            briefed: briefed.contains(&u.code),
        };
        let held = festivals.contains(&u.code);
        let approved = approved.get(&u.code).copied();
        let child = child_path(&unit.path, &u.path).and_then(|p| child_of.get(p).copied());
        for row in std::iter::once(unit.code.as_str()).chain(child) {
            if let Some(t) = tallies.get_mut(row) {
                t.add(u, held, approved, records);
            }
        }
    }
    let row = |node: &UnitRow| -> DashboardRow {
        let plan = plan_of.get(&node.code).cloned().flatten();
        // Every row was given a tally above.
        let tally = &tallies[node.code.as_str()];
        let (areas, held) = (tally.areas, tally.held);
        let groups: Vec<GroupLine> = Group::UNIT_GROUPS
            .iter()
            .zip(&tally.counts)
            .map(|(g, c)| GroupLine {
                group: *g,
                safe_percent: c.metric(bvantq_shared::plan::Metric::SafePercent),
                counts: c.clone(),
            })
            .collect();
        let pledges: Vec<PledgeLine> = AUDIENCES
            .iter()
            .map(|(g, kind)| {
                let (s, e) = pledge
                    .get(&(node.code.clone(), *kind))
                    .copied()
                    .unwrap_or((0, 0));
                PledgeLine {
                    audience: *g,
                    signed: s,
                    expected: e,
                    percent: bvantq_shared::api::percent(s, e),
                }
            })
            .collect();
        let festival = bvantq_shared::plan::festival::FestivalShare::new(areas, held);
        let tips_overdue = overdue
            .iter()
            .filter(|(p, _)| p.starts_with(&node.path))
            .map(|(_, n)| n)
            .sum();
        let mut tips = TipLine::default();
        for (commune, line) in &tip_lines {
            if paths
                .get(commune.as_str())
                .is_some_and(|p| p.starts_with(&node.path))
            {
                tips.add(line);
            }
        }
        DashboardRow {
            unit_code: node.code.clone(),
            unit_name: node.full_name.clone(),
            unit_kind: node.kind,
            plan_id: plan.as_ref().map(|p| p.id.clone()),
            targets: plan
                .as_ref()
                .map(|p| {
                    let figure = |seq: i32| {
                        entered
                            .get(&(p.id.clone(), seq, node.code.clone()))
                            .copied()
                    };
                    check_targets(p, &groups, &pledges, &tips, &figure)
                })
                .unwrap_or_default(),
            groups,
            pledges,
            tips_overdue,
            tips,
            festival,
        }
    };
    Ok(Dashboard {
        period,
        unit: row(&unit),
        children: children.iter().map(row).collect(),
        plan,
        child_plans,
        awards: crate::plans::emulation::awards::under(conn, &unit.path, period)?,
        recognitions,
        deadlines,
    })
}

/// What a dashboard row counts of the units below it: results and records by group, residential
/// areas and those that held the festival of 19/8.
struct Tally {
    /// One per group of [`Group::UNIT_GROUPS`], in its order.
    counts: Vec<GroupCounts>,
    areas: i64,
    held: i64,
}

impl Tally {
    fn new() -> Self {
        Tally {
            counts: vec![GroupCounts::default(); Group::UNIT_GROUPS.len()],
            areas: 0,
            held: 0,
        }
    }

    fn add(
        &mut self,
        u: &TreeUnit,
        held: bool,
        approved: Option<(bool, Classification)>,
        records: UnitRecords,
    ) {
        if u.kind == bvantq_shared::UnitKind::ResidentialArea {
            self.areas += 1;
            self.held += i64::from(held);
        }
        for (g, c) in Group::UNIT_GROUPS.iter().zip(&mut self.counts) {
            if g.contains(u.kind, &u.full_name) {
                c.add(approved);
                c.add_records(records);
            }
        }
    }
}

/// The path of the child of the unit at `parent` that the unit at `path` lies under (`/79/` and
/// `/79/26734/KD-26734-0001/` → `/79/26734/`); `None` for the unit itself or outside it.
fn child_path<'a>(parent: &str, path: &'a str) -> Option<&'a str> {
    let rest = path.strip_prefix(parent)?;
    let end = rest.find('/')?;
    Some(&path[..parent.len() + end + 1])
}

/// The year's deadlines of the province's calendar that records decide, over the units under
/// `unit` (`shared::plan::deadline`).
fn deadlines_of(
    conn: &mut DbConn,
    unit: &UnitRow,
    all: &[TreeUnit],
    period: i32,
    today: chrono::NaiveDate,
    registered: &HashSet<String>,
    excluded: &HashSet<String>,
) -> Result<Vec<Deadline>, ApiError> {
    let settings = crate::plans::calendar::settings_of(conn, unit.province_code())?;
    let entries = bvantq_shared::plan::calendar::calendar(&settings, period, today);
    let states: HashMap<String, AssessmentStatus> =
        crate::assessments::store::states_under(conn, &unit.path, period)?
            .into_iter()
            .collect();
    let standings: Vec<Standing> = all
        .iter()
        .map(|u| Standing {
            unit_code: u.code.clone(),
            unit_name: u.full_name.clone(),
            unit_kind: u.kind,
            excluded: excluded.contains(&u.code),
            registered: registered.contains(&u.code),
            assessment: states.get(&u.code).copied(),
        })
        .collect();
    Ok(deadline::deadlines(&entries, &standings))
}

/// The dashboard and, for the chart over the years, the unit's targets in each year of its plan
/// up to the period (a year that cannot be read fails the whole, rather than drawing a gap).
pub fn with_years(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    period: i32,
    now: chrono::NaiveDateTime,
) -> Result<(Dashboard, Vec<YearTargets>), ApiError> {
    let d = dashboard(conn, user, unit_code, period, now)?;
    let mut years = Vec::new();
    if let Some(plan) = &d.plan {
        for y in plan.from_period..=plan.to_period.min(period) {
            let targets = if y == period {
                d.unit.targets.clone()
            } else {
                dashboard(conn, user, unit_code, y, now)?.unit.targets
            };
            years.push((y, targets));
        }
    }
    Ok((d, years))
}

/// The report's columns (Vietnamese headers, the shape sent up in November).
pub const REPORT_HEADERS: [&str; 23] = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Tổng số đơn vị",
    "Đạt «An toàn về ANTT»",
    "Chưa đạt",
    "Chưa đánh giá",
    "Tỷ lệ đạt (%)",
    "Xuất sắc",
    "Khá",
    "Trung bình",
    "Yếu",
    "Cam kết hộ gia đình (%)",
    "Cam kết học sinh (%)",
    "Cam kết CB, CNV (%)",
    "Tin báo quá hạn",
    "Đơn vị có mô hình tự phòng, tự quản, tự bảo vệ",
    "Khu dân cư có Tổ bảo vệ ANTT",
    "Tin báo tiếp nhận",
    "Tin báo đã chuyển Cơ quan điều tra",
    "Tin báo giải quyết đúng hạn (%)",
    "Đơn vị đã đăng ký phấn đấu đạt tiêu chuẩn (Điều 9.2.a TT 124)",
    "Đơn vị không thuộc diện áp dụng (Điều 1.2.b TT 124)",
    "Cơ quan, doanh nghiệp, nhà trường quán triệt 100% (Điều 6.1, 7.1 TT 124)",
];

/// A report cell: text or a number.
pub enum Cell {
    Text(String),
    Number(Option<f64>),
}

/// One report line per child, then the unit's total ("Tổng cộng").
pub fn report_lines(d: &Dashboard) -> Vec<Vec<Cell>> {
    let line = |r: &DashboardRow, name: String| {
        // Every row carries each unit group; a missing one is shown empty, never as zeros.
        let group = |g: Group| r.group(g).map(|x| &x.counts);
        let (all, areas) = (group(Group::All), group(Group::ResidentialArea));
        let count = |c: Option<&GroupCounts>, f: fn(&GroupCounts) -> i64| {
            Cell::Number(c.map(|c| f(c) as f64))
        };
        let pct = |g: Group| {
            r.pledges
                .iter()
                .find(|p| p.audience == g)
                .and_then(|p| p.percent)
        };
        let n = |x: i64| Cell::Number(Some(x as f64));
        vec![
            Cell::Text(r.unit_code.clone()),
            Cell::Text(name),
            count(all, |c| c.units),
            count(all, |c| c.safe),
            count(all, |c| c.not_safe),
            count(all, |c| c.not_assessed),
            Cell::Number(all.and_then(|c| c.metric(bvantq_shared::plan::Metric::SafePercent))),
            count(all, |c| c.xuat_sac),
            count(all, |c| c.kha),
            count(all, |c| c.trung_binh),
            count(all, |c| c.yeu),
            Cell::Number(pct(Group::Household)),
            Cell::Number(pct(Group::Student)),
            Cell::Number(pct(Group::Worker)),
            n(r.tips_overdue),
            count(all, |c| c.with_model),
            count(areas, |c| c.with_team),
            n(r.tips.received),
            n(r.tips.transferred),
            Cell::Number(r.tips.on_time_percent),
            count(all, |c| c.registered),
            count(all, |c| c.excluded),
            count(group(Group::Organisation), |c| c.briefed),
        ]
    };
    let mut out: Vec<Vec<Cell>> = d
        .children
        .iter()
        .map(|r| line(r, r.unit_name.clone()))
        .collect();
    out.push(line(&d.unit, format!("Tổng cộng — {}", d.unit.unit_name)));
    out
}

#[cfg(test)]
mod tests {
    use super::child_path;

    #[test]
    fn a_unit_is_counted_under_the_child_it_lies_under() {
        for (parent, path, child) in [
            ("/79/", "/79/26734/KD-26734-0001/", Some("/79/26734/")),
            ("/79/", "/79/26734/", Some("/79/26734/")),
            ("/79/", "/79/", None),
            ("/79/", "/56/22759/", None),
            (
                "/56/22759/",
                "/56/22759/TH-22759-0001/LH-22759-0001/",
                Some("/56/22759/TH-22759-0001/"),
            ),
        ] {
            assert_eq!(child_path(parent, path), child, "{parent} {path}");
        }
    }
}

//! A province keeps its plans: drafts it edits, publishing (after which a plan is never edited),
//! a new version that supersedes an older one from its first period, and the plan in force for a
//! period (`shared::plan::versions::in_force`), which the dashboard and the report show. The seed
//! plans are imported at start as published history.

use bvantq_shared::plan::Plan;
use bvantq_shared::plan::versions::{self, PlanRequest, PlanStatus, PlanVersion, Published};
use bvantq_shared::{Role, UnitKind};
use chrono::{NaiveDate, NaiveDateTime};

use crate::auth::AuthUser;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::plans::store::{self, PlanRow};
use crate::units::store::{self as units, UnitRow};

/// Who a seed plan was published by.
const SEED_AUTHOR: &str = "seed";

/// A seed plan as `shared/plans/plans.json` holds it: the plan, its document and its date.
#[derive(serde::Deserialize)]
struct SeedPlan {
    #[serde(flatten)]
    plan: Plan,
    source: String,
    published_on: NaiveDate,
}

/// Imports the seed plans not yet in the database, as published (run at start; idempotent).
pub fn import_seed(conn: &mut DbConn, now: NaiveDateTime) -> Result<usize, ApiError> {
    let seeds: Vec<SeedPlan> = serde_json::from_str(bvantq_shared::plan::BUILTIN_PLANS_JSON)
        .map_err(ApiError::internal)?;
    let mut added = 0;
    for s in seeds {
        if store::by_id(conn, &s.plan.id)?.is_some() {
            continue;
        }
        let at = s
            .published_on
            .and_hms_opt(0, 0, 0)
            .ok_or_else(|| ApiError::internal("seed plan date"))?;
        db::write_tx(conn, |conn| {
            store::insert(
                conn,
                &PlanRow {
                    id: s.plan.id.clone(),
                    province_code: s.plan.province.clone(),
                    from_period: s.plan.from_period,
                    to_period: s.plan.to_period,
                    title_vi: s.plan.title_vi.clone(),
                    title_en: s.plan.title_en.clone(),
                    source: Some(s.source.clone()),
                    status: PlanStatus::Published,
                    supersedes: None,
                    created_by: SEED_AUTHOR.into(),
                    created_at: now,
                    published_by: Some(SEED_AUTHOR.into()),
                    published_at: Some(at),
                },
            )?;
            store::set_targets(conn, &s.plan.id, &s.plan.targets)?;
            Ok::<_, ApiError>(())
        })?;
        added += 1;
    }
    Ok(added)
}

/// The provinces a unit's plans come from: its own province, then the provinces of the units it
/// was formed from, followed back through the unit history (`replaced_by`) — for Đồng Nai the
/// former Bình Phước; for a commune of Đồng Nai formed from communes of Bình Phước, Bình Phước;
/// for one formed from Đồng Nai's own communes, nothing more.
/// [`origins`] of each of `nodes`, in their order: a unit no former unit was merged into has its
/// province's plans only, found without a query of its own.
pub fn origins_of(conn: &mut DbConn, nodes: &[&UnitRow]) -> Result<Vec<Vec<String>>, ApiError> {
    let codes: Vec<String> = nodes.iter().map(|n| n.code.clone()).collect();
    let merged = units::with_predecessors(conn, &codes)?;
    nodes
        .iter()
        .map(|n| {
            if merged.contains(&n.code) {
                origins(conn, n)
            } else {
                Ok(vec![n.province_code().to_string()])
            }
        })
        .collect()
}

pub fn origins(conn: &mut DbConn, unit: &UnitRow) -> Result<Vec<String>, ApiError> {
    let mut out = vec![unit.province_code().to_string()];
    let mut seen = vec![unit.code.clone()];
    let mut next = vec![unit.code.clone()];
    // The reform of 2025 is one step; a few earlier ones fit well within this bound.
    for _ in 0..8 {
        let mut found = Vec::new();
        for code in &next {
            for p in units::predecessors(conn, code)? {
                if seen.contains(&p.code) {
                    continue;
                }
                seen.push(p.code.clone());
                let province = p.province_code().to_string();
                if !out.contains(&province) {
                    out.push(province);
                }
                found.push(p.code);
            }
        }
        if found.is_empty() {
            break;
        }
        next = found;
    }
    Ok(out)
}

/// Every plan made for one of `origins` (the first is the unit's own province), with its targets.
fn versions_of(conn: &mut DbConn, origins: &[String]) -> Result<Vec<PlanVersion>, ApiError> {
    let own = origins.first().map(String::as_str);
    let rows: Vec<PlanRow> = store::all(conn)?
        .into_iter()
        .filter(|r| origins.contains(&r.province_code))
        .collect();
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let targets = store::targets_of(conn, &ids)?;
    rows.into_iter()
        .map(|r| {
            let t = targets
                .iter()
                .filter(|t| t.plan_id == r.id)
                .map(|t| t.target())
                .collect::<Result<Vec<_>, _>>()?;
            Ok(PlanVersion {
                inherited: Some(r.province_code.as_str()) != own,
                status: r.status,
                supersedes: r.supersedes,
                source: r.source,
                published_at: r.published_at,
                plan: Plan {
                    id: r.id,
                    province: r.province_code,
                    from_period: r.from_period,
                    to_period: r.to_period,
                    title_vi: r.title_vi,
                    title_en: r.title_en,
                    targets: t,
                },
            })
        })
        .collect()
}

/// The plans of a province: its own and those of the provinces merged into it.
fn versions_of_province(conn: &mut DbConn, code: &str) -> Result<Vec<PlanVersion>, ApiError> {
    let unit = units::find(conn, code)?.ok_or(ApiError::NotFound)?;
    let origins = origins(conn, &unit)?;
    versions_of(conn, &origins)
}

/// The plan in force in `period` for a unit whose plans come from `origins` ([`origins`]), if any.
pub fn plan_for(
    conn: &mut DbConn,
    origins: &[String],
    period: i32,
) -> Result<Option<Plan>, ApiError> {
    let published: Vec<Published> = versions_of(conn, origins)?
        .into_iter()
        .filter_map(|v| {
            Some(Published {
                published_at: v.published_at?,
                own: !v.inherited,
                supersedes: v.supersedes,
                plan: v.plan,
            })
        })
        .collect();
    Ok(versions::in_force(&published, period).map(|p| p.plan.clone()))
}

/// The province `code`, which the caller keeps plans for (province officers of it; others 403).
pub(crate) fn province_kept_by(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
) -> Result<String, ApiError> {
    crate::auth::require_role(user, &[Role::ProvinceOfficer])?;
    let code = bvantq_shared::UnitCode::parse(code).map_err(|e| ApiError::field("code", e))?;
    let unit = crate::units::scope::require_code(conn, user, &code)?;
    if unit.kind != UnitKind::Province {
        return Err(ApiError::NotFound);
    }
    Ok(unit.code)
}

/// `GET /provinces/{code}/plans`: every version, drafts included, newest first.
pub fn list(conn: &mut DbConn, user: &AuthUser, code: &str) -> Result<Vec<PlanVersion>, ApiError> {
    let province = province_kept_by(conn, user, code)?;
    let mut v = versions_of_province(conn, &province)?;
    v.reverse();
    Ok(v)
}

fn published() -> ApiError {
    ApiError::Conflict {
        code: "plan_published",
        vi: "Kế hoạch đã ban hành không được sửa; hãy tạo phiên bản mới thay thế từ một kỳ.".into(),
        en: "A published plan is never edited; make a new version that takes over from a period."
            .into(),
    }
}

/// A draft's fields checked, and the plan it supersedes (a published plan of the province).
fn checked(
    conn: &mut DbConn,
    province: &str,
    req: &PlanRequest,
    now: NaiveDateTime,
) -> Result<bvantq_shared::plan::versions::NewPlan, ApiError> {
    let year = chrono::Datelike::year(&bvantq_shared::tip::vn_date(now));
    let new = req.parse(year).map_err(ApiError::Validation)?;
    if let Some(s) = &new.supersedes {
        let ok = store::by_id(conn, s)?
            .is_some_and(|p| p.province_code == province && p.status == PlanStatus::Published);
        if !ok {
            return Err(ApiError::field(
                "supersedes",
                bvantq_shared::ValidationError::UnknownValue { allowed: &[] },
            ));
        }
    }
    Ok(new)
}

/// `POST /provinces/{code}/plans`: a new draft.
pub fn create(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    req: &PlanRequest,
    now: NaiveDateTime,
) -> Result<PlanVersion, ApiError> {
    let province = province_kept_by(conn, user, code)?;
    let new = checked(conn, &province, req, now)?;
    let id = db::new_id();
    store::insert(
        conn,
        &PlanRow {
            id: id.clone(),
            province_code: province.clone(),
            from_period: new.from_period,
            to_period: new.to_period,
            title_vi: new.title_vi,
            title_en: new.title_en,
            source: new.source,
            status: PlanStatus::Draft,
            supersedes: new.supersedes,
            created_by: user.id.clone(),
            created_at: now,
            published_by: None,
            published_at: None,
        },
    )?;
    store::set_targets(conn, &id, &new.targets)?;
    one(conn, &province, &id)
}

/// The plan `id` of the caller's province (404 for another province's).
fn own_plan(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<PlanRow, ApiError> {
    let row = store::by_id(conn, id)?.ok_or(ApiError::NotFound)?;
    province_kept_by(conn, user, &row.province_code).map_err(|e| match e {
        ApiError::Forbidden(_) if user.role == Role::ProvinceOfficer => ApiError::NotFound,
        e => e,
    })?;
    Ok(row)
}

fn one(conn: &mut DbConn, province: &str, id: &str) -> Result<PlanVersion, ApiError> {
    versions_of_province(conn, province)?
        .into_iter()
        .find(|v| v.plan.id == id)
        .ok_or(ApiError::NotFound)
}

/// `PUT /plans/{id}`: rewrites a draft; a published plan answers 409.
pub fn update(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    req: &PlanRequest,
    now: NaiveDateTime,
) -> Result<PlanVersion, ApiError> {
    let row = own_plan(conn, user, id)?;
    if row.status != PlanStatus::Draft {
        return Err(published());
    }
    let new = checked(conn, &row.province_code, req, now)?;
    if new.supersedes.as_deref() == Some(id) {
        return Err(ApiError::field(
            "supersedes",
            bvantq_shared::ValidationError::UnknownValue { allowed: &[] },
        ));
    }
    let changed = store::update_draft(
        conn,
        &PlanRow {
            from_period: new.from_period,
            to_period: new.to_period,
            title_vi: new.title_vi,
            title_en: new.title_en,
            source: new.source,
            supersedes: new.supersedes,
            ..row.clone()
        },
    )?;
    if changed == 0 {
        return Err(published());
    }
    store::set_targets(conn, id, &new.targets)?;
    one(conn, &row.province_code, id)
}

/// `POST /plans/{id}/publish`: a draft becomes the province's published plan, never edited again.
pub fn publish(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    now: NaiveDateTime,
) -> Result<PlanVersion, ApiError> {
    let row = own_plan(conn, user, id)?;
    if store::publish(conn, id, &user.id, now)? == 0 {
        return Err(published());
    }
    one(conn, &row.province_code, id)
}

//! The figures a province enters against the targets its plan words itself and the platform
//! does not count (`Metric::Manual`: trainings, cameras…): one per target,
//! unit and period, with who entered it and when; the dashboard checks them like any figure.

use std::collections::HashMap;

use bvantq_shared::plan::Metric;
use bvantq_shared::plan::figures::{EnteredFigure, FigureRequest};
use bvantq_shared::{Role, ValidationError};
use chrono::NaiveDateTime;

use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::plans::store::{self, FigureRow};
use crate::plans::versions::{origins, plan_for};

/// Figures by (plan, target, unit).
pub type Entered = HashMap<(String, i32, String), f64>;

fn not_in_force() -> ApiError {
    ApiError::Conflict {
        code: "plan_not_in_force",
        vi: "Kế hoạch này không áp dụng cho đơn vị trong kỳ đã chọn; chỉ nhập số liệu theo kế \
             hoạch đang có hiệu lực của đơn vị."
            .into(),
        en: "This plan does not apply to the unit in that period; enter figures against the \
             unit's plan in force."
            .into(),
    }
}

/// `PUT /plans/{id}/figures`: a province officer enters the figure of a manual target for a unit
/// of the province and a period the plan is in force for it.
pub fn enter(
    conn: &mut DbConn,
    user: &AuthUser,
    plan_id: &str,
    req: &FigureRequest,
    now: NaiveDateTime,
) -> Result<EnteredFigure, ApiError> {
    crate::auth::require_role(user, &[Role::ProvinceOfficer])?;
    let (code, value) = req.parse().map_err(ApiError::Validation)?;
    // Only a plan of the caller's province (its own, or a former province's it took in) exists
    // for it; another province's is 404 (an administrator sees every province's).
    let row = store::by_id(conn, plan_id)?.ok_or(ApiError::NotFound)?;
    let mine =
        crate::units::store::find(conn, &user.scope.to_string())?.ok_or(ApiError::NotFound)?;
    if user.role != Role::Admin && !origins(conn, &mine)?.contains(&row.province_code) {
        return Err(ApiError::NotFound);
    }
    let unit = crate::units::scope::require_code(conn, user, &code)?;
    // The plan must be the unit's plan in force for the period (a draft never is).
    let origins = origins(conn, &unit)?;
    let plan = plan_for(conn, &origins, req.period)?
        .filter(|p| p.id == plan_id)
        .ok_or_else(not_in_force)?;
    let manual = usize::try_from(req.seq)
        .ok()
        .and_then(|i| plan.targets.get(i))
        .is_some_and(|t| t.metric == Metric::Manual);
    if !manual {
        return Err(ApiError::field(
            "seq",
            ValidationError::UnknownValue { allowed: &[] },
        ));
    }
    let row = FigureRow {
        plan_id: plan.id,
        seq: req.seq,
        unit_code: unit.code,
        period: req.period,
        value,
        entered_by: user.id.clone(),
        entered_at: now,
    };
    store::put_figure(conn, &row)?;
    Ok(EnteredFigure {
        plan_id: row.plan_id,
        seq: row.seq,
        unit_code: row.unit_code,
        period: row.period,
        value: row.value,
        entered_at: row.entered_at,
    })
}

/// The figures entered for a period against `plan_ids`, for the units `codes`.
pub fn entered(
    conn: &mut DbConn,
    plan_ids: &[String],
    codes: &[String],
    period: i32,
) -> Result<Entered, ApiError> {
    Ok(store::figures_of(conn, plan_ids, codes, period)?
        .into_iter()
        .map(|f| ((f.plan_id, f.seq, f.unit_code), f.value))
        .collect())
}

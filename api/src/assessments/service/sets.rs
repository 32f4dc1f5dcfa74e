//! Criteria sets (bộ tiêu chí): the national ones built in, a province's own published beside
//! them, the one that applies to a unit.

use std::sync::OnceLock;

use bvantq_shared::assessment::{self as a, CriteriaSet};
use bvantq_shared::{Role, UnitKind, ValidationError};
use chrono::NaiveDateTime;

use crate::assessments::store;
use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;

static SETS: OnceLock<Vec<CriteriaSet>> = OnceLock::new();

/// The built-in national criteria sets, checked once.
pub fn builtin_sets() -> &'static [CriteriaSet] {
    SETS.get_or_init(|| match CriteriaSet::builtin() {
        Ok(s) => s,
        Err(e) => {
            // Built-in data is checked by the shared crate's tests; this cannot ship broken.
            tracing::error!(error = %e, "built-in criteria sets are invalid");
            Vec::new()
        }
    })
}

/// The national sets and every province's own versions.
pub fn all_sets(conn: &mut DbConn) -> Result<Vec<CriteriaSet>, ApiError> {
    let mut out = builtin_sets().to_vec();
    for row in store::sets(conn)? {
        out.push(serde_json::from_str(&row.body).map_err(ApiError::internal)?);
    }
    Ok(out)
}

/// The set a new assessment of `kind` in `province` uses: the province's own latest version,
/// else the latest national one.
pub fn set_for(conn: &mut DbConn, kind: UnitKind, province: &str) -> Result<CriteriaSet, ApiError> {
    let sets = all_sets(conn)?;
    let pick = |own: bool| {
        sets.iter()
            .filter(|s| {
                s.unit_kind == kind
                    && if own {
                        s.province.as_deref() == Some(province)
                    } else {
                        s.province.is_none()
                    }
            })
            .max_by_key(|s| s.version)
            .cloned()
    };
    pick(true)
        .or_else(|| pick(false))
        .ok_or_else(|| ApiError::field("unit", ValidationError::UnitKindNotAllowed))
}

pub fn set_by_id(conn: &mut DbConn, id: &str) -> Result<CriteriaSet, ApiError> {
    if let Some(s) = builtin_sets().iter().find(|s| s.id == id) {
        return Ok(s.clone());
    }
    let row = store::set_by_id(conn, id)?
        .ok_or_else(|| ApiError::internal(format!("criteria set {id} missing")))?;
    serde_json::from_str(&row.body).map_err(ApiError::internal)
}

/// A province officer publishes the province's own version of a national set: the national
/// criteria plus its own, with its own bands if given. Sets are never edited, only superseded.
pub fn create_province_set(
    conn: &mut DbConn,
    user: &AuthUser,
    req: &a::ProvinceSetRequest,
    now: NaiveDateTime,
) -> Result<CriteriaSet, ApiError> {
    // An administrator too, for the province of its scope (as everywhere, administrators may).
    if !matches!(user.role, Role::ProvinceOfficer | Role::Admin) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let province = user.scope.to_string();
    let base = builtin_sets()
        .iter()
        .find(|s| s.id == req.base)
        .cloned()
        .ok_or_else(|| ApiError::field("base", ValidationError::UnknownValue { allowed: &[] }))?;
    let mut e = bvantq_shared::Errors::new();
    for (i, c) in req.extra_criteria.iter().enumerate() {
        e.check(
            &format!("extra_criteria.{i}.title_vi"),
            bvantq_shared::text::parse_line(&c.title_vi, 500),
        );
        if c.deciding().next().is_some() || !c.supporting.is_empty() {
            e.push(
                ValidationError::UnknownValue { allowed: &[] }
                    .on(format!("extra_criteria.{i}.evidence")),
            );
        }
    }
    // A province's own scorecard comes with the document it is taken from.
    let source = match (
        &req.scorecard,
        req.scorecard_source.as_deref().map(str::trim),
    ) {
        (None, None | Some("")) => None,
        (Some(_), Some(src)) if !src.is_empty() => e.check(
            "scorecard_source",
            bvantq_shared::text::parse_line(src, 200),
        ),
        (Some(_), _) => {
            e.push(ValidationError::Required.on("scorecard_source"));
            None
        }
        (None, Some(_)) => {
            e.push(ValidationError::Required.on("scorecard"));
            None
        }
    };
    e.into_result()?;
    let existing = all_sets(conn)?
        .into_iter()
        .filter(|s| s.unit_kind == base.unit_kind)
        .map(|s| s.version)
        .max()
        .unwrap_or(base.version);
    let version = existing + 1;
    let mut set = base.clone();
    set.id = format!("tt124-{}-p{province}-v{version}", base.unit_kind);
    set.version = version;
    set.province = Some(province.clone());
    set.title_vi = format!("{} — phiên bản của tỉnh {province}", base.title_vi);
    set.title_en = format!("{} — version of province {province}", base.title_en);
    set.criteria.extend(req.extra_criteria.iter().cloned());
    if let Some(b) = req.bands {
        set.bands = b;
    }
    if let Some(items) = &req.scorecard {
        set.scorecard = items.clone();
        set.scorecard_source = source;
    }
    if let Some(t) = req.children_threshold_percent {
        if !(1..=100).contains(&t) {
            return Err(ApiError::field(
                "children_threshold_percent",
                ValidationError::OutOfRange { min: 1, max: 100 },
            ));
        }
        set.children_threshold_percent = t;
    }
    if let Some(h) = req.prompt_report_hours {
        if !(1..=720).contains(&h) {
            return Err(ApiError::field(
                "prompt_report_hours",
                ValidationError::OutOfRange { min: 1, max: 720 },
            ));
        }
        set.prompt_report_hours = h;
    }
    set.validate().map_err(|err| match err {
        a::SetError::Bands(_) => ApiError::field("bands", ValidationError::BandsOrder),
        a::SetError::Code(..) => ApiError::field("extra_criteria", ValidationError::Duplicate),
        a::SetError::Total(_, total) => {
            ApiError::field("scorecard", ValidationError::ScorecardTotal { total })
        }
        _ => ApiError::field("base", ValidationError::UnknownValue { allowed: &[] }),
    })?;
    store::insert_set(
        conn,
        &store::SetRow {
            id: set.id.clone(),
            unit_kind: set.unit_kind,
            province,
            version: i32::try_from(version).unwrap_or(i32::MAX),
            body: serde_json::to_string(&set).map_err(ApiError::internal)?,
            created_by: user.id.clone(),
            created_at: now,
        },
    )?;
    Ok(set)
}

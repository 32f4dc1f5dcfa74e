//! The unit tree's rules: who may create which kind of unit where, how a listing is read, what
//! a unit's page shows (its ancestors and its history).

use bvantq_shared::api::{NewUnit, UnitDetail, UnitPage};
use bvantq_shared::text::fold;
use bvantq_shared::{UnitCode, UnitKind, ValidationError};
use chrono::{NaiveDate, NaiveDateTime};

use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::infra::request::{decode_cursor, page_limit, paginate};
use crate::units::scope::require as require_scope;
use crate::units::store::{self as units, NewUnitRow, UnitQuery};
use crate::units::tree as unit_tree;

/// A listing as the request gave it.
#[derive(Debug, Default)]
pub struct ListRequest {
    pub parent: Option<String>,
    pub q: Option<String>,
    pub kind: Option<String>,
    pub include_history: bool,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// A listing checked before any database work: a bad parent, kind, search or cursor is a 422
/// naming its field.
#[derive(Debug)]
pub struct Listing {
    query: UnitQuery,
    limit: i64,
}

impl Listing {
    pub fn parse(r: ListRequest) -> Result<Self, ApiError> {
        let limit = page_limit(r.limit, 100, 1000)?;
        let parent = match r.parent.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Some(
                UnitCode::parse(s)
                    .map_err(|e| ApiError::field("parent", e))?
                    .to_string(),
            ),
            None => None,
        };
        let kind = match r.kind.as_deref().filter(|s| !s.is_empty()) {
            Some(k) => Some(UnitKind::parse(k).map_err(|e| ApiError::field("kind", e))?),
            None => None,
        };
        let q = r.q.as_deref().map(fold).filter(|s| !s.is_empty());
        if q.as_ref().is_some_and(|s| s.chars().count() > 100) {
            return Err(ApiError::field("q", ValidationError::TooLong { max: 100 }));
        }
        let cursor = r.cursor.as_deref().map(decode_cursor).transpose()?;
        // A search pages by position (it is ordered by relevance), a listing by code.
        let (after, offset) = match (&q, cursor) {
            (_, None) => (None, 0),
            (None, Some(code)) => (Some(code), 0),
            (Some(_), Some(n)) => {
                let n = n.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                    ApiError::field("cursor", ValidationError::UnknownValue { allowed: &[] })
                })?;
                (None, n)
            }
        };
        Ok(Listing {
            query: UnitQuery {
                parent,
                q,
                kind,
                include_history: r.include_history,
                after,
                offset,
                limit: limit + 1,
                under_path: None,
            },
            limit,
        })
    }
}

/// One page of units.
pub fn list(conn: &mut DbConn, l: &Listing, today: NaiveDate) -> Result<UnitPage, ApiError> {
    let rows = units::list(conn, &l.query, today)?;
    let (rows, next_cursor) = match l.query.q {
        None => paginate(rows, l.limit, |r| r.code.clone()),
        Some(_) => {
            let next = (l.query.offset + l.limit).to_string();
            paginate(rows, l.limit, move |_| next.clone())
        }
    };
    let mut items: Vec<_> = rows.iter().map(|r| r.to_dto(today)).collect();
    // A search shows the province beside each unit below one (two communes share a name).
    if l.query.q.is_some() {
        let codes: Vec<&str> = rows
            .iter()
            .filter(|r| r.kind != UnitKind::Province)
            .map(|r| r.province_code())
            .collect();
        let provinces = units::find_many(conn, &codes)?;
        for (dto, row) in items.iter_mut().zip(&rows) {
            if row.kind != UnitKind::Province {
                dto.province = provinces
                    .iter()
                    .find(|p| p.code == row.province_code())
                    .map(|p| p.name.clone());
            }
        }
    }
    Ok(UnitPage { items, next_cursor })
}

/// One unit with its ancestors and its history (what it replaced, what replaced it).
pub fn detail(
    conn: &mut DbConn,
    code: &UnitCode,
    today: NaiveDate,
) -> Result<UnitDetail, ApiError> {
    let unit = units::find(conn, code.as_str())?.ok_or(ApiError::NotFound)?;
    let lineage: Vec<&str> = unit.lineage();
    let ancestor_codes = &lineage[..lineage.len().saturating_sub(1)];
    let mut ancestors = units::find_many(conn, ancestor_codes)?;
    ancestors.sort_by_key(|a| a.path.len());
    Ok(UnitDetail {
        ancestors: ancestors.iter().map(|a| a.to_dto(today)).collect(),
        predecessors: units::predecessors(conn, &unit.code)?
            .iter()
            .map(|u| u.to_dto(today))
            .collect(),
        successors: units::successors(conn, &unit)?
            .iter()
            .map(|u| u.to_dto(today))
            .collect(),
        children_count: units::children_count(conn, &unit.code)?,
        unit: unit.to_dto(today),
    })
}

/// Creates a residential area, school, class, agency, enterprise or department under a parent
/// in the caller's scope, if the caller's role may create that kind there.
pub fn create(
    conn: &mut DbConn,
    user: &AuthUser,
    new: NewUnit,
    now: NaiveDateTime,
) -> Result<UnitDetail, ApiError> {
    may_create(user, &new)?;
    let parent = units::find(conn, new.parent.as_str())?
        .ok_or_else(|| ApiError::field("parent_code", ValidationError::UnknownUnit))?;
    require_scope(user, &parent)?;
    if !parent.is_current(now.date()) || !new.kind.allowed_under(parent.kind) {
        return Err(ApiError::field("kind", ValidationError::UnitKindNotAllowed));
    }
    let code = unit_tree::next_platform_code(conn, &parent, new.kind)?;
    let row = NewUnitRow {
        name_ascii: fold(&new.name),
        path: units::child_path(Some(&parent), code.as_str()),
        code: code.to_string(),
        kind: new.kind,
        name: new.name,
        full_name: new.full_name,
        parent_code: Some(parent.code.clone()),
        valid_from: Some(now.date()),
        valid_to: None,
        replaced_by: None,
        created_at: now,
        updated_at: now,
    };
    units::insert(conn, &row)?;
    // Outside the Thông tư from the start (art. 1.2.b), in the same transaction (`may_create`
    // checked who says so).
    if let Some(x) = new.exclusion {
        units::set_exclusion(conn, &row.code, Some(x), &user.id, now)?;
    }
    tracing::info!(unit = %row.code, kind = %row.kind, by = %user.id, "unit created");
    detail(conn, &code, now.date())
}

/// Ward officers create residential areas, schools, agencies and enterprises; school admins
/// classes; org admins departments (checked before the request is even stored).
/// Whether the caller may add a unit of this kind and, when it comes outside the Thông tư
/// (art. 1.2.b), say so: only those who keep the units' eligibility do.
pub fn may_create(user: &AuthUser, new: &NewUnit) -> Result<(), ApiError> {
    if !user.role.may_create(new.kind) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    if new.exclusion.is_some() {
        crate::auth::require_role(user, bvantq_shared::registration::ELIGIBILITY_KEEPERS)?;
    }
    Ok(())
}

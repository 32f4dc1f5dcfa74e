//! Reading the audit log (nhật ký truy cập): a tip's trail, and a subtree's log page by page.
//! Province officers and administrators only.

use bvantq_shared::Role;
use bvantq_shared::ValidationError;
use bvantq_shared::tip::{AuditEntry, AuditPage};
use chrono::NaiveDateTime;

use super::{load_for, query_unit};
use crate::auth::{AuthUser, require_role};
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::infra::request::{decode_cursor, page_limit, paginate};
use crate::tips::store;

/// Times in audit cursors.
const CURSOR_TIME: &str = "%Y-%m-%dT%H:%M:%S%.f";

fn require_auditor(user: &AuthUser) -> Result<(), ApiError> {
    require_role(user, &[Role::ProvinceOfficer])
}

fn entry(a: store::AuditRow) -> AuditEntry {
    AuditEntry {
        id: a.id,
        at: a.at,
        actor_id: a.actor_id,
        actor_role: a.actor_role,
        action: a.action,
        tip_id: a.tip_id,
        detail: a.detail,
    }
}

/// Every content read and every change of one tip, oldest first.
pub fn trail(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<Vec<AuditEntry>, ApiError> {
    require_auditor(user)?;
    let t = load_for(conn, user, id)?;
    Ok(store::audit_for_tip(conn, &t.id)?
        .into_iter()
        .map(entry)
        .collect())
}

/// A page of the log: who may read it, and a checked cursor.
#[derive(Debug)]
pub struct LogRequest {
    unit: Option<String>,
    before: Option<(NaiveDateTime, String)>,
    limit: i64,
}

impl LogRequest {
    /// Checks the request before any database work.
    pub fn parse(
        user: &AuthUser,
        unit: Option<String>,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> Result<Self, ApiError> {
        require_auditor(user)?;
        let limit = page_limit(limit, 100, 500)?;
        let before = cursor
            .map(|c| {
                let raw = decode_cursor(c)?;
                let bad =
                    || ApiError::field("cursor", ValidationError::UnknownValue { allowed: &[] });
                let (at, id) = raw.split_once('|').ok_or_else(bad)?;
                let at = NaiveDateTime::parse_from_str(at, CURSOR_TIME).map_err(|_| bad())?;
                Ok::<_, ApiError>((at, id.to_string()))
            })
            .transpose()?;
        Ok(LogRequest {
            unit,
            before,
            limit,
        })
    }
}

/// The log of a unit's subtree, newest first. An administrator without a unit reads all of it.
pub fn log_page(conn: &mut DbConn, user: &AuthUser, r: LogRequest) -> Result<AuditPage, ApiError> {
    let unit = query_unit(conn, user, r.unit.as_deref())?;
    let prefix = (user.role != Role::Admin || r.unit.is_some()).then_some(unit.path);
    let rows = store::audit_list(conn, prefix.as_deref(), r.before, r.limit)?;
    let (rows, next) = paginate(rows, r.limit, |a| {
        format!("{}|{}", a.at.format(CURSOR_TIME), a.id)
    });
    Ok(AuditPage {
        items: rows.into_iter().map(entry).collect(),
        next_cursor: next,
    })
}

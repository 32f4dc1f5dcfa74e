//! The officers' queue: which tips, in which order, page by page. No content is listed, so
//! listing is not a content read.

use bvantq_shared::tip::procedure::Holder;
use bvantq_shared::tip::{DUE_SOON_DAYS, TipPage, vn_date};
use bvantq_shared::{Role, TipCategory, TipStatus, ValidationError};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::{SettingsCache, commune_names, query_unit, summary};
use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::infra::request::{decode_cursor, page_limit, paginate};
use crate::tips::store;

/// The queue's filters as the request gave them.
#[derive(Debug, Default)]
pub struct QueueRequest {
    pub unit: Option<String>,
    /// Comma-separated statuses.
    pub status: Option<String>,
    pub category: Option<String>,
    /// `me`, or an officer's user id.
    pub assigned: Option<String>,
    pub overdue: bool,
    pub due_soon: bool,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// The filters checked: every value known, the cursor one this server wrote.
#[derive(Debug)]
pub struct Queue {
    unit: Option<String>,
    statuses: Vec<TipStatus>,
    category: Option<TipCategory>,
    assigned: Option<String>,
    overdue: bool,
    due_soon: bool,
    after: Option<(i32, NaiveDate, String)>,
    limit: i64,
}

impl Queue {
    /// Checks a request before any database work; an unknown status, category or cursor is a
    /// 422 naming its field.
    pub fn parse(r: QueueRequest) -> Result<Self, ApiError> {
        let limit = page_limit(r.limit, 50, 200)?;
        let mut statuses = Vec::new();
        for s in r.status.as_deref().unwrap_or("").split(',').map(str::trim) {
            if !s.is_empty() {
                let s = TipStatus::parse(s).map_err(|e| ApiError::field("status", e))?;
                statuses.push(s);
            }
        }
        // Overdue and due-soon speak of the legal clock, which only runs on open tips.
        if r.overdue || r.due_soon {
            statuses.retain(|s| TipStatus::OPEN.contains(s));
            if statuses.is_empty() {
                statuses = TipStatus::OPEN.to_vec();
            }
        }
        let category = r
            .category
            .as_deref()
            .map(TipCategory::parse)
            .transpose()
            .map_err(|e| ApiError::field("category", e))?;
        let after = r.cursor.as_deref().map(cursor_after).transpose()?;
        Ok(Queue {
            unit: r.unit,
            statuses,
            category,
            assigned: r.assigned,
            overdue: r.overdue,
            due_soon: r.due_soon,
            after,
            limit,
        })
    }
}

/// A queue cursor: `priority|deadline|id` of the last row seen.
fn cursor_after(c: &str) -> Result<(i32, NaiveDate, String), ApiError> {
    let raw = decode_cursor(c)?;
    let bad = || ApiError::field("cursor", ValidationError::UnknownValue { allowed: &[] });
    let mut it = raw.splitn(3, '|');
    let priority = it.next().and_then(|x| x.parse().ok()).ok_or_else(bad)?;
    let deadline = it
        .next()
        .and_then(|x| NaiveDate::parse_from_str(x, "%Y-%m-%d").ok())
        .ok_or_else(bad)?;
    let id = it.next().ok_or_else(bad)?.to_string();
    Ok((priority, deadline, id))
}

/// One page of the queue in the caller's scope: life-safety first, then the nearest deadline.
pub fn queue(
    conn: &mut DbConn,
    user: &AuthUser,
    q: Queue,
    now: NaiveDateTime,
) -> Result<TipPage, ApiError> {
    let today = vn_date(now);
    let unit = query_unit(conn, user, q.unit.as_deref())?;
    let query = store::TipQuery {
        path_prefix: unit.path.clone(),
        statuses: q.statuses,
        category: q.category,
        assigned_to: q
            .assigned
            .map(|a| if a == "me" { user.id.clone() } else { a }),
        // The investigating body's queue holds what was handed to it.
        holder: (user.role == Role::Investigator).then_some(Holder::InvestigatingBody),
        due_before: q.overdue.then_some(now),
        deadline_on_or_before: (q.due_soon && !q.overdue)
            .then(|| today + TimeDelta::days(DUE_SOON_DAYS)),
        after: q.after,
        limit: q.limit,
    };
    let (rows, next) = paginate(store::list(conn, &query)?, q.limit, |t| {
        format!("{}|{}|{}", t.priority, t.deadline, t.id)
    });
    let names = commune_names(conn, rows.iter().map(|t| t.commune_code.as_str()))?;
    let mut settings = SettingsCache::default();
    let items = rows
        .iter()
        .map(|t| {
            summary(
                t,
                names.get(&t.commune_code)?,
                now,
                &settings.get(conn, &t.unit_path)?,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(TipPage {
        items,
        next_cursor: next,
    })
}

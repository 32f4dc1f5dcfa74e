//! Notices of urgent tips: a life-safety tip (or a transfer due within 24 hours) shows at once in
//! the console of the commune's police, goes to the province when nobody of the commune opened it
//! within the province's minutes (15 by default), and reaches the gateway through the outbox
//! with retries and a dead-letter list. Nothing of the tip's content goes into a notice.

use bvantq_shared::tip::notice::{GatewayNotice, Notice, NoticeAudience, NoticeKind, notice_text};
use bvantq_shared::{Role, TipStatus};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::RunQueryDsl;

use super::*;
use crate::tips::store::{NoticeRow, OutboxRow};

/// Where an officer opens the console, as the gateway's message says.
pub const CONSOLE_PATH: &str = "/console";
/// How long one delivery attempt may hold its row before another instance may try it.
const ATTEMPT_LEASE: TimeDelta = TimeDelta::minutes(2);

/// The wait before the next attempt after `attempts` failed ones: 30 s, then doubling, at most
/// an hour.
pub fn backoff(attempts: i32) -> TimeDelta {
    let secs = 30i64.saturating_mul(1i64 << (attempts - 1).clamp(0, 20));
    TimeDelta::seconds(secs.min(3600))
}

#[cfg(test)]
mod tests {
    #[test]
    fn retries_wait_30_seconds_then_double_up_to_an_hour() {
        let secs: Vec<i64> = (1..=9).map(|n| super::backoff(n).num_seconds()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }
}

/// Writes a notice about tip `t` (and, with a gateway configured, its outbox row), in the
/// caller's transaction. A tip has at most one notice of each kind (a unique index), so two
/// instances running the jobs at once cannot send it twice: the second insert fails and its
/// transaction is tried again on the next tick, when the notice is there. The notice's id is
/// random: the gateway never learns the tip's. `None` when the tip already has it. No log line
/// here: at intake this runs inside the reporter's request, which leaves none (the jobs log their
/// counts).
pub fn notify(
    conn: &mut DbConn,
    cfg: &Config,
    t: &TipRow,
    kind: NoticeKind,
    audience: NoticeAudience,
    now: NaiveDateTime,
) -> Result<Option<NoticeRow>, ApiError> {
    if store::has_notice_of(conn, &t.id, kind)? {
        return Ok(None);
    }
    let row = NoticeRow {
        id: db::new_id(),
        tip_id: t.id.clone(),
        kind,
        audience,
        unit_path: t.unit_path.clone(),
        commune_code: t.commune_code.clone(),
        created_at: now,
        opened_at: None,
        escalated_at: None,
    };
    store::insert_notice(conn, &row)?;
    if cfg.notice_webhook_url.is_some() {
        let names = commune_names(conn, [t.commune_code.as_str()])?;
        let (message_vi, message_en) = notice_text(kind, names.get(&t.commune_code)?);
        let payload = GatewayNotice {
            id: row.id.clone(),
            kind,
            audience,
            commune_code: t.commune_code.clone(),
            message_vi,
            message_en,
            console_path: CONSOLE_PATH.into(),
        };
        store::insert_outbox(
            conn,
            &OutboxRow {
                id: row.id.clone(),
                notice_id: row.id.clone(),
                payload: serde_json::to_string(&payload).map_err(ApiError::internal)?,
                attempts: 0,
                next_at: now,
                delivered_at: None,
                dead_at: None,
                last_error: None,
            },
        )?;
    }
    Ok(Some(row))
}

/// Whether this caller sees a notice: the commune's police their commune's, the province its
/// escalations (administrators all), each inside the caller's scope.
fn sees(user: &AuthUser, n: &NoticeRow) -> bool {
    let audience = match n.audience {
        NoticeAudience::Commune => user.role.is_commune_police(),
        NoticeAudience::Province => user.role == Role::ProvinceOfficer,
    };
    (audience || user.role == Role::Admin) && crate::units::scope::covers(user, &n.unit_path)
}

/// Notices this caller sees after `after` (`(created_at, id)`), oldest first.
pub fn notices_for(
    conn: &mut DbConn,
    user: &AuthUser,
    after: &(NaiveDateTime, String),
    limit: i64,
) -> Result<(Vec<Notice>, (NaiveDateTime, String)), ApiError> {
    require_tip_role(user)?;
    let rows = store::notices_after(conn, after, limit)?;
    let cursor = rows
        .last()
        .map_or_else(|| after.clone(), |r| (r.created_at, r.id.clone()));
    let rows: Vec<NoticeRow> = rows.into_iter().filter(|n| sees(user, n)).collect();
    let names = commune_names(conn, rows.iter().map(|n| n.commune_code.as_str()))?;
    let notices = rows
        .into_iter()
        .map(|n| {
            let name = names.get(&n.commune_code)?.to_string();
            let (message_vi, message_en) = notice_text(n.kind, &name);
            Ok(Notice {
                id: n.id,
                kind: n.kind,
                audience: n.audience,
                tip_id: n.tip_id,
                commune_code: n.commune_code,
                commune_name: name,
                created_at: n.created_at,
                opened_at: n.opened_at,
                message_vi,
                message_en,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok((notices, cursor))
}

/// What one run of the notice jobs did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NoticeReport {
    pub transfer_due: usize,
    pub escalated: usize,
}

/// The advisory lock (PostgreSQL) that the notice jobs of a fleet's instances take in turn.
const NOTICE_JOBS_LOCK: i64 = 0x6276_616e_7471_0001;

/// The notice jobs, run by the maintenance thread every few seconds: a notice for each tip whose
/// transfer limit ends within 24 hours and that has none yet, and the province's notice for each
/// urgent one nobody of the commune opened within the province's minutes.
pub fn notice_jobs(
    conn: &mut DbConn,
    cfg: &Config,
    now: NaiveDateTime,
) -> Result<NoticeReport, ApiError> {
    let mut report = NoticeReport::default();
    db::write_tx(conn, |conn| {
        // One instance of a fleet at a time: the next waits for this one's commit and then finds
        // the notices it made (SQLite's write transaction already admits one writer).
        if let DbConn::Pg(c) = conn {
            diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
                .bind::<diesel::sql_types::BigInt, _>(NOTICE_JOBS_LOCK)
                .execute(c)?;
        }
        for t in store::transfers_due(conn, now + TimeDelta::hours(24))? {
            // Only tips with no notice yet come back (an urgent tip has had one).
            if notify(
                conn,
                cfg,
                &t,
                NoticeKind::TransferDue,
                NoticeAudience::Commune,
                now,
            )?
            .is_some()
            {
                report.transfer_due += 1;
            }
        }
        let mut settings = SettingsCache::default();
        for n in store::unopened_before(conn, now)? {
            let minutes = settings.get(conn, &n.unit_path)?.escalate_minutes;
            if n.created_at + TimeDelta::minutes(i64::from(minutes)) > now {
                continue;
            }
            let Some(t) = store::by_id(conn, &n.tip_id)? else {
                continue;
            };
            // A tip already handed on or closed needs no one to be woken.
            if matches!(t.status, TipStatus::Received | TipStatus::Verifying)
                && notify(
                    conn,
                    cfg,
                    &t,
                    NoticeKind::Escalated,
                    NoticeAudience::Province,
                    now,
                )?
                .is_some()
            {
                report.escalated += 1;
            }
            store::set_escalated(conn, &n.id, now)?;
        }
        Ok::<_, ApiError>(())
    })?;
    Ok(report)
}

/// What one delivery pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    pub delivered: usize,
    pub failed: usize,
    pub dead: usize,
}

/// Posts the due outbox rows to the gateway with `post(url, idempotency key, json)`; a failure
/// is tried again after [`backoff`], and after `notice_max_attempts` the row goes to the
/// dead-letter list. Each row is claimed first, so two instances never send it at once; the
/// gateway sees the notice's id as `Idempotency-Key` on every attempt.
pub fn deliver(
    conn: &mut DbConn,
    cfg: &Config,
    now: NaiveDateTime,
    post: &dyn Fn(&str, &str, &str) -> Result<(), String>,
) -> Result<DeliveryReport, ApiError> {
    let mut report = DeliveryReport::default();
    let Some(url) = cfg.notice_webhook_url.as_deref() else {
        return Ok(report);
    };
    for row in store::outbox_due(conn, now, 50)? {
        if !store::claim_outbox(conn, &row, now + ATTEMPT_LEASE)? {
            continue;
        }
        let attempts = row.attempts + 1;
        let outcome = match post(url, &row.id, &row.payload) {
            Ok(()) => {
                report.delivered += 1;
                Ok(now)
            }
            Err(e) => {
                let dead = attempts >= cfg.notice_max_attempts;
                if dead {
                    report.dead += 1;
                    tracing::error!(notice = %row.notice_id, attempts, error = %e, "notice dead-lettered");
                } else {
                    report.failed += 1;
                    tracing::warn!(notice = %row.notice_id, attempts, error = %e, "notice delivery failed");
                }
                Err((e, dead.then_some(now), now + backoff(attempts)))
            }
        };
        store::finish_outbox(conn, &row.id, attempts, outcome)?;
    }
    Ok(report)
}

/// The dead-letter list, for the province and administrators: what the gateway never took.
pub fn dead_letters(
    conn: &mut DbConn,
    user: &AuthUser,
) -> Result<Vec<bvantq_shared::tip::notice::DeadLetter>, ApiError> {
    crate::auth::require_role(user, &[Role::ProvinceOfficer])?;
    let mut out = Vec::new();
    for r in store::dead_letters(conn, 200)? {
        let n: GatewayNotice = serde_json::from_str(&r.payload).map_err(ApiError::internal)?;
        let in_scope = match store::notice(conn, &r.notice_id)? {
            Some(row) => crate::units::scope::covers(user, &row.unit_path),
            None => false,
        };
        if in_scope {
            out.push(bvantq_shared::tip::notice::DeadLetter {
                id: r.id,
                kind: n.kind,
                commune_code: n.commune_code,
                attempts: r.attempts,
                dead_at: r.dead_at,
                last_error: r.last_error,
            });
        }
    }
    Ok(out)
}

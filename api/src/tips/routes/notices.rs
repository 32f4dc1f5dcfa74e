//! `/notices`: urgent-tip notices for the console — a list by cursor, the same as a stream of
//! server-sent events, and the gateway's dead-letter list.

use std::collections::HashSet;
use std::time::Duration;

use actix_web::http::header::CACHE_CONTROL;
use actix_web::web::{Bytes, Data, Json, Query};
use actix_web::{HttpResponse, get};
use bvantq_shared::error::Problem;
use bvantq_shared::tip::notice::{DeadLetter, NoticePage};
use chrono::{NaiveDateTime, TimeDelta};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::request::decode_cursor;
use crate::tips::service as tips;

/// How often a stream looks for new notices (an urgent tip shows within this, plus the render).
pub const POLL: Duration = Duration::from_secs(1);
/// A comment line keeps proxies from closing a quiet stream.
const HEARTBEAT_POLLS: u32 = 15;
/// A stream ends after this and the console opens a new one (a fresh token, another instance).
const STREAM_FOR: Duration = Duration::from_secs(600);
/// How far back a new stream starts: the notices of the last day.
const LOOKBACK: TimeDelta = TimeDelta::hours(24);
/// Notices are stamped to the minute (like the tips they are about): each look goes back this
/// far, and what was already sent is skipped by id.
const OVERLAP: TimeDelta = TimeDelta::minutes(2);

#[derive(Debug, Deserialize, IntoParams)]
pub struct NoticeParams {
    /// The `next_cursor` of the previous page; absent: the last 24 hours.
    cursor: Option<String>,
}

fn cursor_of(raw: Option<&str>, now: NaiveDateTime) -> Result<(NaiveDateTime, String), ApiError> {
    let Some(c) = raw else {
        return Ok((now - LOOKBACK, String::new()));
    };
    let bad = || {
        ApiError::field(
            "cursor",
            bvantq_shared::ValidationError::UnknownValue { allowed: &[] },
        )
    };
    let raw = decode_cursor(c)?;
    let (at, id) = raw.split_once('|').ok_or_else(bad)?;
    let at = NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S%.f").map_err(|_| bad())?;
    Ok((at, id.to_string()))
}

/// Notices for the caller after a cursor: the commune's police see their commune's, the province
/// its escalations. A notice says which commune and why — never the tip's content.
#[utoipa::path(operation_id = "list_notices", tag = "tips", security(("bearer" = [])), params(NoticeParams),
    responses((status = 200, body = NoticePage), (status = 403, body = Problem), (status = 422, body = Problem)))]
#[get("/notices")]
pub async fn list(
    state: Data<Core>,
    user: AuthUser,
    params: Query<NoticeParams>,
) -> Result<Json<NoticePage>, ApiError> {
    let after = cursor_of(params.cursor.as_deref(), state.now())?;
    let (items, (at, id)) = state
        .db(move |conn| tips::notices_for(conn, &user, &after, 200))
        .await?;
    Ok(Json(NoticePage {
        items,
        next_cursor: crate::infra::request::encode_cursor(&format!(
            "{}|{id}",
            at.format("%Y-%m-%dT%H:%M:%S%.f")
        )),
    }))
}

/// The same notices as server-sent events (`event: notice`, `data:` a `Notice`), from the last
/// 24 hours and then as they come (looked for every second); a comment every 15 s; the stream
/// ends after 10 minutes and the client opens a new one.
#[utoipa::path(operation_id = "stream_notices", tag = "tips", security(("bearer" = [])),
    responses((status = 200, description = "Server-sent events; each `data:` is a Notice", content_type = "text/event-stream"),
        (status = 403, body = Problem)))]
#[get("/notices/stream")]
pub async fn stream(state: Data<Core>, user: AuthUser) -> Result<HttpResponse, ApiError> {
    crate::tips::service::require_tip_role(&user)?;
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((CACHE_CONTROL, "no-store"))
        // nginx passes events on as they come instead of buffering them.
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(events(state, user)))
}

/// Where a stream stands: what it has sent, from when it looks, until when it runs.
struct StreamState {
    state: Data<Core>,
    user: AuthUser,
    since: NaiveDateTime,
    sent: HashSet<String>,
    polls: u32,
    until: std::time::Instant,
    first: bool,
}

/// The events of one stream: `retry:` first, then each notice once as it appears (looked for
/// every [`POLL`]), a comment now and then, until [`STREAM_FOR`] has passed.
fn events(
    state: Data<Core>,
    user: AuthUser,
) -> impl futures_util::Stream<Item = Result<Bytes, ApiError>> {
    let start = StreamState {
        since: state.now() - LOOKBACK,
        state,
        user,
        sent: HashSet::new(),
        polls: 0,
        until: std::time::Instant::now() + STREAM_FOR,
        first: true,
    };
    futures_util::stream::unfold(start, |mut s| async move {
        if s.first {
            s.first = false;
            // Tells EventSource-style clients to come back after 3 s if the stream drops.
            return Some((Ok(Bytes::from_static(b"retry: 3000\n\n")), s));
        }
        while std::time::Instant::now() < s.until {
            let out = next_events(&mut s).await?;
            if !out.is_empty() {
                return Some((Ok(Bytes::from(out)), s));
            }
            actix_web::rt::time::sleep(POLL).await;
        }
        None
    })
}

/// One look for notices: the new ones as events (or a heartbeat comment); `None` ends the
/// stream (the database failed).
async fn next_events(s: &mut StreamState) -> Option<String> {
    let (user, after) = (s.user.clone(), (s.since - OVERLAP, String::new()));
    let items = match s
        .state
        .db(move |conn| tips::notices_for(conn, &user, &after, 500))
        .await
    {
        Ok((items, _)) => items,
        Err(e) => {
            tracing::warn!(error = %e, "notice stream stopped");
            return None;
        }
    };
    let mut out = String::new();
    for n in items {
        s.since = s.since.max(n.created_at);
        if s.sent.insert(n.id.clone()) {
            match serde_json::to_string(&n) {
                Ok(json) => out.push_str(&format!("event: notice\nid: {}\ndata: {json}\n\n", n.id)),
                Err(e) => tracing::warn!(error = %e, "notice not serialised"),
            }
        }
    }
    s.polls += 1;
    if out.is_empty() && s.polls.is_multiple_of(HEARTBEAT_POLLS) {
        out.push_str(": ping\n\n");
    }
    Some(out)
}

/// Notices the gateway never took after every attempt (the province's and administrators').
#[utoipa::path(operation_id = "notice_dead_letters", tag = "tips", security(("bearer" = [])),
    responses((status = 200, body = [DeadLetter]), (status = 403, body = Problem)))]
#[get("/notices/dead-letters")]
pub async fn dead_letters(
    state: Data<Core>,
    user: AuthUser,
) -> Result<Json<Vec<DeadLetter>>, ApiError> {
    state
        .db(move |conn| tips::dead_letters(conn, &user))
        .await
        .map(Json)
}

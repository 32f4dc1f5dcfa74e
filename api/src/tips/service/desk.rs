//! The officers' side: a tip's content (each read audited first), its photos, the workflow with a
//! reason on every step, assignment, priority, extensions, replies and notes.

use bvantq_shared::tip::{
    self, OfficerMessage, TipDetail, TipEvent, TipPriority, TipSummary, truncate_to_minute,
};
use bvantq_shared::{Role, ValidationError};
use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::auth::AuthUser;
use crate::infra::config::Config;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::tips::store;

/// A tip's full content. The read is audited first, in its own committed transaction: content
/// is never returned without its audit entry.
pub fn read_detail(
    conn: &mut DbConn,
    cfg: &Config,
    user: &AuthUser,
    id: &str,
    now: NaiveDateTime,
) -> Result<TipDetail, ApiError> {
    let t = db::write_tx(conn, |conn| {
        let t = load_for(conn, user, id)?;
        audit(conn, user, AuditAction::Read, Some(&t), None, now)?;
        // An officer of the commune has seen it: its notices stop waiting for someone.
        if user.role.is_commune_police() {
            store::open_notices(conn, &t.id, now)?;
        }
        Ok::<_, ApiError>(t)
    })?;
    let summary = summary_of(conn, &mut SettingsCache::default(), &t, now)?;
    let content = match (&t.key_id, &t.content) {
        (Some(k), Some(c)) => {
            let plain = cfg
                .tip_sealer
                .open(k, &content_context(&t.id), c)
                .map_err(ApiError::internal)?;
            serde_json::from_slice::<Content>(&plain).map_err(ApiError::internal)?
        }
        _ => Content::default(),
    };
    let photos = store::photo_index(conn, &t.id)?;
    let mut messages = Vec::new();
    for m in store::messages(conn, &t.id)? {
        messages.push(OfficerMessage {
            body: open_message(cfg, &m)?,
            photo_ids: photos
                .iter()
                .filter(|(_, mid)| mid.as_deref() == Some(m.id.as_str()))
                .map(|(p, _)| p.clone())
                .collect(),
            id: m.id,
            kind: m.kind,
            author_id: m.author_id,
            at: m.created_at,
        });
    }
    let history = store::events(conn, &t.id)?
        .into_iter()
        .map(|e| TipEvent {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            kind: e.kind,
            from_status: e.from_status,
            to_status: e.to_status,
            detail: e.detail,
            reason: e.reason,
            step: e.step,
            act: match (e.act_number, e.act_date, e.act_signer) {
                (Some(number), Some(date), Some(signer)) => Some(tip::procedure::Act {
                    number,
                    date,
                    signer,
                }),
                _ => None,
            },
        })
        .collect();
    Ok(TipDetail {
        summary,
        description: (!content.description.is_empty()).then_some(content.description),
        place: content.place,
        latitude: content.latitude,
        longitude: content.longitude,
        incident_at: content.incident_at,
        contact_name: content.contact_name,
        contact_phone: content.contact_phone,
        photo_ids: photos
            .iter()
            .filter(|(_, m)| m.is_none())
            .map(|(p, _)| p.clone())
            .collect(),
        messages,
        history,
        merged_from: store::merged_from(conn, &t.id)?,
        shared_indicators: indicators::shared_with(
            conn,
            &cfg.tip_sealer,
            user,
            &t,
            &content.indicators,
        )?,
        indicators: content.indicators,
    })
}

/// One photo's bytes (audited like any content read).
pub fn read_photo(
    conn: &mut DbConn,
    cfg: &Config,
    user: &AuthUser,
    id: &str,
    photo_id: &str,
    now: NaiveDateTime,
) -> Result<(String, Vec<u8>), ApiError> {
    let (t, p) = db::write_tx(conn, |conn| {
        let t = load_for(conn, user, id)?;
        let p = store::photo(conn, &t.id, photo_id)?.ok_or(ApiError::NotFound)?;
        audit(
            conn,
            user,
            AuditAction::PhotoRead,
            Some(&t),
            Some(p.id.clone()),
            now,
        )?;
        Ok::<_, ApiError>((t, p))
    })?;
    let bytes = cfg
        .tip_sealer
        .open(&p.key_id, &photo_context(&t.id, &p.id), &p.data)
        .map_err(ApiError::internal)?;
    Ok((p.content_type, bytes))
}

/// The old `transition` endpoint: its targets are steps of the procedure now; `resolved` and
/// `rejected` are refused naming the rule.
pub fn transition(
    conn: &mut DbConn,
    cfg: &Config,
    user: &AuthUser,
    id: &str,
    req: &tip::TransitionRequest,
    now: NaiveDateTime,
) -> Result<TipSummary, ApiError> {
    let step = req.to_step()?;
    take_step(conn, cfg, user, id, &step, now)
}

/// Assigns a tip to an officer who can see it (or unassigns it).
pub fn assign(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    req: &tip::AssignRequest,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let t = load_for(conn, user, id)?;
    let assignee = match req
        .user_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(uid) => {
            let u = crate::accounts::store::users::by_id(conn, uid)?
                .filter(|u| {
                    u.active
                        && matches!(u.role, Role::WardOfficer | Role::ProvinceOfficer)
                        && t.unit_path.contains(&format!("/{}/", u.scope_unit))
                })
                .ok_or_else(|| {
                    ApiError::field("user_id", ValidationError::UnknownValue { allowed: &[] })
                })?;
            Some(u.id)
        }
    };
    let reason = req
        .reason
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|r| tip::parse_reason(Some(r)))
        .transpose()
        .map_err(|e| ApiError::field("reason", e))?;
    let seq = store::next_seq(conn, &t.id)?;
    store::set_assigned(conn, &t.id, assignee.as_deref())?;
    let mut e = event(
        &t.id,
        seq,
        truncate_to_minute(now),
        &user.id,
        TipEventKind::Assign,
    );
    e.detail = Some(assignee.clone().unwrap_or_else(|| "unassigned".into()));
    e.reason = reason;
    store::insert_event(conn, &e)?;
    audit(conn, user, AuditAction::Assign, Some(&t), assignee, now)
}

pub fn set_priority(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    req: &tip::PriorityRequest,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let t = load_for(conn, user, id)?;
    let (p, reason) = req.parse()?;
    let seq = store::next_seq(conn, &t.id)?;
    store::set_priority(conn, &t.id, p.rank())?;
    let mut e = event(
        &t.id,
        seq,
        truncate_to_minute(now),
        &user.id,
        TipEventKind::Priority,
    );
    e.detail = Some(format!(
        "{} -> {}",
        TipPriority::from_rank(t.priority).as_str(),
        p.as_str()
    ));
    e.reason = Some(reason);
    store::insert_event(conn, &e)?;
    audit(
        conn,
        user,
        AuditAction::Priority,
        Some(&t),
        Some(p.as_str().into()),
        now,
    )
}

/// The old `extend` endpoint: the complex-case extension to 2 months (art. 147 cl. 2). The
/// procuracy's extension is a decision with its number, date and signer: the `steps` endpoint.
pub fn extend(
    conn: &mut DbConn,
    cfg: &Config,
    user: &AuthUser,
    id: &str,
    req: &tip::ExtendRequest,
    now: NaiveDateTime,
) -> Result<NaiveDate, ApiError> {
    let step = tip::procedure::StepRequest {
        step: tip::procedure::Step::ExtendComplex.as_str().into(),
        reason: req.reason.clone(),
        ..Default::default()
    };
    Ok(take_step(conn, cfg, user, id, &step, now)?.deadline)
}

/// An officer's message to the reporter or an internal note; an officer cannot write as the
/// reporter.
pub fn officer_text(
    conn: &mut DbConn,
    cfg: &Config,
    user: &AuthUser,
    id: &str,
    kind: TipMessageKind,
    body: &tip::OfficerTextRequest,
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    let action = kind
        .audit_action()
        .ok_or(ApiError::Forbidden("forbidden"))?;
    let t = load_for(conn, user, id)?;
    let body = body.parse()?;
    let m = NewMessage {
        kind,
        author: Some(&user.id),
        body: &body,
        photos: &[],
    };
    let mid = add_message(conn, cfg, &t, m, now)?;
    audit(conn, user, action, Some(&t), Some(mid.clone()), now)?;
    Ok(mid)
}

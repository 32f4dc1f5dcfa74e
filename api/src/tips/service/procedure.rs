//! The procedure a tip follows (`bvantq_shared::tip::procedure` says what each step may do and
//! from where): taking a step — the hand-over from the commune to the investigating body, the
//! commune head's acceptance, the clock of each period, decisions with number, date and signer —
//! and a province's corrections of the numbers and its list of days off.

use bvantq_shared::tip::procedure::{
    self, Clock, Holder, Holiday, ParsedStep, ProcedureSettings, ProvinceProcedure, Step,
    StepRequest, TransferClass,
};
use bvantq_shared::tip::{TipSummary, truncate_to_minute, vn_date};
use bvantq_shared::{Role, TipStatus, UnitKind, ValidationError};
use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::tips::store::Stage;

/// The first segment of a unit path: the province.
pub fn province_of(path: &str) -> &str {
    path.split('/').find(|s| !s.is_empty()).unwrap_or("")
}

/// A province's numbers: its corrections if it made any, else the texts' defaults.
pub fn settings_for(conn: &mut DbConn, province: &str) -> Result<ProcedureSettings, ApiError> {
    match store::procedure_settings(conn, province)? {
        Some(json) => serde_json::from_str(&json).map_err(ApiError::internal),
        None => Ok(ProcedureSettings::default()),
    }
}

/// The days off the clock skips for a province: its own list and the server's
/// (`BVANTQ_HOLIDAYS`).
pub fn days_off_for(
    conn: &mut DbConn,
    cfg: &Config,
    province: &str,
) -> Result<Vec<NaiveDate>, ApiError> {
    let mut days: Vec<NaiveDate> = store::holidays(conn, province)?
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    days.extend(cfg.holidays.iter().copied());
    Ok(days)
}

/// Settings of the provinces a page of tips comes from, each loaded once.
#[derive(Default)]
pub struct SettingsCache(std::collections::HashMap<String, ProcedureSettings>);

impl SettingsCache {
    pub fn get(&mut self, conn: &mut DbConn, path: &str) -> Result<ProcedureSettings, ApiError> {
        let p = province_of(path);
        if let Some(s) = self.0.get(p) {
            return Ok(*s);
        }
        let s = settings_for(conn, p)?;
        self.0.insert(p.to_string(), s);
        Ok(s)
    }
}

/// The province unit `code`, which the caller may read (anyone whose scope lies in it, or above).
fn province_unit(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
) -> Result<units::UnitRow, ApiError> {
    let unit = units::find(conn, code)?
        .filter(|u| u.kind == UnitKind::Province)
        .ok_or(ApiError::NotFound)?;
    if user.role == Role::Admin || province_of(&format!("/{}/", user.scope)) == unit.code {
        return Ok(unit);
    }
    let scope = units::find(conn, user.scope.as_str())?.ok_or(ApiError::NotFound)?;
    if province_of(&scope.path) == unit.code {
        Ok(unit)
    } else {
        Err(ApiError::NotFound)
    }
}

/// `GET /api/v1/provinces/{code}/procedure`
pub fn read_province(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
) -> Result<ProvinceProcedure, ApiError> {
    require_tip_role(user)?;
    let unit = province_unit(conn, user, code)?;
    Ok(ProvinceProcedure {
        settings: settings_for(conn, &unit.code)?,
        holidays: store::holidays(conn, &unit.code)?
            .into_iter()
            .map(|(date, name)| Holiday { date, name })
            .collect(),
    })
}

/// `PUT /api/v1/provinces/{code}/procedure`: the province (or an administrator) replaces its
/// numbers and its days off in one transaction.
pub fn write_province(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    body: ProvinceProcedure,
    now: NaiveDateTime,
) -> Result<ProvinceProcedure, ApiError> {
    crate::auth::require_role(user, &[Role::ProvinceOfficer])?;
    let unit = province_unit(conn, user, code)?;
    let p = body.parse()?;
    let json = serde_json::to_string(&p.settings).map_err(ApiError::internal)?;
    let days: Vec<(NaiveDate, String)> = p
        .holidays
        .iter()
        .map(|h| (h.date, h.name.clone()))
        .collect();
    // Inside the route's write transaction: the numbers and the list land together.
    store::put_procedure(conn, &unit.code, &json, &days, &user.id, now)?;
    tracing::info!(province = %unit.code, by = %user.id, holidays = days.len(), "procedure settings replaced");
    Ok(p)
}

/// Sets the stage's clock (or stops it with `None`).
fn set_clock(st: &mut Stage, clock: Option<Clock>) {
    match clock {
        Some(c) => {
            st.period = Some(c.period);
            st.due_at = Some(c.due_at);
            st.deadline = c.last_day;
            st.rule = Some(c.rule.id.to_string());
        }
        None => {
            st.period = None;
            st.due_at = None;
            st.rule = None;
        }
    }
}

fn out_of_range() -> ApiError {
    ApiError::internal("a period runs past the calendar")
}

/// Takes one step of the procedure on a tip: checks the step against the tip's stage and the
/// caller's capacity (a refusal names the rule), moves the clock, records the step (with its
/// decision) in the history and the audit log. Runs inside the caller's write transaction (the
/// route's `db_write`), so all of it lands or none.
pub fn take_step(
    conn: &mut DbConn,
    cfg: &Config,
    user: &AuthUser,
    id: &str,
    req: &StepRequest,
    now: NaiveDateTime,
) -> Result<TipSummary, ApiError> {
    let p = req.parse(vn_date(now))?;
    let t = load_for(conn, user, id)?;
    if t.status.is_closed() {
        return Err(closed());
    }
    let next = p
        .step
        .check(user.role, t.position())
        .map_err(|e| ApiError::field("step", e))?;
    let moved = advance(conn, cfg, user, &t, &p, next, now)?;
    store::set_stage(conn, &t.id, &moved.stage)?;
    record(conn, user, &t, &p, &moved, now)?;
    let t = store::by_id(conn, &t.id)?.ok_or(ApiError::NotFound)?;
    // No log line: which tip, who took the step and when are in the audit log (`record`); a
    // timestamped trace of a step could be matched against a small commune's few tips.
    summary_of(conn, &mut SettingsCache::default(), &t, now)
}

/// A step's effect: the tip's new stage, the note its history keeps, the tip it merged into.
struct Moved {
    stage: Stage,
    detail: Option<String>,
    target: Option<TipRow>,
}

/// What `parse` guarantees a step carries, missing: a bug, not the caller's mistake.
fn unparsed(what: &str) -> ApiError {
    ApiError::internal(format!("a parsed step without its {what}"))
}

/// The stage a step leads to, with the clock of its new period (the province's numbers and days
/// off).
fn advance(
    conn: &mut DbConn,
    cfg: &Config,
    user: &AuthUser,
    t: &TipRow,
    p: &ParsedStep,
    next: procedure::Position,
    now: NaiveDateTime,
) -> Result<Moved, ApiError> {
    let (today, at) = (vn_date(now), truncate_to_minute(now));
    let province = province_of(&t.unit_path).to_string();
    let settings = settings_for(conn, &province)?;
    let mut st = Stage::of(t);
    st.status = next.status;
    st.holder = next.holder;
    let (mut detail, mut target) = (None, None);
    let clock = match p.step {
        Step::Check => {
            return Ok(Moved {
                stage: st,
                detail,
                target,
            });
        }
        Step::Classify => {
            let facts = p.facts.ok_or_else(|| unparsed("facts"))?;
            let class = TransferClass::of(&facts, TipPriority::from_rank(t.priority));
            st.crime_class = facts.crime_class;
            st.transfer_class = Some(class);
            detail = Some(format!(
                "{class}; flagrant={}; public_interest={}; remote_commune={}",
                facts.flagrant, facts.public_interest, facts.remote_commune
            ));
            procedure::transfer_clock(&settings, t.received_at, class)
        }
        Step::Receive | Step::Accept => {
            if let Some(c) = p.facts.and_then(|f| f.crime_class) {
                st.crime_class = Some(c);
            }
            st.period_start = Some(today);
            procedure::first_period(&settings, today, false)
        }
        Step::Resume => {
            let start = p.act.as_ref().ok_or_else(|| unparsed("decision"))?.date;
            st.period_start = Some(start);
            st.extensions = 0;
            procedure::first_period(&settings, start, true)
        }
        Step::ExtendComplex | Step::ExtendProcuracy => {
            let days_off = days_off_for(conn, cfg, &province)?;
            st.extensions += 1;
            let c = if p.step == Step::ExtendComplex {
                // Handling always starts a period; a tip handled without one is corrupt.
                let start = t.period_start.ok_or_else(|| {
                    ApiError::internal("a handled tip without its period's start")
                })?;
                procedure::complex_period(&settings, start, &days_off)
            } else {
                procedure::procuracy_period(&settings, t.deadline, &days_off)
            };
            detail = c.map(|c| format!("{} -> {}", t.deadline, c.last_day));
            c
        }
        Step::Transfer | Step::Suspend => None,
        Step::NotCrime | Step::Prosecute | Step::NotProsecute | Step::Merge => {
            st.closed_at = Some(at);
            st.referred_to = p.referred_to.clone();
            if p.step == Step::Merge {
                let into = p
                    .merge_into
                    .as_deref()
                    .ok_or_else(|| unparsed("merge_into"))?;
                let x = merge_target(conn, user, t, into)?;
                st.merged_into = Some(x.id.clone());
                detail = Some(format!("merged into {}", x.id));
                target = Some(x);
            }
            None
        }
    };
    // Steps that start a period have a clock; the others stop it.
    let starts = !matches!(
        p.step,
        Step::Transfer
            | Step::Suspend
            | Step::NotCrime
            | Step::Prosecute
            | Step::NotProsecute
            | Step::Merge
    );
    if starts && clock.is_none() {
        return Err(out_of_range());
    }
    set_clock(&mut st, clock);
    Ok(Moved {
        stage: st,
        detail,
        target,
    })
}

/// The step in the tip's history (with its decision) and the audit log, and, for a merge, in the
/// history of the tip it joined.
fn record(
    conn: &mut DbConn,
    user: &AuthUser,
    t: &TipRow,
    p: &ParsedStep,
    moved: &Moved,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let at = truncate_to_minute(now);
    let extension = matches!(p.step, Step::ExtendComplex | Step::ExtendProcuracy);
    let (kind, action) = if extension {
        (TipEventKind::Extend, AuditAction::Extend)
    } else {
        (TipEventKind::Transition, AuditAction::Transition)
    };
    let seq = store::next_seq(conn, &t.id)?;
    let mut e = event(&t.id, seq, at, &user.id, kind);
    e.from_status = Some(t.status);
    e.to_status = Some(moved.stage.status);
    e.reason = Some(p.reason.clone());
    e.detail = moved.detail.clone().or_else(|| p.referred_to.clone());
    e.step = Some(p.step);
    // The clock the step was taken against: a concluding step before it ran out is on time
    // (the dashboard's "tips handled on time").
    e.due_at = t.due_at;
    if let Some(a) = &p.act {
        e.act_number = Some(a.number.clone());
        e.act_date = Some(a.date);
        e.act_signer = Some(a.signer.clone());
    }
    store::insert_event(conn, &e)?;
    if let Some(x) = &moved.target {
        let seq = store::next_seq(conn, &x.id)?;
        let mut e = event(&x.id, seq, at, &user.id, TipEventKind::MergedFrom);
        e.detail = Some(format!("merged from {}", t.id));
        e.reason = Some(p.reason.clone());
        store::insert_event(conn, &e)?;
        let detail = Some(format!("from {}", t.id));
        audit(conn, user, AuditAction::Merge, Some(x), detail, now)?;
    }
    audit(
        conn,
        user,
        action,
        Some(t),
        Some(p.step.as_str().into()),
        now,
    )
}

/// The tip a duplicate is merged into: in the caller's scope, not itself, not merged itself.
fn merge_target(
    conn: &mut DbConn,
    user: &AuthUser,
    t: &TipRow,
    target_id: &str,
) -> Result<TipRow, ApiError> {
    let unknown = || ApiError::field("merge_into", ValidationError::UnknownValue { allowed: &[] });
    let x = store::by_id(conn, target_id)?
        .filter(|x| tip_in_scope(user, x))
        .ok_or_else(unknown)?;
    if x.id == t.id || x.status == TipStatus::Merged {
        return Err(unknown());
    }
    Ok(x)
}

impl TipRow {
    /// Where the procedure sees the tip.
    pub fn position(&self) -> procedure::Position {
        procedure::Position {
            status: self.status,
            holder: self.holder,
            period: self.period,
        }
    }
}

/// The investigating body sees only what was handed to it; the commune police see all that
/// their commune received (read-only once it is handed over).
pub fn holder_visible(role: Role, holder: Holder) -> bool {
    role != Role::Investigator || holder == Holder::InvestigatingBody
}

/// The rule a summary names, from the id the tip stores.
pub fn rule_of(t: &TipRow) -> Option<&'static procedure::Rule> {
    t.rule.as_deref().and_then(procedure::rule)
}

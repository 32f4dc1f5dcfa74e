//! Emulation and awards (thi đua, khen thưởng): the province's blocks; a unit registers by the
//! province's registration day, reviews its year from the review's opening (its results of the
//! year attached), the province's standing office proposes an award, and another of its officers
//! records the decision with number, date and signer (`shared::plan::emulation`).

pub mod awards;
pub mod routes;
pub mod store;

use bvantq_shared::plan::calendar::ReportingStep;
use bvantq_shared::plan::emulation::{
    Action, Block, BlockRequest, Decision, DecisionRequest, Entry, EntryStatus, ProposalRequest,
    RegisterRequest, ReviewRequest, next_status,
};
use bvantq_shared::{Role, UnitKind};
use chrono::NaiveDateTime;

use crate::auth::AuthUser;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::plans::versions::province_kept_by;
use crate::plans::{calendar, service};
use crate::units::scope::require_code;
use crate::units::store::{self as units, UnitRow};
use store::{BlockRow, EntryRow};

/// Who registers and reviews a unit's emulation: the officers of its kind of unit.
const UNIT_ROLES: [Role; 4] = [
    Role::WardOfficer,
    Role::CommuneHead,
    Role::SchoolAdmin,
    Role::OrgAdmin,
];
/// The units that register: communes, residential areas, schools, agencies, enterprises.
const UNIT_KINDS: [UnitKind; 5] = [
    UnitKind::Commune,
    UnitKind::ResidentialArea,
    UnitKind::School,
    UnitKind::Agency,
    UnitKind::Enterprise,
];

fn conflict(code: &'static str, vi: String, en: String) -> ApiError {
    ApiError::Conflict { code, vi, en }
}

fn block_of(row: BlockRow) -> Block {
    Block {
        id: row.id,
        province_code: row.province_code,
        name: row.name,
    }
}

/// The province `code` when the caller works in it (any officer of the province).
fn province_of_caller(conn: &mut DbConn, user: &AuthUser, code: &str) -> Result<String, ApiError> {
    let scope = crate::units::scope::target(conn, user, None)?;
    if user.role != Role::Admin && scope.province_code() != code {
        return Err(ApiError::Forbidden("out_of_scope"));
    }
    Ok(code.to_string())
}

/// `GET /provinces/{code}/emulation-blocks`: the province's blocks (its officers at any level).
pub fn blocks(conn: &mut DbConn, user: &AuthUser, code: &str) -> Result<Vec<Block>, ApiError> {
    let province = province_of_caller(conn, user, code)?;
    Ok(store::blocks_of(conn, &province)?
        .into_iter()
        .map(block_of)
        .collect())
}

/// `POST /provinces/{code}/emulation-blocks`: a new block (the province's officers).
pub fn create_block(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    req: &BlockRequest,
    now: NaiveDateTime,
) -> Result<Block, ApiError> {
    let province = province_kept_by(conn, user, code)?;
    req.check().map_err(ApiError::Validation)?;
    let row = BlockRow {
        id: db::new_id(),
        province_code: province,
        name: req.name.trim().to_string(),
        created_by: user.id.clone(),
        created_at: now,
    };
    store::insert_block(conn, &row)?;
    Ok(block_of(row))
}

/// An entry as the API shows it; stored results that no longer parse are an error.
fn entry_of(conn: &mut DbConn, row: EntryRow, unit_name: String) -> Result<Entry, ApiError> {
    let block = store::block(conn, &row.block_id)?
        .map(block_of)
        .ok_or_else(|| ApiError::internal("entry without its block"))?;
    let results = match &row.results {
        Some(json) => Some(serde_json::from_str(json).map_err(ApiError::internal)?),
        None => None,
    };
    let decision = match (
        &row.decision_number,
        row.decision_date,
        &row.decision_signer,
    ) {
        (Some(number), Some(date), Some(signer)) => Some(Decision {
            awarded: row.status == EntryStatus::Awarded,
            number: number.clone(),
            date,
            signer: signer.clone(),
        }),
        _ => None,
    };
    Ok(Entry {
        id: row.id,
        unit_code: row.unit_code,
        unit_name,
        year: row.year,
        block,
        aim: row.aim,
        status: row.status,
        registered_at: row.registered_at,
        review_summary: row.review_summary,
        aim_reached: row.aim_reached,
        results,
        award: row.award,
        proposal_reason: row.proposal_reason,
        decision,
    })
}

/// A unit the caller registers or reviews for: in scope, of a kind that registers.
fn own_unit(conn: &mut DbConn, user: &AuthUser, code: &str) -> Result<UnitRow, ApiError> {
    crate::auth::require_role(user, &UNIT_ROLES)?;
    let parsed = bvantq_shared::UnitCode::parse(code).map_err(|e| ApiError::field("code", e))?;
    let unit = require_code(conn, user, &parsed)?;
    if !UNIT_KINDS.contains(&unit.kind) {
        return Err(ApiError::field(
            "code",
            bvantq_shared::ValidationError::UnitKindNotAllowed,
        ));
    }
    Ok(unit)
}

/// `POST /units/{code}/emulation`: the unit registers for a year, by the province's day.
pub fn register(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    req: &RegisterRequest,
    now: NaiveDateTime,
) -> Result<Entry, ApiError> {
    crate::infra::request::check_year("year", req.year)?;
    req.check().map_err(ApiError::Validation)?;
    let unit = own_unit(conn, user, code)?;
    let block = store::block(conn, req.block_id.trim())?
        .filter(|b| b.province_code == unit.province_code())
        .ok_or_else(|| {
            ApiError::field(
                "block_id",
                bvantq_shared::ValidationError::UnknownValue { allowed: &[] },
            )
        })?;
    let today = bvantq_shared::tip::vn_date(now);
    let due = calendar::settings_of(conn, unit.province_code())?
        .due_on(ReportingStep::Registration, req.year)
        .ok_or_else(|| ApiError::internal("calendar without registration"))?;
    if today > due {
        let d = due.format("%d/%m/%Y");
        return Err(conflict(
            "registration_closed",
            format!("Đã hết hạn đăng ký thi đua năm {} (hạn {d}).", req.year),
            format!("Registration for {} closed on {d}.", req.year),
        ));
    }
    let row = EntryRow {
        id: db::new_id(),
        unit_code: unit.code.clone(),
        year: req.year,
        block_id: block.id,
        aim: req.aim.trim().to_string(),
        status: EntryStatus::Registered,
        registered_by: user.id.clone(),
        registered_at: now,
        review_summary: None,
        aim_reached: None,
        results: None,
        reviewed_by: None,
        reviewed_at: None,
        award: None,
        proposal_reason: None,
        proposed_by: None,
        proposed_at: None,
        decision_number: None,
        decision_date: None,
        decision_signer: None,
        decided_by: None,
        decided_at: None,
    };
    store::insert_entry(conn, &row)?;
    entry_of(conn, row, unit.full_name)
}

/// Moves an entry one step if its status allows `action`; 409 otherwise (or when another step
/// got there first).
fn apply(
    conn: &mut DbConn,
    row: &EntryRow,
    action: Action,
    write: impl FnOnce(&mut EntryRow),
) -> Result<EntryRow, ApiError> {
    let Some(to) = next_status(row.status, action) else {
        return Err(conflict(
            "emulation_step",
            format!(
                "Không thể làm bước này khi hồ sơ thi đua đang ở trạng thái «{}».",
                row.status.label_vi()
            ),
            format!(
                "This step does not apply to an entry that is «{}».",
                row.status.label_en()
            ),
        ));
    };
    let mut next = row.clone();
    next.status = to;
    write(&mut next);
    if store::step(conn, &row.id, row.status, &next)? == 0 {
        return Err(conflict(
            "emulation_step",
            "Hồ sơ vừa được người khác cập nhật; hãy tải lại.".into(),
            "Someone else has just moved this entry; reload it.".into(),
        ));
    }
    Ok(next)
}

/// `POST /emulation/{id}/review`: the unit reviews its year, from the review's opening day; its
/// results of the year are attached as they stand.
pub fn review(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    req: &ReviewRequest,
    now: NaiveDateTime,
) -> Result<Entry, ApiError> {
    req.check().map_err(ApiError::Validation)?;
    let row = store::entry(conn, id)?.ok_or(ApiError::NotFound)?;
    let unit = own_unit(conn, user, &row.unit_code).map_err(|e| match e {
        ApiError::Forbidden("out_of_scope") => ApiError::NotFound,
        e => e,
    })?;
    let settings = calendar::settings_of(conn, unit.province_code())?;
    let opens = settings
        .steps
        .iter()
        .find(|s| s.step == ReportingStep::UnitReview)
        .and_then(|s| s.opens)
        .and_then(|o| o.in_year(row.year));
    if let Some(o) = opens.filter(|o| bvantq_shared::tip::vn_date(now) < *o) {
        let d = o.format("%d/%m/%Y");
        return Err(conflict(
            "review_not_open",
            format!("Sơ kết thi đua năm {} mở từ ngày {d}.", row.year),
            format!("The review of {} opens on {d}.", row.year),
        ));
    }
    let results = service::dashboard(conn, user, &unit.code, row.year, now)?.unit;
    let results = serde_json::to_string(&results).map_err(ApiError::internal)?;
    let next = apply(conn, &row, Action::Review, |e| {
        e.review_summary = Some(req.summary.trim().to_string());
        e.aim_reached = Some(req.aim_reached);
        e.results = Some(results);
        e.reviewed_by = Some(user.id.clone());
        e.reviewed_at = Some(now);
    })?;
    entry_of(conn, next, unit.full_name)
}

/// An entry of the caller's province (its province officers; another province's reads as absent).
fn province_entry(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
) -> Result<(EntryRow, UnitRow), ApiError> {
    let row = store::entry(conn, id)?.ok_or(ApiError::NotFound)?;
    let unit = units::find(conn, &row.unit_code)?.ok_or(ApiError::NotFound)?;
    province_kept_by(conn, user, unit.province_code()).map_err(|e| match e {
        ApiError::Forbidden(_) if user.role == Role::ProvinceOfficer => ApiError::NotFound,
        e => e,
    })?;
    Ok((row, unit))
}

/// `POST /emulation/{id}/proposal`: the province's standing office proposes an award for a
/// reviewed entry (the unit's results travel with it).
pub fn propose(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    req: &ProposalRequest,
    now: NaiveDateTime,
) -> Result<Entry, ApiError> {
    req.check().map_err(ApiError::Validation)?;
    let (row, unit) = province_entry(conn, user, id)?;
    let next = apply(conn, &row, Action::Propose, |e| {
        e.award = Some(req.award);
        e.proposal_reason = Some(req.reason.trim().to_string());
        e.proposed_by = Some(user.id.clone());
        e.proposed_at = Some(now);
    })?;
    entry_of(conn, next, unit.full_name)
}

/// `POST /emulation/{id}/decision`: the decision as signed, recorded by an officer other than
/// the one who proposed.
pub fn decide(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    req: &DecisionRequest,
    now: NaiveDateTime,
) -> Result<Entry, ApiError> {
    let (row, unit) = province_entry(conn, user, id)?;
    req.check(row.year, bvantq_shared::tip::vn_date(now))
        .map_err(ApiError::Validation)?;
    if row.proposed_by.as_deref() == Some(user.id.as_str()) {
        return Err(conflict(
            "own_proposal",
            "Người đề nghị khen thưởng không tự ghi nhận quyết định của chính đề nghị đó.".into(),
            "The officer who proposed an award does not record its decision.".into(),
        ));
    }
    let next = apply(
        conn,
        &row,
        Action::Decide {
            awarded: req.awarded,
        },
        |e| {
            e.decision_number = Some(req.number.trim().to_string());
            e.decision_date = Some(req.date);
            e.decision_signer = Some(req.signer.trim().to_string());
            e.decided_by = Some(user.id.clone());
            e.decided_at = Some(now);
        },
    )?;
    entry_of(conn, next, unit.full_name)
}

/// `GET /provinces/{code}/emulation?year=…`: every entry of the year in the province.
pub fn of_province(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
) -> Result<Vec<Entry>, ApiError> {
    crate::infra::request::check_year("year", year)?;
    let province = province_kept_by(conn, user, code)?;
    store::entries_under(conn, &format!("/{province}/"), year, None)?
        .into_iter()
        .map(|(row, name)| entry_of(conn, row, name))
        .collect()
}

/// `GET /units/{code}/emulation`: a unit's entries, every year: its award history (any officer
/// whose scope covers it).
pub fn of_unit(conn: &mut DbConn, user: &AuthUser, code: &str) -> Result<Vec<Entry>, ApiError> {
    let parsed = bvantq_shared::UnitCode::parse(code).map_err(|e| ApiError::field("code", e))?;
    let unit = require_code(conn, user, &parsed)?;
    store::entries_of_unit(conn, &unit.code)?
        .into_iter()
        .map(|row| entry_of(conn, row, unit.full_name.clone()))
        .collect()
}

//! Assessments of units against the «An toàn về an ninh, trật tự» standard: who fills and who
//! reviews, the evidence the platform holds, and the workflow `draft → submitted → returned |
//! approved`. Handlers in `routes::assessments` call these inside the blocking pool.

use std::sync::OnceLock;

use bvantq_shared::assessment::{
    self as a, ASSESSED_KINDS, Answers, AssessmentDto, AssessmentEvent, CriteriaSet, Evidence,
    EvidenceFile, EvidenceSource, Period,
};
use bvantq_shared::{
    AssessmentAction, AssessmentStatus, PledgeKind, Role, UnitKind, ValidationError,
};
use chrono::{NaiveDate, NaiveDateTime};

use crate::assessments::store::{self as store, AssessmentRow, EventRow};
use crate::auth::AuthUser;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::pledges::store::coverage;
use crate::units::scope::in_scope;
use crate::units::store::{self as units, UnitRow};

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
        if c.evidence.is_some() {
            e.push(
                ValidationError::UnknownValue { allowed: &[] }
                    .on(format!("extra_criteria.{i}.evidence")),
            );
        }
    }
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
    if let Some(t) = req.children_threshold_percent {
        set.children_threshold_percent = t.min(100);
    }
    set.validate().map_err(|err| {
        let field = match err {
            a::SetError::Bands(_) => "bands",
            a::SetError::Code(..) => "extra_criteria",
            _ => "base",
        };
        ApiError::field(field, ValidationError::UnknownValue { allowed: &[] })
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

/// The unit's own managers fill its assessment: the ward police for the commune and its
/// residential areas, a school's admin, an agency's or enterprise's admin.
pub fn may_fill(user: &AuthUser, unit: &UnitRow) -> bool {
    if user.role == Role::Admin {
        return true;
    }
    in_scope(user, unit)
        && match unit.kind {
            UnitKind::Commune | UnitKind::ResidentialArea => user.role == Role::WardOfficer,
            UnitKind::School => user.role == Role::SchoolAdmin,
            UnitKind::Agency | UnitKind::Enterprise => user.role == Role::OrgAdmin,
            _ => false,
        }
}

/// Only an officer of the parent unit reviews (since 2025 a commune's parent is its province).
pub fn may_review(user: &AuthUser, unit: &UnitRow) -> bool {
    user.role == Role::Admin
        || (matches!(user.role, Role::WardOfficer | Role::ProvinceOfficer)
            && unit.parent_code.as_deref() == Some(user.scope.as_str()))
}

pub fn may_see(user: &AuthUser, unit: &UnitRow) -> bool {
    in_scope(user, unit) || may_review(user, unit)
}

pub fn period_of(kind: UnitKind, year: i32) -> Result<Period, ApiError> {
    crate::infra::request::check_year("period", year)?;
    a::period(kind, year).ok_or_else(|| ApiError::internal("period out of range"))
}

fn pct(n: i64, d: i64) -> String {
    bvantq_shared::api::percent(n, d).map_or_else(|| "—".into(), |p| format!("{p}%"))
}

/// What the platform's own data says about `unit` in `period`.
pub fn evidence(
    conn: &mut DbConn,
    set: &CriteriaSet,
    unit: &UnitRow,
    period: &Period,
    today: NaiveDate,
) -> Result<Vec<Evidence>, ApiError> {
    let mut out = Vec::new();
    for c in &set.criteria {
        let Some(source) = c.evidence else { continue };
        match source {
            EvidenceSource::HouseholdCoverage => {
                let campaigns = store::household_campaigns_of(conn, &unit.code, period.year)?;
                if campaigns.is_empty() {
                    continue;
                }
                let codes = [unit.code.clone()];
                let signed: i64 =
                    coverage::signed_of(conn, &codes, period.year, PledgeKind::Household)?
                        .into_iter()
                        .map(|(_, n)| n)
                        .sum();
                let expected: i64 =
                    coverage::expected_of(conn, &codes, period.year, PledgeKind::Household)?
                        .into_iter()
                        .map(|(_, n)| n)
                        .sum();
                let names = |f: &dyn Fn(&(String, String)) -> String| {
                    campaigns.iter().map(f).collect::<Vec<_>>().join("; ")
                };
                out.push(Evidence {
                    criterion: c.code.clone(),
                    source,
                    passed: Some(expected > 0 && signed >= expected),
                    value: format!("{signed}/{expected} ({})", pct(signed, expected)),
                    source_vi: names(&|(code, title)| format!("Đợt cam kết {code} «{title}»")),
                    source_en: names(&|(code, title)| format!("Pledge campaign {code} “{title}”")),
                });
            }
            EvidenceSource::ChildrenRecognised => {
                let children: Vec<String> = units::list(
                    conn,
                    &units::UnitQuery {
                        parent: Some(unit.code.clone()),
                        limit: 100_000,
                        ..Default::default()
                    },
                    today,
                )?
                .into_iter()
                .filter(|u| ASSESSED_KINDS.contains(&u.kind))
                .map(|u| u.code)
                .collect();
                if children.is_empty() {
                    continue;
                }
                let total = children.len() as i64;
                let recognised = store::results_of(conn, &children, period.year)?
                    .into_iter()
                    .filter(|(_, status, rec, _)| {
                        *status == AssessmentStatus::Approved && *rec == Some(true)
                    })
                    .count() as i64;
                let threshold = i64::from(set.children_threshold_percent);
                out.push(Evidence {
                    criterion: c.code.clone(),
                    source,
                    passed: Some(recognised * 100 >= threshold * total),
                    value: format!("{recognised}/{total} ({})", pct(recognised, total)),
                    source_vi: format!(
                        "Kết quả đánh giá đã phê duyệt của {total} đơn vị trực thuộc (yêu cầu ≥ {threshold}%)"
                    ),
                    source_en: format!(
                        "Approved assessments of {total} units below (≥ {threshold}% required)"
                    ),
                });
            }
            EvidenceSource::Tips => {
                // Tips are routed to communes; below a commune the data cannot tell.
                if unit.kind != UnitKind::Commune {
                    continue;
                }
                let count = |conn: &mut DbConn, from: NaiveDate, to: NaiveDate| {
                    crate::tips::store::stat_counts(conn, &unit.path, from, to)
                        .map(|rows| rows.iter().map(|r| r.4).sum::<i64>())
                };
                let end = period.ends_on.succ_opt().unwrap_or(period.ends_on);
                let now = count(conn, period.starts_on, end)?;
                let prev = a::period(unit.kind, period.year - 1)
                    .map(|p| count(conn, p.starts_on, period.starts_on))
                    .transpose()?
                    .unwrap_or(0);
                let cell = |n: i64| {
                    bvantq_shared::tip::suppress(&[u64::try_from(n).unwrap_or(0)]).0[0]
                        .display
                        .clone()
                };
                out.push(Evidence {
                    criterion: c.code.clone(),
                    source,
                    passed: None,
                    value: format!("{} / {}", cell(now), cell(prev)),
                    source_vi:
                        "Số tin báo, tố giác tiếp nhận trong kỳ / kỳ trước (không gồm nội dung)"
                            .into(),
                    source_en: "Tips received this period / the previous one (counts only)".into(),
                });
            }
        }
    }
    Ok(out)
}

fn locked(status: AssessmentStatus) -> ApiError {
    match status {
        AssessmentStatus::Approved => ApiError::Conflict {
            code: "assessment_locked",
            vi: "Kết quả đánh giá đã được phê duyệt và khóa; không thể sửa.".into(),
            en: "This assessment is approved and locked; it cannot change.".into(),
        },
        AssessmentStatus::Submitted => ApiError::Conflict {
            code: "assessment_submitted",
            vi: "Kết quả đánh giá đang chờ cấp trên xét duyệt.".into(),
            en: "This assessment is waiting for review.".into(),
        },
        AssessmentStatus::Draft | AssessmentStatus::Returned => changed_meanwhile(),
    }
}

/// The assessment is not in the state the request expected (someone changed it meanwhile).
fn changed_meanwhile() -> ApiError {
    ApiError::Conflict {
        code: "assessment_state",
        vi: "Không thể thực hiện thao tác này ở trạng thái hiện tại.".into(),
        en: "This cannot be done in the assessment's current state.".into(),
    }
}

fn unit(conn: &mut DbConn, code: &str) -> Result<UnitRow, ApiError> {
    let code = bvantq_shared::UnitCode::parse(code).map_err(|e| ApiError::field("unit", e))?;
    units::find(conn, code.as_str())?.ok_or(ApiError::NotFound)
}

fn answers_of(row: &AssessmentRow) -> Result<Answers, ApiError> {
    serde_json::from_str(&row.answers).map_err(ApiError::internal)
}

/// Records a history entry. `row.seq` is the sequence number before the write that goes with
/// the entry (`store::update` bumps it), so the entry takes the next one.
fn event(
    conn: &mut DbConn,
    row: &AssessmentRow,
    actor: &str,
    action: AssessmentAction,
    comment: Option<String>,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    store::insert_event(
        conn,
        &EventRow {
            assessment_id: row.id.clone(),
            seq: row.seq + 1,
            at,
            actor: actor.to_string(),
            action,
            comment,
        },
    )?;
    Ok(())
}

/// Saves a draft's answers (creating the assessment on first save).
pub fn save(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    year: i32,
    answers: &Answers,
    now: NaiveDateTime,
) -> Result<AssessmentDto, ApiError> {
    let u = unit(conn, unit_code)?;
    if !may_fill(user, &u) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let today = bvantq_shared::tip::vn_date(now);
    let period = period_of(u.kind, year)?;
    let existing = store::find(conn, &u.code, year)?;
    let set = match &existing {
        Some(r) => set_by_id(conn, &r.set_id)?,
        None => set_for(conn, u.kind, u.province_code())?,
    };
    let set = &set;
    a::check_draft(set, answers)?;
    let ev = evidence(conn, set, &u, &period, today)?;
    a::check_overrides(answers, &ev)?;
    let json = serde_json::to_string(answers).map_err(ApiError::internal)?;
    let row = match existing {
        Some(mut row) => {
            if !row.status.editable() {
                return Err(locked(row.status));
            }
            let from = row.status;
            row.answers = json;
            row.updated_at = now;
            if !store::update(conn, &row, &[from])? {
                return Err(changed_meanwhile());
            }
            event(conn, &row, &user.id, AssessmentAction::Saved, None, now)?;
            row
        }
        None => {
            let row = AssessmentRow {
                id: db::new_id(),
                unit_code: u.code.clone(),
                unit_path: u.path.clone(),
                unit_kind: u.kind,
                period: year,
                set_id: set.id.clone(),
                status: AssessmentStatus::Draft,
                answers: json,
                evidence: None,
                score: None,
                classification: None,
                recognised: None,
                review_comment: None,
                created_by: user.id.clone(),
                created_at: now,
                updated_at: now,
                submitted_by: None,
                submitted_at: None,
                reviewed_by: None,
                reviewed_at: None,
                seq: 1,
            };
            store::insert(conn, &row)?;
            let first = AssessmentRow {
                seq: 0,
                ..row.clone()
            };
            event(conn, &first, &user.id, AssessmentAction::Created, None, now)?;
            row
        }
    };
    render(conn, &u, &row, set, period, Some(ev), now)
}

/// Submits for review: the answers must be complete (with the evidence filling what it can);
/// the evidence and the outcome are frozen.
pub fn submit(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<AssessmentDto, ApiError> {
    let u = unit(conn, unit_code)?;
    if !may_fill(user, &u) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let mut row = store::find(conn, &u.code, year)?.ok_or(ApiError::NotFound)?;
    if !row.status.editable() {
        return Err(locked(row.status));
    }
    let set = &set_by_id(conn, &row.set_id)?;
    let period = period_of(u.kind, year)?;
    let ev = evidence(conn, set, &u, &period, bvantq_shared::tip::vn_date(now))?;
    let answers = answers_of(&row)?;
    a::check_overrides(&answers, &ev)?;
    let outcome = a::score(set, &a::with_evidence(&answers, &ev))?;
    let from = row.status;
    row.status = AssessmentStatus::Submitted;
    row.evidence = Some(serde_json::to_string(&ev).map_err(ApiError::internal)?);
    row.score = Some(i32::try_from(outcome.score).unwrap_or(0));
    row.classification = Some(outcome.classification);
    row.recognised = Some(outcome.recognised);
    row.submitted_by = Some(user.id.clone());
    row.submitted_at = Some(now);
    row.updated_at = now;
    if !store::update(conn, &row, &[from])? {
        return Err(changed_meanwhile());
    }
    event(conn, &row, &user.id, AssessmentAction::Submitted, None, now)?;
    render(conn, &u, &row, set, period, Some(ev), now)
}

/// The parent unit's officer approves (locking it) or returns it with comments.
pub fn review(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    year: i32,
    approve: bool,
    comment: Option<&str>,
    now: NaiveDateTime,
) -> Result<AssessmentDto, ApiError> {
    let u = unit(conn, unit_code)?;
    if !may_review(user, &u) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    let comment = match (approve, comment) {
        (false, None) => return Err(ApiError::field("comment", ValidationError::Required)),
        (_, Some(c)) => Some(
            bvantq_shared::text::parse_long_text(c, 1, 3000)
                .map_err(|e| ApiError::field("comment", e))?,
        ),
        (true, None) => None,
    };
    let mut row = store::find(conn, &u.code, year)?.ok_or(ApiError::NotFound)?;
    if row.status != AssessmentStatus::Submitted {
        return Err(locked(row.status));
    }
    row.status = if approve {
        AssessmentStatus::Approved
    } else {
        AssessmentStatus::Returned
    };
    row.review_comment = comment.clone();
    row.reviewed_by = Some(user.id.clone());
    row.reviewed_at = Some(now);
    row.updated_at = now;
    if !store::update(conn, &row, &[AssessmentStatus::Submitted])? {
        return Err(changed_meanwhile());
    }
    event(
        conn,
        &row,
        &user.id,
        if approve {
            AssessmentAction::Approved
        } else {
            AssessmentAction::Returned
        },
        comment,
        now,
    )?;
    let set = &set_by_id(conn, &row.set_id)?;
    render(conn, &u, &row, set, period_of(u.kind, year)?, None, now)
}

/// An assessment as its unit or its reviewer sees it; evidence live until submission.
pub fn view(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<AssessmentDto, ApiError> {
    let u = unit(conn, unit_code)?;
    if !may_see(user, &u) {
        return Err(ApiError::Forbidden("out_of_scope"));
    }
    let row = store::find(conn, &u.code, year)?.ok_or(ApiError::NotFound)?;
    let set = &set_by_id(conn, &row.set_id)?;
    render(conn, &u, &row, set, period_of(u.kind, year)?, None, now)
}

/// What the unit and its reviewer see. `known` is evidence the caller has just computed;
/// without it the evidence is the frozen copy once submitted, or computed live before.
fn render(
    conn: &mut DbConn,
    u: &UnitRow,
    row: &AssessmentRow,
    set: &CriteriaSet,
    period: Period,
    known: Option<Vec<Evidence>>,
    now: NaiveDateTime,
) -> Result<AssessmentDto, ApiError> {
    let answers = answers_of(row)?;
    let ev: Vec<Evidence> = match (known, &row.evidence) {
        (Some(ev), _) => ev,
        (None, Some(frozen)) if !row.status.editable() => {
            serde_json::from_str(frozen).map_err(ApiError::internal)?
        }
        (None, _) => evidence(conn, set, u, &period, bvantq_shared::tip::vn_date(now))?,
    };
    let outcome = a::score(set, &a::with_evidence(&answers, &ev)).ok();
    let history = store::events(conn, &row.id)?
        .into_iter()
        .map(|e| AssessmentEvent {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            comment: e.comment,
        })
        .collect();
    let files = store::files(conn, &row.id)?
        .into_iter()
        .map(
            |(id, criterion, filename, content_type, size)| EvidenceFile {
                id,
                criterion,
                filename,
                content_type,
                size_bytes: i64::from(size),
            },
        )
        .collect();
    Ok(AssessmentDto {
        id: row.id.clone(),
        unit_code: u.code.clone(),
        unit_name: u.full_name.clone(),
        unit_kind: u.kind,
        period,
        set_id: row.set_id.clone(),
        status: row.status,
        answers,
        evidence: ev,
        outcome,
        review_comment: row.review_comment.clone(),
        history,
        files,
    })
}

/// Largest evidence file.
pub const FILE_MAX_BYTES: usize = 10 * 1024 * 1024;

/// Attaches an evidence file (PDF, JPEG, PNG or WebP, checked by its bytes) to a criterion of a
/// draft or returned assessment.
#[allow(clippy::too_many_arguments)]
pub fn attach(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    year: i32,
    criterion: &str,
    filename: &str,
    bytes: &[u8],
    now: NaiveDateTime,
) -> Result<EvidenceFile, ApiError> {
    let u = unit(conn, unit_code)?;
    if !may_fill(user, &u) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let row = store::find(conn, &u.code, year)?.ok_or(ApiError::NotFound)?;
    if !row.status.editable() {
        return Err(locked(row.status));
    }
    let set = set_by_id(conn, &row.set_id)?;
    if !set.criteria.iter().any(|c| c.code == criterion) {
        return Err(ApiError::field(
            "criterion",
            ValidationError::UnknownValue { allowed: &[] },
        ));
    }
    let filename = bvantq_shared::text::parse_line(filename, 200)
        .map_err(|e| ApiError::field("filename", e))?;
    let content_type = if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else {
        crate::infra::images::ImageType::sniff(bytes)
            .map(|t| t.mime())
            .ok_or_else(|| ApiError::field("file", ValidationError::ImageType))?
    };
    let f = store::FileRow {
        id: db::new_id(),
        assessment_id: row.id.clone(),
        criterion: criterion.to_string(),
        filename,
        content_type: content_type.into(),
        size_bytes: i32::try_from(bytes.len()).unwrap_or(i32::MAX),
        data: bytes.to_vec(),
        created_by: user.id.clone(),
        created_at: now,
    };
    store::insert_file(conn, &f)?;
    store::bump(conn, &row.id)?;
    event(
        conn,
        &row,
        &user.id,
        AssessmentAction::FileAdded,
        Some(f.filename.clone()),
        now,
    )?;
    Ok(EvidenceFile {
        id: f.id,
        criterion: f.criterion,
        filename: f.filename,
        content_type: f.content_type,
        size_bytes: i64::from(f.size_bytes),
    })
}

pub fn file(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    year: i32,
    id: &str,
) -> Result<store::FileRow, ApiError> {
    let u = unit(conn, unit_code)?;
    if !may_see(user, &u) {
        return Err(ApiError::Forbidden("out_of_scope"));
    }
    let row = store::find(conn, &u.code, year)?.ok_or(ApiError::NotFound)?;
    store::file(conn, &row.id, id)?.ok_or(ApiError::NotFound)
}

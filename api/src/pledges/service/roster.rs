//! Who is expected to sign: a roster read from a CSV (with a report of every rejected row; nothing
//! written until every row is good or the officer accepts the good ones), or a declared count
//! for a unit without one. Either moves the expected counters.

pub use bvantq_shared::api::percent;
use std::collections::HashSet;

use bvantq_shared::pledge::parse_date;
use bvantq_shared::text::fold;
use bvantq_shared::{CitizenId, PersonName, PledgeKind, ValidationError};
use chrono::{NaiveDate, NaiveDateTime};

use crate::auth::AuthUser;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::pledges::store::campaigns as campaigns_store;
use crate::pledges::store::campaigns::CampaignRow;
use crate::pledges::store::pledges::{self, RosterRow};
use crate::units::store::{self as units};

use crate::pledges::service::counters;
pub use bvantq_shared::pledge::{
    Coverage, CoverageLine, RosterRejection, RosterReport, leaf_kinds, may_run,
};

/// One row of a roster import report.
fn reject(line: usize, field: &str, e: ValidationError) -> RosterRejection {
    RosterRejection {
        line,
        field: field.into(),
        code: e.code().into(),
        message_vi: e.message_vi(),
        message_en: e.message_en(),
    }
}

fn duplicate(line: usize) -> RosterRejection {
    RosterRejection {
        line,
        field: "row".into(),
        code: "duplicate".into(),
        message_vi: "Trùng với một dòng khác (cùng họ tên và ngày sinh, hoặc cùng số CCCD).".into(),
        message_en: "Duplicate of another row (same name and date of birth, or same CCCD).".into(),
    }
}

/// Reads a roster CSV for one unit of a campaign. Headers (English or Vietnamese without
/// diacritics): `full_name|ho_ten|chu_ho`, `birth_date|ngay_sinh` (YYYY-MM-DD or DD/MM/YYYY),
/// `citizen_id|cccd`, and for households `address|dia_chi`, `members|so_nhan_khau`.
pub fn parse_roster(
    csv_text: &[u8],
    kind: PledgeKind,
    campaign_id: &str,
    unit: &str,
    key: &crate::infra::cccd_keys::CccdKeys,
    existing: &[pledges::RosterKey],
    now: NaiveDateTime,
) -> Result<(Vec<RosterRow>, Vec<RosterRejection>, usize), ApiError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(csv_text);
    let headers = rdr
        .headers()
        .map_err(|_| ApiError::field("file", ValidationError::Required))?
        .clone();
    let col = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&fold(h).replace(' ', "_").as_str()))
    };
    let c_name = col(&["full_name", "ho_ten", "chu_ho", "ho_va_ten"]);
    let c_birth = col(&["birth_date", "ngay_sinh"]);
    let c_cccd = col(&["citizen_id", "cccd", "so_cccd"]);
    let c_addr = col(&["address", "dia_chi"]);
    let c_members = col(&["members", "so_nhan_khau"]);
    if c_name.is_none() {
        return Err(ApiError::field("file", ValidationError::Required));
    }
    let mut seen: HashSet<(String, Option<NaiveDate>)> = existing
        .iter()
        .filter(|e| e.0 == unit)
        .map(|e| (e.1.clone(), e.2))
        .collect();
    let mut seen_cccd: HashSet<String> = existing.iter().filter_map(|e| e.3.clone()).collect();
    let (mut rows, mut rejected, mut total) = (Vec::new(), Vec::new(), 0);
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        total += 1;
        let Ok(rec) = rec else {
            rejected.push(reject(line, "row", ValidationError::DateFormat));
            continue;
        };
        let get = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let name = match PersonName::parse(&PersonName::normalize_input(get(c_name).unwrap_or("")))
        {
            Ok(n) => n,
            Err(e) => {
                rejected.push(reject(line, "full_name", e));
                continue;
            }
        };
        let birth = match get(c_birth) {
            None if kind == PledgeKind::Household => None,
            None => {
                rejected.push(reject(line, "birth_date", ValidationError::Required));
                continue;
            }
            Some(raw) => match parse_date(raw).or_else(|_| {
                NaiveDate::parse_from_str(raw, "%d/%m/%Y").map_err(|_| ValidationError::DateFormat)
            }) {
                Ok(d) if d <= now.date() => Some(d),
                Ok(_) => {
                    rejected.push(reject(line, "birth_date", ValidationError::DateInFuture));
                    continue;
                }
                Err(e) => {
                    rejected.push(reject(line, "birth_date", e));
                    continue;
                }
            },
        };
        let cccd = match get(c_cccd) {
            None => None,
            Some(raw) => match birth.map_or_else(
                || CitizenId::parse(raw),
                |b| CitizenId::parse_with_birth_date(raw, b),
            ) {
                Ok(c) => Some(c),
                Err(e) => {
                    rejected.push(reject(line, "citizen_id", e));
                    continue;
                }
            },
        };
        let members = match (kind, get(c_members)) {
            (PledgeKind::Household, Some(m)) => match m.parse::<i32>() {
                Ok(n) if (1..=50).contains(&n) => Some(n),
                _ => {
                    rejected.push(reject(
                        line,
                        "members",
                        ValidationError::OutOfRange { min: 1, max: 50 },
                    ));
                    continue;
                }
            },
            _ => None,
        };
        let name_key = fold(name.as_str());
        let hmac = cccd.as_ref().map(|c| key.hash(c));
        // Every stored form of the number counts while a key rotation is pending.
        let known = cccd
            .as_ref()
            .is_some_and(|c| key.candidates(c).iter().any(|h| seen_cccd.contains(h)));
        if known
            || !seen.insert((name_key.clone(), birth))
            || hmac.as_ref().is_some_and(|h| !seen_cccd.insert(h.clone()))
        {
            rejected.push(duplicate(line));
            continue;
        }
        rows.push(RosterRow {
            id: db::new_id(),
            campaign_id: campaign_id.into(),
            unit_code: unit.into(),
            full_name: name.to_string(),
            name_key,
            birth_date: birth,
            cccd_last4: cccd.as_ref().map(|c| c.last4().to_string()),
            cccd_hmac: hmac,
            address: get(c_addr).map(str::to_string),
            members,
            line: line as i32,
            created_at: now,
        });
    }
    Ok((rows, rejected, total))
}

/// Imports a roster for one unit of a campaign (its managers only): the report, and whether it
/// was imported (every row good, or `accept_partial`).
#[allow(clippy::too_many_arguments)]
pub fn import(
    conn: &mut DbConn,
    user: &AuthUser,
    campaign: &CampaignRow,
    unit: &bvantq_shared::UnitCode,
    csv: &[u8],
    accept_partial: bool,
    key: &crate::infra::cccd_keys::CccdKeys,
    now: NaiveDateTime,
) -> Result<RosterReport, ApiError> {
    crate::pledges::service::campaigns::require_manage(conn, user, campaign)?;
    let cu = crate::pledges::store::campaigns::units_of(conn, &campaign.id)?;
    let Some(cu) = cu.into_iter().find(|u| u.unit_code == unit.as_str()) else {
        return Err(ApiError::field("unit", ValidationError::UnknownUnit));
    };
    if cu.declared_expected.is_some() {
        return Err(ApiError::Conflict {
            code: "declared_count_exists",
            vi: "Đơn vị này đã khai báo số lượng; không nhập thêm danh sách.".into(),
            en: "This unit has a declared count; a roster cannot be added.".into(),
        });
    }
    let existing = pledges::roster_keys(conn, &campaign.id)?;
    let (rows, rejected, total) = parse_roster(
        csv,
        campaign.kind,
        &campaign.id,
        unit.as_str(),
        key,
        &existing,
        now,
    )?;
    let imported = rejected.is_empty() || accept_partial;
    if imported {
        pledges::insert_roster(conn, &rows)?;
        let u = units::find(conn, unit.as_str())?.ok_or(ApiError::NotFound)?;
        let lineage = u.lineage_codes();
        counters::expected(conn, campaign, &lineage, rows.len() as i64)?;
    }
    Ok(RosterReport {
        unit_code: unit.to_string(),
        rows: total,
        accepted: rows.len(),
        rejected,
        imported,
    })
}

/// Declares the expected signers of a campaign's unit that has no roster (its managers only).
pub fn declare(
    conn: &mut DbConn,
    user: &AuthUser,
    campaign: &CampaignRow,
    unit_code: &str,
    expected: i64,
) -> Result<(), ApiError> {
    crate::pledges::service::campaigns::require_manage(conn, user, campaign)?;
    let cu = crate::pledges::store::campaigns::units_of(conn, &campaign.id)?
        .into_iter()
        .find(|u| u.unit_code == unit_code)
        .ok_or_else(|| ApiError::field("unit_code", ValidationError::UnknownUnit))?;
    if pledges::roster_counts(conn, &campaign.id)?
        .iter()
        .any(|(u, n)| *u == cu.unit_code && *n > 0)
    {
        return Err(ApiError::Conflict {
            code: "roster_exists",
            vi: "Đơn vị này đã có danh sách; số lượng lấy theo danh sách.".into(),
            en: "This unit has a roster; its count comes from the roster.".into(),
        });
    }
    let count = i32::try_from(expected).map_err(|_| {
        ApiError::field(
            "expected",
            ValidationError::OutOfRange {
                min: 0,
                max: i64::from(i32::MAX),
            },
        )
    })?;
    let delta = expected - i64::from(cu.declared_expected.unwrap_or(0));
    crate::pledges::store::campaigns::set_declared(conn, &campaign.id, &cu.unit_code, count)?;
    let u = units::find(conn, &cu.unit_code)?.ok_or(ApiError::NotFound)?;
    counters::expected(conn, campaign, &u.lineage_codes(), delta)
}

/// Who reads a class's sheet: its form teacher, and those who run pupils' campaigns over it (the
/// school, the province).
fn may_read_sheet(user: &AuthUser) -> bool {
    user.role == bvantq_shared::Role::FormTeacher || may_run(user.role, PledgeKind::Student)
}

/// `GET /units/{code}/class-sheet?year=…`: each pupils' campaign of `year` the class is in, with
/// its roster and who has signed (and how), the pupils signed off the roster, and the count
/// against what is expected.
pub fn class_sheet(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
) -> Result<bvantq_shared::pledge::ClassSheet, ApiError> {
    use bvantq_shared::pledge::{ClassCampaign, ClassSheet, RosterPupil};
    if !may_read_sheet(user) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    crate::infra::request::check_year("year", year)?;
    let parsed = bvantq_shared::UnitCode::parse(code).map_err(|e| ApiError::field("code", e))?;
    // A form teacher sees its own class only, and nothing through the general scope.
    let class = if user.role == bvantq_shared::Role::FormTeacher {
        if user.scope != parsed {
            return Err(ApiError::Forbidden("out_of_scope"));
        }
        units::find(conn, parsed.as_str())?.ok_or(ApiError::NotFound)?
    } else {
        crate::units::scope::require_code(conn, user, &parsed)?
    };
    if class.kind != bvantq_shared::UnitKind::Class {
        return Err(ApiError::field("code", ValidationError::UnitKindNotAllowed));
    }
    let mut campaigns = Vec::new();
    for c in campaigns_store::covering(conn, &class.code, PledgeKind::Student, year)? {
        let template = campaigns_store::template(conn, &c.template_id)?
            .ok_or_else(|| ApiError::internal("a campaign without its template"))?;
        let commitments = template.commitments().map_err(ApiError::internal)?.len();
        let marks = pledges::marks_of(conn, &c.id, &class.code)?;
        // The channel of a counted pledge on each roster row.
        let on_roster: std::collections::HashMap<String, bvantq_shared::PledgeChannel> = marks
            .iter()
            .filter(|(_, _, status)| status.counts())
            .filter_map(|(row, channel, _)| Some((row.clone()?, *channel)))
            .collect();
        let counted = marks.iter().filter(|(_, _, s)| s.counts()).count() as i64;
        let off_roster = marks
            .iter()
            .filter(|(row, _, s)| row.is_none() && s.counts())
            .count() as i64;
        let roster: Vec<RosterPupil> = pledges::roster_of(conn, &c.id, &class.code)?
            .into_iter()
            .map(|r| RosterPupil {
                signed: on_roster.get(&r.id).copied(),
                line: r.line,
                full_name: r.full_name,
                birth_date: r.birth_date,
            })
            .collect();
        let declared = campaigns_store::units_of(conn, &c.id)?
            .into_iter()
            .find(|u| u.unit_code == class.code)
            .and_then(|u| u.declared_expected);
        let expected = match (roster.len(), declared) {
            (0, Some(n)) => i64::from(n),
            (n, _) => n as i64,
        };
        campaigns.push(ClassCampaign {
            code: c.code,
            title: c.title,
            opens_on: c.opens_on,
            closes_on: c.closes_on,
            commitments,
            roster,
            off_roster,
            signed: counted,
            expected,
        });
    }
    Ok(ClassSheet {
        unit_code: class.code,
        unit_name: class.full_name,
        year,
        campaigns,
    })
}

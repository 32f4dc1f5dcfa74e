//! The «Ngày hội toàn dân bảo vệ ANTQ» (19/8) of each residential area: its day, attendance and
//! photos (metadata stripped on arrival, as a tip's), recorded by the commune's police; the list
//! of a commune's areas with who held it; the share of areas that did, on the dashboard
//! (`shared::plan::festival`).

pub mod routes;
pub mod store;

use bvantq_shared::plan::festival::{
    Festival, FestivalBoard, FestivalLine, FestivalRequest, FestivalShare,
};
use bvantq_shared::{Role, UnitKind};
use chrono::{Datelike, NaiveDateTime};

use crate::auth::AuthUser;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::infra::images::ImageType;
use crate::units::scope::require_code;
use crate::units::store as units;
use store::{FestivalRow, PhotoRow};

/// Who records an area's festival: the commune's police.
const RECORDERS: [Role; 2] = [Role::WardOfficer, Role::CommuneHead];
/// Who opens a festival's photos: the commune's police and the province's officers.
const PHOTO_READERS: [Role; 3] = [Role::WardOfficer, Role::CommuneHead, Role::ProvinceOfficer];

fn festival_of(row: FestivalRow, photo_ids: Vec<String>) -> Festival {
    Festival {
        id: row.id,
        unit_code: row.unit_code,
        held_on: row.held_on,
        attendance: i64::from(row.attendance),
        note: row.note,
        photo_ids,
        recorded_at: row.recorded_at,
    }
}

/// `POST /units/{code}/festivals`: a residential area's festival of the year its day falls in,
/// with its photos already cleaned (`tips::service::clean_photos`).
pub fn record(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    req: &FestivalRequest,
    photos: Vec<(ImageType, Vec<u8>)>,
    now: NaiveDateTime,
) -> Result<Festival, ApiError> {
    crate::auth::require_role(user, &RECORDERS)?;
    req.check(bvantq_shared::tip::vn_date(now))
        .map_err(ApiError::Validation)?;
    let year = crate::infra::request::check_year("held_on", req.held_on.year())?;
    let parsed = bvantq_shared::UnitCode::parse(code).map_err(|e| ApiError::field("code", e))?;
    let unit = require_code(conn, user, &parsed)?;
    if unit.kind != UnitKind::ResidentialArea {
        return Err(ApiError::field(
            "code",
            bvantq_shared::ValidationError::UnitKindNotAllowed,
        ));
    }
    let attendance = i32::try_from(req.attendance).map_err(ApiError::internal)?;
    let row = FestivalRow {
        id: db::new_id(),
        unit_code: unit.code,
        year,
        held_on: req.held_on,
        attendance,
        note: req.note.clone().filter(|n| !n.trim().is_empty()),
        recorded_by: user.id.clone(),
        recorded_at: now,
    };
    store::insert(conn, &row)?;
    let mut ids = Vec::new();
    for (t, bytes) in photos {
        let id = db::new_id();
        store::insert_photo(
            conn,
            &PhotoRow {
                id: id.clone(),
                festival_id: row.id.clone(),
                content_type: t.mime().into(),
                size_bytes: i32::try_from(bytes.len()).map_err(ApiError::internal)?,
                data: bytes,
                created_at: now,
            },
        )?;
        ids.push(id);
    }
    Ok(festival_of(row, ids))
}

/// `GET /units/{code}/festivals?year=…`: the residential areas under the unit (in the caller's
/// scope) and the festival each held that year.
pub fn board(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<FestivalBoard, ApiError> {
    crate::auth::require_security_records(user)?;
    crate::infra::request::check_year("year", year)?;
    let unit = crate::units::scope::target(conn, user, Some(code))?;
    let today = bvantq_shared::tip::vn_date(now);
    let mut areas: Vec<units::TreeUnit> = units::subtree(conn, &unit.path, today)?
        .into_iter()
        .filter(|u| u.kind == UnitKind::ResidentialArea)
        .collect();
    areas.sort_by(|a, b| a.code.cmp(&b.code));
    let held = store::under(conn, &unit.path, year)?;
    let ids: Vec<String> = held.iter().map(|f| f.id.clone()).collect();
    let photos = store::photo_ids(conn, &ids)?;
    let mut count = 0;
    let lines = areas
        .iter()
        .map(|a| {
            let festival = held.iter().find(|f| f.unit_code == a.code).map(|f| {
                count += 1;
                let mine = photos
                    .iter()
                    .filter(|(fid, _)| *fid == f.id)
                    .map(|(_, id)| id.clone())
                    .collect();
                festival_of(f.clone(), mine)
            });
            FestivalLine {
                unit_code: a.code.clone(),
                unit_name: a.full_name.clone(),
                festival,
            }
        })
        .collect();
    Ok(FestivalBoard {
        year,
        lines,
        share: FestivalShare::new(areas.len() as i64, count),
    })
}

/// `GET /festival-photos/{id}`: a photo (its type, its cleaned bytes) for an officer whose scope
/// covers the area; another scope's reads as absent.
pub fn photo(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<(String, Vec<u8>), ApiError> {
    crate::auth::require_role(user, &PHOTO_READERS)?;
    let (row, unit) = store::photo(conn, id)?.ok_or(ApiError::NotFound)?;
    let code = bvantq_shared::UnitCode::parse(&unit).map_err(ApiError::internal)?;
    require_code(conn, user, &code).map_err(|e| match e {
        ApiError::Forbidden(_) => ApiError::NotFound,
        e => e,
    })?;
    Ok((row.content_type, row.data))
}

/// The codes of the units under `path` that held the festival of `year` (for the dashboard).
pub fn held_under(conn: &mut DbConn, path: &str, year: i32) -> Result<Vec<String>, ApiError> {
    Ok(store::under(conn, path, year)?
        .into_iter()
        .map(|f| f.unit_code)
        .collect())
}

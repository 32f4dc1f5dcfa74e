//! The demo ward's records of the year: self-managed models and the security teams of two of
//! its three residential areas (names and phones made up for the demo).

use bvantq_shared::records::{MemberRequest, ModelRequest, RatingRequest, TeamRequest};
use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::*;
use crate::auth::AuthUser;
use crate::infra::db::DbConn;

fn day(y: i32, m: u32, d: u32) -> Result<NaiveDate, SeedError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or(SeedError::Year(y))
}

fn member(name: &str, position: &str, phone: &str, trained: Option<NaiveDate>) -> MemberRequest {
    MemberRequest {
        name: name.into(),
        position: position.into(),
        phone: Some(phone.into()),
        trained_on: trained,
    }
}

/// Adds the demo ward's models and teams once (when it has none), through the same service
/// calls the console makes, as its ward officer.
pub fn seed_demo_records(conn: &mut DbConn, now: NaiveDateTime) -> Result<(), SeedError> {
    use crate::records::service as records;
    let year = bvantq_shared::tip::vn_date(now).year();
    let officer = AuthUser {
        id: "demo".into(),
        username: None,
        role: Role::WardOfficer,
        scope: bvantq_shared::UnitCode::parse(DEMO_COMMUNE)
            .map_err(|e| SeedError::Records(e.to_string()))?,
        issuer: "demo".into(),
    };
    let board = records::team_board(conn, &officer, DEMO_COMMUNE, year, now)
        .map_err(|e| SeedError::Records(e.to_string()))?;
    if board.lines.iter().any(|l| l.team.is_some()) {
        return Ok(());
    }
    let fail = |e: crate::infra::error::ApiError| SeedError::Records(e.to_string());
    let trained = Some(day(year - 1, 9, 20)?);
    let teams = [
        (
            "KD-22759-0001",
            "15/QĐ-UBND",
            vec![
                member("Nguyễn Văn Hùng", "leader", "0905111201", trained),
                member("Trần Thị Lan", "deputy", "0905111202", trained),
                member("Lê Văn Tâm", "member", "0905111203", None),
            ],
        ),
        (
            "KD-22759-0002",
            "16/QĐ-UBND",
            vec![
                member("Phạm Văn Sơn", "deputy", "0905111204", trained),
                member("Võ Thị Hoa", "member", "0905111205", None),
            ],
        ),
    ];
    for (area, decision, members) in teams {
        let req = TeamRequest {
            founded_on: day(year - 2, 8, 1)?,
            decision_number: decision.into(),
            members,
        };
        records::put_team(conn, &officer, area, &req, now).map_err(fail)?;
    }
    let good = RatingRequest {
        rating: "good".into(),
    };
    records::rate_team(conn, &officer, "KD-22759-0001", year, &good, now).map_err(fail)?;
    let models = [
        (
            "KD-22759-0001",
            "Camera an ninh khu phố",
            "self_prevention",
            year - 2,
            40,
        ),
        (
            "KD-22759-0002",
            "Tổ tự quản khu nhà trọ",
            "self_management",
            year,
            25,
        ),
        (
            "DN-22759-0001",
            "Đội công nhân xung kích, tự quản về ANTT",
            "self_protection",
            year - 1,
            30,
        ),
    ];
    let today = bvantq_shared::tip::vn_date(now);
    for (unit, name, kind, started, members) in models {
        let req = ModelRequest {
            name: name.into(),
            kind: kind.into(),
            // One started this year, on the day the demo is loaded.
            started_on: if started == year {
                today
            } else {
                day(started, 3, 1)?
            },
            members,
            retired_on: None,
        };
        let m = records::add_model(conn, &officer, unit, &req, now).map_err(fail)?;
        if started < year {
            let effective = RatingRequest {
                rating: "effective".into(),
            };
            records::rate_model(conn, &officer, &m.id, year, &effective, now).map_err(fail)?;
        }
    }
    Ok(())
}

//! The awards decided for a year under a unit, as the dashboard and the November report list
//! them (a module of its own: the dashboard reads it, and the emulation service reads the
//! dashboard).

use bvantq_shared::plan::emulation::{AwardLine, Decision, EntryStatus};

use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::plans::emulation::store;

/// The awards decided for `year` to the unit at `path` and the units under it.
pub fn under(conn: &mut DbConn, path: &str, year: i32) -> Result<Vec<AwardLine>, ApiError> {
    let mut out = Vec::new();
    for (row, name) in store::entries_under(conn, path, year, Some(EntryStatus::Awarded))? {
        let (Some(award), Some(number), Some(date), Some(signer)) = (
            row.award,
            row.decision_number,
            row.decision_date,
            row.decision_signer,
        ) else {
            return Err(ApiError::internal(format!(
                "awarded entry {} without its award or decision",
                row.id
            )));
        };
        out.push(AwardLine {
            unit_code: row.unit_code,
            unit_name: name,
            year: row.year,
            award,
            decision: Decision {
                awarded: true,
                number,
                date,
                signer,
            },
        });
    }
    Ok(out)
}

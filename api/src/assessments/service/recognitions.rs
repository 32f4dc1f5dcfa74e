//! The assessments approved under a unit in a year, with their recognition decisions, as the
//! dashboard and the November report list them.

use std::collections::HashMap;

use bvantq_shared::recognition::RecognitionLine;

use super::set_by_id;
use super::workflow::decision_of;
use crate::assessments::store;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;

/// Every approved assessment of `period` for the unit at `path` and the units under it; the
/// score is marked provisional where its set's scorecard has no source.
pub fn under(conn: &mut DbConn, path: &str, period: i32) -> Result<Vec<RecognitionLine>, ApiError> {
    let mut provisional: HashMap<String, bool> = HashMap::new();
    let mut out = Vec::new();
    for row in store::approved_under(conn, path, period)? {
        let score_provisional = match provisional.get(&row.set_id) {
            Some(p) => *p,
            None => {
                let p = set_by_id(conn, &row.set_id)?.scorecard_is_provisional();
                provisional.insert(row.set_id.clone(), p);
                p
            }
        };
        let recognised = row.recognised.ok_or_else(|| {
            ApiError::internal(format!(
                "approved assessment of {} without its outcome",
                row.unit_code
            ))
        })?;
        out.push(RecognitionLine {
            decision: decision_of(row.decision_number, row.decision_date, row.decision_signer),
            unit_code: row.unit_code,
            unit_name: row.unit_name,
            unit_kind: row.unit_kind,
            recognised,
            classification: row.classification,
            score: row.score,
            score_provisional,
        });
    }
    Ok(out)
}

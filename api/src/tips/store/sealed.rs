//! The sealed records a restore is checked against: one of each key id the database holds.

use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::{tip_messages, tips};

/// A sealed record: its tip, its message (none for the tip's content), its key id, the sealed bytes.
pub type Sealed = (String, Option<String>, String, Vec<u8>);

/// One sealed tip content and one sealed message under each key id the database holds (to check
/// that the keys in use open them, after a restore): (tip id, message id or none, key id, sealed).
pub fn one_sealed_per_key(conn: &mut DbConn) -> QueryResult<Vec<Sealed>> {
    let mut out = Vec::new();
    let keys: Vec<Option<String>> = tips::table
        .filter(tips::content.is_not_null())
        .select(tips::key_id)
        .distinct()
        .load(conn)?;
    for k in keys.into_iter().flatten() {
        let (id, content): (String, Option<Vec<u8>>) = tips::table
            .filter(tips::key_id.eq(&k))
            .filter(tips::content.is_not_null())
            .select((tips::id, tips::content))
            .first(conn)?;
        out.extend(content.map(|c| (id, None, k, c)));
    }
    let keys: Vec<String> = tip_messages::table
        .select(tip_messages::key_id)
        .distinct()
        .load(conn)?;
    for k in keys {
        let (id, tip, body): (String, String, Vec<u8>) = tip_messages::table
            .filter(tip_messages::key_id.eq(&k))
            .select((tip_messages::id, tip_messages::tip_id, tip_messages::body))
            .first(conn)?;
        out.push((tip, Some(id), k, body));
    }
    Ok(out)
}

//! The administrative unit tree with history.

use bvantq_shared::api::UnitDto;
use bvantq_shared::registration::Exclusion;
use bvantq_shared::{UnitCode, UnitKind};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::{unit_exclusions, units};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = units, primary_key(code))]
pub struct UnitRow {
    pub code: String,
    pub kind: UnitKind,
    pub name: String,
    pub full_name: String,
    pub name_ascii: String,
    pub parent_code: Option<String>,
    pub path: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub replaced_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl UnitRow {
    pub fn is_current(&self, today: NaiveDate) -> bool {
        self.valid_to.is_none_or(|to| to >= today) && self.replaced_by.is_none()
    }

    pub fn to_dto(&self, today: NaiveDate) -> UnitDto {
        UnitDto {
            code: self.code.clone(),
            kind: self.kind,
            name: self.name.clone(),
            full_name: self.full_name.clone(),
            name_ascii: self.name_ascii.clone(),
            parent_code: self.parent_code.clone(),
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            replaced_by: self.replaced_by.clone(),
            current: self.is_current(today),
            province: None,
        }
    }

    /// The code of the province this unit lies in (its own, for a province).
    pub fn province_code(&self) -> &str {
        self.lineage().first().copied().unwrap_or("")
    }

    /// Codes from the root down to this unit.
    pub fn lineage(&self) -> Vec<&str> {
        self.path.split('/').filter(|s| !s.is_empty()).collect()
    }

    /// Codes from the root down to this unit, owned: the counters a pledge here moves.
    pub fn lineage_codes(&self) -> Vec<String> {
        self.lineage().into_iter().map(str::to_string).collect()
    }
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = units)]
pub struct NewUnitRow {
    pub code: String,
    pub kind: UnitKind,
    pub name: String,
    pub full_name: String,
    pub name_ascii: String,
    pub parent_code: Option<String>,
    pub path: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub replaced_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConn, code: &str) -> QueryResult<Option<UnitRow>> {
    units::table
        .find(code)
        .select(UnitRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_many(conn: &mut DbConn, codes: &[&str]) -> QueryResult<Vec<UnitRow>> {
    units::table
        .filter(units::code.eq_any(codes))
        .select(UnitRow::as_select())
        .load(conn)
}

/// Filters of the unit list.
#[derive(Debug, Default, Clone)]
pub struct UnitQuery {
    pub parent: Option<String>,
    /// Already folded (lower case, no diacritics).
    pub q: Option<String>,
    pub kind: Option<UnitKind>,
    /// Include units that no longer exist (merged, dissolved).
    pub include_history: bool,
    /// The last code of the previous page (listings without `q`).
    pub after: Option<String>,
    /// Rows of a search to skip (searches are ordered by relevance, not code).
    pub offset: i64,
    pub limit: i64,
    /// Restrict to a subtree path prefix (e.g. `/56/`).
    pub under_path: Option<String>,
}

/// The units in force on `today`: not replaced, and not ended before it (the filter of every
/// read of the current tree in this module).
type Current = diesel::dsl::And<
    diesel::dsl::IsNull<units::replaced_by>,
    diesel::dsl::Or<
        diesel::dsl::IsNull<units::valid_to>,
        diesel::dsl::GtEq<units::valid_to, NaiveDate>,
    >,
>;

fn current(today: NaiveDate) -> Current {
    units::replaced_by
        .is_null()
        .and(units::valid_to.is_null().or(units::valid_to.ge(today)))
}

/// Lists units one page at a time: ordered by code, or, for a search (`q`), by how the name
/// matches — the name itself, a name starting with the words typed, a word starting with them,
/// anywhere (`shared::text::match_tier`, the same tiers) — then provinces before what lies in
/// them, then by name.
pub fn list(conn: &mut DbConn, q: &UnitQuery, today: NaiveDate) -> QueryResult<Vec<UnitRow>> {
    let mut query = units::table.select(UnitRow::as_select()).into_boxed();
    match (&q.parent, &q.q) {
        (Some(p), _) => query = query.filter(units::parent_code.eq(p.clone())),
        (None, None) => query = query.filter(units::parent_code.is_null()),
        (None, Some(_)) => {}
    }
    if let Some(text) = &q.q {
        let pattern = format!("%{}%", escape_like(text));
        query = query.filter(
            units::name_ascii
                .like(pattern.clone())
                .escape('\\')
                .or(units::code.like(like_prefix(text)).escape('\\')),
        );
    }
    if let Some(k) = q.kind {
        query = query.filter(units::kind.eq(k));
    }
    if let Some(prefix) = &q.under_path {
        query = query.filter(units::path.like(like_prefix(prefix)).escape('\\'));
    }
    if !q.include_history {
        query = query.filter(current(today));
    }
    let Some(text) = &q.q else {
        if let Some(after) = &q.after {
            query = query.filter(units::code.gt(after.clone()));
        }
        return query.order(units::code.asc()).limit(q.limit).load(conn);
    };
    use diesel::dsl::sql;
    use diesel::sql_types::{Integer, Text};
    let e = escape_like(text);
    let tier = sql::<Integer>("CASE WHEN name_ascii = ")
        .bind::<Text, _>(text.clone())
        .sql(" THEN 0 WHEN name_ascii LIKE ")
        .bind::<Text, _>(format!("{e}%"))
        .sql(" ESCAPE '\\' THEN 1 WHEN name_ascii LIKE ")
        .bind::<Text, _>(format!("% {e}%"))
        .sql(" ESCAPE '\\' THEN 2 ELSE 3 END");
    query
        .order((
            tier.asc(),
            sql::<Integer>("LENGTH(path)").asc(),
            units::name_ascii.asc(),
            units::code.asc(),
        ))
        .offset(q.offset)
        .limit(q.limit)
        .load(conn)
}

/// Every current direct child of `parent`, ordered by code — all of them, without a page limit
/// (the one place "the units below a unit" is read).
pub fn children(conn: &mut DbConn, parent: &str, today: NaiveDate) -> QueryResult<Vec<UnitRow>> {
    units::table
        .select(UnitRow::as_select())
        .filter(units::parent_code.eq(parent))
        .filter(current(today))
        .order(units::code.asc())
        .load(conn)
}

/// The current provinces (the units with no parent), by code.
pub fn provinces(conn: &mut DbConn, today: NaiveDate) -> QueryResult<Vec<UnitRow>> {
    units::table
        .select(UnitRow::as_select())
        .filter(units::parent_code.is_null())
        .filter(current(today))
        .order(units::code.asc())
        .load(conn)
}

/// A unit as the readers of a whole subtree take it: five of a row's twelve columns. A
/// province's dashboard reads its 5,000 residential areas and more on every request; decoding
/// the full rows was half the server's time (BENCHMARKS.md, "A province's dashboard at national
/// size").
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = units)]
pub struct TreeUnit {
    pub code: String,
    pub kind: UnitKind,
    pub full_name: String,
    pub parent_code: Option<String>,
    pub path: String,
}

impl From<UnitRow> for TreeUnit {
    fn from(u: UnitRow) -> Self {
        TreeUnit {
            code: u.code,
            kind: u.kind,
            full_name: u.full_name,
            parent_code: u.parent_code,
            path: u.path,
        }
    }
}

/// Every current unit in the subtree at `path` (itself included).
pub fn subtree(conn: &mut DbConn, path: &str, today: NaiveDate) -> QueryResult<Vec<TreeUnit>> {
    units::table
        .filter(units::path.like(like_prefix(path)).escape('\\'))
        .filter(current(today))
        .select(TreeUnit::as_select())
        .load(conn)
}

pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The `LIKE` pattern (with `\` as its escape) of the values that start with `prefix`: a unit's
/// subtree by its path, a name by its first letters.
pub fn like_prefix(prefix: &str) -> String {
    format!("{}%", escape_like(prefix))
}

pub fn children_count(conn: &mut DbConn, code: &str) -> QueryResult<i64> {
    units::table
        .filter(units::parent_code.eq(code))
        .count()
        .get_result(conn)
}

/// The units `code` replaced directly (those whose `replaced_by` is `code`): the former
/// provinces of a province, the former communes a commune was formed from.
pub fn predecessors(conn: &mut DbConn, code: &str) -> QueryResult<Vec<UnitRow>> {
    units::table
        .filter(units::replaced_by.eq(code))
        .select(UnitRow::as_select())
        .order(units::code.asc())
        .load(conn)
}

/// Which of `codes` a former unit was merged into (some unit's `replaced_by`): one query for a
/// dashboard's rows, most of which have no predecessor.
pub fn with_predecessors(conn: &mut DbConn, codes: &[String]) -> QueryResult<Vec<String>> {
    let found: Vec<Option<String>> = units::table
        .filter(units::replaced_by.eq_any(codes))
        .select(units::replaced_by)
        .distinct()
        .load(conn)?;
    Ok(found.into_iter().flatten().collect())
}

/// Follows `replaced_by` from a unit to the unit that carries it today (58 → 56).
pub fn successors(conn: &mut DbConn, unit: &UnitRow) -> QueryResult<Vec<UnitRow>> {
    let mut out: Vec<UnitRow> = Vec::new();
    let mut next = unit.replaced_by.clone();
    while let Some(code) = next {
        if code == unit.code || out.iter().any(|u| u.code == code) || out.len() > 16 {
            break;
        }
        match find(conn, &code)? {
            Some(u) => {
                next = u.replaced_by.clone();
                out.push(u);
            }
            None => break,
        }
    }
    Ok(out)
}

/// The path of a new unit under `parent` (or at the root).
pub fn child_path(parent: Option<&UnitRow>, code: &str) -> String {
    match parent {
        Some(p) => format!("{}{code}/", p.path),
        None => format!("/{code}/"),
    }
}

pub fn insert(conn: &mut DbConn, row: &NewUnitRow) -> QueryResult<UnitRow> {
    // (RETURNING is not available through the multi-backend connection.)
    diesel::insert_into(units::table)
        .values(row)
        .execute(conn)?;
    units::table
        .find(&row.code)
        .select(UnitRow::as_select())
        .first(conn)
}

/// Whether `row` would change anything stored for its code.
pub fn differs(existing: &UnitRow, row: &NewUnitRow) -> bool {
    existing.kind != row.kind
        || existing.name != row.name
        || existing.full_name != row.full_name
        || existing.name_ascii != row.name_ascii
        || existing.parent_code != row.parent_code
        || existing.path != row.path
        || existing.valid_from != row.valid_from
        || existing.valid_to != row.valid_to
        || existing.replaced_by != row.replaced_by
}

/// Inserts a unit or updates it when its data changed; moving a unit re-roots its subtree.
/// Returns whether anything was written.
pub fn upsert(conn: &mut DbConn, row: &NewUnitRow) -> QueryResult<bool> {
    match find(conn, &row.code)? {
        None => {
            insert(conn, row)?;
            Ok(true)
        }
        Some(existing) if differs(&existing, row) => {
            diesel::update(units::table.find(&row.code))
                .set((
                    units::kind.eq(&row.kind),
                    units::name.eq(&row.name),
                    units::full_name.eq(&row.full_name),
                    units::name_ascii.eq(&row.name_ascii),
                    units::parent_code.eq(&row.parent_code),
                    units::path.eq(&row.path),
                    units::valid_from.eq(row.valid_from),
                    units::valid_to.eq(row.valid_to),
                    units::replaced_by.eq(&row.replaced_by),
                    units::updated_at.eq(row.updated_at),
                ))
                .execute(conn)?;
            if existing.path != row.path {
                reroot(conn, &existing.path, &row.path)?;
            }
            Ok(true)
        }
        Some(_) => Ok(false),
    }
}

/// Rewrites the paths of a moved unit's descendants.
fn reroot(conn: &mut DbConn, old: &str, new: &str) -> QueryResult<()> {
    let descendants: Vec<(String, String)> = units::table
        .filter(units::path.like(like_prefix(old)).escape('\\'))
        .filter(units::path.ne(new))
        .select((units::code, units::path))
        .load(conn)?;
    for (code, path) in descendants {
        if let Some(rest) = path.strip_prefix(old) {
            diesel::update(units::table.find(code))
                .set(units::path.eq(format!("{new}{rest}")))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// The highest serial number used so far for platform codes with this prefix.
pub fn max_platform_serial(conn: &mut DbConn, prefix: &str) -> QueryResult<u32> {
    let codes: Vec<String> = units::table
        .filter(units::code.like(like_prefix(prefix)).escape('\\'))
        .select(units::code)
        .load(conn)?;
    Ok(codes
        .iter()
        .filter_map(|c| UnitCode::parse(c).ok()?.serial())
        .max()
        .unwrap_or(0))
}

pub fn count(conn: &mut DbConn, kind: UnitKind) -> QueryResult<i64> {
    units::table
        .filter(units::kind.eq(kind))
        .count()
        .get_result(conn)
}

/// Sets why a unit is outside Thông tư 124 (art. 1.2.b), or clears it (a property of the unit,
/// kept in `unit_exclusions`; read by `records`).
pub fn set_exclusion(
    conn: &mut DbConn,
    code: &str,
    exclusion: Option<Exclusion>,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(unit_exclusions::table.find(code)).execute(conn)?;
    if let Some(e) = exclusion {
        diesel::insert_into(unit_exclusions::table)
            .values((
                unit_exclusions::unit_code.eq(code),
                unit_exclusions::exclusion.eq(e),
                unit_exclusions::set_by.eq(by),
                unit_exclusions::set_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

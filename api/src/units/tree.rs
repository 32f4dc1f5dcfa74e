//! Rules of the unit tree that need the database: codes for new platform units, and loading
//! units from the official list (JSON) or a CSV.

use std::collections::HashMap;

use bvantq_shared::text::fold;
use bvantq_shared::{UnitCode, UnitKind, ValidationError};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::units::store::{self as units, NewUnitRow, UnitRow};

/// The commune a unit belongs to: itself or its nearest commune ancestor.
pub fn commune_of(unit: &UnitRow) -> Option<UnitCode> {
    unit.lineage()
        .into_iter()
        .rev()
        .find(|c| c.len() == 5 && c.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|c| UnitCode::parse(c).ok())
}

/// The next free platform code for a unit of `kind` under `parent`, e.g. `KD-22333-0004`.
pub fn next_platform_code(
    conn: &mut DbConn,
    parent: &UnitRow,
    kind: UnitKind,
) -> Result<UnitCode, ApiError> {
    let commune = commune_of(parent)
        .ok_or_else(|| ApiError::field("parent_code", ValidationError::UnitKindNotAllowed))?;
    let prefix = UnitCode::platform_prefix(kind, &commune)
        .ok_or_else(|| ApiError::field("kind", ValidationError::UnitKindNotAllowed))?;
    let serial = units::max_platform_serial(conn, &prefix)? + 1;
    UnitCode::platform(kind, &commune, serial).ok_or_else(|| {
        ApiError::field(
            "kind",
            ValidationError::OutOfRange {
                min: 1,
                max: 999_999,
            },
        )
    })
}

/// A unit to load, before paths are worked out.
#[derive(Debug, Clone)]
pub struct ImportUnit {
    pub code: UnitCode,
    pub kind: UnitKind,
    pub name: String,
    pub full_name: String,
    pub parent: Option<UnitCode>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub replaced_by: Option<UnitCode>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImportReport {
    pub read: usize,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {0}: {1}")]
    Io(String, std::io::Error),
    #[error("line {line}: {message}")]
    Row { line: usize, message: String },
    #[error("not the expected JSON shape: {0}")]
    Json(String),
    #[error("unit {0} names parent {1}, which is neither in the file nor in the database")]
    MissingParent(String, String),
    #[error("database: {0}")]
    Db(String),
}

/// `vn_units_*.json`: provinces with their wards (the shape of vietnamese-provinces-database).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct JsonProvince {
    code: String,
    name: String,
    full_name: String,
    #[serde(default)]
    wards: Vec<JsonWard>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct JsonWard {
    code: String,
    name: String,
    full_name: String,
    province_code: String,
}

pub fn parse_json_units(bytes: &[u8]) -> Result<Vec<ImportUnit>, ImportError> {
    let provinces: Vec<JsonProvince> =
        serde_json::from_slice(bytes).map_err(|e| ImportError::Json(e.to_string()))?;
    let mut out = Vec::new();
    for p in provinces {
        let code = UnitCode::parse(&p.code)
            .map_err(|e| ImportError::Json(format!("province {}: {}", p.code, e.message_en())))?;
        out.push(ImportUnit {
            code: code.clone(),
            kind: UnitKind::Province,
            name: p.name,
            full_name: p.full_name,
            parent: None,
            valid_from: None,
            valid_to: None,
            replaced_by: None,
        });
        for w in p.wards {
            let wcode = UnitCode::parse(&w.code)
                .map_err(|e| ImportError::Json(format!("ward {}: {}", w.code, e.message_en())))?;
            let parent = UnitCode::parse(&w.province_code).map_err(|e| {
                ImportError::Json(format!(
                    "ward {}: province code: {}",
                    w.code,
                    e.message_en()
                ))
            })?;
            out.push(ImportUnit {
                code: wcode,
                kind: UnitKind::Commune,
                name: w.name,
                full_name: w.full_name,
                parent: Some(parent),
                valid_from: None,
                valid_to: None,
                replaced_by: None,
            });
        }
    }
    out.extend(former_provinces(&out));
    Ok(out)
}

/// The provinces that ended with the 2025 reform and merged into a province of `units`, as
/// history (`valid_to`, `replaced_by`): the official list is the list after the reform, and a
/// plan made for a former province reaches its successor through these rows
/// (`bvantq_shared::reform`, Nghị quyết 202/2025/QH15).
pub fn former_provinces(units: &[ImportUnit]) -> Vec<ImportUnit> {
    use bvantq_shared::reform;
    let (y, m, d) = reform::LAST_DAY;
    let last_day = NaiveDate::from_ymd_opt(y, m, d);
    reform::FORMER_PROVINCES
        .iter()
        .filter(|f| {
            units
                .iter()
                .any(|u| u.kind == UnitKind::Province && u.code.as_str() == f.successor)
        })
        .map(|f| {
            // The table's codes are checked to parse (shared's reform tests).
            let code = |c: &str| {
                UnitCode::parse(c).unwrap_or_else(|_| unreachable!("reform codes are valid: {c}"))
            };
            ImportUnit {
                code: code(f.code),
                kind: UnitKind::Province,
                name: f.name.into(),
                full_name: f.full_name.into(),
                parent: None,
                valid_from: None,
                valid_to: last_day,
                replaced_by: Some(code(f.successor)),
            }
        })
        .collect()
}

/// A plain CSV with a header `code,name,parent_code,kind` (`level` is accepted for `kind`), and
/// optional `full_name`, `valid_from`, `valid_to`, `replaced_by` columns.
pub fn parse_csv_units(bytes: &[u8]) -> Result<Vec<ImportUnit>, ImportError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| ImportError::Row {
            line: 1,
            message: e.to_string(),
        })?
        .clone();
    let col = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&h.to_ascii_lowercase().as_str()))
    };
    let (Some(c_code), Some(c_name), Some(c_kind)) =
        (col(&["code"]), col(&["name"]), col(&["kind", "level"]))
    else {
        return Err(ImportError::Row {
            line: 1,
            message: "header must have code,name,parent_code,kind".into(),
        });
    };
    let c_parent = col(&["parent_code", "parent"]);
    let c_full = col(&["full_name"]);
    let (c_from, c_to, c_repl) = (
        col(&["valid_from"]),
        col(&["valid_to"]),
        col(&["replaced_by"]),
    );
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| ImportError::Row {
            line,
            message: e.to_string(),
        })?;
        let get = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let bad = |field: &str, e: ValidationError| ImportError::Row {
            line,
            message: format!("{field}: {}", e.message_en()),
        };
        let code = UnitCode::parse(get(Some(c_code)).unwrap_or("")).map_err(|e| bad("code", e))?;
        let kind = UnitKind::parse(get(Some(c_kind)).unwrap_or("")).map_err(|e| bad("kind", e))?;
        let name = bvantq_shared::api::parse_unit_name(get(Some(c_name)).unwrap_or(""))
            .map_err(|e| bad("name", e))?;
        let parent = get(c_parent)
            .map(UnitCode::parse)
            .transpose()
            .map_err(|e| bad("parent_code", e))?;
        let date = |c, f: &str| {
            get(c)
                .map(|s| {
                    NaiveDate::parse_from_str(s, "%Y-%m-%d")
                        .map_err(|_| bad(f, ValidationError::DateFormat))
                })
                .transpose()
        };
        out.push(ImportUnit {
            full_name: get(c_full)
                .map(str::to_string)
                .unwrap_or_else(|| name.clone()),
            code,
            kind,
            name,
            parent,
            valid_from: date(c_from, "valid_from")?,
            valid_to: date(c_to, "valid_to")?,
            replaced_by: get(c_repl)
                .map(UnitCode::parse)
                .transpose()
                .map_err(|e| bad("replaced_by", e))?,
        });
    }
    Ok(out)
}

/// Loads units in one transaction: parents before children, inserting new units, updating
/// changed ones, leaving identical ones untouched (so a second run changes nothing).
pub fn import(
    conn: &mut DbConn,
    items: &[ImportUnit],
    now: NaiveDateTime,
) -> Result<ImportReport, ImportError> {
    let by_code: HashMap<&str, &ImportUnit> = items.iter().map(|u| (u.code.as_str(), u)).collect();
    let mut ordered: Vec<&ImportUnit> = items.iter().collect();
    // Depth in the file's own tree puts parents first.
    let depth = |u: &ImportUnit| {
        let mut d = 0;
        let mut p = u.parent.as_ref();
        while let Some(code) = p {
            d += 1;
            p = by_code.get(code.as_str()).and_then(|x| x.parent.as_ref());
            if d > 16 {
                break;
            }
        }
        d
    };
    ordered.sort_by_key(|u| depth(u));
    #[derive(Clone, Copy, PartialEq)]
    enum Outcome {
        Inserted,
        Updated,
        Unchanged,
    }
    let mut outcomes: HashMap<String, Outcome> = HashMap::new();
    db::write_tx(conn, |conn| {
        let mut paths: HashMap<String, String> = HashMap::new();
        for u in &ordered {
            let parent_path = match &u.parent {
                None => None,
                Some(p) => Some(match paths.get(p.as_str()) {
                    Some(path) => path.clone(),
                    None => units::find(conn, p.as_str())?
                        .map(|r| r.path)
                        .ok_or_else(|| {
                            ImportError::MissingParent(u.code.to_string(), p.to_string())
                        })?,
                }),
            };
            let path = match &parent_path {
                Some(pp) => format!("{pp}{}/", u.code),
                None => format!("/{}/", u.code),
            };
            paths.insert(u.code.to_string(), path.clone());
            let existing = units::find(conn, u.code.as_str())?;
            let row = NewUnitRow {
                code: u.code.to_string(),
                kind: u.kind,
                name: u.name.clone(),
                full_name: u.full_name.clone(),
                name_ascii: fold(&u.name),
                parent_code: u.parent.as_ref().map(|p| p.to_string()),
                path,
                valid_from: u.valid_from,
                valid_to: u.valid_to,
                // Set below, once every unit exists (a successor may come later in the file).
                replaced_by: existing.as_ref().and_then(|e| e.replaced_by.clone()),
                created_at: now,
                updated_at: now,
            };
            let changed = units::upsert(conn, &row)?;
            let outcome = match (existing.is_some(), changed) {
                (false, _) => Outcome::Inserted,
                (true, true) => Outcome::Updated,
                (true, false) => Outcome::Unchanged,
            };
            outcomes.insert(row.code, outcome);
        }
        for u in items.iter().filter(|u| u.replaced_by.is_some()) {
            let target = u.replaced_by.as_ref().map(|c| c.to_string());
            let current = units::find(conn, u.code.as_str())?.and_then(|r| r.replaced_by);
            if current != target {
                diesel::update(schema::units::table.find(u.code.as_str()))
                    .set(schema::units::replaced_by.eq(target))
                    .execute(conn)?;
                if let Some(o) = outcomes
                    .get_mut(u.code.as_str())
                    .filter(|o| **o == Outcome::Unchanged)
                {
                    *o = Outcome::Updated;
                }
            }
        }
        Ok::<_, ImportError>(())
    })?;
    let count = |o| outcomes.values().filter(|v| **v == o).count();
    Ok(ImportReport {
        read: items.len(),
        inserted: count(Outcome::Inserted),
        updated: count(Outcome::Updated),
        unchanged: count(Outcome::Unchanged),
    })
}

use crate::infra::db::schema;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Db(e.to_string())
    }
}

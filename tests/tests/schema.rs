//! `api/src/infra/db/schema.rs` is written by hand; this checks it against the database each
//! migration folder builds: the same tables, the same columns, each of the same type and
//! nullability, and the same primary key. A column added to one migration folder and not to the
//! schema (or to one backend and not the other) fails here.

use std::collections::BTreeMap;

use bvantq_tests::{OrFail, TestApp, both};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

/// A column as the schema or the database describes it: its diesel type (without `Nullable`),
/// whether it is nullable, and whether it is part of the primary key.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    ty: String,
    nullable: bool,
    key: bool,
}

type Tables = BTreeMap<String, BTreeMap<String, Column>>;

/// Parses the `diesel::table!` blocks of schema.rs.
fn declared() -> Tables {
    let path = bvantq_tests::process::repo_root().join("api/src/infra/db/schema.rs");
    let text = std::fs::read_to_string(&path).or_fail();
    let mut out = Tables::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("diesel::table! {") {
        rest = &rest[i + "diesel::table! {".len()..];
        let end = rest.find("\n}").or_fail();
        let block = &rest[..end];
        rest = &rest[end..];
        let mut lines = block.lines().map(str::trim).filter(|l| !l.is_empty());
        // `name (key, …) {`
        let head = lines.next().or_fail();
        let (name, keys) = head.split_once(' ').or_fail();
        let keys: Vec<&str> = keys
            .trim_start_matches('(')
            .split(')')
            .next()
            .or_fail()
            .split(',')
            .map(str::trim)
            .collect();
        let mut cols = BTreeMap::new();
        for l in lines {
            let Some((col, ty)) = l.trim_end_matches(',').split_once(" -> ") else {
                continue;
            };
            let (ty, nullable) = match ty.strip_prefix("Nullable<") {
                Some(inner) => (inner.trim_end_matches('>'), true),
                None => (ty, false),
            };
            cols.insert(
                col.to_string(),
                Column {
                    ty: ty.to_string(),
                    nullable,
                    key: keys.contains(&col),
                },
            );
        }
        out.insert(name.to_string(), cols);
    }
    assert!(out.len() > 10, "schema.rs parsed to {} tables", out.len());
    out
}

/// The diesel type a column's declared SQL type reads as.
fn diesel_type(sql: &str) -> String {
    let t = sql.to_ascii_lowercase();
    let t = t.split('(').next().or_fail().trim();
    match t {
        "text" | "varchar" | "character varying" => "Text",
        "integer" | "int" | "int4" => "Integer",
        "bigint" | "int8" => "BigInt",
        "boolean" | "bool" => "Bool",
        "timestamp" | "timestamp without time zone" => "Timestamp",
        "date" => "Date",
        "blob" | "bytea" => "Binary",
        "double precision" | "double" | "float8" | "real" => "Double",
        other => panic!("no diesel type for SQL type {other:?}"),
    }
    .to_string()
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    #[diesel(column_name = type_)]
    ty: String,
    #[diesel(sql_type = Integer)]
    notnull: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
    #[diesel(sql_type = Integer)]
    key: i32,
}

fn sqlite_tables(conn: &mut SqliteConnection) -> Tables {
    let names: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations'",
    )
    .load(conn)
    .or_fail();
    let mut out = Tables::new();
    for t in names {
        // `type` is a keyword in Rust: the pragma's column is renamed in the query.
        let cols: Vec<SqliteColumn> = diesel::sql_query(format!(
            "SELECT name, type AS type_, \"notnull\", pk FROM pragma_table_info('{}')",
            t.name
        ))
        .load(conn)
        .or_fail();
        let cols = cols
            .into_iter()
            .map(|c| {
                (
                    c.name,
                    Column {
                        ty: diesel_type(&c.ty),
                        // SQLite lets a primary key column hold NULL unless it says NOT NULL;
                        // the schema reads it as the key, never null.
                        nullable: c.notnull == 0 && c.pk == 0,
                        key: c.pk > 0,
                    },
                )
            })
            .collect();
        out.insert(t.name, cols);
    }
    out
}

/// The tables of PostgreSQL's current schema. A partition (`pledges_2026`) is part of its table,
/// not a table of its own; a partition key PostgreSQL requires in the primary key (`pledges.year`)
/// is not part of the key the schema gives diesel.
fn pg_tables(conn: &mut PgConnection) -> Tables {
    let cols: Vec<PgColumn> = diesel::sql_query(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
                c.data_type::text AS data_type, c.is_nullable::text AS is_nullable, \
                (EXISTS (SELECT 1 FROM information_schema.table_constraints tc \
                   JOIN information_schema.key_column_usage k \
                     ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema \
                  WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema \
                    AND tc.table_name = c.table_name AND k.column_name = c.column_name \
                    AND NOT c.column_name IN (SELECT a.attname FROM pg_partitioned_table pt \
                      JOIN pg_class pc ON pc.oid = pt.partrelid \
                      JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = ANY (pt.partattrs::int2[]) \
                     WHERE pc.relname = c.table_name)))::int AS key \
           FROM information_schema.columns c \
          WHERE c.table_schema = current_schema() \
            AND c.table_name <> '__diesel_schema_migrations' \
            AND NOT EXISTS (SELECT 1 FROM pg_class pc WHERE pc.relname = c.table_name \
                             AND pc.relnamespace = current_schema()::regnamespace AND pc.relispartition)",
    )
    .load(conn)
    .or_fail();
    let mut out = Tables::new();
    for c in cols {
        out.entry(c.table_name).or_default().insert(
            c.column_name,
            Column {
                ty: diesel_type(&c.data_type),
                nullable: c.is_nullable == "YES",
                key: c.key == 1,
            },
        );
    }
    out
}

/// Every difference between the schema and a database, one per line.
fn differences(schema: &Tables, db: &Tables) -> Vec<String> {
    let mut out = Vec::new();
    for (t, cols) in schema {
        let Some(real) = db.get(t) else {
            out.push(format!("table {t}: in schema.rs, not in the database"));
            continue;
        };
        for (c, col) in cols {
            match real.get(c) {
                None => out.push(format!("{t}.{c}: in schema.rs, not in the database")),
                Some(r) if r != col => out.push(format!(
                    "{t}.{c}: schema.rs says {col:?}, the database {r:?}"
                )),
                Some(_) => {}
            }
        }
        for c in real.keys().filter(|c| !cols.contains_key(*c)) {
            out.push(format!("{t}.{c}: in the database, not in schema.rs"));
        }
    }
    for t in db.keys().filter(|t| !schema.contains_key(*t)) {
        out.push(format!("table {t}: in the database, not in schema.rs"));
    }
    out
}

async fn schema_matches_the_migrations(app: TestApp) {
    let schema = declared();
    let url = app.db.url.clone();
    let db = if let Some(path) = url.strip_prefix("sqlite://") {
        sqlite_tables(&mut SqliteConnection::establish(path).or_fail())
    } else {
        pg_tables(&mut PgConnection::establish(&url).or_fail())
    };
    let diff = differences(&schema, &db);
    assert!(
        diff.is_empty(),
        "schema.rs and {} differ:\n{}",
        url.split(':').next().or_fail(),
        diff.join("\n")
    );
}

both!(schema_matches_the_migrations);

/// The check itself sees a difference: a column renamed, retyped or dropped is reported.
#[test]
fn a_difference_is_reported() {
    let schema = declared();
    let mut db = schema.clone();
    let units = db.get_mut("units").or_fail();
    units.remove("name_ascii");
    units.insert("nickname".into(), units["name"].clone());
    units.get_mut("kind").or_fail().ty = "Integer".into();
    let diff = differences(&schema, &db);
    assert_eq!(diff.len(), 3, "{diff:#?}");
    assert!(diff.iter().any(|d| d.contains("units.name_ascii")));
    assert!(diff.iter().any(|d| d.contains("units.nickname")));
    assert!(diff.iter().any(|d| d.contains("units.kind")));
}

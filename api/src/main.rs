//! `bvantq`: the server and its administration commands.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use bvantq_api::app::{demo as seed, server};
use bvantq_api::infra::config::{Argon2Cost, Config, DbArgs, SecretSource, ServeArgs};
use bvantq_api::infra::{db, telemetry};
use bvantq_api::units::tree as unit_tree;
use bvantq_shared::api::CreateUserRequest;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "bvantq",
    version,
    about = "bvantq — Toàn dân bảo vệ an ninh Tổ quốc: pledges, tips, assessments"
)]
struct Cli {
    #[command(flatten)]
    db: DbArgs,
    /// Log format: json (default) or text.
    #[arg(long, env = "BVANTQ_LOG_FORMAT", default_value = "json", global = true)]
    log_format: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the API, the form and the console.
    Serve {
        #[command(flatten)]
        serve: Box<ServeArgs>,
        /// Load the demo data first (idempotent) and print the demo logins.
        #[arg(long, env = "BVANTQ_DEMO")]
        demo: bool,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Load the demo province, units and one account per role (idempotent).
    SeedDemo,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load administrative units from the official JSON list or a CSV (code,name,parent_code,kind).
    ImportUnits { file: PathBuf },
    /// Tip maintenance.
    Tips {
        #[command(subcommand)]
        command: TipsCommand,
    },
    /// Stored responses of idempotent requests.
    Idempotency {
        #[command(subcommand)]
        command: IdempotencyCommand,
    },
    /// Pledge maintenance.
    Pledges {
        #[command(subcommand)]
        command: PledgesCommand,
    },
    /// Copy the database to FILE while the server runs (SQLite: VACUUM INTO; PostgreSQL:
    /// pg_dump --format=custom). FILE must not exist.
    Backup { file: PathBuf },
    /// Put the backup FILE in place and check that the keys in use read it. SQLite: stop the
    /// server first. PostgreSQL: DATABASE_URL names a new, empty database.
    Restore { file: PathBuf },
}

#[derive(Subcommand)]
enum IdempotencyCommand {
    /// Forget stored responses older than N hours (the server also does this hourly).
    Purge {
        #[arg(long, env = "BVANTQ_IDEMPOTENCY_HOURS", default_value_t = 24)]
        hours: i64,
    },
}

#[derive(Subcommand)]
enum PledgesCommand {
    /// Wrap every stored CCCD hash up to the current BVANTQ_CCCD_HMAC_KEY (after a rotation: the
    /// old key goes first in BVANTQ_CCCD_OLD_KEYS and stays there — new numbers are hashed along
    /// the whole chain).
    Rekey,
}

#[derive(Subcommand)]
enum TipsCommand {
    /// Purge the content of tips closed more than N days ago (the server also does this hourly).
    Purge {
        #[arg(long, env = "BVANTQ_TIP_RETENTION_DAYS", default_value_t = 365)]
        retention_days: i64,
    },
    /// Re-seal every tip record under the current BVANTQ_TIP_KEY (after a key rotation: put the
    /// old key in BVANTQ_TIP_OLD_KEYS, run this, then remove it).
    Rekey,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is read from BVANTQ_NEW_PASSWORD or the first line of stdin.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// ward_officer, school_admin, org_admin, province_officer or admin
        #[arg(long)]
        role: String,
        /// Code of the unit the account may see (and everything below it).
        #[arg(long)]
        scope: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = match telemetry::filter() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(cli.log_format != "text", filter, std::io::stderr);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

type AnyError = Box<dyn std::error::Error>;

fn open(db: &DbArgs) -> Result<db::PooledConn, AnyError> {
    let pool = db::pool(&db.url(), Some(2))?;
    let mut conn = pool.get()?;
    db::migrate(&mut conn)?;
    Ok(conn)
}

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

fn print_logins(lines: &[String]) {
    println!(
        "\nDemo accounts (username password role scope) — also in the data directory's demo-logins.txt:"
    );
    for l in lines {
        println!("  {l}");
    }
    println!();
}

fn run(cli: Cli) -> Result<(), AnyError> {
    match cli.command {
        Command::Serve { serve, demo } => {
            let mut config = Config::from_args(&serve, &cli.db, demo)?;
            if demo {
                let mut conn = open(&cli.db)?;
                let pw = std::env::var("BVANTQ_DEMO_PASSWORD").ok();
                let mut lines = seed::seed_demo(
                    &mut conn,
                    &cli.db.data_dir,
                    pw.as_deref(),
                    Argon2Cost::default(),
                    now(),
                )?;
                lines.extend(seed::seed_demo_tips(&mut conn, &config, now())?);
                print_logins(&lines);
            }
            let listener = TcpListener::bind(&serve.bind)?;
            let addr = listener.local_addr()?;
            if serve.public_url.is_none() {
                // The demo: links and QR codes point at the address it listens on.
                config.public_url = format!("http://{addr}");
            }
            let metrics = serve
                .metrics_bind
                .as_deref()
                .map(TcpListener::bind)
                .transpose()?;
            let state = bvantq_api::prepare(config)?;
            if let Some(m) = &metrics {
                println!("metrics on http://{}/metrics", m.local_addr()?);
            }
            println!(
                "bvantq listening on http://{addr}  (form: /  officer console: /console  API docs: /api/docs)"
            );
            actix_web::rt::System::new()
                .block_on(async move { server::run_with(listener, metrics, state)?.await })?;
            tracing::info!("stopped: the requests in flight were answered");
        }
        Command::Migrate => {
            let pool = db::pool(&cli.db.url(), Some(1))?;
            let n = db::migrate(&mut *pool.get()?)?;
            println!("{n} migration(s) applied");
        }
        Command::SeedDemo => {
            let mut conn = open(&cli.db)?;
            let pw = std::env::var("BVANTQ_DEMO_PASSWORD").ok();
            let lines = seed::seed_demo(
                &mut conn,
                &cli.db.data_dir,
                pw.as_deref(),
                Argon2Cost::default(),
                now(),
            )?;
            print_logins(&lines);
        }
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    display_name,
                    role,
                    scope,
                },
        } => {
            let password = match std::env::var("BVANTQ_NEW_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let req = CreateUserRequest {
                username,
                display_name,
                password,
                role,
                scope_unit: scope,
                phone: None,
                citizen_id: None,
            };
            let new = req.parse().map_err(|errs| {
                errs.iter()
                    .map(|e| format!("{}: {}", e.field, e.error.message_en()))
                    .collect::<Vec<_>>()
                    .join("; ")
            })?;
            let mut conn = open(&cli.db)?;
            let keys = SecretSource::for_database(&cli.db).cccd_keys()?;
            db::key_state::check_cccd(&mut conn, &keys, now())?;
            let user = bvantq_api::accounts::service::add_user(
                &mut conn,
                &new,
                &keys,
                Argon2Cost::default(),
                now(),
            )?;
            println!(
                "created {} ({}, scope {})",
                user.username, user.role, user.scope_unit
            );
        }
        Command::Tips {
            command: TipsCommand::Purge { retention_days },
        } => {
            let mut conn = open(&cli.db)?;
            let n = bvantq_api::tips::service::purge(&mut conn, retention_days.max(1), now())?;
            println!("purged the content of {n} closed tip(s)");
        }
        Command::Tips {
            command: TipsCommand::Rekey,
        } => {
            let sealer = SecretSource::for_database(&cli.db).tip_sealer()?;
            let mut conn = open(&cli.db)?;
            let n = bvantq_api::tips::service::rekey(&mut conn, &sealer)?;
            println!(
                "re-sealed {n} record(s) under key {}",
                sealer.current_key_id()
            );
        }
        Command::Idempotency {
            command: IdempotencyCommand::Purge { hours },
        } => {
            if hours < 1 {
                return Err("--hours must be at least 1".into());
            }
            let mut conn = open(&cli.db)?;
            let n = bvantq_api::infra::idempotent::purge(&mut conn, hours, now())?;
            bvantq_api::app::jobs::forget_freed_pages(&mut conn)?;
            println!("purged {n} idempotency record(s) older than {hours} h");
        }
        Command::Pledges {
            command: PledgesCommand::Rekey,
        } => {
            let keys = SecretSource::for_database(&cli.db).cccd_keys()?;
            let mut conn = open(&cli.db)?;
            db::key_state::check_cccd(&mut conn, &keys, now())?;
            let n = db::key_state::rekey_cccd(&mut conn, &keys, now())?;
            println!("re-keyed {n} CCCD hash(es) to key {}", keys.chain_id());
        }
        Command::Backup { file } => {
            let bytes = bvantq_api::app::backup::backup(&cli.db.url(), &file)?;
            println!("backed up to {} ({bytes} bytes)", file.display());
        }
        Command::Restore { file } => {
            let secrets = SecretSource::for_database(&cli.db);
            let (sealer, keys) = (secrets.tip_sealer()?, secrets.cccd_keys()?);
            let checked =
                bvantq_api::app::backup::restore(&cli.db.url(), &file, &sealer, &keys, now())?;
            println!(
                "restored {} ({} pledges); the keys in use read it (tip keys {})",
                file.display(),
                checked.pledges,
                if checked.tip_keys.is_empty() {
                    "none in use".to_string()
                } else {
                    checked.tip_keys.join(", ")
                }
            );
        }
        Command::ImportUnits { file } => {
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let is_json = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
            let items = if is_json {
                unit_tree::parse_json_units(&bytes)?
            } else {
                unit_tree::parse_csv_units(&bytes)?
            };
            let mut conn = open(&cli.db)?;
            let r = unit_tree::import(&mut conn, &items, now())?;
            println!(
                "read {}, inserted {}, updated {}, unchanged {}",
                r.read, r.inserted, r.updated, r.unchanged
            );
        }
    }
    Ok(())
}

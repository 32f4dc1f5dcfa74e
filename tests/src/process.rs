//! The server as a separate process (the real `bvantq` binary): for tests that read its logs,
//! kill it, or run the README's command.

use crate::OrFail;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Kills the process group led by `leader` (started with `process_group(0)`): the leader and
/// every process it started, which outlive it when only the leader is killed.
pub fn kill_group(leader: u32) {
    let _ = std::process::Command::new("kill")
        .args(["-KILL", "--", &format!("-{leader}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Where `cargo build -p bvantq-api --bin bvantq` put the binary (`./dev test` builds it first).
pub fn binary() -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let p = target.join("debug").join("bvantq");
    assert!(
        p.exists(),
        "{} is missing: run `cargo build -p bvantq-api --bin bvantq` (./dev test does)",
        p.display()
    );
    p
}

/// Keys for a server process: on PostgreSQL the server refuses to start without them (and they
/// are checked: base64 of 32 random-looking bytes). Fixed, so a restarted process reads what
/// the first one wrote.
pub fn test_keys() -> Vec<(&'static str, String)> {
    vec![
        (
            "BVANTQ_JWT_SECRET",
            "q1Xz0bP4cX6m1n8kR2tV5wY7zA9dF3hJ6kL8pS0uW2E=".into(),
        ),
        (
            "BVANTQ_CCCD_HMAC_KEY",
            "Zk3m9Q2x7LpW4vB8nC1rT6yH0jD5gF2sA9eU3iO7kMQ=".into(),
        ),
        (
            "BVANTQ_TIP_KEY",
            "tP8wR3nK6vY1zQ4mX7cB0jH2gF5dS9aL3eU6iO8kN1E=".into(),
        ),
    ]
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A running server process; its stdout and stderr are collected.
pub struct ServerProcess {
    pub child: Child,
    pub address: String,
    /// Everything printed, stdout and stderr.
    pub output: Arc<Mutex<String>>,
    /// The log stream (stderr) alone.
    pub stderr: Arc<Mutex<String>>,
}

/// The password `ServerProcess::demo` gives the demo accounts.
pub const DEMO_PASSWORD: &str = "demo-password-1";

/// The access token of the demo account `username` on the server at `base`.
pub async fn demo_token(c: &reqwest::Client, base: &str, username: &str) -> String {
    let v: serde_json::Value = c
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": username, "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    v["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token: {v}"))
        .to_string()
}

impl ServerProcess {
    /// `bvantq serve --demo` on the database `db_url` with the test keys, debug logs, the demo
    /// accounts' password [`DEMO_PASSWORD`] and `extra` environment.
    pub async fn demo(db_url: &str, data: &std::path::Path, extra: &[(&str, &str)]) -> Self {
        let mut env = test_keys();
        env.extend([
            ("DATABASE_URL", db_url.to_string()),
            ("BVANTQ_DATA_DIR", data.display().to_string()),
            ("BVANTQ_DEMO_PASSWORD", DEMO_PASSWORD.into()),
            ("BVANTQ_LOG", "debug".into()),
        ]);
        env.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
        Self::start(
            &binary(),
            &["serve", "--demo", "--bind", "127.0.0.1:0", "--workers", "1"],
            &env,
            Duration::from_secs(60),
        )
        .await
    }

    /// Starts `program args` with `envs` and waits until it prints its address
    /// (`listening on http://…`), for at most `wait`.
    pub async fn start(
        program: &std::path::Path,
        args: &[&str],
        envs: &[(&str, String)],
        wait: Duration,
    ) -> Self {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", program.display()));
        let output = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        type Stream = Box<dyn tokio::io::AsyncRead + Unpin + Send>;
        type Buf = Arc<Mutex<String>>;
        let streams: [(Option<Stream>, Option<Buf>); 2] = [
            (child.stdout.take().map(|s| Box::new(s) as Stream), None),
            (
                child.stderr.take().map(|s| Box::new(s) as Stream),
                Some(stderr.clone()),
            ),
        ];
        for (stream, only) in streams {
            let Some(stream) = stream else { continue };
            let out = output.clone();
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut lines = BufReader::new(stream).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    for buf in std::iter::once(&out).chain(only.as_ref()) {
                        if let Ok(mut o) = buf.lock() {
                            o.push_str(&line);
                            o.push('\n');
                        }
                    }
                    let _ = tx.send(line);
                }
            });
        }
        let address = tokio::time::timeout(wait, async {
            while let Some(line) = rx.recv().await {
                if let Some(rest) = line.split("listening on ").nth(1) {
                    return rest.split_whitespace().next().or_fail().to_string();
                }
            }
            String::new()
        })
        .await
        .or_fail();
        let so_far = output.lock().map(|o| o.clone()).or_fail();
        assert!(
            !address.is_empty(),
            "server did not start within {wait:?}:\n{so_far}"
        );
        Self {
            child,
            address,
            output,
            stderr,
        }
    }

    /// The server's logs (stderr).
    pub fn logs(&self) -> String {
        self.stderr.lock().map(|o| o.clone()).or_fail()
    }

    /// Kills the process at once (SIGKILL): no shutdown, no flushing.
    pub async fn kill(&mut self) {
        let _ = self.child.kill().await;
    }
}

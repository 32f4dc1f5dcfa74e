//! Real parts for the fleet test (issue 21): a PostgreSQL primary and its streaming replica in a
//! temporary directory, run as the `postgres` user with Debian's server binaries, and nginx with
//! the configuration in `deploy/nginx/`. Each stops when dropped.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::OrFail;
use crate::process::repo_root;

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .or_fail()
}

/// Debian's server binaries (`initdb`, `pg_ctl`), which are not on PATH: the newest version.
pub fn pg_bin() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_else(|e| panic!("/usr/lib/postgresql: {e}: install postgresql"));
    found.retain(|p| p.join("initdb").exists());
    found.sort();
    found
        .pop()
        .unwrap_or_else(|| panic!("no /usr/lib/postgresql/*/bin/initdb: install postgresql"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .or_fail()
}

/// `program args` as the `postgres` user when we are root (PostgreSQL refuses to run as root).
fn as_postgres(program: &Path, args: &[&str]) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program).args(args);
        c
    } else {
        let mut c = Command::new(program);
        c.args(args);
        c
    }
}

fn run(mut c: Command, what: &str) {
    let out = c.stdin(Stdio::null()).output().or_fail();
    assert!(
        out.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A directory the `postgres` user may write (a fresh temporary one, handed over).
fn postgres_dir() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("bvantq-pg-")
        .tempdir()
        .or_fail();
    if is_root() {
        let mut c = Command::new("chown");
        c.args(["postgres:postgres"]).arg(dir.path());
        run(c, "chown");
    }
    dir
}

/// One PostgreSQL server in a directory of its own.
pub struct Cluster {
    pub port: u16,
    data: PathBuf,
    _dir: tempfile::TempDir,
    running: bool,
}

impl Cluster {
    /// `initdb`, a line that lets `postgres` from 127.0.0.1 replicate, then `pg_ctl start`.
    pub fn primary() -> Cluster {
        let dir = postgres_dir();
        let data = dir.path().join("data");
        let bin = pg_bin();
        run(
            as_postgres(
                &bin.join("initdb"),
                &[
                    "-D",
                    &data.display().to_string(),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ],
            ),
            "initdb",
        );
        let port = free_port();
        let conf = format!(
            "\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n\
             wal_level = replica\nmax_wal_senders = 4\nshared_buffers = 64MB\nmax_connections = 120\n",
            dir.path().display()
        );
        append(&data.join("postgresql.conf"), &conf);
        append(
            &data.join("pg_hba.conf"),
            "\nhost replication postgres 127.0.0.1/32 trust\n",
        );
        Cluster::started(dir, data, port)
    }

    /// A streaming replica of `primary`: `pg_basebackup -R`, its own port, started.
    pub fn replica_of(primary: &Cluster) -> Cluster {
        let dir = postgres_dir();
        let data = dir.path().join("data");
        let port = free_port();
        run(
            as_postgres(
                &pg_bin().join("pg_basebackup"),
                &[
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &primary.port.to_string(),
                    "-U",
                    "postgres",
                    "-D",
                    &data.display().to_string(),
                    "-R",
                    "-X",
                    "stream",
                ],
            ),
            "pg_basebackup",
        );
        append(
            &data.join("postgresql.conf"),
            &format!(
                "\nport = {port}\nunix_socket_directories = '{}'\n",
                dir.path().display()
            ),
        );
        Cluster::started(dir, data, port)
    }

    fn started(dir: tempfile::TempDir, data: PathBuf, port: u16) -> Cluster {
        let mut c = Cluster {
            port,
            data,
            _dir: dir,
            running: false,
        };
        c.start();
        c
    }

    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// `pg_ctl -D <data> args…`, as the postgres user.
    fn pg_ctl(&self, args: &[&str]) -> Command {
        let data = self.data.display().to_string();
        let mut all = vec!["-D", data.as_str()];
        all.extend_from_slice(args);
        as_postgres(&pg_bin().join("pg_ctl"), &all)
    }

    pub fn start(&mut self) {
        let log = self.data.join("server.log").display().to_string();
        run(self.pg_ctl(&["-l", &log, "-w", "start"]), "pg_ctl start");
        self.running = true;
    }

    /// `pg_ctl stop -m fast`: connections are closed, the server exits.
    pub fn stop(&mut self) {
        run(self.pg_ctl(&["-m", "fast", "-w", "stop"]), "pg_ctl stop");
        self.running = false;
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.running {
            let _ = self.pg_ctl(&["-m", "immediate", "-w", "stop"]).output();
        }
    }
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .or_fail();
    f.write_all(text.as_bytes()).or_fail();
}

/// nginx (Debian's package) running `deploy/nginx/bvantq.conf` with only its addresses, ports and
/// certificate paths replaced, under a self-signed certificate for `localhost`.
pub struct Nginx {
    pub https_port: u16,
    pub http_port: u16,
    pub certificate: PathBuf,
    dir: tempfile::TempDir,
    child: std::process::Child,
}

impl Nginx {
    pub fn start(upstreams: [u16; 2]) -> Nginx {
        let dir = tempfile::Builder::new()
            .prefix("bvantq-nginx-")
            .tempdir()
            .or_fail();
        let d = dir.path();
        let (cert, key) = (d.join("cert.pem"), d.join("key.pem"));
        let mut c = Command::new("openssl");
        c.args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
        ])
        .arg(&key)
        .arg("-out")
        .arg(&cert);
        run(c, "openssl req");
        let (https_port, http_port) = (free_port(), free_port());
        let mut site =
            std::fs::read_to_string(repo_root().join("deploy/nginx/bvantq.conf")).or_fail();
        for (from, to) in [
            (
                "server 127.0.0.1:8081 ",
                format!("server 127.0.0.1:{} ", upstreams[0]),
            ),
            (
                "server 127.0.0.1:8082 ",
                format!("server 127.0.0.1:{} ", upstreams[1]),
            ),
            ("listen 80;", format!("listen 127.0.0.1:{http_port};")),
            (
                "listen 443 ssl http2;",
                format!("listen 127.0.0.1:{https_port} ssl http2;"),
            ),
            ("/etc/ssl/bvantq/fullchain.pem", cert.display().to_string()),
            ("/etc/ssl/bvantq/privkey.pem", key.display().to_string()),
        ] {
            assert_eq!(
                site.matches(from).count(),
                1,
                "deploy/nginx/bvantq.conf: `{from}`"
            );
            site = site.replace(from, &to);
        }
        std::fs::write(d.join("bvantq.conf"), site).or_fail();
        let p = d.display();
        let main = format!(
            "daemon off;\nuser root;\nworker_processes 1;\npid {p}/nginx.pid;\nerror_log {p}/error.log info;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n  include /etc/nginx/mime.types;\n  log_format up '$remote_addr \"$request\" $status up=$upstream_addr/$upstream_status';\n\
               access_log {p}/access.log up;\n\
               client_body_temp_path {p}/body;\n  proxy_temp_path {p}/proxy;\n  fastcgi_temp_path {p}/fcgi;\n\
               uwsgi_temp_path {p}/uwsgi;\n  scgi_temp_path {p}/scgi;\n  include {p}/bvantq.conf;\n}}\n"
        );
        std::fs::write(d.join("nginx.conf"), main).or_fail();
        let child = Command::new("nginx")
            .arg("-c")
            .arg(d.join("nginx.conf"))
            .arg("-p")
            .arg(d)
            .args(["-e", &format!("{p}/error.log")])
            .stdin(Stdio::null())
            // Its workers would otherwise hold a caller's stdout open after the test ends (and
            // outlive a killed master): a group of its own, killed whole in `drop`.
            .stdout(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("nginx: {e} (./dev test installs nginx-light)"));
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", https_port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "nginx did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Nginx {
            https_port,
            http_port,
            certificate: cert,
            dir,
            child,
        }
    }

    pub fn base(&self) -> String {
        format!("https://localhost:{}", self.https_port)
    }

    /// A client that trusts this nginx's certificate only.
    pub fn client(&self) -> reqwest::Client {
        let pem = std::fs::read(&self.certificate).or_fail();
        reqwest::Client::builder()
            .tls_certs_only([reqwest::Certificate::from_pem(&pem).or_fail()])
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .or_fail()
    }

    /// The base64 SHA-256 of the certificate's SubjectPublicKeyInfo, as Chromium's
    /// `--ignore-certificate-errors-spki-list` takes it.
    pub fn spki_sha256(&self) -> String {
        use base64::Engine;
        use sha2::Digest;
        let mut c = Command::new("openssl");
        c.args(["x509", "-pubkey", "-noout", "-in"])
            .arg(&self.certificate);
        let out = c.output().or_fail();
        assert!(out.status.success(), "openssl x509 -pubkey");
        // A PEM "PUBLIC KEY" is the SubjectPublicKeyInfo, base64 between its two markers.
        let pem = String::from_utf8(out.stdout).or_fail();
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .or_fail();
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&der))
    }

    /// nginx's access log.
    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("access.log")).or_fail()
    }
}

impl Drop for Nginx {
    /// The master and its workers: killing the master alone leaves the workers running.
    fn drop(&mut self) {
        crate::process::kill_group(self.child.id());
        let _ = self.child.wait();
    }
}

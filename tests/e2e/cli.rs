//! The `hiregraph` command as an operator uses it: the first start of `serve`
//! on a fresh database loads the demo data and prints a working admin token;
//! `migrate`, `seed`, `schema` and `token` do what `--help` says.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_hiregraph");

/// A scratch SQLite database file, removed at the end.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join("hiregraph-tests");
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        Scratch(dir.join(format!("cli-{}.db", uuid::Uuid::new_v4().simple())))
    }

    fn url(&self) -> String {
        format!("sqlite://{}?mode=rwc", self.0.display())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

/// Runs `hiregraph args` against `db` and returns (success, stdout, stderr).
fn run(db: &Scratch, args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let output = Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", db.url())
        .env_remove("HIREGRAPH_JWT_SECRET")
        .env_remove("HIREGRAPH_JWT_PUBLIC_KEYS")
        .env_remove("HIREGRAPH_JWT_JWKS_FILE")
        .envs(env.iter().copied())
        .output()
        .expect("hiregraph runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A `hiregraph serve` process, killed at the end.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_first_start_in_development_mode_serves_the_demo_data_with_a_printed_admin_token() {
    let db = Scratch::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = listener.local_addr().expect("an address");
    drop(listener);
    let mut child = Command::new(BIN)
        .env("DATABASE_URL", db.url())
        .env("HIREGRAPH_LISTEN", address.to_string())
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .env_remove("HIREGRAPH_JWT_SECRET")
        .env_remove("HIREGRAPH_JWT_PUBLIC_KEYS")
        .env_remove("HIREGRAPH_JWT_JWKS_FILE")
        .env_remove("HIREGRAPH_DEMO_DATA")
        .stderr(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("hiregraph starts");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let (lines, token) = tokio::task::spawn_blocking(move || {
        let mut lines = Vec::new();
        let mut token = None;
        let deadline = Instant::now() + Duration::from_secs(60);
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap_or_default();
            if let Some(found) = line.split("Bearer ").nth(1) {
                token = Some(found.trim().to_owned());
            }
            let serving = line.contains("serving GraphQL");
            lines.push(line);
            if serving || Instant::now() > deadline {
                break;
            }
        }
        (lines, token)
    })
    .await
    .expect("the output is read");
    let log = lines.join("\n");
    assert!(
        log.contains("DEVELOPMENT MODE"),
        "development mode must be announced loudly:\n{log}"
    );
    let token = token.unwrap_or_else(|| panic!("no admin token was printed:\n{log}"));

    let client = reqwest::Client::new();
    let url = format!("http://{address}/graphql");
    let body: Value = client
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({ "query": r#"{ viewer { role } posting(slug: "senior-backend-engineer-elixir") { title applications(first: 1) { totalCount } } }"# }))
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(body["data"]["viewer"]["role"], "ADMIN", "{body}");
    assert_eq!(
        body["data"]["posting"]["title"],
        "Senior Backend Engineer (Elixir)"
    );
    assert!(
        body["data"]["posting"]["applications"]["totalCount"]
            .as_u64()
            .unwrap_or(0)
            > 0
    );
    drop(server);
}

#[test]
fn migrate_and_seed_manage_the_database() {
    let db = Scratch::new();
    let (ok, out, _) = run(&db, &["migrate", "status"], &[]);
    assert!(ok);
    assert!(out.lines().all(|l| l.starts_with("Pending")), "{out}");
    assert!(run(&db, &["migrate", "up"], &[]).0);
    let (_, out, _) = run(&db, &["migrate", "status"], &[]);
    assert!(
        out.lines().count() >= 5 && out.lines().all(|l| l.starts_with("Applied")),
        "{out}"
    );

    let (ok, out, _) = run(&db, &["seed", "--demo"], &[]);
    assert!(ok, "{out}");
    assert!(out.contains("admin is admin@hiregraph.example"), "{out}");
    let (ok, _, err) = run(&db, &["seed", "--demo"], &[]);
    assert!(!ok, "the demo data only goes into an empty database");
    assert!(err.contains("already has data"), "{err}");
    let (ok, _, err) = run(&db, &["seed"], &[]);
    assert!(!ok);
    assert!(err.contains("--demo"), "{err}");

    let all = <migration::Migrator as migration::MigratorTrait>::migrations()
        .len()
        .to_string();
    assert!(run(&db, &["migrate", "down", "--steps", &all], &[]).0);
    let (_, out, _) = run(&db, &["migrate", "status"], &[]);
    assert!(out.lines().all(|l| l.starts_with("Pending")), "{out}");
}

#[test]
fn schema_prints_the_checked_in_sdl_without_a_database() {
    let output = Command::new(BIN)
        .arg("schema")
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/nothing")
        .output()
        .expect("hiregraph runs");
    assert!(output.status.success());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        std::fs::read_to_string(path).unwrap_or_default()
    );
}

#[test]
fn token_mints_with_the_configured_secret_and_refuses_without_one() {
    let db = Scratch::new();
    let (ok, _, err) = run(
        &db,
        &[
            "token",
            "--user",
            "admin@hiregraph.example",
            "--role",
            "ADMIN",
        ],
        &[],
    );
    assert!(!ok);
    assert!(err.contains("HIREGRAPH_JWT_SECRET"), "{err}");
    let (ok, out, _) = run(
        &db,
        &[
            "token",
            "--user",
            "admin@hiregraph.example",
            "--role",
            "HIRING_MANAGER",
            "--ttl",
            "30m",
        ],
        &[("HIREGRAPH_JWT_SECRET", "s3cret")],
    );
    assert!(ok);
    let auth = hiregraph_api::auth::Authenticator::new(&hiregraph_api::config::AuthConfig {
        jwt_secret: Some("s3cret".into()),
        jwt_issuer: "hiregraph".into(),
        jwt_audience: "hiregraph".into(),
        ..Default::default()
    })
    .expect("an authenticator");
    let claims = auth.verify(out.trim()).expect("the printed token verifies");
    assert_eq!(claims.role, "HIRING_MANAGER");
    let lifetime = claims.exp - claims.iat.unwrap_or(0);
    assert_eq!(lifetime, 30 * 60);
}

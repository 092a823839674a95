//! The test harness: a real server on a real socket, over a database of its
//! own, and a client that speaks GraphQL over HTTP to it.
//!
//! Each test gets a fresh database with the real migrations: a SQLite file in
//! a temporary directory by default, or a new Postgres database when
//! `DATABASE_URL` points at Postgres (dropped when the test ends).

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use entity::enums::Role;
use hiregraph_api::auth::Authenticator;
use hiregraph_api::config::{AuthConfig, DbConfig, HttpConfig};
use hiregraph_api::db::{self, Database};
use hiregraph_api::http::{AppState, router};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database as SeaDatabase};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tracing_subscriber::Layer as _;
use tracing_subscriber::filter::{EnvFilter, LevelFilter};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// The secret test tokens are signed with.
pub const SECRET: &str = "test-secret-for-hiregraph";

/// The demo data's staff, by role.
pub const ADMIN: &str = "admin@hiregraph.example";
pub const RECRUITER: &str = "wanjiru.kamau@hiregraph.example";
pub const HIRING_MANAGER: &str = "tomasz.nowak@hiregraph.example";
pub const INTERVIEWER: &str = "kwame.mensah@hiregraph.example";

/// The log of every server in this test process: warnings and errors are
/// kept in memory for tests to read; with `HIREGRAPH_TEST_LOG` set (e.g. to
/// `hiregraph::sql=trace`) the log also goes to the test's output. Installed
/// before the first server starts, so no log line is ever missed.
pub fn log() -> &'static Captured {
    &logs().0
}

/// The request log of every server in this test process as JSON lines (the
/// format of `HIREGRAPH_LOG_FORMAT=json`): the `info` lines of the HTTP layer
/// and of finished operations, with their request's span fields.
pub fn json_log() -> &'static Captured {
    &logs().1
}

fn logs() -> &'static (Captured, Captured) {
    static LOG: OnceLock<(Captured, Captured)> = OnceLock::new();
    LOG.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let memory = tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .with_filter(LevelFilter::WARN);
        let json = Captured::default();
        let json_writer = json.clone();
        let json_layer = tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_writer(move || json_writer.clone())
            .with_filter(
                tracing_subscriber::filter::Targets::new()
                    .with_target("hiregraph_api::http", LevelFilter::INFO)
                    .with_target("hiregraph::request", LevelFilter::INFO),
            );
        let output = std::env::var("HIREGRAPH_TEST_LOG").ok().map(|filter| {
            tracing_subscriber::fmt::layer()
                .with_test_writer()
                .with_filter(EnvFilter::new(filter))
        });
        let _ = tracing_subscriber::registry()
            .with(memory)
            .with(json_layer)
            .with(output)
            .try_init();
        (captured, json)
    })
}

/// Log output kept in memory.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything logged so far.
    pub fn text(&self) -> String {
        let bytes = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A running hiregraph with its own database.
pub struct TestApp {
    /// The GraphQL endpoint, e.g. `http://127.0.0.1:39000/graphql`.
    pub url: String,
    /// The server's database (for setting up data and counting statements).
    pub db: Database,
    pub client: reqwest::Client,
    auth: Arc<Authenticator>,
    server: JoinHandle<()>,
    cleanup: Cleanup,
    /// Where the database is, and how tokens are checked, for [`TestApp::sibling`].
    database_url: String,
    auth_config: AuthConfig,
}

/// What to remove when a test ends.
enum Cleanup {
    /// Nothing: another server owns the database.
    Nothing,
    SqliteFile(std::path::PathBuf),
    PostgresDatabase {
        admin_url: String,
        name: String,
    },
}

/// A response: its status and JSON body.
pub struct Reply {
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// `data`, asserting there are no errors.
    pub fn data(&self) -> &Value {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {}",
            serde_json::to_string_pretty(&self.body).unwrap_or_default()
        );
        &self.body["data"]
    }

    /// The `extensions.code` of each top-level error.
    pub fn error_codes(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        e["extensions"]["code"]
                            .as_str()
                            .unwrap_or("<no code>")
                            .to_owned()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The first error's code, asserting there is one.
    pub fn error_code(&self) -> String {
        let codes = self.error_codes();
        assert!(
            !codes.is_empty(),
            "expected an error, got {}",
            serde_json::to_string_pretty(&self.body).unwrap_or_default()
        );
        codes[0].clone()
    }
}

impl TestApp {
    /// How many database connections a test server has.
    pub const POOL_SIZE: u32 = 5;

    /// A server over a migrated, empty database, verifying HS256 tokens
    /// signed with [`SECRET`].
    pub async fn empty() -> TestApp {
        TestApp::start(HttpConfig::default(), Some(SECRET)).await
    }

    /// A server over a migrated, empty database, verifying tokens as `auth`
    /// says.
    pub async fn with_auth(auth: AuthConfig) -> TestApp {
        TestApp::serve(HttpConfig::default(), auth).await
    }

    /// A server with the HTTP settings `http` over a migrated, empty
    /// database: in production mode when `secret` signs tokens, in
    /// development mode without one.
    pub async fn start(http: HttpConfig, secret: Option<&str>) -> TestApp {
        let auth = AuthConfig {
            jwt_secret: secret.map(Into::into),
            jwt_issuer: "hiregraph".into(),
            jwt_audience: "hiregraph".into(),
            ..AuthConfig::default()
        };
        TestApp::serve(http, auth).await
    }

    /// A server with the HTTP settings `http` and the token settings `auth`,
    /// over a migrated, empty database.
    async fn serve(http: HttpConfig, auth: AuthConfig) -> TestApp {
        log();
        let (database_url, cleanup) = fresh_database().await;
        TestApp::launch(http, auth, database_url, cleanup).await
    }

    /// A server with the HTTP settings `http` over a migrated, empty
    /// database, its pool configured by `tweak` (which may point it elsewhere,
    /// e.g. through a [`Proxy`]).
    pub async fn with_db(http: HttpConfig, tweak: impl FnOnce(&mut DbConfig)) -> TestApp {
        log();
        let (database_url, cleanup) = fresh_database().await;
        let auth = AuthConfig {
            jwt_secret: Some(SECRET.into()),
            jwt_issuer: "hiregraph".into(),
            jwt_audience: "hiregraph".into(),
            ..AuthConfig::default()
        };
        let mut config = DbConfig::new(database_url.clone());
        config.db_max_connections = TestApp::POOL_SIZE;
        tweak(&mut config);
        TestApp::launch_with(http, auth, config, database_url, cleanup).await
    }

    /// The URL of this server's own database (not through any proxy), e.g.
    /// for running the `hiregraph` command on it.
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// A second server over this server's database, verifying the same
    /// tokens: what another process of a deployment is.
    pub async fn sibling(&self) -> TestApp {
        TestApp::launch(
            HttpConfig::default(),
            self.auth_config.clone(),
            self.database_url.clone(),
            Cleanup::Nothing,
        )
        .await
    }

    /// A server over the database at `database_url`, migrating it.
    async fn launch(
        http: HttpConfig,
        auth: AuthConfig,
        database_url: String,
        cleanup: Cleanup,
    ) -> TestApp {
        let mut config = DbConfig::new(database_url.clone());
        config.db_max_connections = TestApp::POOL_SIZE;
        TestApp::launch_with(http, auth, config, database_url, cleanup).await
    }

    /// A server over the database `config` describes, migrating it.
    async fn launch_with(
        http: HttpConfig,
        auth: AuthConfig,
        config: DbConfig,
        database_url: String,
        cleanup: Cleanup,
    ) -> TestApp {
        let auth_config = auth.clone();
        let db = db::connect(&config)
            .await
            .expect("connect to the test database");
        Migrator::up(&db.conn, None)
            .await
            .expect("migrate the test database");
        let auth = Authenticator::new(&auth).expect("an authenticator");
        let state = AppState::new(db.clone(), auth, http);
        let auth = state.auth.clone();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let address = listener.local_addr().expect("the bound address");
        let server = tokio::spawn(async move {
            let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
            let _ = axum::serve(listener, app).await;
        });
        TestApp {
            url: format!("http://{address}/graphql"),
            db,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .expect("an HTTP client"),
            auth,
            server,
            cleanup,
            database_url,
            auth_config,
        }
    }

    /// A server over the demo data.
    pub async fn demo() -> TestApp {
        TestApp::empty().await.with_demo_data().await
    }

    /// This server with the demo data loaded.
    pub async fn with_demo_data(self) -> TestApp {
        hiregraph_api::seed::load_demo(&self.db.conn)
            .await
            .expect("load the demo data");
        self
    }

    /// The server's base address, e.g. `http://127.0.0.1:39000`.
    pub fn base(&self) -> String {
        self.url.trim_end_matches("/graphql").to_owned()
    }

    /// A token for the staff user `email` with `role`, valid for an hour.
    pub fn token(&self, email: &str, role: Role) -> String {
        self.auth
            .mint(email, role, Duration::from_secs(3600))
            .expect("a token")
    }

    /// An admin token for the demo data's admin.
    pub fn admin(&self) -> String {
        self.token(ADMIN, Role::Admin)
    }

    /// Sends `query` with `variables` as `token` (anonymous without one).
    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Reply {
        let mut request = self
            .client
            .post(&self.url)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        reply(request.send().await.expect("the server answers")).await
    }

    /// Sends `query` as an admin and returns `data`, asserting no errors.
    pub async fn admin_data(&self, query: &str, variables: Value) -> Value {
        self.graphql(Some(&self.admin()), query, variables)
            .await
            .data()
            .clone()
    }

    /// SQL statements the server has run so far.
    pub fn statements(&self) -> u64 {
        self.db.statements.get()
    }

    /// Runs `sql` directly against the test database and returns one number.
    pub async fn count(&self, sql: &str) -> i64 {
        let row = self
            .db
            .conn
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.conn.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .expect("the query runs")
            .expect("a row");
        row.try_get_by_index::<i64>(0).expect("a number")
    }
}

/// Reads a response.
pub async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Reply {
        status,
        headers,
        body,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        match &self.cleanup {
            Cleanup::Nothing => {}
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // The test's runtime is busy dropping us: use a thread of our own.
                let _ = std::thread::spawn(move || {
                    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    runtime.block_on(async move {
                        if let Ok(admin) = SeaDatabase::connect(&admin_url).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                                ))
                                .await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// A new empty database: Postgres when `DATABASE_URL` says so, else SQLite.
async fn fresh_database() -> (String, Cleanup) {
    let name = format!("hiregraph_test_{}", uuid::Uuid::new_v4().simple());
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let admin = SeaDatabase::connect(&url)
                .await
                .expect("connect to Postgres");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create a test database");
            let (base, _) = url
                .rsplit_once('/')
                .expect("a database name in DATABASE_URL");
            let base = base.to_owned();
            (
                format!("{base}/{name}"),
                Cleanup::PostgresDatabase {
                    admin_url: url,
                    name,
                },
            )
        }
        _ => {
            let dir = std::env::temp_dir().join("hiregraph-tests");
            std::fs::create_dir_all(&dir).expect("a temporary directory");
            let path = dir.join(format!("{name}.db"));
            (
                format!("sqlite://{}?mode=rwc", path.display()),
                Cleanup::SqliteFile(path),
            )
        }
    }
}

/// The IDs of the nodes of a connection in `value`.
pub fn ids(connection: &Value) -> Vec<String> {
    connection["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["id"].as_str().expect("an id").to_owned())
        .collect()
}

/// The values of `field` of the nodes of a connection.
pub fn field(connection: &Value, field: &str) -> Vec<String> {
    connection["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"][field].as_str().expect("a string").to_owned())
        .collect()
}

/// `(field path joined by dots, code)` of each user error in a mutation payload.
pub fn user_errors(payload: &Value) -> Vec<(String, String)> {
    payload["userErrors"]
        .as_array()
        .expect("userErrors")
        .iter()
        .map(|e| {
            let path: Vec<&str> = e["field"]
                .as_array()
                .expect("a path")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            (
                path.join("."),
                e["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// One user error as `(path, code)`, for comparing with [`user_errors`].
pub fn error(path: &str, code: &str) -> (String, String) {
    (path.to_owned(), code.to_owned())
}

impl TestApp {
    /// The demo posting: id, slug, status, openings and plan.
    pub async fn demo_posting(&self) -> Value {
        self.admin_data(
            r#"{ posting(slug: "senior-backend-engineer-elixir") {
                id slug status openings
                interviewPlan { id position name kind mode slaHours }
                skills { requirement skill { id name } }
            } }"#,
            Value::Null,
        )
        .await["posting"]
            .clone()
    }

    /// A demo application by its candidate's name: id, version, status,
    /// stage, candidate and interviews.
    pub async fn demo_application(&self, candidate: &str) -> Value {
        let data = self
            .admin_data(
                r#"{ applications(first: 100) { nodes {
                    id version status
                    currentStage { id position kind mode }
                    candidate { id name email }
                    posting { id slug }
                    interviews(first: 20) { nodes { id status startsAt endsAt stage { position } interviewers { id email } } }
                } } }"#,
                Value::Null,
            )
            .await;
        data["applications"]["nodes"]
            .as_array()
            .expect("applications")
            .iter()
            .find(|a| a["candidate"]["name"] == candidate)
            .cloned()
            .unwrap_or_else(|| panic!("no demo application of {candidate}"))
    }

    /// The global ID of the staff user with `email`.
    pub async fn user_id(&self, email: &str) -> Value {
        let data = self
            .admin_data("{ users(first: 100) { nodes { id email } } }", Value::Null)
            .await;
        data["users"]["nodes"]
            .as_array()
            .expect("users")
            .iter()
            .find(|u| u["email"] == email)
            .map(|u| u["id"].clone())
            .unwrap_or_else(|| panic!("no user {email}"))
    }

    /// Runs `sql` directly against the test database (to set up a situation,
    /// such as an assignment whose due date has passed).
    pub async fn execute(&self, sql: &str) {
        self.db
            .conn
            .execute_unprepared(sql)
            .await
            .unwrap_or_else(|err| panic!("{sql}: {err}"));
    }
}

/// The database key inside a global ID (tests only: clients treat IDs as opaque).
pub fn key(id: &Value) -> i64 {
    let text = id.as_str().expect("an ID");
    let bytes = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, text)
        .expect("base64");
    let decoded = String::from_utf8(bytes).expect("utf-8");
    decoded
        .rsplit_once(':')
        .and_then(|(_, key)| key.parse().ok())
        .expect("Type:key")
}

impl TestApp {
    /// Every value in every table of the database, as text, one line per
    /// row in a stable order: to check that something is nowhere at all, or
    /// that nothing changed.
    pub async fn everything(&self) -> String {
        let conn = &self.db.conn;
        let backend = conn.get_database_backend();
        let postgres = backend == sea_orm::DbBackend::Postgres;
        let tables_sql = if postgres {
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"
        } else {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        };
        let tables: Vec<String> = conn
            .query_all_raw(sea_orm::Statement::from_string(
                backend,
                tables_sql.to_owned(),
            ))
            .await
            .expect("tables")
            .iter()
            .map(|row| row.try_get_by_index::<String>(0).expect("a name"))
            .collect();
        let mut text = String::new();
        for table in tables {
            let columns_sql = if postgres {
                format!(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}'"
                )
            } else {
                format!("SELECT name FROM pragma_table_info('{table}')")
            };
            let columns: Vec<String> = conn
                .query_all_raw(sea_orm::Statement::from_string(backend, columns_sql))
                .await
                .expect("columns")
                .iter()
                .map(|row| row.try_get_by_index::<String>(0).expect("a name"))
                .collect();
            let select = columns
                .iter()
                .map(|c| format!("CAST(\"{c}\" AS TEXT)"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut rows: Vec<String> = conn
                .query_all_raw(sea_orm::Statement::from_string(
                    backend,
                    format!("SELECT {select} FROM \"{table}\""),
                ))
                .await
                .expect("rows")
                .iter()
                .map(|row| {
                    let values: Vec<String> = (0..columns.len())
                        .map(|i| {
                            row.try_get_by_index::<Option<String>>(i)
                                .ok()
                                .flatten()
                                .unwrap_or_default()
                        })
                        .collect();
                    format!("{table}\t{}\n", values.join("\t"))
                })
                .collect();
            rows.sort();
            text.extend(rows);
        }
        text
    }
}

/// Whether the tests run on Postgres (`DATABASE_URL` points at one).
pub fn on_postgres() -> bool {
    std::env::var("DATABASE_URL").is_ok_and(|url| url.starts_with("postgres"))
}

/// A TCP proxy between a server and its database, to cut the database off
/// (dropping every open connection and refusing new ones) and restore it.
pub struct Proxy {
    address: std::net::SocketAddr,
    open: Arc<std::sync::atomic::AtomicBool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
    acceptor: JoinHandle<()>,
}

impl Proxy {
    /// A proxy to `target` (`host:port`), open.
    pub async fn to(target: String) -> Proxy {
        use std::sync::atomic::Ordering;
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let address = listener.local_addr().expect("the bound address");
        let open = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (is_open, tasks) = (open.clone(), connections.clone());
        let acceptor = tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    continue;
                };
                if !is_open.load(Ordering::SeqCst) {
                    // Cut off: the connection is closed at once.
                    drop(inbound);
                    continue;
                }
                let target = target.clone();
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                tasks
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .push(task);
            }
        });
        Proxy {
            address,
            open,
            connections,
            acceptor,
        }
    }

    /// A proxy to the database of `url` (a `postgres://` URL).
    pub async fn for_url(url: &str) -> Proxy {
        Proxy::to(Proxy::authority(url).to_owned()).await
    }

    /// The `host:port` of a `scheme://user@host:port/db` URL.
    fn authority(url: &str) -> &str {
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        let rest = rest.rsplit_once('@').map_or(rest, |(_, rest)| rest);
        rest.split(['/', '?']).next().unwrap_or(rest)
    }

    /// `url` with its host and port replaced by the proxy's.
    pub fn url(&self, url: &str) -> String {
        url.replacen(Proxy::authority(url), &self.address.to_string(), 1)
    }

    /// Cuts the database off: open connections are dropped, new ones closed at once.
    pub fn cut(&self) {
        self.open.store(false, std::sync::atomic::Ordering::SeqCst);
        for task in self
            .connections
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .drain(..)
        {
            task.abort();
        }
    }

    /// Lets connections through again.
    pub fn restore(&self) {
        self.open.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.acceptor.abort();
        self.cut();
    }
}

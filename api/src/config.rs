//! Configuration, from command-line flags or `HIREGRAPH_*` environment
//! variables (and `DATABASE_URL`). The doc comments here are the `--help` text.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::http::HeaderName;
use clap::builder::TypedValueParser as _;

use crate::rate_limit::Rate;

/// Where the data lives.
#[derive(clap::Args, Clone, Debug)]
pub struct DbConfig {
    /// Database URL: `sqlite://path?mode=rwc` (the embedded default) or
    /// `postgres://user@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://hiregraph.db?mode=rwc"
    )]
    pub database_url: String,

    /// Most database connections kept open at once.
    #[arg(long, env = "HIREGRAPH_DB_MAX_CONNECTIONS", default_value_t = 10)]
    pub db_max_connections: u32,

    /// How long a request waits for a database connection before failing.
    /// It bounds how long a request waits while the database is unreachable:
    /// past it the client gets 503 SERVICE_UNAVAILABLE with `Retry-After`.
    #[arg(long, env = "HIREGRAPH_DB_ACQUIRE_TIMEOUT", default_value = "5s", value_parser = parse_duration)]
    pub db_acquire_timeout: Duration,

    /// Postgres only: the longest one SQL statement may run (the server's
    /// `statement_timeout` on every pooled connection). A statement cancelled
    /// for it reaches the client as 503 QUERY_TIMEOUT. `0s` for no limit.
    /// Migrations are not limited. SQLite has no statement timeout.
    #[arg(long, env = "HIREGRAPH_DB_STATEMENT_TIMEOUT", default_value = "5s", value_parser = parse_duration)]
    pub db_statement_timeout: Duration,
}

impl DbConfig {
    /// A configuration for `url` with default pool settings.
    pub fn new(url: impl Into<String>) -> Self {
        DbConfig {
            database_url: url.into(),
            db_max_connections: 10,
            db_acquire_timeout: Duration::from_secs(5),
            db_statement_timeout: Duration::from_secs(5),
        }
    }
}

/// How bearer tokens are verified and minted.
///
/// With none of `--jwt-secret`, `--jwt-public-keys` and `--jwt-jwks-file` the
/// server runs in development mode: it generates a secret for the process and
/// prints an admin token at start-up.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct AuthConfig {
    /// Secret for HS256 tokens (those `hiregraph token` mints). HS256 tokens
    /// carry no `kid`. Without this, HIREGRAPH_JWT_PUBLIC_KEYS or
    /// HIREGRAPH_JWT_JWKS_FILE, the server runs in development mode.
    #[arg(long, env = "HIREGRAPH_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// Public keys of the identity provider, as comma-separated `kid=path`
    /// pairs naming PEM files, e.g. `2024-06=/etc/hiregraph/idp-2024-06.pem`.
    /// The algorithm follows from the key: RSA (2048 to 8192 bits) is RS256,
    /// EC P-256 is ES256, Ed25519 is EdDSA. A token must name its key in `kid`
    /// and be signed with that key's algorithm. Configure several keys to
    /// rotate: tokens of the old and the new key both verify.
    #[arg(
        long,
        env = "HIREGRAPH_JWT_PUBLIC_KEYS",
        value_name = "KID=PATH,...",
        default_value = "",
        hide_default_value = true
    )]
    pub jwt_public_keys: PublicKeyFiles,

    /// A JWKS file (`{"keys": [...]}`) with the identity provider's public
    /// keys, as published at its `jwks_uri`. Each key needs a `kid`; its `alg`,
    /// if given, must be the key's algorithm (RS256, ES256 or EdDSA); keys whose
    /// `use` is not `sig` are skipped. Read once at start-up: restart to pick
    /// up new keys.
    #[arg(
        long,
        env = "HIREGRAPH_JWT_JWKS_FILE",
        value_name = "PATH",
        // An empty variable means no file (the path parser would refuse it).
        value_parser = clap::builder::OsStringValueParser::new().map(PathBuf::from)
    )]
    pub jwt_jwks_file: Option<PathBuf>,

    /// The `iss` every token must carry.
    #[arg(long, env = "HIREGRAPH_JWT_ISSUER", default_value = "hiregraph")]
    pub jwt_issuer: String,

    /// The `aud` every token must carry (a token may name other audiences too).
    #[arg(long, env = "HIREGRAPH_JWT_AUDIENCE", default_value = "hiregraph")]
    pub jwt_audience: String,
}

/// The public key files of `HIREGRAPH_JWT_PUBLIC_KEYS`: comma-separated
/// `kid=path` pairs. Blank items are ignored, so an empty variable means none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicKeyFiles(pub Vec<PublicKeyFile>);

impl std::str::FromStr for PublicKeyFiles {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.split(',')
            .filter(|item| !item.trim().is_empty())
            .map(str::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(PublicKeyFiles)
    }
}

/// A public key file and the key id (`kid`) tokens name it by: `kid=path`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKeyFile {
    /// The key id tokens carry in their header.
    pub kid: String,
    /// The PEM file holding the public key.
    pub path: PathBuf,
}

impl std::str::FromStr for PublicKeyFile {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (kid, path) = text
            .split_once('=')
            .ok_or_else(|| format!("`{}` is not `kid=path/to/key.pem`", text.trim()))?;
        let (kid, path) = (kid.trim(), path.trim());
        if kid.is_empty() || path.is_empty() {
            return Err(format!(
                "`{}` needs both a key id and a path: `kid=path/to/key.pem`",
                text.trim()
            ));
        }
        Ok(PublicKeyFile {
            kid: kid.to_owned(),
            path: PathBuf::from(path),
        })
    }
}

/// How the HTTP server listens and what it accepts.
#[derive(clap::Args, Clone, Debug)]
pub struct HttpConfig {
    /// Address to listen on.
    #[arg(long, env = "HIREGRAPH_LISTEN", default_value = "127.0.0.1:8000")]
    pub listen: SocketAddr,

    /// Largest request body accepted, in bytes; a larger one gets 413.
    #[arg(long, env = "HIREGRAPH_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,

    /// Longest a request may run: past it the work is cancelled and the client
    /// gets 503 with the error code TIMEOUT.
    #[arg(long, env = "HIREGRAPH_REQUEST_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub request_timeout: Duration,

    /// Browser origins allowed to call the API cross-site (CORS), comma
    /// separated and exact, e.g. `https://hiring.example.com`. None by
    /// default: no CORS headers, so only same-origin pages can call it.
    #[arg(long, env = "HIREGRAPH_CORS_ORIGINS", value_delimiter = ',', value_parser = parse_origin)]
    pub cors_origins: Vec<String>,

    #[command(flatten)]
    pub limits: LimitsConfig,

    /// Anonymous `applyToPosting` attempts allowed per client network (an
    /// IPv4 address or an IPv6 /64), e.g. `30/1h`: a burst of 30, then one
    /// more every 2 minutes. `off` for no limit.
    #[arg(
        long,
        env = "HIREGRAPH_APPLY_RATE_PER_ADDRESS",
        default_value = "30/1h"
    )]
    pub apply_rate_per_address: Rate,

    /// Anonymous `applyToPosting` attempts allowed per email address, e.g.
    /// `5/1h`. `off` for no limit.
    #[arg(long, env = "HIREGRAPH_APPLY_RATE_PER_EMAIL", default_value = "5/1h")]
    pub apply_rate_per_email: Rate,

    /// The header holding the client's address when a proxy or load balancer
    /// you run sits in front, e.g. `X-Forwarded-For`; the last address in
    /// it (the one your proxy added) is used. Without it, the address the
    /// connection comes from. Set it only behind such a proxy: clients can
    /// write any header themselves.
    #[arg(long, env = "HIREGRAPH_CLIENT_ADDRESS_HEADER", value_parser = parse_header_name)]
    pub client_address_header: Option<HeaderName>,

    #[command(flatten)]
    pub bands: BandConfig,
    /// How many people the employer employs. Pay-transparency laws cover
    /// employers from a headcount (Colorado 1, New York 4, California 15,
    /// Ontario 25, ...): a law whose threshold is above it does not apply.
    #[arg(
        long,
        env = "HIREGRAPH_EMPLOYER_HEADCOUNT",
        default_value_t = HttpConfig::EMPLOYER_HEADCOUNT
    )]
    pub employer_headcount: u32,

    /// How long a WebSocket connection (subscriptions) may stay open without
    /// sending `connection_init`; past it the server closes it with 4408.
    #[arg(long, env = "HIREGRAPH_WS_INIT_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    pub ws_init_timeout: Duration,

    /// How often the server pings an idle WebSocket connection, so that
    /// proxies keep it open and dead peers are noticed.
    #[arg(long, env = "HIREGRAPH_WS_KEEPALIVE", default_value = "15s", value_parser = parse_duration)]
    pub ws_keepalive: Duration,
    #[command(flatten)]
    pub ops: OpsConfig,
}

/// Operations: persisted queries, metrics, compression and shutdown.
#[derive(clap::Args, Clone, Debug)]
pub struct OpsConfig {
    /// How many automatic persisted queries (Apollo's protocol) are kept in
    /// memory, least recently used forgotten first; 0 keeps none.
    #[arg(
        long,
        env = "HIREGRAPH_PERSISTED_QUERIES_CACHE_SIZE",
        default_value_t = OpsConfig::PERSISTED_QUERIES_CACHE_SIZE
    )]
    pub persisted_queries_cache_size: usize,

    /// Only run the operations of this safelist: a JSON file of
    /// `{"<sha256>": "<query>"}` or a directory of `.graphql` files, each one
    /// operation known by the SHA-256 of its exact text. Anything else is
    /// refused with PERSISTED_QUERY_NOT_ALLOWED (403). Read at start-up.
    #[arg(
        long,
        env = "HIREGRAPH_SAFELIST_FILE",
        value_name = "PATH",
        value_parser = clap::builder::OsStringValueParser::new().map(PathBuf::from)
    )]
    pub safelist_file: Option<PathBuf>,

    /// With a safelist, still run introspection queries (root fields
    /// `__schema`, `__type`, `__typename` only), e.g. for GraphiQL. Always
    /// allowed in development mode.
    #[arg(
        long,
        env = "HIREGRAPH_SAFELIST_ALLOW_INTROSPECTION",
        default_value_t = false
    )]
    pub safelist_allow_introspection: bool,

    /// A bearer token `GET /metrics` requires; without it /metrics is open,
    /// so serve it on an internal network only.
    #[arg(long, env = "HIREGRAPH_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// Responses at least this large (in bytes) are compressed with gzip when
    /// the client accepts it; 0 turns compression off.
    #[arg(
        long,
        env = "HIREGRAPH_COMPRESSION_MIN_BYTES",
        default_value_t = OpsConfig::COMPRESSION_MIN_BYTES
    )]
    pub compression_min_bytes: u64,

    /// On SIGTERM or Ctrl-C, how long requests in flight may take to finish
    /// before the server exits anyway.
    #[arg(long, env = "HIREGRAPH_SHUTDOWN_GRACE", default_value = "10s", value_parser = parse_duration)]
    pub shutdown_grace: Duration,

    /// Most GraphQL requests (over HTTP) running at once. Beyond it a request
    /// is refused at once, not queued: 503 SERVICE_UNAVAILABLE with
    /// `Retry-After`, counted in `hiregraph_requests_shed_total`. Health
    /// checks, metrics and WebSocket subscriptions are never refused.
    #[arg(
        long,
        env = "HIREGRAPH_MAX_CONCURRENT_REQUESTS",
        default_value_t = OpsConfig::MAX_CONCURRENT_REQUESTS
    )]
    pub max_concurrent_requests: usize,

    /// What `Retry-After` (and `extensions.retryAfter`) tells clients when
    /// the server is overloaded or the database is unavailable, in whole
    /// seconds (e.g. `2s`).
    #[arg(long, env = "HIREGRAPH_RETRY_AFTER", default_value = "2s", value_parser = parse_duration)]
    pub retry_after: Duration,
}

impl OpsConfig {
    /// The default size of the persisted-query cache.
    pub const PERSISTED_QUERIES_CACHE_SIZE: usize = 1000;
    /// The default compression threshold.
    pub const COMPRESSION_MIN_BYTES: u64 = 1024;
    /// The default cap on GraphQL requests running at once.
    pub const MAX_CONCURRENT_REQUESTS: usize = 256;
}

impl Default for OpsConfig {
    fn default() -> Self {
        OpsConfig {
            persisted_queries_cache_size: OpsConfig::PERSISTED_QUERIES_CACHE_SIZE,
            safelist_file: None,
            safelist_allow_introspection: false,
            metrics_token: None,
            compression_min_bytes: OpsConfig::COMPRESSION_MIN_BYTES,
            shutdown_grace: Duration::from_secs(10),
            max_concurrent_requests: OpsConfig::MAX_CONCURRENT_REQUESTS,
            retry_after: Duration::from_secs(2),
        }
    }
}

/// How log lines are written.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// For people: one readable line per event.
    #[default]
    Pretty,
    /// For machines: one JSON object per line, with the fields of the
    /// request's span (`request_id`, `operation_name`).
    Json,
}

impl HttpConfig {
    /// The default employer headcount.
    pub const EMPLOYER_HEADCOUNT: u32 = 280;
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8000)),
            max_body_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            cors_origins: Vec::new(),
            limits: LimitsConfig::default(),
            apply_rate_per_address: Rate::new(30, Duration::from_secs(3600)),
            apply_rate_per_email: Rate::new(5, Duration::from_secs(3600)),
            client_address_header: None,
            bands: BandConfig::default(),
            employer_headcount: HttpConfig::EMPLOYER_HEADCOUNT,
            ws_init_timeout: Duration::from_secs(10),
            ws_keepalive: Duration::from_secs(15),
            ops: OpsConfig::default(),
        }
    }
}

/// The range spread ((max − min) / min) compensation bands are expected to
/// have; a band outside it gets a warning (`CompensationBand.warnings`), not
/// an error.
#[derive(clap::Args, Clone, Copy, Debug, PartialEq)]
pub struct BandConfig {
    /// Narrowest expected range spread of a band, in percent.
    #[arg(
        long,
        env = "HIREGRAPH_BAND_SPREAD_MIN_PERCENT",
        default_value_t = 20.0
    )]
    pub band_spread_min_percent: f64,

    /// Widest expected range spread of a band, in percent.
    #[arg(
        long,
        env = "HIREGRAPH_BAND_SPREAD_MAX_PERCENT",
        default_value_t = 100.0
    )]
    pub band_spread_max_percent: f64,
}

impl BandConfig {
    /// The span as the domain uses it.
    pub fn span(&self) -> crate::domain::bands::SpreadSpan {
        crate::domain::bands::SpreadSpan {
            min_percent: self.band_spread_min_percent,
            max_percent: self.band_spread_max_percent,
        }
    }
}

impl Default for BandConfig {
    fn default() -> Self {
        let span = crate::domain::bands::SpreadSpan::default();
        BandConfig {
            band_spread_min_percent: span.min_percent,
            band_spread_max_percent: span.max_percent,
        }
    }
}

/// What one GraphQL operation may ask for. Each limit is checked before the
/// operation runs; breaking one is an error with a stable code.
#[derive(clap::Args, Clone, Debug)]
pub struct LimitsConfig {
    /// Deepest selection accepted (GraphiQL's introspection query needs 13).
    #[arg(long, env = "HIREGRAPH_MAX_DEPTH", default_value_t = LimitsConfig::DEPTH)]
    pub max_depth: usize,

    /// Highest cost accepted: every selected field costs 1, and a field taking
    /// `first` or `last` multiplies the cost of its selection by that number.
    /// Over it the error code is QUERY_TOO_COMPLEX; every response reports the
    /// cost in `extensions.cost`.
    #[arg(long, env = "HIREGRAPH_MAX_COST", default_value_t = LimitsConfig::COST)]
    pub max_cost: u64,

    /// Most aliased fields in one operation (TOO_MANY_ALIASES beyond).
    #[arg(long, env = "HIREGRAPH_MAX_ALIASES", default_value_t = LimitsConfig::ALIASES)]
    pub max_aliases: usize,

    /// Most lexical tokens in one query document: names, numbers, strings and
    /// punctuators (TOO_MANY_TOKENS beyond).
    #[arg(long, env = "HIREGRAPH_MAX_TOKENS", default_value_t = LimitsConfig::TOKENS)]
    pub max_tokens: usize,

    /// Most operations in one JSON-array batch; 0 (the default) refuses
    /// batches. The operations of a batch share one cost limit.
    #[arg(long, env = "HIREGRAPH_MAX_BATCH", default_value_t = 0)]
    pub max_batch: usize,
}

impl LimitsConfig {
    /// The default depth limit.
    pub const DEPTH: usize = crate::schema::MAX_DEPTH;
    /// The default cost limit.
    pub const COST: u64 = 25_000;
    /// The default alias limit.
    pub const ALIASES: usize = 30;
    /// The default token limit.
    pub const TOKENS: usize = 2_000;
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_depth: LimitsConfig::DEPTH,
            max_cost: LimitsConfig::COST,
            max_aliases: LimitsConfig::ALIASES,
            max_tokens: LimitsConfig::TOKENS,
            max_batch: 0,
        }
    }
}

/// Checks an origin for CORS: `scheme://host[:port]`, nothing after it.
/// An empty value stands for no origin, so `HIREGRAPH_CORS_ORIGINS=` is none.
pub fn parse_origin(text: &str) -> Result<String, String> {
    let origin = text.trim();
    if origin.is_empty() {
        return Ok(String::new());
    }
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("`{origin}` is not an origin: it starts with https:// or http://")
        })?;
    if rest.is_empty() || rest.contains(['/', '?', '#', '*', ' ', '@']) || !rest.is_ascii() {
        return Err(format!(
            "`{origin}` is not an exact origin: scheme://host[:port] with no path or wildcard"
        ));
    }
    Ok(origin.to_owned())
}

/// Everything `hiregraph serve` needs.
#[derive(clap::Args, Clone, Debug)]
pub struct ServeConfig {
    #[command(flatten)]
    pub db: DbConfig,
    #[command(flatten)]
    pub auth: AuthConfig,
    #[command(flatten)]
    pub http: HttpConfig,
    /// Load the demo data when the database is empty (`auto`: only in development mode).
    #[arg(long, env = "HIREGRAPH_DEMO_DATA", value_enum, default_value_t = DemoData::Auto)]
    pub demo_data: DemoData,
    /// How log lines are written: `pretty` for people, `json` for machines.
    #[arg(long, env = "HIREGRAPH_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,
}

/// Whether `serve` loads the demo data into an empty database.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoData {
    /// In development mode (no JWT secret or public keys configured) only.
    Auto,
    /// Always, when the database is empty.
    Always,
    /// Never.
    Never,
}

/// Parses an HTTP header name.
fn parse_header_name(text: &str) -> Result<HeaderName, String> {
    HeaderName::from_bytes(text.trim().as_bytes())
        .map_err(|_| format!("`{text}` is not an HTTP header name"))
}

/// Parses durations such as `500ms`, `5s`, `10m`, `8h` or `30d`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("`{text}` needs a unit: ms, s, m, h or d"))?;
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` does not start with a whole number"))?;
    let seconds = |n: u64| Duration::from_secs(n);
    match unit {
        "ms" => Ok(Duration::from_millis(number)),
        "s" => Ok(seconds(number)),
        "m" => Ok(seconds(number * 60)),
        "h" => Ok(seconds(number * 3600)),
        "d" => Ok(seconds(number * 86_400)),
        _ => Err(format!("`{unit}` is not a unit; use ms, s, m, h or d")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_with_each_unit_parse() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("8h"), Ok(Duration::from_secs(8 * 3600)));
        assert_eq!(parse_duration("2d"), Ok(Duration::from_secs(2 * 86_400)));
    }

    #[test]
    fn a_public_key_file_is_a_kid_and_a_path() {
        assert_eq!(
            " 2024-06 = keys/idp.pem ".parse::<PublicKeyFile>(),
            Ok(PublicKeyFile {
                kid: "2024-06".into(),
                path: PathBuf::from("keys/idp.pem"),
            })
        );
        assert!("keys/idp.pem".parse::<PublicKeyFile>().is_err());
        assert!("=keys/idp.pem".parse::<PublicKeyFile>().is_err());
        assert!("2024-06=".parse::<PublicKeyFile>().is_err());
    }

    #[test]
    fn public_key_files_are_a_comma_separated_list_and_may_be_empty() {
        let files: Result<PublicKeyFiles, _> = "old=a.pem, new=b.pem,".parse();
        let kids: Vec<String> = files
            .map(|files| files.0.into_iter().map(|file| file.kid).collect())
            .unwrap_or_default();
        assert_eq!(kids, ["old", "new"]);
        assert_eq!("".parse(), Ok(PublicKeyFiles::default()));
        assert_eq!(" ".parse(), Ok(PublicKeyFiles::default()));
        assert!("old=a.pem,b.pem".parse::<PublicKeyFiles>().is_err());
    }

    #[test]
    fn origins_are_exact() {
        assert_eq!(
            parse_origin(" https://hiring.example.com "),
            Ok("https://hiring.example.com".to_owned())
        );
        assert!(parse_origin("http://localhost:3000").is_ok());
        assert_eq!(parse_origin(""), Ok(String::new()));
        assert!(parse_origin("*").is_err());
        assert!(parse_origin("https://*.example.com").is_err());
        assert!(parse_origin("https://example.com/").is_err());
        assert!(parse_origin("example.com").is_err());
    }

    #[test]
    fn a_duration_without_a_known_unit_is_rejected() {
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("5y").is_err());
        assert!(parse_duration("s").is_err());
    }
}

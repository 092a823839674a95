//! Starting the service: connect, migrate, load the demo data when asked,
//! announce development mode, and serve until told to stop.

use std::time::Duration;

use anyhow::Context as _;
use entity::enums::Role;
use entity::user;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tokio::net::TcpListener;

use crate::auth::Authenticator;
use crate::config::{DemoData, HttpConfig, LogFormat, ServeConfig};
use crate::db::{self, Database};
use crate::http::{AppState, router};
use crate::seed;

/// How long the token printed in development mode stays valid.
const DEVELOPMENT_TOKEN_TTL: Duration = Duration::from_secs(12 * 3600);

/// Runs `hiregraph serve`.
pub async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let auth = Authenticator::new(&config.auth).context("could not set up token verification")?;
    let rules = crate::domain::transparency::rules().map_err(|err| anyhow::anyhow!("{err}"))?;
    tracing::info!(
        version = %rules.version,
        rules = rules.rules.len(),
        employer_headcount = config.http.employer_headcount,
        "pay-transparency rules loaded"
    );
    if !auth.is_development() {
        tracing::info!(
            hs256 = auth.accepts_hs256(),
            keys = %auth.key_ids().join(", "),
            "verifying tokens"
        );
    }
    let db = db::connect(&config.db).await.with_context(|| {
        format!(
            "could not open the database at {}",
            redact(&config.db.database_url)
        )
    })?;
    {
        // Migrations are not held to the statement timeout.
        let migrating = db::connect_unlimited(&config.db).await.with_context(|| {
            format!(
                "could not open the database at {}",
                redact(&config.db.database_url)
            )
        })?;
        Migrator::up(&migrating.conn, None)
            .await
            .context("could not migrate the database")?;
        let _ = migrating.conn.close().await;
    }
    let load_demo = match config.demo_data {
        DemoData::Always => true,
        DemoData::Never => false,
        DemoData::Auto => auth.is_development(),
    };
    if load_demo && seed::is_empty(&db.conn).await? {
        let summary = seed::load_demo(&db.conn)
            .await
            .context("could not load the demo data")?;
        tracing::info!(
            postings = summary.postings,
            candidates = summary.candidates,
            applications = summary.applications,
            "loaded the demo data into the empty database"
        );
    }
    if auth.is_development() {
        announce_development_mode(&db, &auth).await?;
    }
    tokio::spawn(purge_daily(db.clone()));
    let listener = TcpListener::bind(config.http.listen)
        .await
        .with_context(|| format!("could not listen on {}", config.http.listen))?;
    tracing::info!(address = %listener.local_addr()?, "hiregraph is serving GraphQL at /graphql");
    announce_limits(&config.http, auth.is_development());
    let grace = config.http.ops.shutdown_grace;
    let state = AppState::try_new(db, auth, config.http)?;
    if let Some(operations) = state.persisted.safelist_len() {
        tracing::info!(operations, "safelist in force: only its operations run");
    }
    let shutdown = state.shutdown.clone();
    let app = router(state);
    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let sockets = shutdown.clone();
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal(grace).await;
        // Open WebSocket connections close themselves (1001).
        shutdown.send_replace(true);
        let _ = stopping.send(());
    })
    .into_future();
    // Upgraded connections live outside the server: wait for them too.
    let server = async move {
        let result = server.await;
        sockets.closed().await;
        result
    };
    // After the signal the server stops accepting and waits for the requests
    // in flight, for the grace period at most.
    let deadline = async move {
        match stopped.await {
            Ok(()) => tokio::time::sleep(grace).await,
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        result = server => {
            result.context("the server stopped with an error")?;
            tracing::info!("every request finished; stopped");
        }
        () = deadline => {
            tracing::warn!(?grace, "the grace period is over; stopping with requests still in flight");
        }
    }
    Ok(())
}

/// Logs what requests may ask for, and who may introspect.
fn announce_limits(http: &HttpConfig, development: bool) {
    let limits = &http.limits;
    let origins: Vec<&str> = http
        .cors_origins
        .iter()
        .map(String::as_str)
        .filter(|origin| !origin.is_empty())
        .collect();
    tracing::info!(
        max_body_bytes = http.max_body_bytes,
        request_timeout = ?http.request_timeout,
        max_depth = limits.max_depth,
        max_cost = limits.max_cost,
        max_aliases = limits.max_aliases,
        max_tokens = limits.max_tokens,
        max_batch = limits.max_batch,
        cors_origins = ?origins,
        apply_rate_per_address = %http.apply_rate_per_address,
        apply_rate_per_email = %http.apply_rate_per_email,
        client_address_header = ?http.client_address_header,
        "request limits"
    );
    if !development {
        tracing::info!(
            "production mode: anonymous callers get no introspection and no field suggestions"
        );
    }
}

/// Erases, once a day, candidates past their retention date who have no
/// active application. The first run is a minute after start-up.
async fn purge_daily(db: Database) {
    let mut interval = tokio::time::interval_at(
        tokio::time::Instant::now() + Duration::from_secs(60),
        Duration::from_secs(24 * 3600),
    );
    loop {
        interval.tick().await;
        let today = chrono::Utc::now().date_naive();
        match crate::domain::privacy::purge_expired(&db.conn, today).await {
            Ok(0) => tracing::debug!("retention purge: nobody past their retention date"),
            Ok(n) => tracing::info!(
                erased = n,
                "retention purge: erased candidates past their retention date"
            ),
            Err(err) => {
                tracing::error!(error = ?err, "retention purge failed; it runs again tomorrow")
            }
        }
    }
}

/// Says loudly that tokens are signed with a throwaway secret, and prints a
/// ready admin token.
async fn announce_development_mode(db: &Database, auth: &Authenticator) -> anyhow::Result<()> {
    tracing::warn!(
        "DEVELOPMENT MODE: none of HIREGRAPH_JWT_SECRET, HIREGRAPH_JWT_PUBLIC_KEYS and \
         HIREGRAPH_JWT_JWKS_FILE is set, so tokens are signed with a secret generated for this \
         process and die with it. Never run like this in production."
    );
    let admin = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Id)
        .one(&db.conn)
        .await?;
    match admin {
        Some(admin) => {
            let token = auth.mint(&admin.email, Role::Admin, DEVELOPMENT_TOKEN_TTL)?;
            tracing::warn!(
                "admin token for {} (12 hours):\n\n    Authorization: Bearer {token}\n",
                admin.email
            );
        }
        None => tracing::warn!(
            "no active admin user exists, so no token was printed; run `hiregraph seed --demo`"
        ),
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal(grace: Duration) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!(
        ?grace,
        "shutting down: no new connections; finishing the requests in flight"
    );
}

/// A database URL with any password replaced, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Sets up logging: `RUST_LOG` decides what, `info` by default; `format`
/// how: readable lines, or JSON objects one a line (with the request's span
/// fields, `request_id` and `operation_name`, under `span`).
pub fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_http=warn")
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_redacted_from_database_urls() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/hg"),
            "postgres://app:***@db:5432/hg"
        );
        assert_eq!(redact("postgres://app@db/hg"), "postgres://app@db/hg");
        assert_eq!(
            redact("sqlite://hiregraph.db?mode=rwc"),
            "sqlite://hiregraph.db?mode=rwc"
        );
    }
}

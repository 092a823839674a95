//! The `hiregraph` command: serve the API (the default), migrate the
//! database, load demo data, print the schema, or mint a development token.
//! Everything else lives in the `hiregraph-api` library.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use hiregraph_api::auth::Authenticator;
use hiregraph_api::config::{AuthConfig, DbConfig, ServeConfig, parse_duration};
use hiregraph_api::{db, schema, seed, server};
use migration::{Migrator, MigratorTrait};

/// hiregraph: a GraphQL backend for hiring at a fully remote, global employer.
///
/// Without a subcommand it serves the API (see `hiregraph serve --help`).
#[derive(Parser, Debug)]
#[command(name = "hiregraph", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeConfig,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the GraphQL API (the default). Applies pending migrations first.
    Serve(Box<ServeConfig>),
    /// Apply, roll back or list database migrations.
    Migrate {
        #[command(flatten)]
        db: DbConfig,
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Load data into the database.
    Seed {
        #[command(flatten)]
        db: DbConfig,
        /// Load the demo data: the Senior Backend Engineer (Elixir) posting
        /// with its bands, candidates, applications and interviews. The
        /// database must be empty.
        #[arg(long)]
        demo: bool,
        /// Load a large generated data set instead, N times the base size
        /// (N = 1: about 2,000 postings, 100,000 candidates, 400,000
        /// applications and 800,000 interviews; N = 0.01 is a hundredth of
        /// that). The same N always gives the same data. The database must
        /// be empty.
        #[arg(long, value_name = "N", conflicts_with = "demo", value_parser = parse_scale)]
        scale: Option<f64>,
    },
    /// Erase candidates past their retention date who have no active
    /// application (`serve` also does this once a day).
    Purge {
        #[command(flatten)]
        db: DbConfig,
    },
    /// Print the GraphQL schema (SDL). Needs no database.
    Schema,
    /// Mint an HS256 token for a staff user, signed with HIREGRAPH_JWT_SECRET.
    ///
    /// For development and operations: production tokens come from the
    /// identity provider, signed with the keys of HIREGRAPH_JWT_PUBLIC_KEYS or
    /// HIREGRAPH_JWT_JWKS_FILE.
    Token {
        #[command(flatten)]
        auth: AuthConfig,
        /// The user: their email or numeric id.
        #[arg(long)]
        user: String,
        /// The role the token grants; it must be the user's role.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// How long the token is valid, e.g. 30m, 8h, 7d.
        #[arg(long, default_value = "8h", value_parser = parse_duration)]
        ttl: Duration,
    },
}

#[derive(Subcommand, Debug)]
enum MigrateAction {
    /// Apply pending migrations.
    Up {
        /// Apply at most this many.
        #[arg(long)]
        steps: Option<u32>,
    },
    /// Roll back applied migrations, newest first.
    Down {
        /// How many to roll back.
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether each is applied.
    Status,
}

/// A staff role.
#[derive(ValueEnum, Clone, Copy, Debug)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
enum RoleArg {
    Admin,
    Recruiter,
    HiringManager,
    Interviewer,
}

impl From<RoleArg> for entity::enums::Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Admin => entity::enums::Role::Admin,
            RoleArg::Recruiter => entity::enums::Role::Recruiter,
            RoleArg::HiringManager => entity::enums::Role::HiringManager,
            RoleArg::Interviewer => entity::enums::Role::Interviewer,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Schema) = cli.command {
        print!("{}", schema::sdl());
        return ExitCode::SUCCESS;
    }
    let log_format = match &cli.command {
        Some(Command::Serve(config)) => config.log_format,
        _ => cli.serve.log_format,
    };
    server::init_tracing(log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: could not start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        None => server::serve(cli.serve).await,
        Some(Command::Serve(config)) => server::serve(*config).await,
        Some(Command::Migrate { db, action }) => migrate(&db, action).await,
        Some(Command::Seed {
            db,
            scale: Some(scale),
            ..
        }) => seed_scale(&db, scale).await,
        Some(Command::Seed { db, demo, .. }) => seed_demo(&db, demo).await,
        Some(Command::Purge { db }) => purge(&db).await,
        Some(Command::Schema) => Ok(()),
        Some(Command::Token {
            auth,
            user,
            role,
            ttl,
        }) => {
            if auth.jwt_secret.as_deref().is_none_or(str::is_empty) {
                anyhow::bail!(
                    "set HIREGRAPH_JWT_SECRET (or --jwt-secret) to the server's secret; \
                     a server without one prints an admin token when it starts"
                );
            }
            let token = Authenticator::new(&auth)?.mint(&user, role.into(), ttl)?;
            println!("{token}");
            Ok(())
        }
    }
}

async fn migrate(config: &DbConfig, action: MigrateAction) -> anyhow::Result<()> {
    let database = db::connect_unlimited(config)
        .await
        .context("could not open the database")?;
    let conn = &database.conn;
    match action {
        MigrateAction::Up { steps } => {
            Migrator::up(conn, steps).await?;
            println!("migrations applied");
        }
        MigrateAction::Down { steps } => {
            Migrator::down(conn, Some(steps)).await?;
            println!("rolled back {steps} migration(s)");
        }
        MigrateAction::Status => {
            for migration in Migrator::get_migration_with_status(conn).await? {
                println!(
                    "{:<10} {}",
                    format!("{}", migration.status()),
                    migration.name()
                );
            }
        }
    }
    Ok(())
}

async fn purge(config: &DbConfig) -> anyhow::Result<()> {
    let database = db::connect(config)
        .await
        .context("could not open the database")?;
    Migrator::up(&database.conn, None).await?;
    let today = chrono::Utc::now().date_naive();
    let erased = hiregraph_api::domain::privacy::purge_expired(&database.conn, today)
        .await
        .map_err(|err| anyhow::anyhow!("the purge failed: {err:?}"))?;
    println!("erased {erased} candidate(s) past their retention date with no active application");
    Ok(())
}

async fn seed_demo(config: &DbConfig, demo: bool) -> anyhow::Result<()> {
    if !demo {
        anyhow::bail!("say what to load: `hiregraph seed --demo` or `hiregraph seed --scale N`");
    }
    let database = db::connect(config)
        .await
        .context("could not open the database")?;
    Migrator::up(&database.conn, None).await?;
    if !seed::is_empty(&database.conn).await? {
        anyhow::bail!(
            "the database already has data; the demo data only goes into an empty database"
        );
    }
    let summary = seed::load_demo(&database.conn).await?;
    println!(
        "loaded the demo data: {} postings, {} candidates, {} applications, {} interviews; admin is {}",
        summary.postings,
        summary.candidates,
        summary.applications,
        summary.interviews,
        summary.admin_email
    );
    Ok(())
}

/// `--scale N`: a positive decimal number, at most `seed::scale::MAX_SCALE`.
fn parse_scale(value: &str) -> Result<f64, String> {
    let scale: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("`{value}` is not a number; try 1 or 0.01"))?;
    if !scale.is_finite() || scale <= 0.0 || scale > seed::scale::MAX_SCALE {
        return Err(format!(
            "the scale must be above 0 and at most {}",
            seed::scale::MAX_SCALE
        ));
    }
    Ok(scale)
}

async fn seed_scale(config: &DbConfig, scale: f64) -> anyhow::Result<()> {
    let database = db::connect(config)
        .await
        .context("could not open the database")?;
    Migrator::up(&database.conn, None).await?;
    if !seed::is_empty(&database.conn).await? {
        anyhow::bail!(
            "the database already has data; `seed --scale` only loads into an empty database \
             (create a new one, or drop this one and run `hiregraph migrate up`)"
        );
    }
    let summary = seed::load_scale(&database.conn, scale).await?;
    println!(
        "loaded the scaled data set (scale {}) in {:.1}s:",
        summary.scale, summary.seconds
    );
    for (table, rows) in &summary.tables {
        println!("  {table:<26} {rows:>10}");
    }
    println!(
        "  {:<26} {:>10}",
        "total",
        summary.tables.iter().map(|(_, n)| n).sum::<u64>()
    );
    if summary.unbooked > 0 {
        println!(
            "  ({} meetings found no free slot; their applications wait at that stage)",
            summary.unbooked
        );
    }
    println!(
        "admin is admin@hiregraph.example; staff are recruiter-N, hm-N and interviewer-N @hiregraph.example"
    );
    Ok(())
}

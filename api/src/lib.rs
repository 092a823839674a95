//! hiregraph as a library: the HTTP server, the GraphQL schema, the domain
//! rules, authentication and the per-request loaders. `src/main.rs` is only
//! the command line around it.

/// Bearer tokens, the viewer, and what each role may do.
pub mod auth;
/// Configuration from flags and `HIREGRAPH_*` variables.
pub mod config;
/// What resolvers can reach for the request they serve.
pub mod context;
/// Connecting to SQLite or Postgres; keyset pagination.
pub mod db;
/// The rules of hiring, independent of GraphQL.
pub mod domain;
/// Error types and their stable codes.
pub mod error;
/// Live updates: events after commits, delivered to subscriptions.
pub mod events;
/// The router and the GraphQL endpoint.
pub mod http;
/// Per-request DataLoaders.
pub mod loaders;
/// Prometheus metrics at `/metrics`.
pub mod metrics;
/// Rate limits on the public mutation.
pub mod rate_limit;
/// The GraphQL schema.
pub mod schema;
/// The demo data.
pub mod seed;
/// Starting and stopping the service.
pub mod server;

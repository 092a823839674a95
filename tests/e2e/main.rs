//! End-to-end tests of hiregraph: GraphQL over HTTP against the real router,
//! each test on a fresh database of its own (SQLite by default, Postgres when
//! `DATABASE_URL` points at one).

mod support;

mod auth;
mod cli;
mod connections;
mod demo;
mod mutations;
mod nodes;
mod offers;
mod protocol;
mod schema_file;
mod statements;
mod validation;
mod visibility;

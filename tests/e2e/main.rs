//! End-to-end tests of hiregraph: GraphQL over HTTP against the real router,
//! each test on a fresh database of its own (SQLite by default, Postgres when
//! `DATABASE_URL` points at one).

mod support;

mod abuse;
mod applying;
mod audit;
mod auth;
mod bands;
mod bench_operations;
mod cli;
mod connections;
mod demo;
mod equity;
mod faults;
mod funnel;
mod graphiql;
mod hardening;
mod lifecycle;
mod live;
mod matrix;
mod mutations;
mod nodes;
mod offers;
mod ops;
mod privacy;
mod protocol;
mod reliability;

mod roles;
mod scheduling;
mod schema_file;
mod scorecards;
mod seed_scale;
mod statements;
mod story;
mod tokens;
mod transitions;
mod transparency;
mod validation;
mod visibility;

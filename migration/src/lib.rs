//! The database schema of hiregraph as migrations that run unchanged on SQLite
//! (the embedded default) and Postgres (production).
//!
//! Conventions every migration follows, and why:
//! - Primary keys are 64-bit integers: compact keyset cursors and cheap joins;
//!   clients never see them raw (the API wraps them in opaque global IDs).
//! - Enums are short strings guarded by a `CHECK`: readable in `psql`, portable,
//!   and a bad value can't be written even by hand.
//! - Money is integer minor units (`*_minor`) beside an ISO 4217 currency; never floats.
//! - Timestamps are UTC (`timestamptz` on Postgres, RFC 3339 text on SQLite).
//! - Every foreign key and every column a connection sorts by has an index.
//! - Migrations are append-only once released: change the schema with a new one.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261129_000001_people_and_reference_data;
mod m20261129_000002_postings;
mod m20261129_000003_candidates_and_applications;
mod m20261129_000004_interviews_and_scorecards;
mod m20261129_000005_offers_and_audit;
mod m20261129_000006_pipeline;
mod m20261129_000007_erasure;
mod m20261129_000008_band_sets;
mod m20261129_000009_exchange_rates_and_floors;
mod m20261129_000010_pay_transparency;
mod m20261129_000011_self_identification;
mod m20261129_000012_query_indexes;

/// Runs hiregraph's migrations in order.
#[derive(Debug)]
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_people_and_reference_data::Migration),
            Box::new(m20261129_000002_postings::Migration),
            Box::new(m20261129_000003_candidates_and_applications::Migration),
            Box::new(m20261129_000004_interviews_and_scorecards::Migration),
            Box::new(m20261129_000005_offers_and_audit::Migration),
            Box::new(m20261129_000006_pipeline::Migration),
            Box::new(m20261129_000007_erasure::Migration),
            Box::new(m20261129_000008_band_sets::Migration),
            Box::new(m20261129_000009_exchange_rates_and_floors::Migration),
            Box::new(m20261129_000010_pay_transparency::Migration),
            Box::new(m20261129_000011_self_identification::Migration),
            Box::new(m20261129_000012_query_indexes::Migration),
        ]
    }
}

//! Indexes for the lists the careers site and the hiring app read most,
//! each matching a list's filter followed by its keyset order, so a page
//! starts where the index says instead of after sorting every row:
//! - the open postings, newest first (the careers site);
//! - a posting's applications at one stage in one status, by application
//!   date (the pipeline view);
//! - each application's history in order, and an interview's scorecards.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The indexes, as `(name, table, columns)`. Names are spelled out: one
/// made of all the columns would pass Postgres's 63-character limit.
const INDEXES: [(&str, &str, &[&str]); 2] = [
    (
        "idx_postings_status_created_at_id",
        "postings",
        &["status", "created_at", "id"],
    ),
    (
        "idx_applications_posting_stage_status_applied_at",
        "applications",
        &[
            "posting_id",
            "current_stage_id",
            "status",
            "applied_at",
            "id",
        ],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(name).table(table);
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES.iter().rev() {
            manager
                .drop_index(Index::drop().name(*name).table(*table).to_owned())
                .await?;
        }
        Ok(())
    }
}

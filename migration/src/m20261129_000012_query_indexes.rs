//! Indexes for the lists the careers site and the hiring app read most,
//! each matching a list's filter followed by its keyset order, so a page
//! starts where the index says instead of after sorting every row:
//! - the open postings, newest first (the careers site);
//! - a posting's applications at one stage in one status, by application
//!   date (the pipeline view);
//! - each application's history in order, and an interview's scorecards.

use sea_orm_migration::prelude::*;

use crate::helpers::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The indexes, as `(table, columns)`.
const INDEXES: [(&str, &[&str]); 2] = [
    ("postings", &["status", "created_at", "id"]),
    (
        "applications",
        &["posting_id", "current_stage_id", "status", "applied_at", "id"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_indexes(
            manager,
            INDEXES
                .iter()
                .map(|&(table, columns)| index(table, columns))
                .collect(),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, columns) in INDEXES.iter().rev() {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("idx_{table}_{}", columns.join("_")))
                        .table(*table)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

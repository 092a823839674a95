//! When a candidate's personal data was erased. An erased candidate stays
//! (anonymous) so that applications and their history still count in
//! hiring statistics, and is never purged twice.

use sea_orm_migration::prelude::*;

use crate::helpers::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("candidates")
                    .add_column(timestamp_null("erased_at"))
                    .take(),
            )
            .await?;
        // The retention purge looks for candidates past their date.
        manager
            .create_index(index("candidates", &["retain_until"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_candidates_retain_until")
                    .table("candidates")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("candidates")
                    .drop_column("erased_at")
                    .take(),
            )
            .await
    }
}

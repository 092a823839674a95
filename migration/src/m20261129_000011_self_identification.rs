//! Voluntary self-identification: a candidate's gender, given on the
//! application form only with its own consent, separate from the consent to
//! process the application.
//!
//! It lives in a table of its own, one row per candidate, so that nothing
//! that reads candidates can show it by accident: only the pay-equity
//! report reads it, in aggregate. Erasure deletes the row.

use sea_orm_migration::prelude::*;

use crate::helpers::*;

pub const GENDERS: &[&str] = &["WOMAN", "MAN", "NON_BINARY"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("candidate_self_identifications")
                        .col(id())
                        .col(reference("candidate_id"))
                        .col(enumeration("gender", GENDERS))
                        .col(timestamp("consent_given_at"))
                        .foreign_key(&mut foreign_key(
                            "candidate_self_identifications",
                            "candidate_id",
                            "candidates",
                            ForeignKeyAction::Cascade,
                        )),
                )
                .take(),
            )
            .await?;
        manager
            .create_index(unique("candidate_self_identifications", &["candidate_id"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table("candidate_self_identifications")
                    .to_owned(),
            )
            .await
    }
}

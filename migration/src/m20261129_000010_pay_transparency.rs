//! Pay transparency: what a law can require a posting to show besides its
//! range (benefits, other compensation, the application deadline), the
//! admin overrides of the publishing gate, and the record of when each
//! applicant was shown the pay range (the EU directive wants it before the
//! first interview).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

use crate::helpers::*;

pub const DISCLOSURE_KINDS: &[&str] = &["POSTING", "EXPLICIT"];
pub const PAY_INTERVALS: &[&str] = &["YEAR", "HOUR"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in [
            schema::text_null("benefits"),
            schema::text_null("other_compensation"),
            schema::date_null("application_deadline"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("postings")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("pay_transparency_overrides")
                    .col(id())
                    .col(reference("posting_id"))
                    .col(reference("user_id"))
                    .col(schema::text("reason"))
                    .col(schema::string_len("rule_version", 32))
                    .col(schema::text("jurisdictions"))
                    .col(timestamp("created_at"))
                    .foreign_key(&mut foreign_key(
                        "pay_transparency_overrides",
                        "posting_id",
                        "postings",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "pay_transparency_overrides",
                        "user_id",
                        "users",
                        ForeignKeyAction::Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("pay_range_disclosures")
                    .col(id())
                    .col(reference("application_id"))
                    .col(enumeration("how", DISCLOSURE_KINDS))
                    .col(currency_code("currency"))
                    .col(schema::big_integer("min_minor"))
                    .col(schema::big_integer("max_minor"))
                    .col(enumeration("pay_interval", PAY_INTERVALS))
                    .col(timestamp("disclosed_at"))
                    .col(reference_null("user_id"))
                    .foreign_key(&mut foreign_key(
                        "pay_range_disclosures",
                        "application_id",
                        "applications",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "pay_range_disclosures",
                        "user_id",
                        "users",
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index("pay_transparency_overrides", &["posting_id"]),
                index("pay_transparency_overrides", &["user_id"]),
                index("pay_range_disclosures", &["application_id", "id"]),
                index("pay_range_disclosures", &["user_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &["pay_range_disclosures", "pay_transparency_overrides"],
        )
        .await?;
        for column in ["application_deadline", "other_compensation", "benefits"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("postings")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

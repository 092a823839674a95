//! Offers with their versions and approvals, and the audit log.
//!
//! - Each revision of an offer is a new row: `(application_id, version)` is
//!   unique, so an offer's history is never overwritten; a revised version is
//!   marked SUPERSEDED.
//! - An offer outside its band carries the reason for the exception.
//! - The offered salary is integer minor units beside its currency and interval.
//! - `audit_events` records who changed what and when; `changes` is a JSON
//!   document of the changed fields. Rows are only ever inserted.

use sea_orm_migration::{prelude::*, schema};

use crate::helpers::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const OFFER_STATUSES: &[&str] = &[
    "DRAFT",
    "PENDING_APPROVAL",
    "APPROVED",
    "SENT",
    "ACCEPTED",
    "DECLINED",
    "WITHDRAWN",
    "SUPERSEDED",
];
pub const APPROVAL_DECISIONS: &[&str] = &["PENDING", "APPROVED", "REJECTED"];
pub const PAY_INTERVALS: &[&str] = &["YEAR", "HOUR"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("offers")
                        .col(id())
                        .col(reference("application_id"))
                        .col(
                            schema::integer("version")
                                .check(Expr::col("version").gte(1))
                                .take(),
                        )
                        .col(enumeration("status", OFFER_STATUSES))
                        .col(reference_null("level_id"))
                        .col(reference_null("geo_zone_id"))
                        .col(reference_null("team_id"))
                        .col(currency_code("currency"))
                        .col(enumeration("pay_interval", PAY_INTERVALS))
                        .col(
                            schema::big_integer("base_salary_minor")
                                .check(Expr::col("base_salary_minor").gte(0))
                                .take(),
                        )
                        .col(schema::date_null("start_date"))
                        .col(timestamp_null("expires_at"))
                        .col(schema::text_null("notes"))
                        .col(schema::text_null("exception_reason"))
                        .col(reference_null("created_by_id"))
                        .foreign_key(&mut foreign_key(
                            "offers",
                            "application_id",
                            "applications",
                            ForeignKeyAction::Cascade,
                        ))
                        .foreign_key(&mut foreign_key(
                            "offers",
                            "level_id",
                            "levels",
                            ForeignKeyAction::Restrict,
                        ))
                        .foreign_key(&mut foreign_key(
                            "offers",
                            "geo_zone_id",
                            "geo_zones",
                            ForeignKeyAction::Restrict,
                        ))
                        .foreign_key(&mut foreign_key(
                            "offers",
                            "team_id",
                            "teams",
                            ForeignKeyAction::Restrict,
                        ))
                        .foreign_key(&mut foreign_key(
                            "offers",
                            "created_by_id",
                            "users",
                            ForeignKeyAction::Restrict,
                        )),
                )
                .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("offer_approvals")
                    .col(id())
                    .col(reference("offer_id"))
                    .col(reference("approver_id"))
                    .col(enumeration("decision", APPROVAL_DECISIONS))
                    .col(schema::text_null("comment"))
                    .col(timestamp_null("decided_at"))
                    .col(timestamp("created_at"))
                    .foreign_key(&mut foreign_key(
                        "offer_approvals",
                        "offer_id",
                        "offers",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "offer_approvals",
                        "approver_id",
                        "users",
                        ForeignKeyAction::Restrict,
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("audit_events")
                    .col(id())
                    .col(reference_null("actor_id"))
                    .col(schema::string_len("action", 100))
                    .col(schema::string_len("object_type", 50))
                    .col(schema::big_integer_null("object_id"))
                    .col(schema::json("changes"))
                    .col(schema::string_len_null("request_id", 100))
                    .col(timestamp("occurred_at"))
                    .foreign_key(&mut foreign_key(
                        "audit_events",
                        "actor_id",
                        "users",
                        ForeignKeyAction::Restrict,
                    ))
                    .take(),
            )
            .await?;

        create_indexes(
            manager,
            vec![
                unique("offers", &["application_id", "version"]),
                index("offers", &["level_id"]),
                index("offers", &["geo_zone_id"]),
                index("offers", &["team_id"]),
                index("offers", &["created_by_id"]),
                unique("offer_approvals", &["offer_id", "approver_id"]),
                index("offer_approvals", &["approver_id"]),
                index("audit_events", &["object_type", "object_id"]),
                index("audit_events", &["actor_id"]),
                index("audit_events", &["occurred_at", "id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["audit_events", "offer_approvals", "offers"]).await
    }
}

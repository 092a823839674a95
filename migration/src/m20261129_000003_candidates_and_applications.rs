//! Candidates, their applications and the stage-transition log.
//!
//! - A candidate is one person: `email_normalized` (trimmed, lower case) is
//!   unique, whatever spelling they typed (`email` keeps it as entered).
//! - One application per candidate and posting (`uq_applications_candidate_id_posting_id`).
//! - `version` increases with every change of an application, so a client that
//!   moves an application can say which state it saw (optimistic concurrency).
//! - A rejected application, and only a rejected one, has a rejection reason:
//!   a `CHECK` keeps status and reason consistent.
//! - `stage_transitions` is append-only: it is the source of time-in-stage and
//!   funnel figures, so nothing in it is ever updated.

use sea_orm_migration::{prelude::*, schema};

use crate::helpers::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const CANDIDATE_SOURCES: &[&str] = &["CAREERS_SITE", "REFERRAL", "SOURCED", "AGENCY", "OTHER"];
pub const APPLICATION_STATUSES: &[&str] = &["ACTIVE", "REJECTED", "WITHDRAWN", "HIRED"];
pub const REJECTION_REASONS: &[&str] = &[
    "NOT_A_FIT",
    "LACKS_REQUIRED_SKILLS",
    "LOCATION_NOT_SUPPORTED",
    "COMPENSATION_MISMATCH",
    "POSITION_FILLED",
    "UNRESPONSIVE",
    "OTHER",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("candidates")
                        .col(id())
                        .col(schema::string_len("email", 320))
                        .col(schema::string_len("email_normalized", 320))
                        .col(schema::string_len("name", 200))
                        .col(country_code_null("country_code"))
                        .col(schema::string_len_null("time_zone", 64))
                        .col(schema::string_len_null("phone", 40))
                        .col(schema::json("links"))
                        .col(enumeration("source", CANDIDATE_SOURCES))
                        .col(schema::string_len_null("source_detail", 200))
                        .col(timestamp_null("consent_given_at"))
                        .col(schema::date_null("retain_until")),
                )
                .take(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("applications")
                        .col(id())
                        .col(reference("candidate_id"))
                        .col(reference("posting_id"))
                        .col(reference("current_stage_id"))
                        .col(enumeration("status", APPLICATION_STATUSES))
                        .col(enumeration_null("rejection_reason", REJECTION_REASONS))
                        .col(schema::text_null("rejection_note"))
                        .col(reference_null("team_id"))
                        .col(
                            schema::integer("version")
                                .check(Expr::col("version").gte(1))
                                .take(),
                        )
                        .col(timestamp("applied_at"))
                        .check((
                            "application_rejected_has_reason",
                            Expr::col("status")
                                .eq("REJECTED")
                                .eq(Expr::col("rejection_reason").is_not_null()),
                        ))
                        .foreign_key(&mut foreign_key(
                            "applications",
                            "candidate_id",
                            "candidates",
                            ForeignKeyAction::Restrict,
                        ))
                        .foreign_key(&mut foreign_key(
                            "applications",
                            "posting_id",
                            "postings",
                            ForeignKeyAction::Restrict,
                        ))
                        .foreign_key(&mut foreign_key(
                            "applications",
                            "current_stage_id",
                            "interview_stages",
                            ForeignKeyAction::Restrict,
                        ))
                        .foreign_key(&mut foreign_key(
                            "applications",
                            "team_id",
                            "teams",
                            ForeignKeyAction::Restrict,
                        )),
                )
                .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("stage_transitions")
                    .col(id())
                    .col(reference("application_id"))
                    .col(reference_null("from_stage_id"))
                    .col(reference("to_stage_id"))
                    .col(enumeration_null("from_status", APPLICATION_STATUSES))
                    .col(enumeration("to_status", APPLICATION_STATUSES))
                    .col(reference_null("actor_id"))
                    .col(schema::text_null("reason"))
                    .col(timestamp("occurred_at"))
                    .foreign_key(&mut foreign_key(
                        "stage_transitions",
                        "application_id",
                        "applications",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "stage_transitions",
                        "from_stage_id",
                        "interview_stages",
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "stage_transitions",
                        "to_stage_id",
                        "interview_stages",
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        "stage_transitions",
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
                unique("candidates", &["email_normalized"]),
                index("candidates", &["country_code"]),
                index("candidates", &["name", "id"]),
                index("candidates", &["created_at", "id"]),
                index("candidates", &["updated_at", "id"]),
                unique("applications", &["candidate_id", "posting_id"]),
                index("applications", &["posting_id", "applied_at", "id"]),
                index("applications", &["posting_id", "updated_at", "id"]),
                index("applications", &["candidate_id", "applied_at", "id"]),
                index("applications", &["current_stage_id"]),
                index("applications", &["team_id"]),
                index("applications", &["status"]),
                index("applications", &["applied_at", "id"]),
                index("applications", &["updated_at", "id"]),
                index(
                    "stage_transitions",
                    &["application_id", "occurred_at", "id"],
                ),
                index("stage_transitions", &["from_stage_id"]),
                index("stage_transitions", &["to_stage_id"]),
                index("stage_transitions", &["actor_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &["stage_transitions", "applications", "candidates"],
        )
        .await
    }
}

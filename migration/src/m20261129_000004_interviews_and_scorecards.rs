//! Interviews (meetings and asynchronous assignments of a stage), who takes
//! part in them, and the scorecards interviewers submit.
//!
//! - An interview always has `starts_at` (when the meeting starts, or when an
//!   asynchronous assignment was handed out), so schedules sort on one column;
//!   `ends_at` is set for meetings, `due_at` and the submission for assignments.
//! - `time_zone` is the zone the interview is shown in; times are stored in UTC.
//! - One scorecard per interviewer per interview; a rating is one of four levels.

use sea_orm_migration::{prelude::*, schema};

use crate::helpers::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const INTERVIEW_STATUSES: &[&str] = &["SCHEDULED", "COMPLETED", "CANCELLED", "NO_SHOW"];
pub const RECOMMENDATIONS: &[&str] = &["STRONG_NO", "NO", "YES", "STRONG_YES"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("interviews")
                        .col(id())
                        .col(reference("application_id"))
                        .col(reference("stage_id"))
                        .col(enumeration("status", INTERVIEW_STATUSES))
                        .col(timestamp("starts_at"))
                        .col(timestamp_null("ends_at"))
                        .col(schema::string_len("time_zone", 64))
                        .col(schema::string_len_null("meeting_url", 2000))
                        .col(timestamp_null("due_at"))
                        .col(timestamp_null("submitted_at"))
                        .col(schema::string_len_null("submission_url", 2000))
                        .check((
                            "interview_ends_after_start",
                            Expr::col("ends_at")
                                .is_null()
                                .or(Expr::col("ends_at").gt(Expr::col("starts_at"))),
                        ))
                        .foreign_key(&mut foreign_key(
                            "interviews",
                            "application_id",
                            "applications",
                            ForeignKeyAction::Cascade,
                        ))
                        .foreign_key(&mut foreign_key(
                            "interviews",
                            "stage_id",
                            "interview_stages",
                            ForeignKeyAction::Restrict,
                        )),
                )
                .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("interview_interviewers")
                    .col(reference("interview_id"))
                    .col(reference("user_id"))
                    .primary_key(Index::create().col("interview_id").col("user_id"))
                    .foreign_key(&mut foreign_key(
                        "interview_interviewers",
                        "interview_id",
                        "interviews",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "interview_interviewers",
                        "user_id",
                        "users",
                        ForeignKeyAction::Restrict,
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("scorecards")
                        .col(id())
                        .col(reference("interview_id"))
                        .col(reference("interviewer_id"))
                        .col(enumeration_null("recommendation", RECOMMENDATIONS))
                        .col(schema::text_null("notes"))
                        .col(timestamp_null("submitted_at"))
                        .check((
                            "scorecard_submitted_has_recommendation",
                            Expr::col("submitted_at")
                                .is_null()
                                .or(Expr::col("recommendation").is_not_null()),
                        ))
                        .foreign_key(&mut foreign_key(
                            "scorecards",
                            "interview_id",
                            "interviews",
                            ForeignKeyAction::Cascade,
                        ))
                        .foreign_key(&mut foreign_key(
                            "scorecards",
                            "interviewer_id",
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
                    .table("scorecard_ratings")
                    .col(reference("scorecard_id"))
                    .col(reference("skill_id"))
                    .col(
                        schema::integer("rating")
                            .check(Expr::col("rating").between(1, 4))
                            .take(),
                    )
                    .col(schema::text_null("note"))
                    .primary_key(Index::create().col("scorecard_id").col("skill_id"))
                    .foreign_key(&mut foreign_key(
                        "scorecard_ratings",
                        "scorecard_id",
                        "scorecards",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "scorecard_ratings",
                        "skill_id",
                        "skills",
                        ForeignKeyAction::Restrict,
                    ))
                    .take(),
            )
            .await?;

        create_indexes(
            manager,
            vec![
                index("interviews", &["application_id", "starts_at", "id"]),
                index("interviews", &["stage_id"]),
                index("interviews", &["starts_at", "id"]),
                index("interviews", &["status"]),
                index("interview_interviewers", &["user_id", "interview_id"]),
                unique("scorecards", &["interview_id", "interviewer_id"]),
                index("scorecards", &["interviewer_id"]),
                index("scorecard_ratings", &["skill_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "scorecard_ratings",
                "scorecards",
                "interview_interviewers",
                "interviews",
            ],
        )
        .await
    }
}

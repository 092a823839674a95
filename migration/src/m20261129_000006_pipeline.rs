//! What running the pipeline needs beyond the foundation: the questions a
//! posting asks applicants and their answers, the skills each interview stage
//! assesses, and why an interview was cancelled.
//!
//! - Questions are ordered per posting; an answer belongs to one application
//!   and one question, once.
//! - A stage that lists no skills assesses all of its posting's skills.

use sea_orm_migration::{prelude::*, schema};

use crate::helpers::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("posting_questions")
                    .col(id())
                    .col(reference("posting_id"))
                    .col(schema::integer("position"))
                    .col(schema::string_len("prompt", 500))
                    .col(schema::boolean("required").default(false))
                    .foreign_key(&mut foreign_key(
                        "posting_questions",
                        "posting_id",
                        "postings",
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("application_answers")
                    .col(reference("application_id"))
                    .col(reference("question_id"))
                    .col(schema::text("answer"))
                    .primary_key(Index::create().col("application_id").col("question_id"))
                    .foreign_key(&mut foreign_key(
                        "application_answers",
                        "application_id",
                        "applications",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "application_answers",
                        "question_id",
                        "posting_questions",
                        ForeignKeyAction::Restrict,
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("interview_stage_skills")
                    .col(reference("stage_id"))
                    .col(reference("skill_id"))
                    .primary_key(Index::create().col("stage_id").col("skill_id"))
                    .foreign_key(&mut foreign_key(
                        "interview_stage_skills",
                        "stage_id",
                        "interview_stages",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        "interview_stage_skills",
                        "skill_id",
                        "skills",
                        ForeignKeyAction::Restrict,
                    ))
                    .take(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table("interviews")
                    .add_column(schema::text_null("cancel_reason"))
                    .take(),
            )
            .await?;

        create_indexes(
            manager,
            vec![
                unique("posting_questions", &["posting_id", "position"]),
                index("application_answers", &["question_id"]),
                index("interview_stage_skills", &["skill_id"]),
                index("interviews", &["status", "due_at"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_interviews_status_due_at")
                    .table("interviews")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("interviews")
                    .drop_column("cancel_reason")
                    .take(),
            )
            .await?;
        drop_tables(
            manager,
            &[
                "interview_stage_skills",
                "application_answers",
                "posting_questions",
            ],
        )
        .await
    }
}

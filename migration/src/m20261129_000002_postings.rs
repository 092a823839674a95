//! Job postings and everything a posting is made of: description sections,
//! ordered responsibilities, skills (must have / nice to have), the regions it is
//! open to, the teams it may fill, the levels it may hire at, and its interview
//! plan (ordered stages).
//!
//! - `slug` is unique: it is the careers-site address of a posting.
//! - Ordered children carry a `position` unique within their posting, so the order
//!   is data, not insertion order.
//! - `start_date` is null when the posting starts "as soon as possible".
//! - Link tables have composite primary keys (no duplicate links) and an index on
//!   the second column for the reverse lookup ("postings open in this region").

use sea_orm_migration::{prelude::*, schema};

use crate::helpers::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const POSTING_STATUSES: &[&str] = &["DRAFT", "OPEN", "PAUSED", "CLOSED"];
pub const EMPLOYMENT_TYPES: &[&str] = &[
    "FULL_TIME",
    "PART_TIME",
    "CONTRACT",
    "INTERNSHIP",
    "TEMPORARY",
];
pub const WORKPLACE_TYPES: &[&str] = &["REMOTE", "HYBRID", "ON_SITE"];
pub const CLOSE_REASONS: &[&str] = &["FILLED", "CANCELLED"];
pub const SKILL_REQUIREMENTS: &[&str] = &["MUST_HAVE", "NICE_TO_HAVE"];
pub const STAGE_KINDS: &[&str] = &[
    "APPLICATION_REVIEW",
    "RECRUITER_SCREEN",
    "INTERVIEW",
    "TAKE_HOME_EXERCISE",
    "EXERCISE_REVIEW",
    "REFERENCE_CHECK",
    "EMPLOYMENT_VERIFICATION",
    "OFFER",
];
pub const STAGE_MODES: &[&str] = &["SYNC", "ASYNC"];

/// A link table `table(left, right)` with a composite primary key and cascading
/// delete from the posting side.
fn link_table(
    table: &'static str,
    right: &'static str,
    right_table: &'static str,
) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(reference("posting_id"))
        .col(reference(right))
        .primary_key(Index::create().col("posting_id").col(right))
        .foreign_key(&mut foreign_key(
            table,
            "posting_id",
            "postings",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut foreign_key(
            table,
            right,
            right_table,
            ForeignKeyAction::Restrict,
        ))
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("postings")
                        .col(id())
                        .col(schema::string_len("slug", 200))
                        .col(schema::string_len("title", 200))
                        .col(reference_null("job_family_id"))
                        .col(enumeration("status", POSTING_STATUSES))
                        .col(enumeration("employment_type", EMPLOYMENT_TYPES))
                        .col(enumeration("workplace_type", WORKPLACE_TYPES))
                        .col(schema::date_null("start_date"))
                        .col(schema::integer("openings").check(Expr::col("openings").gte(1)))
                        .col(reference_null("hiring_manager_id"))
                        .col(reference_null("recruiter_id"))
                        .col(timestamp_null("published_at"))
                        .col(timestamp_null("closed_at"))
                        .col(enumeration_null("close_reason", CLOSE_REASONS))
                        .foreign_key(&mut foreign_key(
                            "postings",
                            "job_family_id",
                            "job_families",
                            ForeignKeyAction::Restrict,
                        ))
                        .foreign_key(&mut foreign_key(
                            "postings",
                            "hiring_manager_id",
                            "users",
                            ForeignKeyAction::Restrict,
                        ))
                        .foreign_key(&mut foreign_key(
                            "postings",
                            "recruiter_id",
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
                    .table("posting_sections")
                    .col(id())
                    .col(reference("posting_id"))
                    .col(schema::integer("position"))
                    .col(schema::string_len("heading", 200))
                    .col(schema::text("body"))
                    .foreign_key(&mut foreign_key(
                        "posting_sections",
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
                    .table("posting_responsibilities")
                    .col(id())
                    .col(reference("posting_id"))
                    .col(schema::integer("position"))
                    .col(schema::text("description"))
                    .foreign_key(&mut foreign_key(
                        "posting_responsibilities",
                        "posting_id",
                        "postings",
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                link_table("posting_skills", "skill_id", "skills")
                    .col(enumeration("requirement", SKILL_REQUIREMENTS))
                    .col(schema::integer("position"))
                    .take(),
            )
            .await?;
        manager
            .create_table(link_table("posting_regions", "region_id", "regions"))
            .await?;
        manager
            .create_table(link_table("posting_teams", "team_id", "teams"))
            .await?;
        manager
            .create_table(link_table("posting_levels", "level_id", "levels"))
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("interview_stages")
                        .col(id())
                        .col(reference("posting_id"))
                        .col(schema::integer("position"))
                        .col(schema::string_len("name", 200))
                        .col(enumeration("kind", STAGE_KINDS))
                        .col(enumeration("mode", STAGE_MODES))
                        .col(
                            schema::integer_null("duration_minutes")
                                .check(Expr::col("duration_minutes").gt(0))
                                .take(),
                        )
                        .col(
                            schema::integer_null("sla_hours")
                                .check(Expr::col("sla_hours").gt(0))
                                .take(),
                        )
                        .foreign_key(&mut foreign_key(
                            "interview_stages",
                            "posting_id",
                            "postings",
                            ForeignKeyAction::Cascade,
                        )),
                )
                .take(),
            )
            .await?;

        create_indexes(
            manager,
            vec![
                unique("postings", &["slug"]),
                index("postings", &["status"]),
                index("postings", &["job_family_id"]),
                index("postings", &["hiring_manager_id"]),
                index("postings", &["recruiter_id"]),
                index("postings", &["created_at", "id"]),
                index("postings", &["updated_at", "id"]),
                index("postings", &["title", "id"]),
                unique("posting_sections", &["posting_id", "position"]),
                unique("posting_responsibilities", &["posting_id", "position"]),
                index("posting_skills", &["skill_id"]),
                index("posting_regions", &["region_id"]),
                index("posting_teams", &["team_id"]),
                index("posting_levels", &["level_id"]),
                unique("interview_stages", &["posting_id", "position"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "interview_stages",
                "posting_levels",
                "posting_teams",
                "posting_regions",
                "posting_skills",
                "posting_responsibilities",
                "posting_sections",
                "postings",
            ],
        )
        .await
    }
}

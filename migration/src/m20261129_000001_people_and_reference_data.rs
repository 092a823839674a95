//! Staff users and the reference data postings and compensation are built from:
//! teams, regions (named sets of countries), skills, job families, levels, geo
//! zones and compensation bands.
//!
//! - `users.email`, `skills.name_key` and the other natural keys are unique and
//!   stored normalised (lower case), so uniqueness holds regardless of spelling.
//! - A country belongs to at most one geo zone (`uq_geo_zone_countries_country_code`)
//!   so "which zone pays someone in Kenya" has one answer; at most one zone is the
//!   fallback for every country not listed (a partial unique index, which SQLite
//!   and Postgres both support).
//! - A band's amounts are integer minor units and `min <= max` is a `CHECK`.

use sea_orm_migration::{prelude::*, schema};

use crate::helpers::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const ROLES: &[&str] = &["ADMIN", "RECRUITER", "HIRING_MANAGER", "INTERVIEWER"];
pub const TRACKS: &[&str] = &["INDIVIDUAL_CONTRIBUTOR", "MANAGER"];
pub const PAY_INTERVALS: &[&str] = &["YEAR", "HOUR"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("users")
                        .col(id())
                        .col(schema::string_len("email", 320))
                        .col(schema::string_len("name", 200))
                        .col(enumeration("role", ROLES))
                        .col(schema::string_len("time_zone", 64))
                        .col(schema::boolean("active").default(true)),
                )
                .take(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("teams")
                        .col(id())
                        .col(schema::string_len("name", 200))
                        .col(schema::string_len("department", 200))
                        .col(schema::string_len_null("vertical", 200)),
                )
                .take(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("regions")
                        .col(id())
                        .col(schema::string_len("name", 200))
                        .col(schema::string_len("slug", 200))
                        .col(schema::boolean("everywhere").default(false)),
                )
                .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("region_countries")
                    .col(reference("region_id"))
                    .col(country_code("country_code"))
                    .primary_key(Index::create().col("region_id").col("country_code"))
                    .foreign_key(&mut foreign_key(
                        "region_countries",
                        "region_id",
                        "regions",
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("skills")
                        .col(id())
                        .col(schema::string_len("name", 100))
                        .col(schema::string_len("name_key", 100)),
                )
                .take(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("job_families")
                        .col(id())
                        .col(schema::string_len("name", 200)),
                )
                .take(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("levels")
                        .col(id())
                        .col(schema::string_len("code", 16))
                        .col(schema::string_len("name", 100))
                        .col(enumeration("track", TRACKS))
                        .col(schema::integer("rank").check(Expr::col("rank").gte(0))),
                )
                .take(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("geo_zones")
                        .col(id())
                        .col(schema::string_len("name", 200))
                        .col(schema::boolean("is_fallback").default(false)),
                )
                .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("geo_zone_countries")
                    .col(reference("geo_zone_id"))
                    .col(country_code("country_code"))
                    .primary_key(Index::create().col("geo_zone_id").col("country_code"))
                    .foreign_key(&mut foreign_key(
                        "geo_zone_countries",
                        "geo_zone_id",
                        "geo_zones",
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("compensation_bands")
                        .col(id())
                        .col(reference("job_family_id"))
                        .col(reference("level_id"))
                        .col(reference("geo_zone_id"))
                        .col(currency_code("currency"))
                        .col(enumeration("pay_interval", PAY_INTERVALS))
                        .col(schema::big_integer("min_minor").check(Expr::col("min_minor").gte(0)))
                        .col(schema::big_integer("max_minor"))
                        .col(schema::date("effective_from"))
                        .col(schema::date_null("effective_to"))
                        .check((
                            "band_min_not_above_max",
                            Expr::col("min_minor").lte(Expr::col("max_minor")),
                        ))
                        .check((
                            "band_period_not_empty",
                            Expr::col("effective_to")
                                .is_null()
                                .or(Expr::col("effective_to").gt(Expr::col("effective_from"))),
                        ))
                        .foreign_key(&mut foreign_key(
                            "compensation_bands",
                            "job_family_id",
                            "job_families",
                            ForeignKeyAction::Restrict,
                        ))
                        .foreign_key(&mut foreign_key(
                            "compensation_bands",
                            "level_id",
                            "levels",
                            ForeignKeyAction::Restrict,
                        ))
                        .foreign_key(&mut foreign_key(
                            "compensation_bands",
                            "geo_zone_id",
                            "geo_zones",
                            ForeignKeyAction::Restrict,
                        )),
                )
                .take(),
            )
            .await?;

        create_indexes(
            manager,
            vec![
                unique("users", &["email"]),
                index("users", &["name", "id"]),
                index("users", &["created_at", "id"]),
                unique("teams", &["name"]),
                index("teams", &["created_at", "id"]),
                unique("regions", &["name"]),
                unique("regions", &["slug"]),
                index("regions", &["created_at", "id"]),
                index("region_countries", &["country_code"]),
                unique("skills", &["name_key"]),
                index("skills", &["name", "id"]),
                index("skills", &["created_at", "id"]),
                unique("job_families", &["name"]),
                unique("levels", &["code"]),
                unique("levels", &["track", "rank"]),
                index("levels", &["rank", "id"]),
                unique("geo_zones", &["name"]),
                unique("geo_zones", &["is_fallback"])
                    .and_where(Expr::col("is_fallback").eq(true))
                    .name("uq_geo_zones_single_fallback")
                    .take(),
                unique("geo_zone_countries", &["country_code"]),
                unique(
                    "compensation_bands",
                    &[
                        "job_family_id",
                        "level_id",
                        "geo_zone_id",
                        "pay_interval",
                        "currency",
                        "effective_from",
                    ],
                ),
                index("compensation_bands", &["level_id"]),
                index("compensation_bands", &["geo_zone_id"]),
                index("compensation_bands", &["created_at", "id"]),
                index("compensation_bands", &["effective_from", "id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "compensation_bands",
                "geo_zone_countries",
                "geo_zones",
                "levels",
                "job_families",
                "skills",
                "region_countries",
                "regions",
                "teams",
                "users",
            ],
        )
        .await
    }
}

//! Band midpoints, band sets, and the salary range a posting was published with.
//!
//! - `compensation_bands.mid_minor`: the band's midpoint in minor units, which
//!   offers are measured against (compa-ratio). Existing bands get the middle
//!   of their minimum and maximum. The column is NOT NULL; SQLite cannot add a
//!   NOT NULL column without a default, so it keeps a default of 0 there that
//!   the application never relies on (every write sets the midpoint). On
//!   Postgres the default is dropped and `min <= mid <= max` is a `CHECK`.
//! - `band_sets`: a named group of bands prepared as a DRAFT and made LIVE
//!   together from one date. `compensation_bands.band_set_id` is nullable:
//!   bands without a set are live by their dates, as before. Postgres has the
//!   foreign key; SQLite cannot drop a column a foreign key uses, so there it
//!   is a plain indexed column and the application keeps it consistent.
//! - The band key's unique start date now holds for bands outside sets; a set
//!   holds at most one band per job family, level and zone.
//! - `postings.published_salary_*`: the range a posting showed when it was
//!   last published, resumed or republished.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::helpers::*;
use crate::m20261129_000001_people_and_reference_data::PAY_INTERVALS;

pub const BAND_SET_STATUSES: &[&str] = &["DRAFT", "LIVE"];

/// The unique start date of a band key, as 000001 created it.
const OLD_KEY_INDEX: &str =
    "uq_compensation_bands_job_family_id_level_id_geo_zone_id_pay_interval_currency_effective_from";
/// The same, for bands outside sets only.
const KEY_INDEX: &str = "uq_compensation_bands_unset_key_start";
/// One band per job family, level and zone in a set.
const SET_KEY_INDEX: &str = "uq_compensation_bands_set_key";

const KEY_COLUMNS: [&str; 6] = [
    "job_family_id",
    "level_id",
    "geo_zone_id",
    "pay_interval",
    "currency",
    "effective_from",
];

const POSTING_COLUMNS: [&str; 5] = [
    "published_salary_currency",
    "published_salary_interval",
    "published_salary_min_minor",
    "published_salary_max_minor",
    "published_salary_at",
];

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn add_column(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(column).take())
        .await
}

async fn drop_column(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: &'static str,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).take())
        .await
}

async fn drop_index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    name: &'static str,
) -> Result<(), DbErr> {
    manager
        .drop_index(Index::drop().name(name).table(table).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let postgres = manager.get_database_backend() == DatabaseBackend::Postgres;
        let db = manager.get_connection();

        // Midpoints.
        add_column(
            manager,
            "compensation_bands",
            schema::big_integer("mid_minor").default(0).take(),
        )
        .await?;
        db.execute_unprepared(
            "UPDATE compensation_bands SET mid_minor = (min_minor + max_minor) / 2",
        )
        .await?;
        if postgres {
            db.execute_unprepared(
                "ALTER TABLE compensation_bands ALTER COLUMN mid_minor DROP DEFAULT",
            )
            .await?;
            db.execute_unprepared(
                "ALTER TABLE compensation_bands ADD CONSTRAINT band_mid_within \
                 CHECK (min_minor <= mid_minor AND mid_minor <= max_minor)",
            )
            .await?;
        }

        // Band sets.
        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("band_sets")
                        .col(id())
                        .col(schema::string_len("name", 200))
                        .col(enumeration("status", BAND_SET_STATUSES))
                        .col(schema::date_null("effective_from"))
                        .check((
                            "band_set_live_has_date",
                            Expr::col("status")
                                .eq("DRAFT")
                                .or(Expr::col("effective_from").is_not_null()),
                        )),
                )
                .take(),
            )
            .await?;
        if postgres {
            db.execute_unprepared(
                "ALTER TABLE compensation_bands ADD COLUMN band_set_id BIGINT NULL \
                 REFERENCES band_sets (id) ON DELETE RESTRICT",
            )
            .await?;
        } else {
            add_column(manager, "compensation_bands", reference_null("band_set_id")).await?;
        }
        drop_index(manager, "compensation_bands", OLD_KEY_INDEX).await?;
        let mut key = unique("compensation_bands", &KEY_COLUMNS);
        key.name(KEY_INDEX)
            .and_where(Expr::col("band_set_id").is_null());
        let mut set_key = unique(
            "compensation_bands",
            &["band_set_id", "job_family_id", "level_id", "geo_zone_id"],
        );
        set_key.name(SET_KEY_INDEX);
        create_indexes(
            manager,
            vec![
                key,
                set_key,
                unique("band_sets", &["name"]),
                index("band_sets", &["created_at", "id"]),
            ],
        )
        .await?;

        // What a posting was published with.
        add_column(
            manager,
            "postings",
            currency_code("published_salary_currency").null().take(),
        )
        .await?;
        add_column(
            manager,
            "postings",
            enumeration_null("published_salary_interval", PAY_INTERVALS),
        )
        .await?;
        add_column(
            manager,
            "postings",
            schema::big_integer_null("published_salary_min_minor"),
        )
        .await?;
        add_column(
            manager,
            "postings",
            schema::big_integer_null("published_salary_max_minor"),
        )
        .await?;
        add_column(manager, "postings", timestamp_null("published_salary_at")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let postgres = manager.get_database_backend() == DatabaseBackend::Postgres;
        for column in POSTING_COLUMNS.iter().rev() {
            drop_column(manager, "postings", column).await?;
        }
        drop_index(manager, "band_sets", "idx_band_sets_created_at_id").await?;
        drop_index(manager, "band_sets", "uq_band_sets_name").await?;
        drop_index(manager, "compensation_bands", SET_KEY_INDEX).await?;
        drop_index(manager, "compensation_bands", KEY_INDEX).await?;
        manager
            .create_index(unique("compensation_bands", &KEY_COLUMNS))
            .await?;
        drop_column(manager, "compensation_bands", "band_set_id").await?;
        manager
            .drop_table(Table::drop().table("band_sets").to_owned())
            .await?;
        if postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE compensation_bands DROP CONSTRAINT band_mid_within",
                )
                .await?;
        }
        drop_column(manager, "compensation_bands", "mid_minor").await
    }
}

//! Exchange rates and pay floors.
//!
//! - An exchange rate set is a dated, named list of rates against one base
//!   currency, never changed once made: any figure converted from one
//!   currency to another names the set it used, so it can be recomputed
//!   exactly. Rates are exact decimal strings (units of the currency per one
//!   unit of the base).
//! - A pay floor is the lowest pay allowed in a country for an interval: a
//!   statutory minimum wage or the company's own floor, over a period.
//! - An offer in a currency other than its band's keeps the rate set its
//!   band check used.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

use crate::helpers::*;

pub const FLOOR_KINDS: &[&str] = &["STATUTORY", "COMPANY"];
use crate::m20261129_000001_people_and_reference_data::PAY_INTERVALS;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("exchange_rate_sets")
                    .col(id())
                    .col(schema::string_len("name", 200))
                    .col(currency_code("base_currency"))
                    .col(schema::date("effective_on"))
                    .col(schema::text("source"))
                    .col(reference_null("created_by_id"))
                    .col(timestamp("created_at"))
                    .foreign_key(&mut foreign_key(
                        "exchange_rate_sets",
                        "created_by_id",
                        "users",
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("exchange_rates")
                    .col(id())
                    .col(reference("rate_set_id"))
                    .col(currency_code("currency"))
                    .col(schema::string_len("rate", 40))
                    .foreign_key(&mut foreign_key(
                        "exchange_rates",
                        "rate_set_id",
                        "exchange_rate_sets",
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table("pay_floors")
                        .col(id())
                        .col(country_code("country_code"))
                        .col(enumeration("kind", FLOOR_KINDS))
                        .col(currency_code("currency"))
                        .col(enumeration("pay_interval", PAY_INTERVALS))
                        .col(
                            schema::big_integer("amount_minor")
                                .check(Expr::col("amount_minor").gt(0)),
                        )
                        .col(schema::date("effective_from"))
                        .col(schema::date_null("effective_to"))
                        .col(schema::text("source"))
                        .check((
                            "pay_floor_period_not_empty",
                            Expr::col("effective_to")
                                .is_null()
                                .or(Expr::col("effective_to").gt(Expr::col("effective_from"))),
                        )),
                )
                .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("offers")
                    .add_column(reference_null("exchange_rate_set_id"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                unique("exchange_rate_sets", &["name"]),
                index("exchange_rate_sets", &["effective_on", "id"]),
                unique("exchange_rates", &["rate_set_id", "currency"]),
                unique(
                    "pay_floors",
                    &["country_code", "kind", "pay_interval", "effective_from"],
                ),
                index("offers", &["exchange_rate_set_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_offers_exchange_rate_set_id")
                    .table("offers")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("offers")
                    .drop_column("exchange_rate_set_id")
                    .take(),
            )
            .await?;
        drop_tables(
            manager,
            &["pay_floors", "exchange_rates", "exchange_rate_sets"],
        )
        .await
    }
}

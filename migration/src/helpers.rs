//! Small builders shared by the migrations, so every table spells ids,
//! timestamps, enums and foreign keys the same way.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

/// `id`: a 64-bit auto-incrementing primary key.
pub fn id() -> ColumnDef {
    schema::big_pk_auto("id")
}

/// A non-null 64-bit reference to another table's `id`.
pub fn reference(column: &'static str) -> ColumnDef {
    schema::big_integer(column)
}

/// A nullable 64-bit reference to another table's `id`.
pub fn reference_null(column: &'static str) -> ColumnDef {
    schema::big_integer_null(column)
}

/// A non-null UTC timestamp.
pub fn timestamp(column: &'static str) -> ColumnDef {
    schema::timestamp_with_time_zone(column)
}

/// A nullable UTC timestamp.
pub fn timestamp_null(column: &'static str) -> ColumnDef {
    schema::timestamp_with_time_zone_null(column)
}

/// `created_at` and `updated_at`, set by the application.
pub fn timestamps(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(timestamp("created_at"))
        .col(timestamp("updated_at"))
}

/// A string enum column whose value must be one of `values`.
pub fn enumeration(column: &'static str, values: &[&'static str]) -> ColumnDef {
    schema::string_len(column, 32)
        .check(Expr::col(column).is_in(values.iter().copied()))
        .take()
}

/// A nullable string enum column whose value, when present, must be one of `values`.
pub fn enumeration_null(column: &'static str, values: &[&'static str]) -> ColumnDef {
    schema::string_len_null(column, 32)
        .check(Expr::col(column).is_in(values.iter().copied()))
        .take()
}

/// An ISO 3166-1 alpha-2 country code column.
pub fn country_code(column: &'static str) -> ColumnDef {
    schema::string_len(column, 2)
        .check(Expr::cust(format!("length({column}) = 2")))
        .take()
}

/// A nullable ISO 3166-1 alpha-2 country code column.
pub fn country_code_null(column: &'static str) -> ColumnDef {
    schema::string_len_null(column, 2)
        .check(Expr::cust(format!("length({column}) = 2")))
        .take()
}

/// An ISO 4217 currency code column.
pub fn currency_code(column: &'static str) -> ColumnDef {
    schema::string_len(column, 3)
        .check(Expr::cust(format!("length({column}) = 3")))
        .take()
}

/// A foreign key `table.column -> target.id`.
pub fn foreign_key(
    table: &'static str,
    column: &'static str,
    target: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::NoAction)
        .take()
}

/// A plain index over `columns`, named after the table and columns.
pub fn index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(format!("idx_{table}_{}", columns.join("_")))
        .table(table);
    for column in columns {
        index.col(*column);
    }
    index.take()
}

/// A unique index over `columns`.
pub fn unique(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(format!("uq_{table}_{}", columns.join("_")))
        .table(table)
        .unique();
    for column in columns {
        index.col(*column);
    }
    index.take()
}

/// Creates `indexes` one after the other.
pub async fn create_indexes(
    manager: &SchemaManager<'_>,
    indexes: Vec<IndexCreateStatement>,
) -> Result<(), DbErr> {
    for index in indexes {
        manager.create_index(index).await?;
    }
    Ok(())
}

/// Drops `tables` in the given order (children before parents).
pub async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: &[&'static str],
) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(*table).to_owned())
            .await?;
    }
    Ok(())
}

//! Pieces every write shares: the transaction-scoped checks that a referenced
//! row exists, and turning a lost uniqueness race into a `TAKEN` user error.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, PaginatorTrait, QueryFilter};

use crate::db::page::Keyed;
use crate::error::{Failure, UserError, UserErrorCode, unique_violation};

/// The current time, truncated to microseconds so it round-trips through
/// either database unchanged.
pub fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}

/// True when row `id` of `E` exists.
pub async fn exists<E: Keyed>(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr>
where
    E::Model: Sync,
{
    Ok(E::find().filter(E::id_column().eq(id)).count(db).await? > 0)
}

/// A `NOT_FOUND` user error unless row `id` of `E` exists.
pub async fn must_exist<E: Keyed>(
    db: &impl ConnectionTrait,
    id: i64,
    field: &[&str],
    what: &str,
) -> Result<(), Failure>
where
    E::Model: Sync,
{
    if exists::<E>(db, id).await? {
        Ok(())
    } else {
        Err(UserError::new(
            field,
            UserErrorCode::NotFound,
            format!("no {what} has this ID"),
        )
        .into())
    }
}

/// Maps a unique-constraint violation to a `TAKEN` user error at `field`;
/// anything else stays an internal error.
pub fn taken(err: DbErr, field: &[&str], message: &str) -> Failure {
    if unique_violation(&err).is_some() {
        UserError::new(field, UserErrorCode::Taken, message).into()
    } else {
        err.into()
    }
}

/// A `TAKEN` user error unless no other row (than `except`) of `E` has
/// `column = value`.
pub async fn must_be_free<E: Keyed, C: ColumnTrait>(
    db: &impl ConnectionTrait,
    column: C,
    value: &str,
    except: Option<i64>,
    field: &[&str],
    message: &str,
) -> Result<(), Failure>
where
    E::Model: Sync,
{
    let mut query = E::find().filter(column.eq(value));
    if let Some(id) = except {
        query = query.filter(E::id_column().ne(id));
    }
    if query.count(db).await? > 0 {
        Err(UserError::new(field, UserErrorCode::Taken, message).into())
    } else {
        Ok(())
    }
}

/// The row an update changes (`id` given), or `None` for a creation; a
/// `NOT_FOUND` user error at `["id"]` when `id` names no row.
pub async fn existing<E: Keyed>(
    db: &impl ConnectionTrait,
    id: Option<i64>,
    what: &str,
) -> Result<Option<E::Model>, Failure>
where
    E::Model: Sync,
{
    match id {
        None => Ok(None),
        Some(id) => match E::find().filter(E::id_column().eq(id)).one(db).await? {
            Some(row) => Ok(Some(row)),
            None => Err(missing(what)),
        },
    }
}

/// A `NOT_FOUND` user error at `["id"]` for an update of a missing row.
pub fn missing(what: &str) -> Failure {
    UserError::new(
        &["id"],
        UserErrorCode::NotFound,
        format!("no {what} has this ID"),
    )
    .into()
}

/// Checks a list of country codes: each known, none repeated. Returns them
/// upper-cased in the order given.
pub fn country_list(
    check: &mut crate::domain::validate::Check,
    field: &str,
    codes: &[String],
) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut result = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let index = i.to_string();
        if let Some(code) = check.country(&[field, &index], code) {
            if seen.insert(code.clone()) {
                result.push(code);
            } else {
                check.fail(
                    &[field, &index],
                    UserErrorCode::Duplicate,
                    format!("{code} is listed twice"),
                );
            }
        }
    }
    result
}

/// Inserts `model` (ignoring its id) when `creating`, otherwise writes all
/// of its columns over the row with its id. Returns the row as stored.
pub async fn persist<E>(
    db: &impl ConnectionTrait,
    model: E::Model,
    creating: bool,
) -> Result<E::Model, DbErr>
where
    E: Keyed,
    E::Model: sea_orm::IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: sea_orm::ActiveModelTrait<Entity = E> + sea_orm::ActiveModelBehavior + Send,
{
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    let mut active = model.into_active_model();
    if creating {
        active.not_set(E::id_column());
        active.insert(db).await
    } else {
        active.reset_all().update(db).await
    }
}

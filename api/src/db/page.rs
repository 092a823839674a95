//! Keyset pagination for any entity, at the top level and nested under many
//! parents at once.
//!
//! A page is read by position in a total order: the sort column, then the id
//! (which breaks ties). A cursor holds the sort value and id of a row, so the
//! next page starts right after it with `WHERE (sort, id) > (value, id)`
//! written out portably; an index on `(sort, id)` makes page 1,000 cost what
//! page 1 does. Pages nested under many parents (each posting's applications)
//! are read in one statement with `ROW_NUMBER() OVER (PARTITION BY parent ...)`,
//! so the number of statements does not grow with the number of parents.

use std::collections::HashMap;
use std::hash::Hash;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, Func, Order, Query, SelectStatement, WindowStatement,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IdenStatic, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Value,
};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: i32 = 100;

/// An entity whose rows have a 64-bit id.
pub trait Keyed: EntityTrait {
    /// The id column.
    fn id_column() -> Self::Column;
    /// The id of a row.
    fn id_of(model: &Self::Model) -> i64;
}

/// The value of a row's sort column, as stored in a cursor.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SortValue {
    /// An integer column.
    Int(i64),
    /// A text column.
    Text(String),
    /// A timestamp column.
    Time(DateTime<Utc>),
    /// A date column.
    Date(NaiveDate),
}

impl From<SortValue> for Value {
    fn from(value: SortValue) -> Self {
        match value {
            SortValue::Int(v) => v.into(),
            SortValue::Text(v) => v.into(),
            SortValue::Time(v) => v.into(),
            SortValue::Date(v) => v.into(),
        }
    }
}

/// A column a list can be sorted by, and how to read it from a row.
pub struct SortKey<E: EntityTrait> {
    /// The name written into cursors (e.g. `createdAt`).
    pub name: &'static str,
    /// The column; it must not be nullable.
    pub column: E::Column,
    /// Reads the column's value from a row.
    pub value: fn(&E::Model) -> SortValue,
}

/// A sort key and a direction.
pub struct Ordering<E: EntityTrait> {
    /// What to sort by.
    pub key: SortKey<E>,
    /// Largest first when true.
    pub descending: bool,
}

impl<E: EntityTrait> Ordering<E> {
    /// The tag cursors of this ordering carry, so a cursor taken under one
    /// ordering is refused under another.
    pub fn tag(&self) -> String {
        format!(
            "{}:{}",
            self.key.name,
            if self.descending { "desc" } else { "asc" }
        )
    }
}

/// A position in a list: the sort value and id of a row.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "o")]
    order: String,
    #[serde(rename = "v")]
    value: SortValue,
    #[serde(rename = "i")]
    id: i64,
}

impl Cursor {
    /// The opaque string clients see.
    pub fn encode(&self) -> String {
        // Serialising a struct of strings and numbers cannot fail.
        let json = serde_json::to_vec(self).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    /// Reads a cursor a client sent back as `argument`, checking it belongs to `ordering`.
    pub fn decode(text: &str, argument: &str, order_tag: &str) -> Result<Self, ApiError> {
        let invalid = || ApiError::bad_input(format!("`{argument}` is not a cursor of this list"));
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if cursor.order != order_tag {
            return Err(ApiError::bad_input(format!(
                "`{argument}` is a cursor from a list in another order; start again from the first page"
            )));
        }
        Ok(cursor)
    }
}

/// A validated request for one page.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageRequest {
    /// How many rows.
    pub size: u64,
    /// True for `last`/`before` (the page ends at the cursor).
    pub backward: bool,
    /// Rows strictly after this cursor.
    pub after: Option<Cursor>,
    /// Rows strictly before this cursor.
    pub before: Option<Cursor>,
}

impl PageRequest {
    /// Validates the Relay arguments: exactly one of `first` and `last`,
    /// between 1 and [`MAX_PAGE_SIZE`], and cursors of this ordering.
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_tag: &str,
    ) -> Result<Self, ApiError> {
        let (size, backward) = match (first, last) {
            (Some(n), None) => (check_size("first", n)?, false),
            (None, Some(n)) => (check_size("last", n)?, true),
            (None, None) => {
                return Err(ApiError::bad_input(format!(
                    "pass `first` or `last` to say how many items you want (1 to {MAX_PAGE_SIZE})"
                )));
            }
            (Some(_), Some(_)) => {
                return Err(ApiError::bad_input(
                    "pass either `first` or `last`, not both",
                ));
            }
        };
        let after = after
            .map(|c| Cursor::decode(&c, "after", order_tag))
            .transpose()?;
        let before = before
            .map(|c| Cursor::decode(&c, "before", order_tag))
            .transpose()?;
        Ok(PageRequest {
            size,
            backward,
            after,
            before,
        })
    }
}

fn check_size(argument: &str, n: i32) -> Result<u64, ApiError> {
    if (1..=MAX_PAGE_SIZE).contains(&n) {
        Ok(n as u64)
    } else {
        Err(ApiError::bad_input(format!(
            "`{argument}` must be between 1 and {MAX_PAGE_SIZE}, not {n}"
        )))
    }
}

/// One page of rows, each with its cursor.
#[derive(Clone, Debug)]
pub struct Page<M> {
    /// The rows in list order, with their cursors.
    pub rows: Vec<(String, M)>,
    /// There are rows before this page.
    pub has_previous: bool,
    /// There are rows after this page.
    pub has_next: bool,
}

impl<M> Page<M> {
    /// A page with no rows.
    pub fn empty() -> Self {
        Page {
            rows: Vec::new(),
            has_previous: false,
            has_next: false,
        }
    }
}

/// `sort >= value AND (sort > value OR (sort = value AND id > id))` for
/// ascending order; the mirror image for descending. `strictly_after` picks which side of the cursor.
fn beyond<E: Keyed>(ordering: &Ordering<E>, cursor: &Cursor, strictly_after: bool) -> Condition {
    let column = ordering.key.column;
    let id = E::id_column();
    let value: Value = cursor.value.clone().into();
    let greater = strictly_after != ordering.descending;
    let (from, sort_beyond, id_beyond) = if greater {
        (
            column.gte(value.clone()),
            column.gt(value.clone()),
            id.gt(cursor.id),
        )
    } else {
        (
            column.lte(value.clone()),
            column.lt(value.clone()),
            id.lt(cursor.id),
        )
    };
    // `sort >= value` is implied by the rest, and is there for the planner:
    // it is a range an index on `(…, sort, id)` starts reading at, where the
    // `OR` alone would only filter rows already read.
    Condition::all().add(from).add(
        Condition::any()
            .add(sort_beyond)
            .add(Condition::all().add(column.eq(value)).add(id_beyond)),
    )
}

/// The select with the cursor bounds of `request` applied.
fn bounded<E: Keyed>(
    select: Select<E>,
    ordering: &Ordering<E>,
    request: &PageRequest,
) -> Select<E> {
    let mut select = select;
    if let Some(after) = &request.after {
        select = select.filter(beyond(ordering, after, true));
    }
    if let Some(before) = &request.before {
        select = select.filter(beyond(ordering, before, false));
    }
    select
}

/// The direction rows are read in: the list order, reversed for `last`.
fn read_order<E: EntityTrait>(ordering: &Ordering<E>, request: &PageRequest) -> Order {
    if ordering.descending != request.backward {
        Order::Desc
    } else {
        Order::Asc
    }
}

/// Turns `size + 1` rows read in read order into a page in list order.
fn into_page<E: Keyed>(
    mut rows: Vec<E::Model>,
    ordering: &Ordering<E>,
    request: &PageRequest,
) -> Page<E::Model> {
    let size = request.size as usize;
    let more = rows.len() > size;
    rows.truncate(size);
    if request.backward {
        rows.reverse();
    }
    let tag = ordering.tag();
    let rows = rows
        .into_iter()
        .map(|row| {
            let cursor = Cursor {
                order: tag.clone(),
                value: (ordering.key.value)(&row),
                id: E::id_of(&row),
            };
            (cursor.encode(), row)
        })
        .collect();
    let (has_previous, has_next) = if request.backward {
        (more, request.before.is_some())
    } else {
        (request.after.is_some(), more)
    };
    Page {
        rows,
        has_previous,
        has_next,
    }
}

/// Reads one page of `select` (already filtered) in `ordering`.
pub async fn fetch<E: Keyed>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    ordering: &Ordering<E>,
    request: &PageRequest,
) -> Result<Page<E::Model>, DbErr> {
    let order = read_order(ordering, request);
    let rows = bounded(select, ordering, request)
        .order_by(ordering.key.column, order.clone())
        .order_by(E::id_column(), order)
        .limit(request.size + 1)
        .all(db)
        .await?;
    Ok(into_page(rows, ordering, request))
}

/// Reads one page per parent in one statement: the rows of `select` whose
/// `parent` column is in `parents`, numbered within each parent.
pub async fn fetch_grouped<E: Keyed>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    parent: E::Column,
    parent_of: impl Fn(&E::Model) -> i64,
    parents: &[i64],
    ordering: &Ordering<E>,
    request: &PageRequest,
) -> Result<HashMap<i64, Page<E::Model>>, DbErr> {
    const RANK: &str = "page_rank";
    const PAGE: &str = "page";
    let order = read_order(ordering, request);
    let mut window = WindowStatement::partition_by((E::default(), parent));
    window
        .order_by((E::default(), ordering.key.column), order.clone())
        .order_by((E::default(), E::id_column()), order);
    let mut inner: SelectStatement = bounded(select, ordering, request)
        .filter(parent.is_in(parents.iter().copied()))
        .into_query();
    inner.expr_window_as(Func::cust("ROW_NUMBER"), window, RANK);
    let outer = Query::select()
        .column(Asterisk)
        .from_subquery(inner, PAGE)
        .and_where(Expr::col((Alias::new(PAGE), Alias::new(RANK))).lte(request.size + 1))
        .order_by((Alias::new(PAGE), Alias::new(parent.as_str())), Order::Asc)
        .order_by((Alias::new(PAGE), Alias::new(RANK)), Order::Asc)
        .take();
    let statement = db.get_database_backend().build(&outer);
    let rows = E::find().from_raw_sql(statement).all(db).await?;
    let mut grouped: HashMap<i64, Vec<E::Model>> = HashMap::new();
    for row in rows {
        grouped.entry(parent_of(&row)).or_default().push(row);
    }
    Ok(parents
        .iter()
        .map(|id| {
            let rows = grouped.remove(id).unwrap_or_default();
            (*id, into_page(rows, ordering, request))
        })
        .collect())
}

/// How many rows `select` matches.
pub async fn count<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
) -> Result<u64, DbErr>
where
    E::Model: Sync,
{
    select.count(db).await
}

/// How many rows of `select` each parent has, in one statement.
pub async fn count_grouped<E: EntityTrait, K>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    parent: E::Column,
    parents: &[K],
) -> Result<HashMap<K, u64>, DbErr>
where
    K: Copy + Eq + Hash + Into<Value> + sea_orm::TryGetable,
{
    let rows: Vec<(K, i64)> = select
        .select_only()
        .column(parent)
        .column_as(
            Expr::from(Func::count(Expr::col((E::default(), parent)))),
            "row_count",
        )
        .filter(parent.is_in(parents.iter().copied()))
        .group_by(parent)
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: HashMap<K, u64> = parents.iter().map(|p| (*p, 0)).collect();
    for (key, n) in rows {
        counts.insert(key, u64::try_from(n).unwrap_or(0));
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_must_be_between_1_and_100() {
        assert!(PageRequest::new(Some(0), None, None, None, "x").is_err());
        assert!(PageRequest::new(Some(101), None, None, None, "x").is_err());
        assert!(PageRequest::new(None, None, Some(-1), None, "x").is_err());
        assert!(PageRequest::new(Some(100), None, None, None, "x").is_ok());
        assert!(PageRequest::new(None, None, Some(1), None, "x").is_ok());
    }

    #[test]
    fn page_size_is_required_and_unique() {
        assert!(PageRequest::new(None, None, None, None, "x").is_err());
        assert!(PageRequest::new(Some(5), None, Some(5), None, "x").is_err());
    }

    #[test]
    fn a_cursor_round_trips_and_is_refused_under_another_ordering() -> Result<(), ApiError> {
        let cursor = Cursor {
            order: "createdAt:desc".into(),
            value: SortValue::Text("Ada".into()),
            id: 42,
        };
        let text = cursor.encode();
        assert_eq!(Cursor::decode(&text, "after", "createdAt:desc")?, cursor);
        assert!(Cursor::decode(&text, "after", "title:asc").is_err());
        assert!(Cursor::decode("not a cursor", "after", "createdAt:desc").is_err());
        Ok(())
    }
}

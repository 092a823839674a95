//! Per-request DataLoaders. Every relation a resolver follows goes through
//! [`Loaders`], so sibling objects in a list share one statement per
//! relation: the number of statements grows with the depth of a query, never
//! with the number of rows.
//!
//! Loads are batched by idleness, not by time (see [`batch`]), so the count
//! is exact whatever the load on the machine.
//!
//! One loader type serves many key types; the key says what is loaded:
//! [`ById`] a row by id, [`ChildrenOf`] the rows under a parent, [`PageOf`]
//! and [`CountOf`] a nested connection's page and total.

mod band;
pub mod batch;
mod funnel;
mod keyed;
mod salary;
mod scorecards;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Select};

pub use band::LiveBand;
pub use batch::{Batched, Batcher};
pub use funnel::FunnelOf;
pub use keyed::HasParent;
pub use salary::{LiveBandsOf, PayReferenceOf, PostingFactsOf};
pub use scorecards::ScorecardsOf;

use crate::db::page::{self, Keyed, Ordering, Page, PageRequest};
use crate::error::ApiError;

/// Loads the values for a batch of keys of one type.
pub trait Load<K>: Send + Sync + 'static {
    /// What a key loads.
    type Value: Send + Sync + Clone + 'static;

    /// The values of `keys`; keys with no value are left out.
    fn load(
        &self,
        keys: &[K],
    ) -> impl Future<Output = Result<HashMap<K, Self::Value>, ApiError>> + Send;
}

/// The loader behind every relation of a request.
pub struct Loaders {
    db: DatabaseConnection,
}

impl Loaders {
    /// Loaders reading from `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Loaders { db }
    }
}

/// Key: the row of entity `E` with this id.
pub struct ById<E>(pub i64, PhantomData<fn() -> E>);

impl<E> ById<E> {
    /// The key of row `id`.
    pub fn new(id: i64) -> Self {
        ById(id, PhantomData)
    }
}

impl<E> Clone for ById<E> {
    fn clone(&self) -> Self {
        ById::new(self.0)
    }
}
impl<E> PartialEq for ById<E> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<E> Eq for ById<E> {}
impl<E> Hash for ById<E> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl<E> Load<ById<E>> for Loaders
where
    E: Keyed + 'static,
    E::Model: Send + Sync + Clone,
{
    type Value = E::Model;

    async fn load(&self, keys: &[ById<E>]) -> Result<HashMap<ById<E>, E::Model>, ApiError> {
        let rows = E::find()
            .filter(E::id_column().is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| (ById::new(E::id_of(&row)), row))
            .collect())
    }
}

/// Key: the rows of entity `E` under parent `id`, in their natural order.
pub struct ChildrenOf<E>(pub i64, PhantomData<fn() -> E>);

impl<E> ChildrenOf<E> {
    /// The key of the children of `parent`.
    pub fn new(parent: i64) -> Self {
        ChildrenOf(parent, PhantomData)
    }
}

impl<E> Clone for ChildrenOf<E> {
    fn clone(&self) -> Self {
        ChildrenOf::new(self.0)
    }
}
impl<E> PartialEq for ChildrenOf<E> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<E> Eq for ChildrenOf<E> {}
impl<E> Hash for ChildrenOf<E> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl<E> Load<ChildrenOf<E>> for Loaders
where
    E: HasParent + 'static,
    E::Model: Send + Sync + Clone,
{
    type Value = Vec<E::Model>;

    async fn load(
        &self,
        keys: &[ChildrenOf<E>],
    ) -> Result<HashMap<ChildrenOf<E>, Vec<E::Model>>, ApiError> {
        // Ordered by parent first: the rows come grouped as an index on
        // `(parent, …)` holds them, instead of all sorted together.
        let mut select = E::find()
            .filter(E::parent_column().is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(E::parent_column());
        for column in E::order() {
            select = select.order_by_asc(column);
        }
        let mut grouped: HashMap<ChildrenOf<E>, Vec<E::Model>> =
            keys.iter().map(|k| (k.clone(), Vec::new())).collect();
        for row in select.all(&self.db).await? {
            grouped
                .entry(ChildrenOf::new(E::parent_id(&row)))
                .or_default()
                .push(row);
        }
        Ok(grouped)
    }
}

/// What a nested connection lists under each parent: its filter, order and
/// page, the same for every parent in one batch.
pub trait NestedList: Clone + Eq + Hash + Send + Sync + 'static {
    /// The entity listed.
    type Entity: Keyed;
    /// The column holding the parent's id.
    fn parent_column(&self) -> <Self::Entity as EntityTrait>::Column;
    /// The parent of a row.
    fn parent_of(&self, row: &<Self::Entity as EntityTrait>::Model) -> i64;
    /// The rows, filtered (without the parent condition).
    fn select(&self) -> Select<Self::Entity>;
    /// The order of the list.
    fn ordering(&self) -> Ordering<Self::Entity>;
    /// Which page.
    fn page(&self) -> &PageRequest;
}

/// Key: one page of list `L` under parent `id`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PageOf<L>(pub i64, pub L);

/// Key: the total number of rows of list `L` under parent `id`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CountOf<L>(pub i64, pub L);

/// Groups keys that share a list, so each distinct list runs one statement.
fn by_list<L: NestedList>(keys: impl Iterator<Item = (i64, L)>) -> HashMap<L, Vec<i64>> {
    let mut lists: HashMap<L, Vec<i64>> = HashMap::new();
    for (parent, list) in keys {
        lists.entry(list).or_default().push(parent);
    }
    lists
}

impl<L> Load<PageOf<L>> for Loaders
where
    L: NestedList,
    <L::Entity as EntityTrait>::Model: Send + Sync + Clone,
{
    type Value = Page<<L::Entity as EntityTrait>::Model>;

    async fn load(&self, keys: &[PageOf<L>]) -> Result<HashMap<PageOf<L>, Self::Value>, ApiError> {
        let mut result = HashMap::new();
        for (list, parents) in by_list(keys.iter().map(|k| (k.0, k.1.clone()))) {
            let pages = page::fetch_grouped(
                &self.db,
                list.select(),
                list.parent_column(),
                |row| list.parent_of(row),
                &parents,
                &list.ordering(),
                list.page(),
            )
            .await?;
            for (parent, page) in pages {
                result.insert(PageOf(parent, list.clone()), page);
            }
        }
        Ok(result)
    }
}

impl<L> Load<CountOf<L>> for Loaders
where
    L: NestedList,
    <L::Entity as EntityTrait>::Model: Send + Sync,
{
    type Value = u64;

    async fn load(&self, keys: &[CountOf<L>]) -> Result<HashMap<CountOf<L>, u64>, ApiError> {
        let mut result = HashMap::new();
        for (list, parents) in by_list(keys.iter().map(|k| (k.0, k.1.clone()))) {
            let counts =
                page::count_grouped(&self.db, list.select(), list.parent_column(), &parents)
                    .await?;
            for (parent, n) in counts {
                result.insert(CountOf(parent, list.clone()), n);
            }
        }
        Ok(result)
    }
}

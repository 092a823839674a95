//! Relay cursor connections: `edges { cursor node }`, `nodes`, `pageInfo` and
//! `totalCount`, for every list that can grow.
//!
//! Pages are read by keyset (see `db::page`); `totalCount` is only counted
//! when a client asks for it, and nested connections count all their parents
//! in one statement.

use std::borrow::Cow;

use async_graphql::{Enum, Object, OutputType, SimpleObject, TypeName};
use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared};
use sea_orm::{DatabaseConnection, EntityTrait, Select};

use crate::context::RequestContext;
use crate::db::page::{self, Page};
use crate::error::{ApiError, ApiResult};
use crate::loaders::{CountOf, NestedList};

/// A page of a list, with the cursors to move through it.
pub struct Connection<N> {
    edges: Vec<Edge<N>>,
    page_info: PageInfo,
    total: TotalCount,
}

impl<N> Connection<N> {
    /// A connection over `page`, turning each row into a node with `node`.
    pub fn new<M>(page: Page<M>, node: impl Fn(M) -> N, total: TotalCount) -> Self {
        let page_info = PageInfo {
            has_previous_page: page.has_previous,
            has_next_page: page.has_next,
            start_cursor: page.rows.first().map(|(cursor, _)| cursor.clone()),
            end_cursor: page.rows.last().map(|(cursor, _)| cursor.clone()),
        };
        let edges = page
            .rows
            .into_iter()
            .map(|(cursor, row)| Edge {
                cursor,
                node: node(row),
            })
            .collect();
        Connection {
            edges,
            page_info,
            total,
        }
    }
}

impl<N: OutputType> TypeName for Connection<N> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Connection", N::type_name()).into()
    }
}

/// A page of results. Ask for `first` items (optionally `after` a cursor) to
/// page forwards, or `last` items (optionally `before` a cursor) to page
/// backwards; at most 100 per page.
#[Object(name_type)]
impl<N: OutputType> Connection<N> {
    /// The items of this page, each with its cursor.
    async fn edges(&self) -> &[Edge<N>] {
        &self.edges
    }

    /// The items of this page, without cursors.
    async fn nodes(&self) -> Vec<&N> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }

    /// Where this page is in the whole list.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }

    /// How many items the whole list has, across all pages.
    async fn total_count(&self) -> async_graphql::Result<u64> {
        Ok(self.total.0.clone().await?)
    }
}

/// One item of a page and its cursor.
pub struct Edge<N> {
    cursor: String,
    node: N,
}

impl<N: OutputType> TypeName for Edge<N> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Edge", N::type_name()).into()
    }
}

/// An item of a page and the cursor that points at it.
#[Object(name_type)]
impl<N: OutputType> Edge<N> {
    /// Pass this as `after` (or `before`) to get the items after (or before) this one.
    async fn cursor(&self) -> &str {
        &self.cursor
    }

    /// The item.
    async fn node(&self) -> &N {
        &self.node
    }
}

/// Where a page is in its list.
#[derive(SimpleObject, Clone, Debug)]
pub struct PageInfo {
    /// There are items before this page (when paging backwards with `last`).
    pub has_previous_page: bool,
    /// There are items after this page (when paging forwards with `first`).
    pub has_next_page: bool,
    /// The cursor of the first item of this page.
    pub start_cursor: Option<String>,
    /// The cursor of the last item of this page.
    pub end_cursor: Option<String>,
}

/// A list's total, counted only if a client asks for `totalCount`.
#[derive(Clone)]
pub struct TotalCount(Shared<BoxFuture<'static, ApiResult<u64>>>);

impl TotalCount {
    /// The number of rows `select` matches.
    pub fn of_query<E>(db: DatabaseConnection, select: Select<E>) -> Self
    where
        E: EntityTrait,
        E::Model: Sync,
    {
        TotalCount(
            async move { page::count(&db, select).await.map_err(ApiError::from) }
                .boxed()
                .shared(),
        )
    }

    /// The number of rows of nested list `list` under `parent`, counted with
    /// the other parents of the same list in one statement.
    pub fn of_nested<L>(rc: &RequestContext, parent: i64, list: L) -> Self
    where
        L: NestedList,
        <L::Entity as EntityTrait>::Model: Send + Sync,
    {
        let loader = rc.loader.clone();
        TotalCount(
            async move {
                loader
                    .load_one(CountOf(parent, list))
                    .await
                    .map(|n| n.unwrap_or(0))
            }
            .boxed()
            .shared(),
        )
    }

    /// A total known in advance.
    pub fn known(n: u64) -> Self {
        TotalCount(async move { Ok(n) }.boxed().shared())
    }
}

/// The direction of a list.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum OrderDirection {
    /// Smallest (or earliest, or A) first.
    #[default]
    Asc,
    /// Largest (or latest, or Z) first.
    Desc,
}

impl OrderDirection {
    /// True for `DESC`.
    pub fn is_descending(self) -> bool {
        self == OrderDirection::Desc
    }
}

/// The Relay paging arguments of a connection field.
#[derive(Clone, Debug, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl PageArgs {
    /// The validated page request for a list in `ordering`.
    pub fn request<E: EntityTrait>(
        self,
        ordering: &page::Ordering<E>,
    ) -> ApiResult<page::PageRequest> {
        page::PageRequest::new(
            self.first,
            self.after,
            self.last,
            self.before,
            &ordering.tag(),
        )
    }
}

/// A top-level connection over `select` (already filtered and authorized).
pub async fn list<E, N>(
    rc: &RequestContext,
    select: Select<E>,
    ordering: page::Ordering<E>,
    args: PageArgs,
    node: impl Fn(E::Model) -> N,
) -> ApiResult<Connection<N>>
where
    E: page::Keyed,
    E::Model: Sync,
{
    let request = args.request(&ordering)?;
    let page = page::fetch(&rc.db, select.clone(), &ordering, &request).await?;
    Ok(Connection::new(
        page,
        node,
        TotalCount::of_query(rc.db.clone(), select),
    ))
}

/// A connection nested under `parent`, read with the same list of every
/// sibling parent in one statement.
pub async fn nested<L, N>(
    rc: &RequestContext,
    parent: i64,
    list: L,
    node: impl Fn(<L::Entity as EntityTrait>::Model) -> N,
) -> ApiResult<Connection<N>>
where
    L: NestedList,
    <L::Entity as EntityTrait>::Model: Send + Sync + Clone,
{
    let page = rc
        .load(crate::loaders::PageOf(parent, list.clone()))
        .await?
        .unwrap_or_else(Page::empty);
    Ok(Connection::new(
        page,
        node,
        TotalCount::of_nested(rc, parent, list),
    ))
}

/// Declares an `orderBy` input for a list: an enum of the fields it can be
/// sorted by (each with its column and how to read it from a row), a
/// direction, and the default order.
macro_rules! order_input {
    (
        $(#[$doc:meta])* $input:ident, $(#[$fdoc:meta])* $field_enum:ident, $entity:path,
        default = ($default:ident, $direction:ident) {
            $($(#[$vdoc:meta])* $variant:ident => $name:literal, $column:expr, |$row:ident| $value:expr;)+
        }
    ) => {
        $(#[$fdoc])*
        #[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $field_enum {
            $($(#[$vdoc])* $variant,)+
        }

        $(#[$doc])*
        #[derive(async_graphql::InputObject, Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $input {
            /// What to sort by.
            pub field: $field_enum,
            /// Which way.
            #[graphql(default)]
            pub direction: $crate::schema::connection::OrderDirection,
        }

        impl Default for $input {
            fn default() -> Self {
                $input {
                    field: $field_enum::$default,
                    direction: $crate::schema::connection::OrderDirection::$direction,
                }
            }
        }

        impl $input {
            /// The ordering this input asks for.
            pub fn ordering(&self) -> $crate::db::page::Ordering<$entity> {
                #[allow(unused_imports)]
                use $crate::db::page::{SortKey, SortValue};
                let key = match self.field {
                    $($field_enum::$variant => SortKey {
                        name: $name,
                        column: $column,
                        value: {
                            fn read($row: &<$entity as sea_orm::EntityTrait>::Model) -> SortValue {
                                $value
                            }
                            read
                        },
                    },)+
                };
                $crate::db::page::Ordering { key, descending: self.direction.is_descending() }
            }
        }
    };
}

pub(crate) use order_input;

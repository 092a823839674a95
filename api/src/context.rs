//! What every resolver can reach for the request it serves: the database, the
//! viewer, the request's own loaders (fresh per request, so no cached row ever
//! crosses from one viewer to another) and the request id.

use std::sync::Arc;

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::loaders::{Batcher, Load, Loaders};

/// The per-request state resolvers work with.
pub struct RequestContext {
    /// The connection pool.
    pub db: DatabaseConnection,
    /// Who is asking.
    pub viewer: Viewer,
    /// This request's loads; shared by the request's resolvers only. The
    /// request's execution must run inside [`crate::loaders::Batched`].
    pub loader: Arc<Batcher<Loaders>>,
    /// Identifies the request in logs and in the audit log.
    pub request_id: String,
}

impl RequestContext {
    /// A context for one request.
    pub fn new(db: DatabaseConnection, viewer: Viewer, request_id: String) -> Self {
        RequestContext {
            loader: Arc::new(Batcher::new(Loaders::new(db.clone()))),
            db,
            viewer,
            request_id,
        }
    }

    /// The context of the request `ctx` belongs to.
    pub fn of<'a>(ctx: &Context<'a>) -> ApiResult<&'a RequestContext> {
        ctx.data::<RequestContext>()
            .map_err(|_| ApiError::Internal("the request has no context".into()))
    }

    /// Loads one value through this request's batcher.
    pub async fn load<K, V>(&self, key: K) -> ApiResult<Option<V>>
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        V: Send + Sync + Clone + 'static,
        Loaders: Load<K, Value = V>,
    {
        self.loader.load_one(key).await
    }

    /// Loads several values through this request's batcher, in one batch.
    pub async fn load_many<K, V, I>(&self, keys: I) -> ApiResult<std::collections::HashMap<K, V>>
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        V: Send + Sync + Clone + 'static,
        I: IntoIterator<Item = K>,
        Loaders: Load<K, Value = V>,
    {
        self.loader.load_many(keys).await
    }
}

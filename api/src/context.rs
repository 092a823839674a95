//! What every resolver can reach for the request it serves: the database, the
//! viewer, the request's own loaders (fresh per request, so no cached row ever
//! crosses from one viewer to another) and the request id.

use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::DatabaseConnection;

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::loaders::Loaders;

/// The per-request state resolvers work with.
pub struct RequestContext {
    /// The connection pool.
    pub db: DatabaseConnection,
    /// Who is asking.
    pub viewer: Viewer,
    /// This request's loaders; shared by the request's resolvers only.
    pub loader: Arc<DataLoader<Loaders, HashMapCache>>,
    /// Identifies the request in logs and in the audit log.
    pub request_id: String,
}

impl RequestContext {
    /// A context for one request.
    pub fn new(db: DatabaseConnection, viewer: Viewer, request_id: String) -> Self {
        let loader = DataLoader::with_cache(
            Loaders::new(db.clone()),
            tokio::spawn,
            HashMapCache::default(),
        );
        RequestContext {
            db,
            viewer,
            loader: Arc::new(loader),
            request_id,
        }
    }

    /// The context of the request `ctx` belongs to.
    pub fn of<'a>(ctx: &Context<'a>) -> ApiResult<&'a RequestContext> {
        ctx.data::<RequestContext>()
            .map_err(|_| ApiError::Internal("the request has no context".into()))
    }

    /// Loads one value through this request's loaders.
    pub async fn load<K>(&self, key: K) -> ApiResult<Option<<Loaders as Loader<K>>::Value>>
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        Loaders: Loader<K, Error = ApiError>,
    {
        self.loader.load_one(key).await
    }

    /// Loads several values through this request's loaders, in one batch.
    pub async fn load_many<K, I>(
        &self,
        keys: I,
    ) -> ApiResult<std::collections::HashMap<K, <Loaders as Loader<K>>::Value>>
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        I: IntoIterator<Item = K>,
        Loaders: Loader<K, Error = ApiError>,
    {
        self.loader.load_many(keys).await
    }
}

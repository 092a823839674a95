//! What every resolver can reach for the request it serves: the database, the
//! viewer, the request's own loaders (fresh per request, so no cached row ever
//! crosses from one viewer to another) and the request id.

use std::net::IpAddr;
use std::sync::Arc;

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use crate::auth::Viewer;
use crate::auth::scope::{Reach, Scope};
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
    /// The address the request came from, when known (see
    /// `HIREGRAPH_CLIENT_ADDRESS_HEADER`).
    pub client_address: Option<IpAddr>,
    /// How many people the employer employs (`HIREGRAPH_EMPLOYER_HEADCOUNT`).
    pub employer_headcount: u32,
    /// What the viewer may see of the pipeline, loaded when first needed
    /// (and again after [`RequestContext::forget`]).
    reach: std::sync::Mutex<Arc<tokio::sync::OnceCell<Option<Reach>>>>,
}

impl RequestContext {
    /// A context for one request.
    pub fn new(db: DatabaseConnection, viewer: Viewer, request_id: String) -> Self {
        RequestContext {
            loader: Arc::new(Batcher::new(Loaders::new(db.clone()))),
            db,
            viewer,
            request_id,
            client_address: None,
            employer_headcount: crate::config::HttpConfig::EMPLOYER_HEADCOUNT,
            reach: std::sync::Mutex::new(Arc::new(tokio::sync::OnceCell::new())),
        }
    }

    /// This context, for a request from `address`.
    pub fn from_address(mut self, address: Option<IpAddr>) -> Self {
        self.client_address = address;
        self
    }

    /// This context, for an employer of `headcount` people.
    pub fn with_headcount(mut self, headcount: u32) -> Self {
        self.employer_headcount = headcount;
        self
    }

    /// How much of the pipeline the viewer sees.
    pub fn scope(&self) -> Scope {
        Scope::of(&self.viewer)
    }

    /// Whether the viewer sees everything, or `limited` says yes about
    /// what it may see.
    async fn reaches(&self, limited: impl FnOnce(&Reach) -> bool) -> ApiResult<bool> {
        let cell = match self.reach.lock() {
            Ok(cell) => cell.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        let reach = cell
            .get_or_try_init(|| async {
                self.scope().reach(&self.db).await.map_err(ApiError::from)
            })
            .await?;
        Ok(reach.as_ref().is_none_or(limited))
    }

    /// Forgets every row loaded so far and what the viewer may see, so that
    /// the next reads are fresh: a subscription calls it before each event.
    pub fn forget(&self) {
        self.loader.forget();
        let fresh = Arc::new(tokio::sync::OnceCell::new());
        match self.reach.lock() {
            Ok(mut cell) => *cell = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
    }

    /// Whether the viewer may see application `id`.
    pub async fn sees_application(&self, id: i64) -> ApiResult<bool> {
        self.reaches(|reach| reach.applications.contains(&id)).await
    }

    /// Whether the viewer may see candidate `id`.
    pub async fn sees_candidate(&self, id: i64) -> ApiResult<bool> {
        self.reaches(|reach| reach.candidates.contains(&id)).await
    }

    /// Whether the viewer may see the bands of job family `id`.
    pub async fn sees_job_family_bands(&self, id: i64) -> ApiResult<bool> {
        self.reaches(|reach| reach.job_families.contains(&id)).await
    }

    /// Whether the viewer may see interview `id`.
    pub async fn sees_interview(&self, id: i64) -> ApiResult<bool> {
        self.reaches(|reach| reach.interviews.contains(&id)).await
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

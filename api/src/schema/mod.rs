//! The GraphQL schema: one module per part of the domain, each with its
//! object types, its queries and its mutations, merged into `Query` and
//! `Mutation` here.
//!
//! Resolvers are thin: they find the request's context, check the viewer,
//! call a domain function or a loader, and wrap the result in an API type.

pub mod application;
pub mod applying;
pub mod audit;
pub mod candidate;
pub mod compensation;
pub mod connection;
pub mod enums;
pub mod equity;
pub mod funnel;
pub mod interview;
pub mod live;
pub mod node;
pub mod offer;
pub mod pipeline;
pub mod posting;
pub mod privacy;
pub mod rates;
pub mod reference;
pub mod scalars;
pub mod scheduling;
pub mod scorecard;
pub mod transparency;
pub mod user;

use async_graphql::{MergedObject, Schema, SchemaBuilder};

pub use live::Subscription;

use crate::context::RequestContext;
use crate::domain::audit::Actor;

/// Every query of the API.
#[derive(MergedObject, Default)]
pub struct Query(
    user::ViewerQuery,
    audit::AuditQuery,
    node::NodeQuery,
    posting::PostingQuery,
    candidate::CandidateQuery,
    application::ApplicationQuery,
    interview::InterviewQuery,
    compensation::CompensationQuery,
    rates::RatesQuery,
    equity::EquityQuery,
    transparency::TransparencyQuery,
    reference::ReferenceQuery,
    user::UserQuery,
);

/// Every mutation of the API.
#[derive(MergedObject, Default)]
pub struct Mutation(
    applying::ApplyMutation,
    pipeline::PipelineMutation,
    scheduling::SchedulingMutation,
    scorecard::ScorecardMutation,
    offer::OfferMutation,
    rates::RatesMutation,
    posting::PostingMutation,
    candidate::CandidateMutation,
    reference::ReferenceMutation,
    compensation::CompensationMutation,
    user::UserMutation,
    privacy::PrivacyMutation,
    transparency::TransparencyMutation,
);

/// The schema type.
pub type HiregraphSchema = Schema<Query, Mutation, Subscription>;

/// Deepest query accepted by default (`HIREGRAPH_MAX_DEPTH`). GraphiQL's
/// introspection query needs 13.
pub const MAX_DEPTH: usize = 16;

/// The schema with the default limits; needs no database, so `hiregraph
/// schema` can print it anywhere.
pub fn builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    builder_with_depth(MAX_DEPTH)
}

/// The schema refusing queries deeper than `max_depth`. The cost of a query
/// (page sizes times selections) is limited before execution, by the HTTP
/// layer, which also limits aliases and tokens.
pub fn builder_with_depth(max_depth: usize) -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .limit_depth(max_depth)
        .limit_recursive_depth(32)
        .limit_directives(16)
}

/// The schema, ready to serve.
pub fn build() -> HiregraphSchema {
    builder().finish()
}

/// The schema in SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    build().sdl()
}

/// The actor of a mutation, for the audit log.
pub fn actor(rc: &RequestContext) -> Actor {
    Actor {
        user_id: rc.viewer.as_staff().map(|staff| staff.id()),
        request_id: rc.request_id.clone(),
    }
}

/// Declares a mutation payload: the result (null when the input was rejected)
/// and the user errors.
macro_rules! payload {
    ($(#[$doc:meta])* $name:ident { $(#[$fdoc:meta])* $field:ident: $ty:ty }) => {
        $(#[$doc])*
        #[derive(async_graphql::SimpleObject)]
        pub struct $name {
            $(#[$fdoc])*
            pub $field: Option<$ty>,
            /// What was wrong with the input; empty when the mutation succeeded.
            pub user_errors: Vec<$crate::error::UserError>,
        }

        impl $name {
            /// The payload for the outcome of a domain operation; faults
            /// become top-level errors.
            pub fn from_outcome<M>(
                outcome: Result<M, $crate::error::Failure>,
                wrap: impl FnOnce(M) -> $ty,
            ) -> async_graphql::Result<Self> {
                match outcome {
                    Ok(value) => Ok($name { $field: Some(wrap(value)), user_errors: Vec::new() }),
                    Err($crate::error::Failure::Rejected(user_errors)) => Ok($name { $field: None, user_errors }),
                    Err($crate::error::Failure::Api(err)) => Err(err.into()),
                }
            }
        }
    };
}

pub(crate) use payload;

/// Turns an optional-and-nullable input (`MaybeUndefined`) into a change:
/// absent leaves the value, `null` clears it.
pub fn change<T, U>(
    value: async_graphql::MaybeUndefined<T>,
    map: impl FnOnce(T) -> U,
) -> Option<Option<U>> {
    match value {
        async_graphql::MaybeUndefined::Undefined => None,
        async_graphql::MaybeUndefined::Null => Some(None),
        async_graphql::MaybeUndefined::Value(v) => Some(Some(map(v))),
    }
}

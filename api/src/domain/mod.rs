//! The rules of hiring, independent of GraphQL: validation of what people
//! enter, how records are created and changed, compensation, and the audit
//! log. Resolvers call these; these never look at a GraphQL context.

pub mod applying;
pub mod audit;
pub mod bands;
pub mod candidate;
pub mod compensation;
pub mod countries;
pub mod equity;
pub mod floors;
pub mod funnel;
pub mod lifecycle;
pub mod money;
pub mod offers;
pub mod pipeline;
pub mod posting;
pub mod privacy;
pub mod rates;
pub mod reference;
pub mod scheduling;
pub mod scorecards;
pub mod transparency;
pub mod validate;
pub mod write;

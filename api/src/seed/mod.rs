//! Seeding: data written into a database by hiregraph itself rather than by
//! its users. Today that is the demo fixture — the real "Senior Backend
//! Engineer (Elixir)" posting with its compensation bands, staff, candidates
//! and a live-looking pipeline — loaded into a fresh database so a newcomer
//! has something to query straight away. And the scaled data set
//! (`seed --scale N`): a large, deterministic hiring organisation for
//! benchmarks, generated rather than written by hand.

mod demo;
pub mod scale;

pub use demo::{DemoSummary, load_demo};
pub use scale::{ScaleSummary, load_scale};

use entity::user;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, PaginatorTrait};

/// True when the database holds no staff users yet (a fresh database).
///
/// Staff users are the first thing anyone creates and nothing works without
/// them, so "no users" is a reliable sign that nothing else is there either.
pub async fn is_empty(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(user::Entity::find().count(db).await? == 0)
}

//! Relay Global Object Identification: opaque IDs, the `Node` interface, and
//! `node`/`nodes`, which apply the same visibility rules as the typed fields.
//!
//! An ID is the URL-safe base64 of `Type:key` (`Posting:42`). Clients treat it
//! as opaque; the type inside lets `node` know where to look and lets every
//! field that takes an ID refuse one of the wrong type.

use async_graphql::{Context, ID, Interface, Object, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures_util::future::try_join_all;

use super::application::Application;
use super::audit::AuditEvent;
use super::candidate::Candidate;
use super::compensation::{BandSet, CompensationBand, GeoZone, JobFamily, Level};
use super::interview::{Interview, InterviewStage};
use super::offer::Offer;
use super::posting::{Posting, PostingQuestion};
use super::rates::{ExchangeRateSet, PayFloor};
use super::reference::{Region, Skill, Team};
use super::scorecard::Scorecard;
use super::user::User;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult, UserError, UserErrorCode};

/// The types that have global IDs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Application,
    AuditEvent,
    BandSet,
    Candidate,
    CompensationBand,
    ExchangeRateSet,
    GeoZone,
    Interview,
    InterviewStage,
    JobFamily,
    Level,
    Offer,
    PayFloor,
    Posting,
    PostingQuestion,
    Region,
    Scorecard,
    Skill,
    Team,
    User,
}

impl NodeKind {
    const ALL: [NodeKind; 20] = [
        NodeKind::Application,
        NodeKind::AuditEvent,
        NodeKind::BandSet,
        NodeKind::Candidate,
        NodeKind::CompensationBand,
        NodeKind::ExchangeRateSet,
        NodeKind::GeoZone,
        NodeKind::Interview,
        NodeKind::InterviewStage,
        NodeKind::JobFamily,
        NodeKind::Level,
        NodeKind::Offer,
        NodeKind::PayFloor,
        NodeKind::Posting,
        NodeKind::PostingQuestion,
        NodeKind::Region,
        NodeKind::Scorecard,
        NodeKind::Skill,
        NodeKind::Team,
        NodeKind::User,
    ];

    /// The GraphQL type name.
    pub fn name(self) -> &'static str {
        match self {
            NodeKind::Application => "Application",
            NodeKind::AuditEvent => "AuditEvent",
            NodeKind::BandSet => "BandSet",
            NodeKind::Candidate => "Candidate",
            NodeKind::CompensationBand => "CompensationBand",
            NodeKind::GeoZone => "GeoZone",
            NodeKind::Interview => "Interview",
            NodeKind::InterviewStage => "InterviewStage",
            NodeKind::JobFamily => "JobFamily",
            NodeKind::Level => "Level",
            NodeKind::Offer => "Offer",
            NodeKind::PayFloor => "PayFloor",
            NodeKind::ExchangeRateSet => "ExchangeRateSet",
            NodeKind::Posting => "Posting",
            NodeKind::PostingQuestion => "PostingQuestion",
            NodeKind::Region => "Region",
            NodeKind::Scorecard => "Scorecard",
            NodeKind::Skill => "Skill",
            NodeKind::Team => "Team",
            NodeKind::User => "User",
        }
    }

    /// The kind with GraphQL type name `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        NodeKind::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

/// The global ID of row `key` of `kind`.
pub fn global_id(kind: NodeKind, key: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{key}", kind.name())))
}

/// Reads a global ID; BAD_USER_INPUT when it is not one of ours.
pub fn parse_global_id(id: &str) -> ApiResult<(NodeKind, i64)> {
    let malformed = || ApiError::bad_input(format!("`{id}` is not a hiregraph ID"));
    let bytes = URL_SAFE_NO_PAD.decode(id.trim()).map_err(|_| malformed())?;
    let text = String::from_utf8(bytes).map_err(|_| malformed())?;
    let (kind, key) = text.split_once(':').ok_or_else(malformed)?;
    let kind = NodeKind::from_name(kind).ok_or_else(malformed)?;
    let key = key.parse::<i64>().map_err(|_| malformed())?;
    Ok((kind, key))
}

/// Reads a global ID that must be of `kind`; BAD_USER_INPUT otherwise.
pub fn expect_id(id: &ID, kind: NodeKind) -> ApiResult<i64> {
    let (found, key) = parse_global_id(id)?;
    if found == kind {
        Ok(key)
    } else {
        Err(ApiError::bad_input(format!(
            "`{}` is the ID of a {}, not of a {}",
            id.as_str(),
            found.name(),
            kind.name()
        )))
    }
}

/// Reads a global ID given in mutation input; a user error at `field` when it
/// is malformed or of another type.
pub fn input_id(id: &ID, kind: NodeKind, field: &[&str]) -> Result<i64, UserError> {
    expect_id(id, kind)
        .map_err(|err| UserError::new(field, UserErrorCode::Invalid, err.to_string()))
}

/// An object with a global ID, which `node(id:)` can fetch again.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The object's global ID."))]
pub enum Node {
    Application(Application),
    AuditEvent(AuditEvent),
    BandSet(BandSet),
    Candidate(Candidate),
    CompensationBand(CompensationBand),
    ExchangeRateSet(ExchangeRateSet),
    GeoZone(GeoZone),
    Interview(Interview),
    InterviewStage(InterviewStage),
    JobFamily(JobFamily),
    Level(Level),
    Offer(Offer),
    PayFloor(PayFloor),
    Posting(Posting),
    PostingQuestion(PostingQuestion),
    Region(Region),
    Scorecard(Scorecard),
    Skill(Skill),
    Team(Team),
    User(User),
}

/// Fetches the object behind a global ID with the visibility rules of its type.
async fn load_node(rc: &RequestContext, id: &ID) -> ApiResult<Option<Node>> {
    let (kind, key) = parse_global_id(id)?;
    Ok(match kind {
        NodeKind::Application => Application::load(rc, key).await?.map(Node::Application),
        NodeKind::AuditEvent => AuditEvent::load(rc, key).await?.map(Node::AuditEvent),
        NodeKind::BandSet => BandSet::load(rc, key).await?.map(Node::BandSet),
        NodeKind::Candidate => Candidate::load(rc, key).await?.map(Node::Candidate),
        NodeKind::CompensationBand => CompensationBand::load(rc, key)
            .await?
            .map(Node::CompensationBand),
        NodeKind::GeoZone => GeoZone::load(rc, key).await?.map(Node::GeoZone),
        NodeKind::Interview => Interview::load(rc, key).await?.map(Node::Interview),
        NodeKind::InterviewStage => InterviewStage::load(rc, key)
            .await?
            .map(Node::InterviewStage),
        NodeKind::JobFamily => JobFamily::load(rc, key).await?.map(Node::JobFamily),
        NodeKind::Level => Level::load(rc, key).await?.map(Node::Level),
        NodeKind::Offer => Offer::load(rc, key).await?.map(Node::Offer),
        NodeKind::PayFloor => PayFloor::load(rc, key).await?.map(Node::PayFloor),
        NodeKind::ExchangeRateSet => ExchangeRateSet::load(rc, key)
            .await?
            .map(Node::ExchangeRateSet),
        NodeKind::Posting => Posting::load(rc, key).await?.map(Node::Posting),
        NodeKind::PostingQuestion => PostingQuestion::load(rc, key)
            .await?
            .map(Node::PostingQuestion),
        NodeKind::Region => Region::load(rc, key).await?.map(Node::Region),
        NodeKind::Scorecard => Scorecard::load(rc, key).await?.map(Node::Scorecard),
        NodeKind::Skill => Skill::load(rc, key).await?.map(Node::Skill),
        NodeKind::Team => Team::load(rc, key).await?.map(Node::Team),
        NodeKind::User => User::load(rc, key).await?.map(Node::User),
    })
}

/// The most IDs `nodes` takes at once.
const MAX_NODES: usize = 100;

/// `node` and `nodes`.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any object by its global ID. Null when there is no such object
    /// or you may not see it; an error when the ID is malformed.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID.")] id: ID,
    ) -> Result<Option<Node>> {
        Ok(load_node(RequestContext::of(ctx)?, &id).await?)
    }

    /// Fetches up to 100 objects by their global IDs, in the order given.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 100 global IDs.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(
                ApiError::bad_input(format!("`nodes` takes at most {MAX_NODES} IDs")).into(),
            );
        }
        let rc = RequestContext::of(ctx)?;
        Ok(try_join_all(ids.iter().map(|id| load_node(rc, id))).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_for_every_kind() -> ApiResult<()> {
        for kind in NodeKind::ALL {
            let id = global_id(kind, 42);
            assert_eq!(parse_global_id(&id)?, (kind, 42));
        }
        Ok(())
    }

    #[test]
    fn malformed_ids_are_bad_input() {
        for bad in [
            "",
            "42",
            "!!!",
            &URL_SAFE_NO_PAD.encode("Posting"),
            &URL_SAFE_NO_PAD.encode("Nope:1"),
            &URL_SAFE_NO_PAD.encode("Posting:x"),
        ] {
            assert!(
                matches!(parse_global_id(bad), Err(ApiError::BadUserInput(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_id_of_another_type_is_refused() {
        let id = global_id(NodeKind::Candidate, 7);
        assert!(expect_id(&id, NodeKind::Posting).is_err());
    }
}

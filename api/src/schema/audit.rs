//! The audit log, for admins: who changed what, and when. Read-only: the
//! API offers no way to change or delete an event.

use async_graphql::{Context, ID, InputObject, Json, Object, Result};
use entity::{audit_event, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::connection::{Connection, PageArgs, list, order_input};
use super::node::{NodeKind, expect_id, global_id, parse_global_id};
use super::scalars::DateTime;
use super::user::User;
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::error::ApiResult;
use crate::loaders::ById;

/// One recorded change.
#[derive(Clone)]
pub struct AuditEvent(pub audit_event::Model);

impl AuditEvent {
    /// The event with `id`, for admins.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<AuditEvent>> {
        authorize(&rc.viewer, Action::ReadAudit)?;
        Ok(rc
            .load(ById::<audit_event::Entity>::new(id))
            .await?
            .map(AuditEvent))
    }
}

/// A change recorded in the audit log. Personal data and free text are
/// masked: the log says what changed, not what a candidate's details say.
#[Object]
impl AuditEvent {
    /// The event's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::AuditEvent, self.0.id)
    }
    /// Who made the change; null when it was an applicant (the careers site)
    /// or the system (retention purges).
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let rc = RequestContext::of(ctx)?;
        match self.0.actor_id {
            Some(id) => Ok(rc.load(ById::<user::Entity>::new(id)).await?.map(User)),
            None => Ok(None),
        }
    }
    /// What was done, e.g. `application.move` or `candidate.erase`.
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The kind of object changed, e.g. `Application`.
    async fn object_type(&self) -> &str {
        &self.0.object_type
    }
    /// The global ID of the object changed.
    async fn object_id(&self) -> Option<ID> {
        let kind = NodeKind::from_name(&self.0.object_type)?;
        self.0.object_id.map(|id| global_id(kind, id))
    }
    /// The changed fields, as `{"field": {"before": …, "after": …}}`.
    async fn changes(&self) -> Json<serde_json::Value> {
        Json(self.0.changes.clone())
    }
    /// The request that made the change, as in the server's log.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// When it happened.
    async fn occurred_at(&self) -> DateTime {
        self.0.occurred_at.into()
    }
}

/// Which events to list.
#[derive(InputObject, Default)]
pub struct AuditEventFilter {
    /// Only changes of this object (any global ID).
    pub object_id: Option<ID>,
    /// Only changes of objects of this kind, e.g. `Candidate`.
    pub object_type: Option<String>,
    /// Only changes made by this user.
    pub actor_id: Option<ID>,
    /// Only this action, e.g. `posting.publish`.
    pub action: Option<String>,
    /// Only changes at or after this time.
    pub occurred_after: Option<DateTime>,
    /// Only changes before this time.
    pub occurred_before: Option<DateTime>,
}

order_input!(
    /// How to sort events.
    AuditEventOrder,
    /// The fields events can be sorted by.
    AuditEventOrderField,
    audit_event::Entity,
    default = (OccurredAt, Desc) {
        /// By when the change happened.
        OccurredAt => "occurredAt", audit_event::Column::OccurredAt, |m| SortValue::Time(m.occurred_at);
    }
);

/// Reading the audit log.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit log, newest first (admins only).
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n events (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return events after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n events (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return events before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "Which events.")] filter: AuditEventFilter,
        #[graphql(default, desc = "How to sort the events.")] order_by: AuditEventOrder,
    ) -> Result<Connection<AuditEvent>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadAudit)?;
        use audit_event::Column;
        let mut select = audit_event::Entity::find();
        if let Some(id) = &filter.object_id {
            let (kind, key) = parse_global_id(id)?;
            select = select
                .filter(Column::ObjectType.eq(kind.name()))
                .filter(Column::ObjectId.eq(key));
        }
        if let Some(kind) = &filter.object_type {
            select = select.filter(Column::ObjectType.eq(kind.trim()));
        }
        if let Some(id) = &filter.actor_id {
            select = select.filter(Column::ActorId.eq(expect_id(id, NodeKind::User)?));
        }
        if let Some(action) = &filter.action {
            select = select.filter(Column::Action.eq(action.trim()));
        }
        if let Some(DateTime(time)) = filter.occurred_after {
            select = select.filter(Column::OccurredAt.gte(time));
        }
        if let Some(DateTime(time)) = filter.occurred_before {
            select = select.filter(Column::OccurredAt.lt(time));
        }
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(list(rc, select, order_by.ordering(), args, AuditEvent).await?)
    }
}

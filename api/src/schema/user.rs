//! Staff users and the viewer (who is asking).

use async_graphql::{Context, ID, InputObject, Object, Result};
use entity::user;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::connection::{Connection, PageArgs, list, order_input};
use super::enums::Role;
use super::node::{NodeKind, global_id, input_id};
use super::scalars::{DateTime, TimeZone};
use super::{actor, payload};
use crate::auth::Viewer as AuthViewer;
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::domain::reference::{self as domain, UserChanges};
use crate::error::ApiResult;
use crate::loaders::ById;

/// A staff member who works in hiregraph.
#[derive(Clone)]
pub struct User(pub user::Model);

impl User {
    /// The user with `id`, for staff.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<User>> {
        authorize(&rc.viewer, Action::ReadHiringData)?;
        Ok(rc.load(ById::<user::Entity>::new(id)).await?.map(User))
    }
}

/// A staff member: recruiter, hiring manager, interviewer or admin.
#[Object]
impl User {
    /// The user's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::User, self.0.id)
    }
    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Work email address.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// What the user may do.
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    /// The time zone the user works in; times are shown in it.
    async fn time_zone(&self) -> TimeZone {
        TimeZone(self.0.time_zone.clone())
    }
    /// False once the user has left; inactive users cannot sign in.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// When the user was added.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
}

/// Who is asking: anonymous (the public careers site) or a signed-in staff user.
pub struct Viewer;

/// The caller of this request.
#[Object]
impl Viewer {
    /// True when no token was sent: only public careers data is visible.
    async fn is_anonymous(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(matches!(
            RequestContext::of(ctx)?.viewer,
            AuthViewer::Anonymous
        ))
    }
    /// The signed-in staff user; null when anonymous.
    async fn user(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let rc = RequestContext::of(ctx)?;
        Ok(rc.viewer.as_staff().map(|staff| User(staff.user.clone())))
    }
    /// The role the token grants; null when anonymous.
    async fn role(&self, ctx: &Context<'_>) -> Result<Option<Role>> {
        let rc = RequestContext::of(ctx)?;
        Ok(rc.viewer.as_staff().map(|staff| staff.role.into()))
    }
}

/// `viewer`.
#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// Who you are, as far as this API is concerned.
    async fn viewer(&self) -> Viewer {
        Viewer
    }
}

order_input!(
    /// How to sort users.
    UserOrder,
    /// The fields users can be sorted by.
    UserOrderField,
    user::Entity,
    default = (Name, Asc) {
        /// Alphabetically by name.
        Name => "name", user::Column::Name, |m| SortValue::Text(m.name.clone());
        /// By when the user was added.
        CreatedAt => "createdAt", user::Column::CreatedAt, |m| SortValue::Time(m.created_at);
    }
);

/// Which users to list.
#[derive(InputObject, Default)]
pub struct UserFilter {
    /// Only users with one of these roles.
    pub roles: Option<Vec<Role>>,
    /// Only active (true) or inactive (false) users.
    pub active: Option<bool>,
}

/// Reading staff users.
#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// Staff users (staff only).
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n users (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return users after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n users (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return users before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "Which users.")] filter: UserFilter,
        #[graphql(default, desc = "How to sort the users.")] order_by: UserOrder,
    ) -> Result<Connection<User>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadHiringData)?;
        let mut select = user::Entity::find();
        if let Some(roles) = filter.roles {
            select = select
                .filter(user::Column::Role.is_in(roles.into_iter().map(entity::enums::Role::from)));
        }
        if let Some(active) = filter.active {
            select = select.filter(user::Column::Active.eq(active));
        }
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(list(rc, select, order_by.ordering(), args, User).await?)
    }
}

/// A new staff user.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// Work email; unique.
    pub email: String,
    /// Full name.
    pub name: String,
    /// What the user may do.
    pub role: Role,
    /// The user's time zone.
    #[graphql(default_with = "TimeZone(\"UTC\".to_owned())")]
    pub time_zone: TimeZone,
}

/// Changes to a staff user; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateUserInput {
    /// The user to change.
    pub id: ID,
    /// A new email; unique.
    pub email: Option<String>,
    /// A new name.
    pub name: Option<String>,
    /// A new role; the user's current tokens stop working.
    pub role: Option<Role>,
    /// A new time zone.
    pub time_zone: Option<TimeZone>,
    /// False deactivates the user; their tokens stop working.
    pub active: Option<bool>,
}

payload!(
    /// The result of `createUser`.
    CreateUserPayload {
        /// The new user.
        user: User
    }
);
payload!(
    /// The result of `updateUser`.
    UpdateUserPayload {
        /// The changed user.
        user: User
    }
);

/// Managing staff users (admins).
#[derive(Default)]
pub struct UserMutation;

#[Object]
impl UserMutation {
    /// Adds a staff user.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: CreateUserInput,
    ) -> Result<CreateUserPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageUsers)?;
        let changes = UserChanges {
            email: Some(input.email),
            name: Some(input.name),
            role: Some(input.role.into()),
            time_zone: Some(input.time_zone.0),
            active: Some(true),
        };
        CreateUserPayload::from_outcome(
            domain::save_user(&rc.db, &actor(rc), None, changes).await,
            User,
        )
    }

    /// Changes a staff user.
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        input: UpdateUserInput,
    ) -> Result<UpdateUserPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageUsers)?;
        let outcome = async {
            let id = input_id(&input.id, NodeKind::User, &["id"])?;
            let changes = UserChanges {
                email: input.email,
                name: input.name,
                role: input.role.map(Into::into),
                time_zone: input.time_zone.map(|z| z.0),
                active: input.active,
            };
            domain::save_user(&rc.db, &actor(rc), Some(id), changes).await
        };
        UpdateUserPayload::from_outcome(outcome.await, User)
    }
}

//! The viewer: who is making a request. Anonymous callers see the public
//! careers data; staff users see and do what their role allows.

use entity::enums::Role;
use entity::user;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::token::{Claims, role_name};
use crate::error::ApiError;

/// Who is making the request.
#[derive(Clone, Debug)]
pub enum Viewer {
    /// No token: the public careers site.
    Anonymous,
    /// A staff user with a verified token.
    Staff(StaffViewer),
}

/// A signed-in staff user.
#[derive(Clone, Debug)]
pub struct StaffViewer {
    /// The user, as stored.
    pub user: user::Model,
    /// The role the token grants (always the user's current role).
    pub role: Role,
}

impl StaffViewer {
    /// The user's id.
    pub fn id(&self) -> i64 {
        self.user.id
    }
}

impl Viewer {
    /// Resolves verified `claims` to a staff viewer: the subject must be an
    /// active user whose current role is the role in the token, so a token
    /// minted before a demotion or deactivation stops working at once.
    pub async fn from_claims(
        db: &impl ConnectionTrait,
        claims: &Claims,
    ) -> Result<Viewer, ApiError> {
        let query = user::Entity::find();
        let query = match claims.sub.parse::<i64>() {
            Ok(id) => query.filter(user::Column::Id.eq(id)),
            Err(_) => query.filter(user::Column::Email.eq(claims.sub.trim().to_lowercase())),
        };
        let user = query
            .one(db)
            .await?
            .filter(|user| user.active)
            .ok_or_else(|| {
                ApiError::Unauthenticated("the token's subject is not an active staff user".into())
            })?;
        let role = claims
            .role()
            .ok_or_else(|| ApiError::Unauthenticated("the token's role is unknown".into()))?;
        if role != user.role {
            return Err(ApiError::Unauthenticated(format!(
                "the token grants {} but the user is now {}; ask for a new token",
                role_name(role),
                role_name(user.role)
            )));
        }
        Ok(Viewer::Staff(StaffViewer { user, role }))
    }

    /// The staff viewer, or UNAUTHENTICATED for anonymous callers.
    pub fn staff(&self) -> Result<&StaffViewer, ApiError> {
        match self {
            Viewer::Staff(staff) => Ok(staff),
            Viewer::Anonymous => Err(ApiError::sign_in_required()),
        }
    }

    /// The staff viewer if there is one.
    pub fn as_staff(&self) -> Option<&StaffViewer> {
        match self {
            Viewer::Staff(staff) => Some(staff),
            Viewer::Anonymous => None,
        }
    }

    /// True for signed-in staff.
    pub fn is_staff(&self) -> bool {
        matches!(self, Viewer::Staff(_))
    }
}

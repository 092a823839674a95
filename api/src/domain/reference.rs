//! Reference data: teams, regions (named sets of countries) and skills, and
//! the staff users who work in hiregraph.

use entity::enums::Role;
use entity::{region, region_country, skill, team, user};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::audit::{self, Actor};
use super::validate::{Check, slugify};
use super::write::{country_list, existing, must_be_free, now, persist, taken};
use crate::db::begin_write;
use crate::error::{Failure, UserErrorCode};

/// New values for a team's fields; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct TeamChanges {
    pub name: Option<String>,
    pub department: Option<String>,
    pub vertical: Option<Option<String>>,
}

/// Creates a team, or changes one (`id` given). Team names are unique.
pub async fn save_team(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i64>,
    changes: TeamChanges,
) -> Result<team::Model, Failure> {
    let before = existing::<team::Entity>(db, id, "team").await?;
    let now = now();
    let current = before.clone().unwrap_or_else(|| team::Model {
        id: 0,
        name: String::new(),
        department: String::new(),
        vertical: None,
        created_at: now,
        updated_at: now,
    });
    write_team(db, actor, before, current, changes).await
}

async fn write_team(
    db: &DatabaseConnection,
    actor: &Actor,
    before: Option<team::Model>,
    mut team: team::Model,
    changes: TeamChanges,
) -> Result<team::Model, Failure> {
    let mut check = Check::new();
    let creating = before.is_none();
    if let Some(name) = check.required_text(&["name"], changes.name.as_deref(), creating, 200) {
        team.name = name;
    }
    if let Some(department) = check.required_text(
        &["department"],
        changes.department.as_deref(),
        creating,
        200,
    ) {
        team.department = department;
    }
    if let Some(vertical) = changes.vertical
        && let Some(vertical) = check.optional_text(&["vertical"], vertical.as_deref(), 200)
    {
        team.vertical = vertical;
    }
    check.finish()?;
    let txn = begin_write(db).await?;
    const TAKEN: &str = "another team has this name";
    must_be_free::<team::Entity, _>(
        &txn,
        team::Column::Name,
        &team.name,
        before.as_ref().map(|t| t.id),
        &["name"],
        TAKEN,
    )
    .await?;
    team.updated_at = now();
    let saved = persist::<team::Entity>(&txn, team.clone(), creating)
        .await
        .map_err(|err| taken(err, &["name"], TAKEN))?;
    audit::record(
        &txn,
        actor,
        &audit::action("team", creating),
        "Team",
        saved.id,
        audit::changes(before.as_ref(), &saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// New values for a region; `countries` replaces the whole list when given.
#[derive(Clone, Debug, Default)]
pub struct RegionChanges {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub everywhere: Option<bool>,
    pub countries: Option<Vec<String>>,
}

/// Creates a region, or changes one (`id` given). A region lists at least one
/// country unless it covers everywhere.
pub async fn save_region(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i64>,
    changes: RegionChanges,
) -> Result<region::Model, Failure> {
    let before = existing::<region::Entity>(db, id, "region").await?;
    let now = now();
    let current = before.clone().unwrap_or_else(|| region::Model {
        id: 0,
        name: String::new(),
        slug: String::new(),
        everywhere: false,
        created_at: now,
        updated_at: now,
    });
    write_region(db, actor, before, current, changes).await
}

async fn write_region(
    db: &DatabaseConnection,
    actor: &Actor,
    before: Option<region::Model>,
    mut region: region::Model,
    changes: RegionChanges,
) -> Result<region::Model, Failure> {
    let mut check = Check::new();
    let creating = before.is_none();
    if let Some(name) = check.required_text(&["name"], changes.name.as_deref(), creating, 200) {
        region.name = name;
    }
    match changes.slug.as_deref() {
        Some(slug) => {
            if let Some(slug) = check.slug(&["slug"], slug) {
                region.slug = slug;
            }
        }
        None if creating => region.slug = slugify(&region.name),
        None => {}
    }
    if let Some(everywhere) = changes.everywhere {
        region.everywhere = everywhere;
    }
    let countries = changes
        .countries
        .as_ref()
        .map(|codes| country_list(&mut check, "countryCodes", codes));
    let has_countries = match &countries {
        Some(list) => !list.is_empty(),
        None if creating => false,
        None => region_country::Entity::find()
            .filter(region_country::Column::RegionId.eq(region.id))
            .one(db)
            .await?
            .is_some(),
    };
    if region.everywhere && has_countries {
        check.fail(
            &["countryCodes"],
            UserErrorCode::Invalid,
            "a region that covers everywhere lists no countries",
        );
    }
    if !region.everywhere && !has_countries && check.is_ok() {
        check.fail(
            &["countryCodes"],
            UserErrorCode::Blank,
            "list at least one country, or make the region cover everywhere",
        );
    }
    check.finish()?;

    let txn = begin_write(db).await?;
    let except = before.as_ref().map(|r| r.id);
    must_be_free::<region::Entity, _>(
        &txn,
        region::Column::Name,
        &region.name,
        except,
        &["name"],
        "another region has this name",
    )
    .await?;
    must_be_free::<region::Entity, _>(
        &txn,
        region::Column::Slug,
        &region.slug,
        except,
        &["slug"],
        "another region has this slug",
    )
    .await?;
    region.updated_at = now();
    let saved = persist::<region::Entity>(&txn, region.clone(), creating)
        .await
        .map_err(|err| taken(err, &["name"], "another region has this name or slug"))?;
    let mut changed = audit::changes(before.as_ref(), &saved);
    if let Some(countries) = countries {
        region_country::Entity::delete_many()
            .filter(region_country::Column::RegionId.eq(saved.id))
            .exec(&txn)
            .await?;
        if !countries.is_empty() {
            region_country::Entity::insert_many(countries.iter().map(|code| {
                region_country::ActiveModel {
                    region_id: Set(saved.id),
                    country_code: Set(code.clone()),
                }
            }))
            .exec(&txn)
            .await?;
        }
        if let serde_json::Value::Object(map) = &mut changed {
            map.insert(
                "countries".into(),
                serde_json::json!({ "after": countries }),
            );
        }
    }
    audit::record(
        &txn,
        actor,
        &audit::action("region", creating),
        "Region",
        saved.id,
        changed,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// New values for a skill.
#[derive(Clone, Debug, Default)]
pub struct SkillChanges {
    pub name: Option<String>,
}

/// Creates a skill, or renames one (`id` given); names are unique regardless of case.
pub async fn save_skill(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i64>,
    changes: SkillChanges,
) -> Result<skill::Model, Failure> {
    let before = existing::<skill::Entity>(db, id, "skill").await?;
    let now = now();
    let current = before.clone().unwrap_or_else(|| skill::Model {
        id: 0,
        name: String::new(),
        name_key: String::new(),
        created_at: now,
        updated_at: now,
    });
    write_skill(db, actor, before, current, changes).await
}

async fn write_skill(
    db: &DatabaseConnection,
    actor: &Actor,
    before: Option<skill::Model>,
    mut skill: skill::Model,
    changes: SkillChanges,
) -> Result<skill::Model, Failure> {
    let mut check = Check::new();
    let creating = before.is_none();
    if let Some(name) = check.required_text(&["name"], changes.name.as_deref(), creating, 100) {
        skill.name_key = name.to_lowercase();
        skill.name = name;
    }
    check.finish()?;
    let txn = begin_write(db).await?;
    const TAKEN: &str = "another skill has this name";
    must_be_free::<skill::Entity, _>(
        &txn,
        skill::Column::NameKey,
        &skill.name_key,
        before.as_ref().map(|s| s.id),
        &["name"],
        TAKEN,
    )
    .await?;
    skill.updated_at = now();
    let saved = persist::<skill::Entity>(&txn, skill.clone(), creating)
        .await
        .map_err(|err| taken(err, &["name"], TAKEN))?;
    audit::record(
        &txn,
        actor,
        &audit::action("skill", creating),
        "Skill",
        saved.id,
        audit::changes(before.as_ref(), &saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// New values for a staff user.
#[derive(Clone, Debug, Default)]
pub struct UserChanges {
    pub email: Option<String>,
    pub name: Option<String>,
    pub role: Option<Role>,
    pub time_zone: Option<String>,
    pub active: Option<bool>,
}

/// Creates a staff user, or changes one (`id` given). Changing a role or
/// deactivating a user ends the validity of their tokens (a token's role must
/// match the user's).
pub async fn save_user(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i64>,
    changes: UserChanges,
) -> Result<user::Model, Failure> {
    let before = existing::<user::Entity>(db, id, "user").await?;
    let now = now();
    let current = before.clone().unwrap_or_else(|| user::Model {
        id: 0,
        email: String::new(),
        name: String::new(),
        role: changes.role.unwrap_or(Role::Interviewer),
        time_zone: "UTC".into(),
        active: true,
        created_at: now,
        updated_at: now,
    });
    write_user(db, actor, before, current, changes).await
}

async fn write_user(
    db: &DatabaseConnection,
    actor: &Actor,
    before: Option<user::Model>,
    mut user: user::Model,
    changes: UserChanges,
) -> Result<user::Model, Failure> {
    let mut check = Check::new();
    let creating = before.is_none();
    if let Some(email) = check.required_email(&["email"], changes.email.as_deref(), creating) {
        user.email = email.normalized;
    }
    if let Some(name) = check.required_text(&["name"], changes.name.as_deref(), creating, 200) {
        user.name = name;
    }
    if let Some(role) = changes.role {
        user.role = role;
    }
    if let Some(zone) = changes.time_zone.as_deref()
        && let Some(zone) = check.time_zone(&["timeZone"], zone)
    {
        user.time_zone = zone;
    }
    if let Some(active) = changes.active {
        user.active = active;
    }
    if before.is_some()
        && actor.user_id == Some(user.id)
        && (!user.active || user.role != Role::Admin)
    {
        check.fail(
            &[],
            UserErrorCode::InvalidState,
            "you can't demote or deactivate yourself; ask another admin",
        );
    }
    check.finish()?;
    let txn = begin_write(db).await?;
    const TAKEN: &str = "another user has this email";
    must_be_free::<user::Entity, _>(
        &txn,
        user::Column::Email,
        &user.email,
        before.as_ref().map(|u| u.id),
        &["email"],
        TAKEN,
    )
    .await?;
    user.updated_at = now();
    let saved = persist::<user::Entity>(&txn, user.clone(), creating)
        .await
        .map_err(|err| taken(err, &["email"], TAKEN))?;
    audit::record(
        &txn,
        actor,
        &audit::action("user", creating),
        "User",
        saved.id,
        audit::changes(before.as_ref(), &saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

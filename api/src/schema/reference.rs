//! Teams, regions, skills and countries: the public reference data postings
//! are described with. Anyone may read them (the careers site filters by
//! them); admins and recruiters change them.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use entity::{region, region_country, skill, team};
use sea_orm::EntityTrait;

use super::connection::{Connection, PageArgs, list, order_input};
use super::node::{NodeKind, global_id, input_id};
use super::scalars::{CountryCode, DateTime};
use super::{actor, payload};
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::domain::countries::{COUNTRIES, country_name};
use crate::domain::reference::{self as domain, RegionChanges, SkillChanges, TeamChanges};
use crate::error::ApiResult;
use crate::loaders::{ById, ChildrenOf};

/// A development team. A posting can be open to several teams; the team a
/// candidate joins is decided during the process.
#[derive(Clone)]
pub struct Team(pub team::Model);

impl Team {
    /// The team with `id`; teams are public.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<Team>> {
        Ok(rc.load(ById::<team::Entity>::new(id)).await?.map(Team))
    }
}

/// A development team.
#[Object]
impl Team {
    /// The team's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Team, self.0.id)
    }
    /// The team's name, e.g. "Payroll".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The department the team belongs to, e.g. "Engineering".
    async fn department(&self) -> &str {
        &self.0.department
    }
    /// The product vertical the team works on, if it has one.
    async fn vertical(&self) -> Option<&str> {
        self.0.vertical.as_deref()
    }
    /// When the team was added.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
}

/// A named set of countries a posting can be open to, such as
/// "Remote-Africa", or "Anywhere in the World" (every country).
#[derive(Clone)]
pub struct Region(pub region::Model);

impl Region {
    /// The region with `id`; regions are public.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<Region>> {
        Ok(rc.load(ById::<region::Entity>::new(id)).await?.map(Region))
    }
}

/// A region candidates can apply from.
#[Object]
impl Region {
    /// The region's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Region, self.0.id)
    }
    /// The region's name, e.g. "Remote-Africa".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// A short name for web addresses, e.g. `remote-africa`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// True when candidates from every country qualify ("Anywhere in the World").
    async fn everywhere(&self) -> bool {
        self.0.everywhere
    }
    /// The countries in the region, by code; empty when it covers everywhere.
    async fn countries(&self, ctx: &Context<'_>) -> Result<Vec<Country>> {
        let rc = RequestContext::of(ctx)?;
        let rows = rc
            .load(ChildrenOf::<region_country::Entity>::new(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(rows
            .iter()
            .filter_map(|row| Country::from_code(&row.country_code))
            .collect())
    }
}

/// A skill a posting can ask for and an interviewer can rate.
#[derive(Clone)]
pub struct Skill(pub skill::Model);

impl Skill {
    /// The skill with `id`; skills are public.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<Skill>> {
        Ok(rc.load(ById::<skill::Entity>::new(id)).await?.map(Skill))
    }
}

/// A skill, such as "Elixir" or "Postgres".
#[Object]
impl Skill {
    /// The skill's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Skill, self.0.id)
    }
    /// The skill's name.
    async fn name(&self) -> &str {
        &self.0.name
    }
}

/// A country (ISO 3166-1).
#[derive(SimpleObject, Clone)]
pub struct Country {
    /// The two-letter code, e.g. `KE`.
    pub code: CountryCode,
    /// The English name, e.g. "Kenya".
    pub name: String,
}

impl Country {
    /// The country with ISO code `code`, if it is one.
    pub fn from_code(code: &str) -> Option<Country> {
        country_name(code).map(|name| Country {
            code: CountryCode(code.to_owned()),
            name: name.to_owned(),
        })
    }
}

order_input!(
    /// How to sort teams.
    TeamOrder,
    /// The fields teams can be sorted by.
    TeamOrderField,
    team::Entity,
    default = (Name, Asc) {
        /// Alphabetically by name.
        Name => "name", team::Column::Name, |m| SortValue::Text(m.name.clone());
        /// By when the team was added.
        CreatedAt => "createdAt", team::Column::CreatedAt, |m| SortValue::Time(m.created_at);
    }
);

order_input!(
    /// How to sort regions.
    RegionOrder,
    /// The fields regions can be sorted by.
    RegionOrderField,
    region::Entity,
    default = (Name, Asc) {
        /// Alphabetically by name.
        Name => "name", region::Column::Name, |m| SortValue::Text(m.name.clone());
        /// By when the region was added.
        CreatedAt => "createdAt", region::Column::CreatedAt, |m| SortValue::Time(m.created_at);
    }
);

order_input!(
    /// How to sort skills.
    SkillOrder,
    /// The fields skills can be sorted by.
    SkillOrderField,
    skill::Entity,
    default = (Name, Asc) {
        /// Alphabetically by name.
        Name => "name", skill::Column::Name, |m| SortValue::Text(m.name.clone());
        /// By when the skill was added.
        CreatedAt => "createdAt", skill::Column::CreatedAt, |m| SortValue::Time(m.created_at);
    }
);

/// Reading reference data.
#[derive(Default)]
pub struct ReferenceQuery;

#[Object]
impl ReferenceQuery {
    /// The development teams postings can be open to.
    async fn teams(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n teams (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return teams after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n teams (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return teams before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "How to sort the teams.")] order_by: TeamOrder,
    ) -> Result<Connection<Team>> {
        let rc = RequestContext::of(ctx)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(list(rc, team::Entity::find(), order_by.ordering(), args, Team).await?)
    }

    /// The regions postings can be open to.
    async fn regions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n regions (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return regions after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n regions (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return regions before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "How to sort the regions.")] order_by: RegionOrder,
    ) -> Result<Connection<Region>> {
        let rc = RequestContext::of(ctx)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(list(
            rc,
            region::Entity::find(),
            order_by.ordering(),
            args,
            Region,
        )
        .await?)
    }

    /// The skills postings can ask for.
    async fn skills(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n skills (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return skills after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n skills (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return skills before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "How to sort the skills.")] order_by: SkillOrder,
    ) -> Result<Connection<Skill>> {
        let rc = RequestContext::of(ctx)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(list(rc, skill::Entity::find(), order_by.ordering(), args, Skill).await?)
    }

    /// Every country (ISO 3166-1), sorted by code: for pickers in forms.
    async fn countries(&self) -> Vec<Country> {
        COUNTRIES
            .iter()
            .map(|(code, name)| Country {
                code: CountryCode((*code).to_owned()),
                name: (*name).to_owned(),
            })
            .collect()
    }
}

/// A new team.
#[derive(InputObject)]
pub struct CreateTeamInput {
    /// The team's name; unique.
    pub name: String,
    /// The department, e.g. "Engineering".
    pub department: String,
    /// The product vertical, if any.
    pub vertical: Option<String>,
}

/// Changes to a team; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateTeamInput {
    /// The team to change.
    pub id: ID,
    /// A new name; unique.
    pub name: Option<String>,
    /// A new department.
    pub department: Option<String>,
    /// A new vertical; null removes it.
    pub vertical: MaybeUndefined<String>,
}

/// A new region.
#[derive(InputObject)]
pub struct CreateRegionInput {
    /// The region's name, e.g. "Remote-Africa"; unique.
    pub name: String,
    /// Its short name for web addresses; made from the name when left out.
    pub slug: Option<String>,
    /// True when every country qualifies ("Anywhere in the World").
    #[graphql(default)]
    pub everywhere: bool,
    /// The countries in the region (ISO codes); required unless `everywhere`.
    #[graphql(default)]
    pub country_codes: Vec<CountryCode>,
}

/// Changes to a region; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateRegionInput {
    /// The region to change.
    pub id: ID,
    /// A new name; unique.
    pub name: Option<String>,
    /// A new slug; unique.
    pub slug: Option<String>,
    /// Whether every country qualifies.
    pub everywhere: Option<bool>,
    /// The complete new list of countries.
    pub country_codes: Option<Vec<CountryCode>>,
}

/// A new skill.
#[derive(InputObject)]
pub struct CreateSkillInput {
    /// The skill's name; unique regardless of case.
    pub name: String,
}

/// A skill's new name.
#[derive(InputObject)]
pub struct UpdateSkillInput {
    /// The skill to rename.
    pub id: ID,
    /// The new name; unique regardless of case.
    pub name: String,
}

payload!(
    /// The result of `createTeam`.
    CreateTeamPayload {
        /// The new team.
        team: Team
    }
);
payload!(
    /// The result of `updateTeam`.
    UpdateTeamPayload {
        /// The changed team.
        team: Team
    }
);
payload!(
    /// The result of `createRegion`.
    CreateRegionPayload {
        /// The new region.
        region: Region
    }
);
payload!(
    /// The result of `updateRegion`.
    UpdateRegionPayload {
        /// The changed region.
        region: Region
    }
);
payload!(
    /// The result of `createSkill`.
    CreateSkillPayload {
        /// The new skill.
        skill: Skill
    }
);
payload!(
    /// The result of `updateSkill`.
    UpdateSkillPayload {
        /// The renamed skill.
        skill: Skill
    }
);

fn codes(list: Vec<CountryCode>) -> Vec<String> {
    list.into_iter().map(|c| c.0).collect()
}

/// Changing reference data (admins and recruiters).
#[derive(Default)]
pub struct ReferenceMutation;

#[Object]
impl ReferenceMutation {
    /// Adds a team.
    async fn create_team(
        &self,
        ctx: &Context<'_>,
        input: CreateTeamInput,
    ) -> Result<CreateTeamPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageReferenceData)?;
        let changes = TeamChanges {
            name: Some(input.name),
            department: Some(input.department),
            vertical: Some(input.vertical),
        };
        CreateTeamPayload::from_outcome(
            domain::save_team(&rc.db, &actor(rc), None, changes).await,
            Team,
        )
    }

    /// Changes a team.
    async fn update_team(
        &self,
        ctx: &Context<'_>,
        input: UpdateTeamInput,
    ) -> Result<UpdateTeamPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageReferenceData)?;
        let outcome = async {
            let id = input_id(&input.id, NodeKind::Team, &["id"])?;
            let changes = TeamChanges {
                name: input.name,
                department: input.department,
                vertical: super::change(input.vertical, |v| v),
            };
            domain::save_team(&rc.db, &actor(rc), Some(id), changes).await
        };
        UpdateTeamPayload::from_outcome(outcome.await, Team)
    }

    /// Adds a region.
    async fn create_region(
        &self,
        ctx: &Context<'_>,
        input: CreateRegionInput,
    ) -> Result<CreateRegionPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageReferenceData)?;
        let changes = RegionChanges {
            name: Some(input.name),
            slug: input.slug,
            everywhere: Some(input.everywhere),
            countries: Some(codes(input.country_codes)),
        };
        CreateRegionPayload::from_outcome(
            domain::save_region(&rc.db, &actor(rc), None, changes).await,
            Region,
        )
    }

    /// Changes a region.
    async fn update_region(
        &self,
        ctx: &Context<'_>,
        input: UpdateRegionInput,
    ) -> Result<UpdateRegionPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageReferenceData)?;
        let outcome = async {
            let id = input_id(&input.id, NodeKind::Region, &["id"])?;
            let changes = RegionChanges {
                name: input.name,
                slug: input.slug,
                everywhere: input.everywhere,
                countries: input.country_codes.map(codes),
            };
            domain::save_region(&rc.db, &actor(rc), Some(id), changes).await
        };
        UpdateRegionPayload::from_outcome(outcome.await, Region)
    }

    /// Adds a skill.
    async fn create_skill(
        &self,
        ctx: &Context<'_>,
        input: CreateSkillInput,
    ) -> Result<CreateSkillPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageReferenceData)?;
        let changes = SkillChanges {
            name: Some(input.name),
        };
        CreateSkillPayload::from_outcome(
            domain::save_skill(&rc.db, &actor(rc), None, changes).await,
            Skill,
        )
    }

    /// Renames a skill.
    async fn update_skill(
        &self,
        ctx: &Context<'_>,
        input: UpdateSkillInput,
    ) -> Result<UpdateSkillPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageReferenceData)?;
        let outcome = async {
            let id = input_id(&input.id, NodeKind::Skill, &["id"])?;
            domain::save_skill(
                &rc.db,
                &actor(rc),
                Some(id),
                SkillChanges {
                    name: Some(input.name),
                },
            )
            .await
        };
        UpdateSkillPayload::from_outcome(outcome.await, Skill)
    }
}

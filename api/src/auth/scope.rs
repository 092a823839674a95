//! What part of the pipeline a staff viewer may see.
//!
//! Admins and recruiters see every application, candidate and interview.
//! Hiring managers see those of the postings they manage and, like
//! interviewers, the applications they interview for. Interviewers see the
//! applications they interview for, their candidates, and their own
//! interviews. Lists are narrowed in SQL ([`Scope::applications`] and
//! friends); single objects are checked against the viewer's [`Reach`],
//! loaded once per request when first needed.

use std::collections::HashSet;

use entity::enums::Role;
use entity::{application, compensation_band, interview, interview_interviewer, posting};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
};

use super::viewer::Viewer;

/// How much of the pipeline a viewer sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Everything (admins and recruiters).
    All,
    /// The postings this hiring manager manages, and what they interview for.
    Managing(i64),
    /// What this interviewer takes part in.
    Interviewing(i64),
    /// Nothing (anonymous callers).
    Nothing,
}

impl Scope {
    /// The scope of `viewer`.
    pub fn of(viewer: &Viewer) -> Scope {
        match viewer.as_staff() {
            None => Scope::Nothing,
            Some(staff) => match staff.role {
                Role::Admin | Role::Recruiter => Scope::All,
                Role::HiringManager => Scope::Managing(staff.id()),
                Role::Interviewer => Scope::Interviewing(staff.id()),
            },
        }
    }

    /// The condition on `applications` rows the viewer may see.
    pub fn applications(self) -> Condition {
        match self {
            Scope::All => Condition::all(),
            Scope::Managing(user) => Condition::any()
                .add(application::Column::PostingId.in_subquery(managed_postings(user)))
                .add(application::Column::Id.in_subquery(interviewed_applications(user))),
            Scope::Interviewing(user) => Condition::all()
                .add(application::Column::Id.in_subquery(interviewed_applications(user))),
            Scope::Nothing => nothing(),
        }
    }

    /// The condition on `interviews` rows the viewer may see.
    pub fn interviews(self) -> Condition {
        match self {
            Scope::All => Condition::all(),
            Scope::Managing(user) => {
                let applications = Query::select()
                    .column(application::Column::Id)
                    .from(application::Entity)
                    .and_where(application::Column::PostingId.in_subquery(managed_postings(user)))
                    .take();
                Condition::any()
                    .add(interview::Column::ApplicationId.in_subquery(applications))
                    .add(interview::Column::Id.in_subquery(own_interviews(user)))
            }
            Scope::Interviewing(user) => {
                Condition::all().add(interview::Column::Id.in_subquery(own_interviews(user)))
            }
            Scope::Nothing => nothing(),
        }
    }

    /// The condition on `candidates` rows the viewer may see: those with an
    /// application the viewer may see.
    pub fn candidates(self) -> Condition {
        match self {
            Scope::All => Condition::all(),
            Scope::Nothing => nothing(),
            limited => {
                let applications = Query::select()
                    .column(application::Column::CandidateId)
                    .from(application::Entity)
                    .cond_where(limited.applications())
                    .take();
                Condition::all().add(entity::candidate::Column::Id.in_subquery(applications))
            }
        }
    }

    /// The condition on `compensation_bands` rows the viewer may see: a
    /// hiring manager sees the bands of the job families of their postings.
    pub fn bands(self) -> Condition {
        match self {
            Scope::All => Condition::all(),
            Scope::Managing(user) => {
                let families = Query::select()
                    .column(posting::Column::JobFamilyId)
                    .from(posting::Entity)
                    .and_where(posting::Column::HiringManagerId.eq(user))
                    .and_where(posting::Column::JobFamilyId.is_not_null())
                    .take();
                Condition::all().add(compensation_band::Column::JobFamilyId.in_subquery(families))
            }
            Scope::Interviewing(_) | Scope::Nothing => nothing(),
        }
    }

    /// Loads the ids of what a limited viewer may see; `None` for everything.
    pub async fn reach(self, db: &impl ConnectionTrait) -> Result<Option<Reach>, DbErr> {
        if let Scope::All = self {
            return Ok(None);
        }
        if let Scope::Nothing = self {
            return Ok(Some(Reach::default()));
        }
        let rows: Vec<(i64, i64)> = application::Entity::find()
            .select_only()
            .column(application::Column::Id)
            .column(application::Column::CandidateId)
            .filter(self.applications())
            .into_tuple()
            .all(db)
            .await?;
        let families: Vec<Option<i64>> = match self {
            Scope::Managing(user) => {
                posting::Entity::find()
                    .select_only()
                    .column(posting::Column::JobFamilyId)
                    .filter(posting::Column::HiringManagerId.eq(user))
                    .into_tuple()
                    .all(db)
                    .await?
            }
            _ => Vec::new(),
        };
        let interviews: Vec<i64> = interview::Entity::find()
            .select_only()
            .column(interview::Column::Id)
            .filter(self.interviews())
            .into_tuple()
            .all(db)
            .await?;
        Ok(Some(Reach {
            applications: rows.iter().map(|(id, _)| *id).collect(),
            candidates: rows.iter().map(|(_, candidate)| *candidate).collect(),
            interviews: interviews.into_iter().collect(),
            job_families: families.into_iter().flatten().collect(),
        }))
    }
}

/// The ids a limited viewer may see.
#[derive(Clone, Debug, Default)]
pub struct Reach {
    pub applications: HashSet<i64>,
    pub candidates: HashSet<i64>,
    pub interviews: HashSet<i64>,
    /// Job families whose bands a hiring manager may see.
    pub job_families: HashSet<i64>,
}

/// A condition no row meets.
fn nothing() -> Condition {
    Condition::all().add(Expr::val(1).eq(0))
}

fn managed_postings(user: i64) -> SelectStatement {
    Query::select()
        .column(posting::Column::Id)
        .from(posting::Entity)
        .and_where(posting::Column::HiringManagerId.eq(user))
        .take()
}

fn own_interviews(user: i64) -> SelectStatement {
    Query::select()
        .column(interview_interviewer::Column::InterviewId)
        .from(interview_interviewer::Entity)
        .and_where(interview_interviewer::Column::UserId.eq(user))
        .take()
}

fn interviewed_applications(user: i64) -> SelectStatement {
    Query::select()
        .column(interview::Column::ApplicationId)
        .from(interview::Entity)
        .and_where(interview::Column::Id.in_subquery(own_interviews(user)))
        .take()
}

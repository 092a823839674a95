//! Funnel figures of postings, computed in SQL from the transition log.
//!
//! Every figure is one statement for any number of postings: the rows are
//! grouped by posting (or by stage, which belongs to one posting) and only
//! the aggregates come back, never the transitions themselves.
//!
//! The log (`stage_transitions`) has one entry per change of an
//! application: the first one (from no stage) is the candidate applying;
//! an entry whose stage differs from the one before is a move; an entry at
//! the same stage is a change of status (a rejection, a withdrawal, a hire,
//! a reopening). So:
//!
//! - an application *entered* a stage when an entry reaches the stage from
//!   no stage or from another stage;
//! - it *advanced* from that stage when, after entering it, it entered a
//!   stage further down the plan (a higher position);
//! - a *stay* at a stage runs from entering it to the application's next
//!   entry into another stage; stays with no such entry (still there, or
//!   ended by a rejection, a withdrawal or a hire) have no length and are
//!   left out of the medians;
//! - *time to hire* runs from applying to the entry that made the
//!   application HIRED.
//!
//! Medians are portable: SQLite has no percentile functions, so the values
//! of each group are numbered with `ROW_NUMBER()` and counted with
//! `COUNT(*)` over the group, and the median is the average of the one or
//! two middle values (rows `(n + 1) / 2` and `(n + 2) / 2`, integer
//! division). Lengths of time are whole seconds: on Postgres
//! `EXTRACT(EPOCH FROM (b - a))`; on SQLite, where timestamps are RFC 3339
//! text with an offset (`2026-11-29T16:00:00.250+00:00`, which `julianday`
//! reads, fractions of a second included), `(julianday(b) - julianday(a)) *
//! 86400`. Each length is rounded to the second, and so is the median.

use std::collections::HashMap;

use entity::enums::{ApplicationStatus, CandidateSource, RejectionReason};
use entity::{application, candidate, interview_stage, stage_transition};
use sea_orm::sea_query::{
    Alias, Asterisk, Condition, Expr, ExprTrait, Frame, FrameType, Func, Order, Query,
    SelectStatement, WindowStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect,
};

/// The funnel of one posting.
#[derive(Clone, Debug, PartialEq)]
pub struct Funnel {
    /// Every application to the posting, whatever its status.
    pub total_applications: i64,
    /// Every stage of the plan, in plan order.
    pub stages: Vec<StageFigures>,
    /// Applications that are HIRED.
    pub hired: i64,
    /// Median of applying to being hired, in seconds, over hired applications.
    pub time_to_hire_seconds: Option<i64>,
    /// REJECTED applications by reason, most frequent first.
    pub rejections: Vec<(RejectionReason, i64)>,
    /// All applications by where their candidate came from, most frequent first.
    pub sources: Vec<(CandidateSource, i64)>,
}

/// The figures of one stage of a posting's plan.
#[derive(Clone, Debug, PartialEq)]
pub struct StageFigures {
    /// The stage.
    pub stage: interview_stage::Model,
    /// ACTIVE applications at the stage now.
    pub current: i64,
    /// Applications that ever entered the stage.
    pub entered: i64,
    /// Of those, applications that later entered a stage further down the plan.
    pub advanced: i64,
    /// Median length of the completed stays at the stage, in seconds.
    pub median_seconds: Option<i64>,
}

impl StageFigures {
    /// `advanced / entered`, from 0 to 1; none when nobody entered.
    pub fn conversion_rate(&self) -> Option<f64> {
        (self.entered > 0).then(|| self.advanced as f64 / self.entered as f64)
    }
}

/// The funnel of each posting of `posting_ids` (postings that do not exist
/// get an empty funnel). Runs eight statements whatever the number of postings.
pub async fn posting_funnels(
    db: &impl ConnectionTrait,
    posting_ids: &[i64],
) -> Result<HashMap<i64, Funnel>, DbErr> {
    let backend = db.get_database_backend();
    let ids = || posting_ids.iter().copied();

    let plan = interview_stage::Entity::find()
        .filter(interview_stage::Column::PostingId.is_in(ids()))
        .order_by_asc(interview_stage::Column::PostingId)
        .order_by_asc(interview_stage::Column::Position)
        .order_by_asc(interview_stage::Column::Id)
        .all(db)
        .await?;
    let current = current_by_stage(db, posting_ids).await?;
    let flow: HashMap<i64, FlowRow> = FlowRow::find_by_statement(backend.build(&flow(posting_ids)))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.stage_id, row))
        .collect();
    let stays = medians(db, stay_lengths(backend, posting_ids)?).await?;
    let totals: HashMap<i64, TotalsRow> =
        TotalsRow::find_by_statement(backend.build(&totals(posting_ids)))
            .all(db)
            .await?
            .into_iter()
            .map(|row| (row.posting_id, row))
            .collect();
    let time_to_hire = medians(db, hire_lengths(backend, posting_ids)?).await?;
    let rejections = ReasonRow::find_by_statement(backend.build(&rejections(posting_ids)))
        .all(db)
        .await?;
    let sources = SourceRow::find_by_statement(backend.build(&sources(posting_ids)))
        .all(db)
        .await?;

    let mut funnels: HashMap<i64, Funnel> = ids()
        .map(|id| {
            let totals = totals.get(&id);
            let funnel = Funnel {
                total_applications: totals.map_or(0, |t| t.total),
                stages: Vec::new(),
                hired: totals.map_or(0, |t| t.hired),
                time_to_hire_seconds: time_to_hire.get(&id).copied(),
                rejections: Vec::new(),
                sources: Vec::new(),
            };
            (id, funnel)
        })
        .collect();
    for stage in plan {
        let flow = flow.get(&stage.id);
        let figures = StageFigures {
            current: current.get(&stage.id).copied().unwrap_or(0),
            entered: flow.map_or(0, |f| f.entered),
            advanced: flow.map_or(0, |f| f.advanced),
            median_seconds: stays.get(&stage.id).copied(),
            stage,
        };
        if let Some(funnel) = funnels.get_mut(&figures.stage.posting_id) {
            funnel.stages.push(figures);
        }
    }
    for row in rejections {
        if let Some(funnel) = funnels.get_mut(&row.posting_id) {
            funnel.rejections.push((row.reason, row.count));
        }
    }
    for row in sources {
        if let Some(funnel) = funnels.get_mut(&row.posting_id) {
            funnel.sources.push((row.source, row.count));
        }
    }
    Ok(funnels)
}

// Names of the columns and derived tables of the statements below.
const STAGE_ID: &str = "stage_id";
const POSITION: &str = "position";
const APPLICATION_ID: &str = "application_id";
const LATER_POSITION: &str = "later_position";
const ENTERED_AT: &str = "entered_at";
const LEFT_AT: &str = "left_at";
const GROUP_ID: &str = "group_id";
const SECONDS: &str = "seconds";
const RANK: &str = "rank_in_group";
const GROUP_SIZE: &str = "group_size";
const MEDIAN: &str = "median_seconds";
const COUNT: &str = "count";

fn col(name: &str) -> Expr {
    Expr::col(Alias::new(name))
}

/// ACTIVE applications per stage, for the stages of `posting_ids`.
async fn current_by_stage(
    db: &impl ConnectionTrait,
    posting_ids: &[i64],
) -> Result<HashMap<i64, i64>, DbErr> {
    let rows: Vec<(i64, i64)> = application::Entity::find()
        .select_only()
        .column(application::Column::CurrentStageId)
        .column_as(application::Column::Id.count(), COUNT)
        .filter(application::Column::PostingId.is_in(posting_ids.iter().copied()))
        .filter(application::Column::Status.eq(ApplicationStatus::Active))
        .group_by(application::Column::CurrentStageId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The log entries that enter a stage of one of `posting_ids` (from no stage
/// or from another one), with the stage's id and position:
///
/// ```sql
/// SELECT t.application_id, t.to_stage_id AS stage_id, s.position, ...
/// FROM stage_transitions t JOIN interview_stages s ON s.id = t.to_stage_id
/// WHERE s.posting_id IN (...) AND (t.from_stage_id IS NULL OR t.from_stage_id <> t.to_stage_id)
/// ```
fn stage_entries(posting_ids: &[i64]) -> SelectStatement {
    use stage_transition::Column as T;
    Query::select()
        .expr_as(
            Expr::col((stage_transition::Entity, T::ApplicationId)),
            Alias::new(APPLICATION_ID),
        )
        .expr_as(
            Expr::col((stage_transition::Entity, T::ToStageId)),
            Alias::new(STAGE_ID),
        )
        .expr_as(
            Expr::col((interview_stage::Entity, interview_stage::Column::Position)),
            Alias::new(POSITION),
        )
        .from(stage_transition::Entity)
        .inner_join(
            interview_stage::Entity,
            Expr::col((interview_stage::Entity, interview_stage::Column::Id))
                .equals((stage_transition::Entity, T::ToStageId)),
        )
        .and_where(interview_stage::Column::PostingId.is_in(posting_ids.iter().copied()))
        .cond_where(
            Condition::any()
                .add(Expr::col((stage_transition::Entity, T::FromStageId)).is_null())
                .add(
                    Expr::col((stage_transition::Entity, T::FromStageId))
                        .ne(Expr::col((stage_transition::Entity, T::ToStageId))),
                ),
        )
        .take()
}

/// An application's stage entries in the order they happened.
fn in_application_order() -> WindowStatement {
    WindowStatement::partition_by((
        stage_transition::Entity,
        stage_transition::Column::ApplicationId,
    ))
    .order_by(
        (
            stage_transition::Entity,
            stage_transition::Column::OccurredAt,
        ),
        Order::Asc,
    )
    .order_by(
        (stage_transition::Entity, stage_transition::Column::Id),
        Order::Asc,
    )
    .take()
}

#[derive(Debug, FromQueryResult)]
struct FlowRow {
    stage_id: i64,
    entered: i64,
    advanced: i64,
}

/// Per stage: applications that entered it, and those that later entered a
/// stage with a higher position. The highest position an application
/// entered from each entry on comes from a window over that entry and the
/// later ones (the entry itself is at `position`, so the maximum exceeds
/// `position` exactly when a later entry does):
///
/// ```sql
/// SELECT stage_id,
///        COUNT(DISTINCT application_id) AS entered,
///        COUNT(DISTINCT CASE WHEN later_position > position THEN application_id END) AS advanced
/// FROM (SELECT ..., MAX(s.position) OVER (PARTITION BY t.application_id
///                       ORDER BY t.occurred_at, t.id
///                       ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS later_position
///       FROM <stage entries>) entries
/// GROUP BY stage_id
/// ```
fn flow(posting_ids: &[i64]) -> SelectStatement {
    let mut entries = stage_entries(posting_ids);
    entries.expr_window_as(
        Func::max(Expr::col((
            interview_stage::Entity,
            interview_stage::Column::Position,
        ))),
        in_application_order()
            .frame_between(
                FrameType::Rows,
                Frame::CurrentRow,
                Frame::UnboundedFollowing,
            )
            .take(),
        Alias::new(LATER_POSITION),
    );
    Query::select()
        .expr_as(col(STAGE_ID), Alias::new(STAGE_ID))
        .expr_as(
            Func::count_distinct(col(APPLICATION_ID)),
            Alias::new("entered"),
        )
        .expr_as(
            Func::count_distinct(Expr::case(
                col(LATER_POSITION).gt(col(POSITION)),
                col(APPLICATION_ID),
            )),
            Alias::new("advanced"),
        )
        .from_subquery(entries, Alias::new("entries"))
        .group_by_col(Alias::new(STAGE_ID))
        .take()
}

/// Seconds from `from` to `to`, as a number (not rounded).
fn seconds_between(backend: DbBackend, from: Expr, to: Expr) -> Result<Expr, DbErr> {
    match backend {
        DbBackend::Postgres => Ok(Expr::cust_with_exprs(
            "EXTRACT(EPOCH FROM ($2 - $1))",
            [from, to],
        )),
        DbBackend::Sqlite => Ok(Expr::cust_with_exprs(
            "((julianday(?) - julianday(?)) * 86400)",
            [to, from],
        )),
        _ => Err(DbErr::BackendNotSupported {
            db: "MySQL",
            ctx: "funnel figures",
        }),
    }
}

/// Rounds to whole seconds.
fn whole_seconds(seconds: Expr) -> Expr {
    Func::round(seconds).into()
}

/// The length in whole seconds of every completed stay at a stage of
/// `posting_ids`, as `(group_id = stage id, seconds)`. A stay ends at the
/// application's next stage entry (`LEAD` over its entries); stays with no
/// next entry are left out.
fn stay_lengths(backend: DbBackend, posting_ids: &[i64]) -> Result<SelectStatement, DbErr> {
    let mut entries = stage_entries(posting_ids);
    entries
        .expr_as(
            Expr::col((
                stage_transition::Entity,
                stage_transition::Column::OccurredAt,
            )),
            Alias::new(ENTERED_AT),
        )
        .expr_window_as(
            Func::cust("LEAD").arg(Expr::col((
                stage_transition::Entity,
                stage_transition::Column::OccurredAt,
            ))),
            in_application_order(),
            Alias::new(LEFT_AT),
        );
    Ok(Query::select()
        .expr_as(col(STAGE_ID), Alias::new(GROUP_ID))
        .expr_as(
            whole_seconds(seconds_between(backend, col(ENTERED_AT), col(LEFT_AT))?),
            Alias::new(SECONDS),
        )
        .from_subquery(entries, Alias::new("stays"))
        .and_where(col(LEFT_AT).is_not_null())
        .take())
}

/// For every HIRED application of `posting_ids`, the whole seconds from
/// applying to the entry that made it HIRED, as `(group_id = posting id, seconds)`.
fn hire_lengths(backend: DbBackend, posting_ids: &[i64]) -> Result<SelectStatement, DbErr> {
    use application::Column as A;
    use stage_transition::Column as T;
    let hired_at = Expr::from(Func::min(Expr::col((
        stage_transition::Entity,
        T::OccurredAt,
    ))));
    Ok(Query::select()
        .expr_as(
            Expr::col((application::Entity, A::PostingId)),
            Alias::new(GROUP_ID),
        )
        .expr_as(
            whole_seconds(seconds_between(
                backend,
                Expr::col((application::Entity, A::AppliedAt)),
                hired_at,
            )?),
            Alias::new(SECONDS),
        )
        .from(application::Entity)
        .inner_join(
            stage_transition::Entity,
            Expr::col((stage_transition::Entity, T::ApplicationId))
                .equals((application::Entity, A::Id)),
        )
        .and_where(A::PostingId.is_in(posting_ids.iter().copied()))
        .and_where(A::Status.eq(ApplicationStatus::Hired))
        .and_where(T::ToStatus.eq(ApplicationStatus::Hired))
        .group_by_col((application::Entity, A::Id))
        .group_by_col((application::Entity, A::PostingId))
        .group_by_col((application::Entity, A::AppliedAt))
        .take())
}

#[derive(Debug, FromQueryResult)]
struct MedianRow {
    group_id: i64,
    median_seconds: i64,
}

/// The median of `lengths` (`group_id`, `seconds`) per group, in whole seconds.
async fn medians(
    db: &impl ConnectionTrait,
    lengths: SelectStatement,
) -> Result<HashMap<i64, i64>, DbErr> {
    let statement = db.get_database_backend().build(&median(lengths));
    let rows = MedianRow::find_by_statement(statement).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.group_id, row.median_seconds))
        .collect())
}

/// The statement of [`medians`]:
///
/// ```sql
/// SELECT group_id, CAST(ROUND(AVG(seconds)) AS BIGINT) AS median_seconds
/// FROM (SELECT group_id, seconds,
///              ROW_NUMBER() OVER (PARTITION BY group_id ORDER BY seconds) AS rank_in_group,
///              COUNT(*) OVER (PARTITION BY group_id) AS group_size
///       FROM <lengths> lengths) ranked
/// WHERE rank_in_group = (group_size + 1) / 2 OR rank_in_group = (group_size + 2) / 2
/// GROUP BY group_id
/// ```
///
/// With 5 values the middle rows are 3 and 3; with 4, rows 2 and 3.
fn median(lengths: SelectStatement) -> SelectStatement {
    let group = || WindowStatement::partition_by(Alias::new(GROUP_ID));
    let ranked = Query::select()
        .column(Alias::new(GROUP_ID))
        .column(Alias::new(SECONDS))
        .expr_window_as(
            Func::cust("ROW_NUMBER"),
            group().order_by(Alias::new(SECONDS), Order::Asc).take(),
            Alias::new(RANK),
        )
        .expr_window_as(
            Func::count(Expr::col(Asterisk)),
            group(),
            Alias::new(GROUP_SIZE),
        )
        .from_subquery(lengths, Alias::new("lengths"))
        .take();
    let middle = |offset: i32| col(GROUP_SIZE).add(offset).div(2);
    Query::select()
        .column(Alias::new(GROUP_ID))
        .expr_as(
            Func::cast_as(Func::round(Func::avg(col(SECONDS))), Alias::new("BIGINT")),
            Alias::new(MEDIAN),
        )
        .from_subquery(ranked, Alias::new("ranked"))
        .cond_where(
            Condition::any()
                .add(col(RANK).eq(middle(1)))
                .add(col(RANK).eq(middle(2))),
        )
        .group_by_col(Alias::new(GROUP_ID))
        .take()
}

#[derive(Debug, FromQueryResult)]
struct TotalsRow {
    posting_id: i64,
    total: i64,
    hired: i64,
}

/// Per posting: all applications, and the HIRED ones.
fn totals(posting_ids: &[i64]) -> SelectStatement {
    use application::Column as A;
    let hired = Expr::case(A::Status.eq(ApplicationStatus::Hired), 1).finally(0);
    Query::select()
        .column(A::PostingId)
        .expr_as(Func::count(Expr::col(A::Id)), Alias::new("total"))
        .expr_as(Func::sum(hired), Alias::new("hired"))
        .from(application::Entity)
        .and_where(A::PostingId.is_in(posting_ids.iter().copied()))
        .group_by_col(A::PostingId)
        .take()
}

#[derive(Debug, FromQueryResult)]
struct ReasonRow {
    posting_id: i64,
    reason: RejectionReason,
    count: i64,
}

/// Per posting, REJECTED applications by reason, most frequent first.
fn rejections(posting_ids: &[i64]) -> SelectStatement {
    use application::Column as A;
    Query::select()
        .column(A::PostingId)
        .expr_as(Expr::col(A::RejectionReason), Alias::new("reason"))
        .expr_as(Func::count(Expr::col(A::Id)), Alias::new(COUNT))
        .from(application::Entity)
        .and_where(A::PostingId.is_in(posting_ids.iter().copied()))
        .and_where(A::Status.eq(ApplicationStatus::Rejected))
        .and_where(Expr::col(A::RejectionReason).is_not_null())
        .group_by_col(A::PostingId)
        .group_by_col(A::RejectionReason)
        .order_by(A::PostingId, Order::Asc)
        .order_by(Alias::new(COUNT), Order::Desc)
        .order_by(A::RejectionReason, Order::Asc)
        .take()
}

#[derive(Debug, FromQueryResult)]
struct SourceRow {
    posting_id: i64,
    source: CandidateSource,
    count: i64,
}

/// Per posting, all applications by their candidate's source, most frequent first.
fn sources(posting_ids: &[i64]) -> SelectStatement {
    use application::Column as A;
    use candidate::Column as C;
    Query::select()
        .expr_as(
            Expr::col((application::Entity, A::PostingId)),
            Alias::new("posting_id"),
        )
        .expr_as(
            Expr::col((candidate::Entity, C::Source)),
            Alias::new("source"),
        )
        .expr_as(
            Func::count(Expr::col((application::Entity, A::Id))),
            Alias::new(COUNT),
        )
        .from(application::Entity)
        .inner_join(
            candidate::Entity,
            Expr::col((candidate::Entity, C::Id)).equals((application::Entity, A::CandidateId)),
        )
        .and_where(A::PostingId.is_in(posting_ids.iter().copied()))
        .group_by_col((application::Entity, A::PostingId))
        .group_by_col((candidate::Entity, C::Source))
        .order_by((application::Entity, A::PostingId), Order::Asc)
        .order_by(Alias::new(COUNT), Order::Desc)
        .order_by((candidate::Entity, C::Source), Order::Asc)
        .take()
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, Database};

    use super::*;

    fn stage(entered: i64, advanced: i64) -> StageFigures {
        let now = chrono::Utc::now();
        StageFigures {
            stage: interview_stage::Model {
                id: 1,
                posting_id: 1,
                position: 1,
                name: "Screen".into(),
                kind: entity::enums::StageKind::RecruiterScreen,
                mode: entity::enums::StageMode::Sync,
                duration_minutes: Some(30),
                sla_hours: None,
                created_at: now,
                updated_at: now,
            },
            current: 0,
            entered,
            advanced,
            median_seconds: None,
        }
    }

    #[test]
    fn conversion_is_advanced_over_entered_and_none_without_entries() {
        assert_eq!(stage(0, 0).conversion_rate(), None);
        assert_eq!(stage(4, 1).conversion_rate(), Some(0.25));
        assert_eq!(stage(3, 0).conversion_rate(), Some(0.0));
    }

    #[tokio::test]
    async fn the_median_is_the_middle_value_or_the_mean_of_the_two_middle_ones() -> Result<(), DbErr>
    {
        let db = Database::connect("sqlite::memory:").await?;
        db.execute_unprepared("CREATE TABLE lengths (group_id INTEGER, seconds REAL)")
            .await?;
        // Group 1: one value. 2: two (mean 15). 3: odd, unsorted. 4: even,
        // unsorted, with a mean that rounds up (2.5 -> 3). 5: repeated values.
        db.execute_unprepared(
            "INSERT INTO lengths VALUES (1, 7), (2, 10), (2, 20), (3, 9), (3, 1), (3, 5), \
             (4, 3), (4, 1), (4, 100), (4, 2), (5, 3), (5, 3), (5, 8)",
        )
        .await?;
        let lengths = Query::select()
            .column(Alias::new(GROUP_ID))
            .column(Alias::new(SECONDS))
            .from(Alias::new("lengths"))
            .take();
        let found = medians(&db, lengths).await?;
        let expected: HashMap<i64, i64> = [(1, 7), (2, 15), (3, 5), (4, 3), (5, 3)].into();
        assert_eq!(found, expected);
        Ok(())
    }
}

//! Live updates: what changed, announced after the change committed, to the
//! subscriptions of every process.
//!
//! An [`Event`] names only the kind of change and ids; a subscriber re-reads
//! the rows with its own viewer's permissions, so an event never carries data
//! a subscriber could not read anyway.
//!
//! On Postgres events travel through `NOTIFY hiregraph_events` and every
//! process delivers what its `LISTEN` connection receives (its own events
//! included), so a change made through one process reaches subscribers
//! connected to another. On SQLite the one process delivers in memory.
//!
//! Delivery within a process is a bounded broadcast: a subscriber that falls
//! more than [`CAPACITY`] events behind is ended with an error rather than
//! holding memory for it.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;
use sea_orm::sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, watch};

/// The Postgres channel events travel on.
pub const CHANNEL: &str = "hiregraph_events";

/// How many events a subscriber may fall behind before it is ended.
pub const CAPACITY: usize = 256;

/// What happened to an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
#[serde(rename_all = "snake_case")]
pub enum PipelineChange {
    /// A candidate applied, or was added to the posting.
    Created,
    /// The application moved to another stage.
    Moved,
    /// The application was rejected.
    Rejected,
    /// The candidate withdrew.
    Withdrawn,
    /// A closed application was reopened.
    Reopened,
    /// The candidate was hired.
    Hired,
}

/// What happened to an interview.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleChange {
    /// The interview was scheduled.
    Scheduled,
    /// The interview moved to another time.
    Rescheduled,
    /// The interview was cancelled.
    Cancelled,
}

/// A committed change, by ids.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// An application of `posting` changed.
    Application {
        change: PipelineChange,
        application: i64,
        posting: i64,
    },
    /// An interview of `interviewers` changed.
    Interview {
        change: ScheduleChange,
        interview: i64,
        interviewers: Vec<i64>,
    },
    /// An offer's status changed.
    Offer { offer: i64, application: i64 },
}

/// Publishes events and hands them to subscribers. Cheap to clone.
#[derive(Clone)]
pub struct EventBus {
    local: broadcast::Sender<Arc<Event>>,
    /// The pool NOTIFY goes through, on Postgres.
    postgres: Option<PgPool>,
    /// Whether this process is listening (always, in memory).
    listening: watch::Receiver<bool>,
}

impl std::fmt::Debug for EventBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventBus")
            .field("postgres", &self.postgres.is_some())
            .finish()
    }
}

impl EventBus {
    /// A bus delivering in this process only.
    pub fn in_memory() -> EventBus {
        let (local, _) = broadcast::channel(CAPACITY);
        let (_, listening) = watch::channel(true);
        EventBus {
            local,
            postgres: None,
            listening,
        }
    }

    /// The bus for `db`: through LISTEN/NOTIFY on Postgres (starting the
    /// listening task, which reconnects on failure), in memory otherwise.
    /// Must be called inside a tokio runtime.
    pub fn for_database(db: &DatabaseConnection) -> EventBus {
        if db.get_database_backend() != sea_orm::DbBackend::Postgres {
            return EventBus::in_memory();
        }
        let pool = db.get_postgres_connection_pool().clone();
        // LISTEN holds its connection for good: it gets one of its own, so
        // the pool keeps every connection it was configured with.
        let own = PgPoolOptions::new()
            .max_connections(1)
            .connect_lazy_with((*pool.connect_options()).clone());
        let (local, _) = broadcast::channel(CAPACITY);
        let (ready, listening) = watch::channel(false);
        tokio::spawn(listen(own, local.clone(), ready));
        EventBus {
            local,
            postgres: Some(pool),
            listening,
        }
    }

    /// Announces `event`; call only once the change has committed. Failing
    /// to announce is logged, never an error for the change itself.
    pub async fn publish(&self, event: Event) {
        match &self.postgres {
            None => {
                // No receivers is fine: nobody is subscribed.
                let _ = self.local.send(Arc::new(event));
            }
            Some(pool) => {
                let payload = match serde_json::to_string(&event) {
                    Ok(payload) => payload,
                    Err(err) => {
                        tracing::error!(error = %err, "could not encode an event");
                        return;
                    }
                };
                let sent = sea_orm::sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(payload)
                    .execute(pool)
                    .await;
                if let Err(err) = sent {
                    tracing::warn!(error = %err, ?event, "could not announce an event");
                }
            }
        }
    }

    /// Events from now on. Waits (a few seconds at most) until this process
    /// listens, so that nothing published after this returns is missed.
    pub async fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        let receiver = self.local.subscribe();
        let mut listening = self.listening.clone();
        let _ =
            tokio::time::timeout(Duration::from_secs(5), listening.wait_for(|ready| *ready)).await;
        receiver
    }
}

/// The longest pause between attempts to reconnect the listener, so that
/// subscriptions hear of changes again within seconds of the database's return.
const MAX_PAUSE: Duration = Duration::from_secs(2);

/// Receives the events of every process over the one connection of `pool`,
/// reconnecting (after a pause) whenever it fails.
async fn listen(pool: PgPool, local: broadcast::Sender<Arc<Event>>, ready: watch::Sender<bool>) {
    let mut pause = Duration::from_millis(100);
    loop {
        if ready.is_closed() {
            // Every bus of this process is gone.
            return;
        }
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(listener) => listener,
            Err(err) => {
                tracing::warn!(error = %err, "could not connect to listen for events; retrying");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(MAX_PAUSE);
                continue;
            }
        };
        if let Err(err) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %err, "could not LISTEN for events; retrying");
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(MAX_PAUSE);
            continue;
        }
        pause = Duration::from_millis(100);
        let _ = ready.send(true);
        loop {
            // `try_recv` says `None` when the connection was lost (and
            // reconnects on the next call); notifications sent meanwhile are lost.
            let received = tokio::select! {
                _ = ready.closed() => return,
                received = listener.try_recv() => received,
            };
            match received {
                Ok(Some(notification)) => {
                    match serde_json::from_str::<Event>(notification.payload()) {
                        Ok(event) => {
                            let _ = local.send(Arc::new(event));
                        }
                        Err(err) => tracing::warn!(
                            error = %err,
                            payload = notification.payload(),
                            "ignoring an event that does not parse"
                        ),
                    }
                }
                Ok(None) => {
                    tracing::warn!("the event listener lost its connection; reconnecting");
                }
                Err(err) => {
                    tracing::warn!(error = %err, "the event listener failed; reconnecting");
                    let _ = ready.send(false);
                    break;
                }
            }
        }
        tokio::time::sleep(pause).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_travel_as_small_json() {
        let event = Event::Application {
            change: PipelineChange::Moved,
            application: 7,
            posting: 3,
        };
        let json = serde_json::to_string(&event).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"kind":"application","change":"moved","application":7,"posting":3}"#
        );
        assert_eq!(serde_json::from_str::<Event>(&json).ok(), Some(event));
    }

    #[tokio::test]
    async fn in_memory_delivery_is_bounded() {
        let bus = EventBus::in_memory();
        let mut slow = bus.subscribe().await;
        for id in 0..(CAPACITY as i64 + 10) {
            bus.publish(Event::Offer {
                offer: id,
                application: 1,
            })
            .await;
        }
        assert!(matches!(
            slow.recv().await,
            Err(broadcast::error::RecvError::Lagged(10))
        ));
    }
}

//! Batching loads by idleness rather than by time.
//!
//! A time-window loader (wait 1 ms after the first key, then load whatever
//! arrived) splits a batch whenever resolving siblings takes longer than the
//! window, which happens under load, so the number of statements would depend
//! on timing. Here keys only collect; [`Batched`] drives a request's execution
//! and, each time the execution is waiting on something other than its own
//! progress, dispatches every pending batch at once. Every sibling registers
//! its key before that happens, so a batch holds all of them: the number of
//! statements depends only on the shape of the query.
//!
//! The execution runs outside tokio's cooperative budget: with a budget, a
//! task that has used it sees tokio resources answer `Pending` and its
//! wake-up deferred until it yields, which would look like idleness halfway
//! through registering sibling keys. [`Batched`] yields on its own instead.
//!
//! Values are cached for the request, so a row asked for twice is loaded
//! once, and a key already being loaded joins that load.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

use futures_util::future::BoxFuture;
use tokio::sync::oneshot;
use tokio::task::coop::{Unconstrained, unconstrained};

use super::Load;
use crate::error::ApiError;

type Outcome<V> = Result<Option<V>, ApiError>;

/// The values loaded so far, the keys being loaded, and the keys waiting for
/// the next batch, per key type.
struct Slot<K, V> {
    cache: HashMap<K, Option<V>>,
    in_flight: HashMap<K, Vec<oneshot::Sender<Outcome<V>>>>,
    waiting: HashMap<K, Vec<oneshot::Sender<Outcome<V>>>>,
}

/// A [`Slot`] with its key type erased, so one map holds every key type.
trait ErasedSlot: Send {
    /// Takes the waiting keys and returns the load that answers them.
    fn take_batch(
        &mut self,
        loader: &dyn Any,
        shared: Arc<Mutex<Slots>>,
    ) -> Option<BoxFuture<'static, ()>>;
    fn as_any(&mut self) -> &mut dyn Any;
    /// Whether keys wait for a batch.
    fn has_waiting(&mut self) -> bool;
    /// Empties the cache.
    fn forget(&mut self);
}

type Slots = HashMap<TypeId, Box<dyn ErasedSlot>>;

/// A slot that knows which loader answers it.
struct Typed<K, V, L> {
    slot: Slot<K, V>,
    _loader: std::marker::PhantomData<fn() -> L>,
}

impl<K, V, L> ErasedSlot for Typed<K, V, L>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    V: Send + Sync + Clone + 'static,
    L: Load<K, Value = V>,
{
    fn take_batch(
        &mut self,
        loader: &dyn Any,
        shared: Arc<Mutex<Slots>>,
    ) -> Option<BoxFuture<'static, ()>> {
        let loader = loader.downcast_ref::<Arc<L>>()?.clone();
        let this = &mut self.slot;
        if this.waiting.is_empty() {
            return None;
        }
        let keys: Vec<K> = this.waiting.keys().cloned().collect();
        this.in_flight.extend(this.waiting.drain());
        tracing::trace!(target: "hiregraph::batch", keys = keys.len(), "load {}", std::any::type_name::<K>());
        Some(Box::pin(async move {
            let result = loader.load(&keys).await;
            let mut slots = lock(&shared);
            let slot = slot::<K, V, L>(&mut slots);
            for key in keys {
                let senders = slot.in_flight.remove(&key).unwrap_or_default();
                let outcome = match &result {
                    Ok(values) => Ok(values.get(&key).cloned()),
                    Err(err) => Err(err.clone()),
                };
                if let Ok(value) = &outcome {
                    slot.cache.insert(key, value.clone());
                }
                for sender in senders {
                    let _ = sender.send(outcome.clone());
                }
            }
        }))
    }

    fn forget(&mut self) {
        self.slot.cache.clear();
    }

    fn as_any(&mut self) -> &mut dyn Any {
        self
    }

    fn has_waiting(&mut self) -> bool {
        !self.slot.waiting.is_empty()
    }
}

fn lock(slots: &Mutex<Slots>) -> MutexGuard<'_, Slots> {
    // A panic while holding the lock leaves plain maps behind; keep going.
    slots
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The slot for key type `K`, created on first use.
fn slot<K, V, L>(slots: &mut Slots) -> &mut Slot<K, V>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    V: Send + Sync + Clone + 'static,
    L: Load<K, Value = V>,
{
    let erased = slots.entry(TypeId::of::<K>()).or_insert_with(|| {
        Box::new(Typed::<K, V, L> {
            slot: Slot {
                cache: HashMap::new(),
                in_flight: HashMap::new(),
                waiting: HashMap::new(),
            },
            _loader: std::marker::PhantomData,
        })
    });
    match erased.as_any().downcast_mut::<Typed<K, V, L>>() {
        Some(typed) => &mut typed.slot,
        // The map is keyed by `TypeId::of::<K>()` and only ever holds that key's slot.
        None => unreachable!("a loader slot holds another key type"),
    }
}

/// One request's loads: keys wait here until [`Batched`] dispatches them.
pub struct Batcher<L> {
    loader: Arc<L>,
    slots: Arc<Mutex<Slots>>,
}

impl<L: Send + Sync + 'static> Batcher<L> {
    /// A batcher over `loader`.
    pub fn new(loader: L) -> Self {
        Batcher {
            loader: Arc::new(loader),
            slots: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The value for `key`, from the cache or from the next batch.
    pub async fn load_one<K, V>(&self, key: K) -> Outcome<V>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        V: Send + Sync + Clone + 'static,
        L: Load<K, Value = V>,
    {
        let receiver = {
            let mut slots = lock(&self.slots);
            let slot = slot::<K, V, L>(&mut slots);
            if let Some(value) = slot.cache.get(&key) {
                return Ok(value.clone());
            }
            let (sender, receiver) = oneshot::channel();
            match slot.in_flight.get_mut(&key) {
                // Already being loaded: wait for that load rather than start another.
                Some(senders) => senders.push(sender),
                None => slot.waiting.entry(key).or_default().push(sender),
            }
            receiver
        };
        receiver.await.unwrap_or_else(|_| {
            Err(ApiError::Internal(
                "a batch was dropped before it answered".into(),
            ))
        })
    }

    /// The values for `keys` (absent ones left out), in one batch.
    pub async fn load_many<K, V>(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> Result<HashMap<K, V>, ApiError>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        V: Send + Sync + Clone + 'static,
        L: Load<K, Value = V>,
    {
        let loads = keys.into_iter().map(|key| async move {
            let value = self.load_one(key.clone()).await?;
            Ok::<_, ApiError>(value.map(|value| (key, value)))
        });
        let values = futures_util::future::try_join_all(loads).await?;
        Ok(values.into_iter().flatten().collect())
    }

    /// Forgets every loaded value; keys waiting or being loaded stay. For
    /// long-lived executions (subscriptions) between two events.
    pub fn forget(&self) {
        for slot in lock(&self.slots).values_mut() {
            slot.forget();
        }
    }

    /// Whether any key waits for a batch.
    fn has_waiting(&self) -> bool {
        lock(&self.slots)
            .values_mut()
            .any(|slot| slot.has_waiting())
    }

    /// Starts every waiting batch; true when there was one.
    fn dispatch(&self) -> bool {
        let batches: Vec<BoxFuture<'static, ()>> = {
            let mut slots = lock(&self.slots);
            slots
                .values_mut()
                .filter_map(|slot| slot.take_batch(&self.loader, self.slots.clone()))
                .collect()
        };
        let started = !batches.is_empty();
        for batch in batches {
            tokio::spawn(batch);
        }
        started
    }
}

/// Runs a request's execution and dispatches its batches whenever the
/// execution is idle: it is waiting, and stays waiting for a whole scheduler
/// tick (some wake-ups, such as tokio's `yield_now`, are only delivered at
/// the end of a tick).
pub struct Batched<F, L> {
    execution: Pin<Box<Unconstrained<F>>>,
    batcher: Arc<Batcher<L>>,
    /// Set when the execution looked idle with keys waiting: the wake flag of
    /// that poll, to see on the next poll whether anything woke it since.
    settling: Option<Arc<WakeFlag>>,
}

impl<F: Future, L: Send + Sync + 'static> Batched<F, L> {
    /// Drives `execution`, dispatching the loads of `batcher`.
    pub fn new(execution: F, batcher: Arc<Batcher<L>>) -> Self {
        Batched {
            execution: Box::pin(unconstrained(execution)),
            batcher,
            settling: None,
        }
    }
}

/// How many times in a row to re-poll an execution that yields voluntarily
/// before letting other tasks run.
const MAX_REPOLLS: usize = 256;

/// Notes that the execution was woken, and passes the wake on.
struct WakeFlag {
    woken: AtomicBool,
    task: Waker,
}

impl Wake for WakeFlag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.task.wake_by_ref();
    }
}

impl<F: Future, L: Send + Sync + 'static> Future for Batched<F, L> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        if let Some(previous) = this.settling.take()
            && !previous.woken.load(Ordering::SeqCst)
        {
            // Idle for a whole tick: every key the execution can register now
            // is registered.
            this.batcher.dispatch();
        }
        for _ in 0..MAX_REPOLLS {
            let flag = Arc::new(WakeFlag {
                woken: AtomicBool::new(false),
                task: cx.waker().clone(),
            });
            let waker = Waker::from(flag.clone());
            if let Poll::Ready(output) = this
                .execution
                .as_mut()
                .poll(&mut Context::from_waker(&waker))
            {
                return Poll::Ready(output);
            }
            if flag.woken.load(Ordering::SeqCst) {
                // It yielded to be fair to other tasks, not because it waits:
                // more keys may still come, so keep going.
                continue;
            }
            if this.batcher.has_waiting() {
                // Looks idle: come back after the rest of this tick, and
                // dispatch then unless something wakes the execution first.
                this.settling = Some(flag);
                let mut tick = Box::pin(tokio::task::yield_now());
                let _ = tick.as_mut().poll(cx);
            }
            // Otherwise it waits on a batch in flight or on the database,
            // whose completion wakes it.
            return Poll::Pending;
        }
        // Busy for a long while: let other tasks run, then carry on.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use super::*;

    /// Doubles numbers, recording every batch it is asked for.
    #[derive(Default)]
    struct Doubler {
        batches: Mutex<Vec<Vec<u32>>>,
        calls: AtomicUsize,
    }

    impl Load<u32> for Doubler {
        type Value = u32;

        async fn load(&self, keys: &[u32]) -> Result<HashMap<u32, u32>, ApiError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let mut sorted = keys.to_vec();
            sorted.sort_unstable();
            self.batches
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(sorted);
            // Let other tasks run, as a database round trip would.
            tokio::task::yield_now().await;
            if keys.contains(&13) {
                return Err(ApiError::Internal("unlucky".into()));
            }
            Ok(keys
                .iter()
                .filter(|k| **k != 0)
                .map(|k| (*k, k * 2))
                .collect())
        }
    }

    fn batches(batcher: &Batcher<Doubler>) -> Vec<Vec<u32>> {
        batcher
            .loader
            .batches
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    #[tokio::test]
    async fn siblings_load_in_one_batch_however_many_there_are() {
        let batcher = Arc::new(Batcher::new(Doubler::default()));
        let loads = (100..600).map(|k| {
            let batcher = batcher.clone();
            async move {
                // Uneven work before the load, as resolvers do: some siblings
                // reach their load passes later than others.
                for _ in 0..k % 4 {
                    tokio::task::yield_now().await;
                }
                batcher.load_one(k).await
            }
        });
        let values = Batched::new(futures_util::future::join_all(loads), batcher.clone()).await;
        assert_eq!(values.len(), 500);
        assert!(
            values
                .iter()
                .zip(100..)
                .all(|(v, k)| matches!(v, Ok(Some(n)) if *n == 2 * k))
        );
        assert_eq!(batches(&batcher).len(), 1, "one batch for all siblings");
    }

    #[tokio::test]
    async fn a_key_loaded_or_being_loaded_is_not_loaded_again() {
        let batcher = Arc::new(Batcher::new(Doubler::default()));
        let first = batcher.clone();
        let second = batcher.clone();
        let run = async move {
            let (a, b) = tokio::join!(first.load_one(7), async {
                // Ask for the same key after the first batch has started.
                tokio::task::yield_now().await;
                tokio::task::yield_now().await;
                second.load_one(7).await
            });
            let again = first.load_one(7).await;
            (a, b, again)
        };
        let (a, b, again) = Batched::new(run, batcher.clone()).await;
        assert!(matches!(
            (a, b, again),
            (Ok(Some(14)), Ok(Some(14)), Ok(Some(14)))
        ));
        assert_eq!(batches(&batcher), vec![vec![7]]);
    }

    #[tokio::test]
    async fn a_missing_key_is_none_and_a_failed_batch_fails_every_waiter() {
        let batcher = Arc::new(Batcher::new(Doubler::default()));
        let b = batcher.clone();
        let run = async move { tokio::join!(b.load_one(0), b.load_one(13), b.load_one(14)) };
        let (missing, failed, sibling) = Batched::new(run, batcher.clone()).await;
        assert!(
            matches!(missing, Err(ApiError::Internal(_))),
            "same batch as the failure"
        );
        assert!(matches!(failed, Err(ApiError::Internal(_))));
        assert!(matches!(sibling, Err(ApiError::Internal(_))));

        let batcher = Arc::new(Batcher::new(Doubler::default()));
        let b = batcher.clone();
        let missing = Batched::new(async move { b.load_one(0).await }, batcher).await;
        assert!(matches!(missing, Ok(None)));
    }
}

//! Inbound activities of one kind that arrive at the same moment are stored together: the inbox
//! task whose turn it is takes every such activity waiting (up to [`MAX_BATCH`]) into one
//! transaction, so each step (the marks, the rows, the bell, the relays) is one statement for all
//! of them. Members' posts into local groups (`create_many`) and peers' favourites (`like_many`)
//! are batched. An activity the batch cannot take as it is (its author is not a member, the
//! batch failed) is handed back and processed on its own, as before batching.

use crate::{
    db::DbConnection,
    error::AppResult,
    service::{
        outbound::{commit, Intents},
        receipt,
    },
    state::AppState,
};
use std::{
    marker::PhantomData,
    sync::{
        atomic::{AtomicU64, Ordering},
        Mutex,
    },
};
use tokio::sync::oneshot;

/// At most this many activities are stored in one transaction.
pub const MAX_BATCH: usize = 32;

/// What became of an activity handed to a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stored, relayed and marked processed.
    Stored,
    /// Another delivery of the activity holds its mark: nothing was done.
    Duplicate,
    /// Not taken by the batch: the single path processes (or refuses) it.
    Fallback,
}

/// An activity's mark as the inbox task holds it: the activity's id, and whether it was claimed
/// before (else the batch writes it).
pub type Mark = (String, bool);

/// A use case that stores several activities in one transaction.
pub trait Batched: Send + Sync + 'static {
    /// One activity, checked and prepared by the inbox.
    type Entry: Send + 'static;
    /// The entry's mark.
    fn mark(entry: &Self::Entry) -> &Mark;
    /// The writes of a batch: an outcome for each entry, in order. An error rolls the whole
    /// batch back, and each entry is handed back.
    fn store_many(
        c: &mut DbConnection,
        out: &mut Intents,
        entries: Vec<Self::Entry>,
    ) -> AppResult<Vec<Outcome>>;
}

type Waiting<E> = Vec<(E, oneshot::Sender<Outcome>)>;

/// Entries waiting for a batch, and the batches' turn.
pub struct Batch<B: Batched> {
    waiting: Mutex<Waiting<B::Entry>>,
    turn: tokio::sync::Mutex<()>,
    /// Entries stored by batches, and the batches that stored them.
    stored: AtomicU64,
    batches: AtomicU64,
    kind: PhantomData<B>,
}

impl<B: Batched> Default for Batch<B> {
    fn default() -> Self {
        Batch {
            waiting: Mutex::new(Vec::new()),
            turn: tokio::sync::Mutex::new(()),
            stored: AtomicU64::new(0),
            batches: AtomicU64::new(0),
            kind: PhantomData,
        }
    }
}

impl<B: Batched> Batch<B> {
    /// Inside the inbox, hands the activity this task is processing to the batch, as `entry`
    /// makes it from the activity's mark. Answers whether the batch completed it (stored, or a
    /// duplicate skipped); `false` (handed back, or outside the inbox, where `entry` is not
    /// called) leaves the activity to the single path, its mark where it was.
    pub async fn hand_over(&self, state: &AppState, entry: impl FnOnce(Mark) -> B::Entry) -> bool {
        let Some(receipt) = receipt::take() else {
            return false;
        };
        let mark = (receipt.ap_id().to_string(), receipt.claimed());
        match self.store(state, entry(mark)).await {
            Outcome::Stored => true,
            Outcome::Duplicate => {
                receipt.duplicate();
                true
            }
            Outcome::Fallback => {
                receipt.restore();
                false
            }
        }
    }

    /// Stores `entry` with whatever else is waiting; answers what became of it.
    pub async fn store(&self, state: &AppState, entry: B::Entry) -> Outcome {
        let (reply, mut answer) = oneshot::channel();
        lock(&self.waiting).push((entry, reply));
        loop {
            let _turn = self.turn.lock().await;
            // A turn ends once its batch has answered: an entry taken by an earlier turn has its
            // answer now, and this turn is passed on at once. Otherwise every waiting task would
            // run a batch of what arrived since the last one, one entry each at a steady load.
            if let Ok(outcome) = answer.try_recv() {
                return outcome;
            }
            let batch: Waiting<B::Entry> = {
                let mut waiting = lock(&self.waiting);
                let n = waiting.len().min(MAX_BATCH);
                waiting.drain(..n).collect()
            };
            // Empty: this entry is in a batch still running (whose turn was given up early).
            if batch.is_empty() {
                break;
            }
            // In a task of its own, so that a request that goes away does not stop the batch
            // halfway for the entries of the others.
            let state = state.clone();
            if let Ok(stored) = tokio::spawn(async move { run::<B>(&state, batch).await }).await {
                self.stored.fetch_add(stored as u64, Ordering::Relaxed);
                self.batches
                    .fetch_add(u64::from(stored > 0), Ordering::Relaxed);
            }
            // More were waiting than a batch holds, this entry among the later ones: another turn.
        }
        answer.await.unwrap_or(Outcome::Fallback)
    }

    /// Holds the batches' turn until the guard is dropped: entries arriving meanwhile wait, and
    /// the next turn takes them together (tests use it to know what a batch holds).
    pub async fn hold(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.turn.lock().await
    }

    /// Entries waiting for a batch now.
    pub fn waiting(&self) -> usize {
        lock(&self.waiting).len()
    }

    /// Entries stored by batches so far, and the batches that stored them.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.stored.load(Ordering::Relaxed),
            self.batches.load(Ordering::Relaxed),
        )
    }
}

/// Writes the marks "processed" of the entries at `candidates`, first in the batch as the single
/// path writes them first: a concurrent delivery of the same activity waits for this transaction
/// and then finds it processed. Answers the entries this batch holds, in order; a copy of an
/// activity already among them, or one that another delivery holds, is a `Duplicate`.
pub fn take_marks<B: Batched>(
    c: &mut DbConnection,
    entries: &[B::Entry],
    candidates: impl IntoIterator<Item = usize>,
    outcomes: &mut [Outcome],
) -> AppResult<Vec<usize>> {
    let marks: Vec<&Mark> = entries.iter().map(B::mark).collect();
    let mut held: Vec<usize> = Vec::new();
    let mut unclaimed: Vec<String> = Vec::new();
    for i in candidates {
        let (id, claimed) = marks[i];
        if held.iter().any(|&j| marks[j].0 == *id) {
            outcomes[i] = Outcome::Duplicate;
            continue;
        }
        held.push(i);
        if !claimed {
            unclaimed.push(id.clone());
        }
    }
    let now = crate::domain::time::now_ms();
    let lease = crate::service::receipt::CLAIM_LEASE_MS;
    let taken = crate::db::batch::record_received(c, &unclaimed, now, lease)?;
    held.retain(|&i| {
        let (id, claimed) = marks[i];
        let ours = *claimed || taken.contains(id);
        if !ours {
            outcomes[i] = Outcome::Duplicate;
        }
        ours
    });
    Ok(held)
}

/// Runs one batch and answers each entry; answers how many it stored.
async fn run<B: Batched>(state: &AppState, batch: Waiting<B::Entry>) -> usize {
    let (entries, replies): (Vec<B::Entry>, Vec<_>) = batch.into_iter().unzip();
    let n = entries.len();
    let outcomes = commit(state, move |c, out| B::store_many(c, out, entries))
        .await
        .unwrap_or_else(|e| {
            tracing::debug!(error = %e, entries = n, "a batch failed; each entry is processed alone");
            vec![Outcome::Fallback; n]
        });
    let stored = outcomes.iter().filter(|o| **o == Outcome::Stored).count();
    for (reply, outcome) in replies.into_iter().zip(outcomes) {
        let _ = reply.send(outcome);
    }
    stored
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

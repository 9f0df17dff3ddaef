//! Posts that members send into this node's groups at the same moment are stored together: the
//! inbox task whose turn it is takes every such post waiting (up to [`MAX_BATCH`]) into one
//! transaction (`create_many`), so each step (the marks, the membership, the rows, the bell, the
//! relays) is one statement for all of them. A post the batch cannot take as it is (its author
//! is not a member, the batch failed) is handed back and stored on its own, as before batching.

use super::create_many::{self, Entry, Outcome};
use crate::state::AppState;
use std::sync::{
    atomic::{AtomicU64, Ordering},
    Mutex,
};
use tokio::sync::oneshot;

/// At most this many posts are stored in one transaction.
pub const MAX_BATCH: usize = 32;

/// Posts waiting for a batch, and the batch's turn.
#[derive(Default)]
pub struct PostBatch {
    waiting: Mutex<Vec<(Entry, oneshot::Sender<Outcome>)>>,
    turn: tokio::sync::Mutex<()>,
    /// Posts stored by batches, and the batches that stored them.
    stored: AtomicU64,
    batches: AtomicU64,
}

impl PostBatch {
    /// Stores `entry` with whatever else is waiting; answers what became of it.
    pub async fn store(&self, state: &AppState, entry: Entry) -> Outcome {
        let (reply, mut answer) = oneshot::channel();
        lock(&self.waiting).push((entry, reply));
        loop {
            let _turn = self.turn.lock().await;
            // A turn ends once its batch has answered: an entry taken by an earlier turn has its
            // answer now, and this turn is passed on at once. Otherwise every waiting task would
            // run a batch of what arrived since the last one, one post each at a steady load.
            if let Ok(outcome) = answer.try_recv() {
                return outcome;
            }
            let batch: Vec<_> = {
                let mut waiting = lock(&self.waiting);
                let n = waiting.len().min(MAX_BATCH);
                waiting.drain(..n).collect()
            };
            // Empty: this entry is in a batch still running (whose turn was given up early).
            if batch.is_empty() {
                break;
            }
            // In a task of its own, so that a request that goes away does not stop the batch
            // halfway for the posts of the others.
            let state = state.clone();
            let ran = tokio::spawn(async move { create_many::run(&state, batch).await });
            if let Ok(stored) = ran.await {
                self.stored.fetch_add(stored as u64, Ordering::Relaxed);
                self.batches
                    .fetch_add(u64::from(stored > 0), Ordering::Relaxed);
            }
            // More were waiting than a batch holds, this entry among the later ones: another turn.
        }
        answer.await.unwrap_or(Outcome::Fallback)
    }

    /// Holds the batches' turn until the guard is dropped: posts arriving meanwhile wait, and the
    /// next turn takes them together (tests use it to know what a batch holds).
    pub async fn hold(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.turn.lock().await
    }

    /// Posts waiting for a batch now.
    pub fn waiting(&self) -> usize {
        lock(&self.waiting).len()
    }

    /// Posts stored by batches so far, and the batches that stored them.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.stored.load(Ordering::Relaxed),
            self.batches.load(Ordering::Relaxed),
        )
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

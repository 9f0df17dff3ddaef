//! The mark that an inbound activity was processed, so that a replay or a concurrent duplicate is
//! processed once ([`once`]).
//!
//! Most activities are claimed before they are processed: the claim is written at once, seen by
//! every process, and marked processed afterwards. An activity whose use case usually completes it
//! in one transaction ([`super::outbound::commit_completing`]) is not claimed first: that
//! transaction writes its mark, already "processed", as its first statement. A concurrent
//! duplicate then waits for that row and finds it taken, and a transaction that fails leaves no
//! mark. A path of such an activity that writes outside that transaction claims first
//! ([`claim_here`]).

use crate::{db, domain::time::now_ms, error::AppResult, state::AppState};
use std::{
    future::Future,
    sync::{Arc, Mutex},
};

/// How long a claim holds: past it, a claim whose process died is taken over by the sender's
/// next retry.
pub const CLAIM_LEASE_MS: i64 = 10 * 60 * 1000;

tokio::task_local! {
    /// The mark of the activity the current inbox task is processing.
    static PENDING: Slot;
}

/// Where an activity's mark stands while it is processed.
#[derive(Clone, Debug, PartialEq)]
enum Mark {
    /// Not written: the completing transaction writes it, or [`claim_here`] claims.
    Deferred(String),
    /// Claimed before processing: the completing transaction marks it processed.
    Claimed(String),
    /// Taken by a transaction that is writing it.
    Taken,
    /// Found taken by another delivery of the same activity: nothing was done.
    Duplicate,
}

#[derive(Clone)]
struct Slot(Arc<Mutex<Mark>>);

impl Slot {
    fn get(&self) -> Mark {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, mark: Mark) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = mark;
    }
}

/// What [`once`] did with an activity.
#[derive(Debug, PartialEq, Eq)]
pub enum Seen {
    Processed,
    /// Another delivery of it was processed, or is being processed: skipped.
    Duplicate,
}

/// Processes the activity `ap_id` once. Unless `deferred`, it is claimed first; a failure lets the
/// sender retry (a failed activity is not "seen").
pub async fn once<F>(state: &AppState, ap_id: String, deferred: bool, work: F) -> AppResult<Seen>
where
    F: Future<Output = AppResult<()>>,
{
    if !deferred && !claim(state, ap_id.clone()).await? {
        return Ok(Seen::Duplicate);
    }
    let slot = Slot(Arc::new(Mutex::new(match deferred {
        true => Mark::Deferred(ap_id.clone()),
        false => Mark::Claimed(ap_id.clone()),
    })));
    let result = PENDING.scope(slot.clone(), work).await;
    // The marks are single writes (`write`: no transaction on PostgreSQL; on SQLite they wait
    // their turn as writers instead of sleeping in SQLite's busy handler).
    let db = &state.db;
    match (result, slot.get()) {
        (Ok(()), Mark::Duplicate) => Ok(Seen::Duplicate),
        // The use case that completed it wrote the mark with its effects.
        (Ok(()), Mark::Taken) => Ok(Seen::Processed),
        // Its writes are committed: from now on it is a duplicate (should this last write be
        // lost, the claim expires and a retry is processed again).
        (Ok(()), Mark::Claimed(_)) => {
            db.write(move |c| db::activities::finish_received(c, &ap_id))
                .await?;
            Ok(Seen::Processed)
        }
        // It wrote nothing but what may be written again.
        (Ok(()), Mark::Deferred(_)) => {
            let now = now_ms();
            db.write(move |c| db::activities::record_received(c, &ap_id, now, CLAIM_LEASE_MS))
                .await?;
            Ok(Seen::Processed)
        }
        (Err(e), Mark::Claimed(_)) => {
            let _ = db
                .write(move |c| db::activities::unmark_received(c, &ap_id))
                .await;
            Err(e)
        }
        (Err(e), _) => Err(e),
    }
}

/// Claims `ap_id`; `false` when another delivery of it holds it or processed it.
async fn claim(state: &AppState, ap_id: String) -> AppResult<bool> {
    let now = now_ms();
    Ok(state
        .db
        .write(move |c| db::activities::mark_received(c, &ap_id, now, CLAIM_LEASE_MS))
        .await?)
}

/// For a path that writes outside the completing transaction: claims the activity being processed
/// now, unless it is claimed already. `false` means a duplicate: the caller does nothing.
pub async fn claim_here(state: &AppState) -> AppResult<bool> {
    let Ok(slot) = PENDING.try_with(Slot::clone) else {
        return Ok(true);
    };
    match slot.get() {
        Mark::Deferred(ap_id) => {
            let fresh = claim(state, ap_id.clone()).await?;
            slot.set(if fresh {
                Mark::Claimed(ap_id)
            } else {
                Mark::Duplicate
            });
            Ok(fresh)
        }
        Mark::Duplicate => Ok(false),
        Mark::Claimed(_) | Mark::Taken => Ok(true),
    }
}

/// A mark taken by the transaction that completes the activity.
pub struct Receipt {
    ap_id: String,
    claimed: bool,
    slot: Slot,
}

impl Receipt {
    /// The activity's id.
    pub fn ap_id(&self) -> &str {
        &self.ap_id
    }

    /// Whether it was claimed before (the transaction marks it processed) or not (the transaction
    /// writes it first).
    pub fn claimed(&self) -> bool {
        self.claimed
    }

    /// Puts the mark back: the transaction that took it did not commit.
    pub fn restore(self) {
        self.slot.set(match self.claimed {
            true => Mark::Claimed(self.ap_id),
            false => Mark::Deferred(self.ap_id),
        });
    }

    /// The transaction found the activity taken by another delivery of it.
    pub fn duplicate(self) {
        self.slot.set(Mark::Duplicate);
    }
}

/// The mark of the activity this task is processing, if no transaction took it yet (outside the
/// inbox: none).
pub fn take() -> Option<Receipt> {
    let slot = PENDING.try_with(Slot::clone).ok()?;
    let (ap_id, claimed) = match slot.get() {
        Mark::Deferred(id) => (id, false),
        Mark::Claimed(id) => (id, true),
        Mark::Taken | Mark::Duplicate => return None,
    };
    slot.set(Mark::Taken);
    Some(Receipt {
        ap_id,
        claimed,
        slot,
    })
}

#[cfg(test)]
mod tests;

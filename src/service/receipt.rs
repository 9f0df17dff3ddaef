//! The mark that an inbound activity was processed. The inbox claims an activity's id before
//! processing it and marks it processed afterwards, so a replay is skipped. A use case that
//! completes an activity in one transaction ([`super::outbound::commit_completing`]) takes the
//! pending mark and writes it in that transaction: the activity's effects and "processed" commit
//! together, and the inbox has no second transaction to run.

use std::{
    future::Future,
    sync::{Arc, Mutex},
};

tokio::task_local! {
    /// The id of the activity the current inbox task is processing, until a commit takes it.
    static PENDING: Slot;
}

#[derive(Clone, Default)]
struct Slot(Arc<Mutex<Option<String>>>);

impl Slot {
    fn with<T>(&self, f: impl FnOnce(&mut Option<String>) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// A pending mark, taken by the commit that completes the activity.
pub struct Receipt {
    ap_id: String,
    slot: Slot,
}

impl Receipt {
    /// The activity's id.
    pub fn ap_id(&self) -> &str {
        &self.ap_id
    }

    /// Puts the mark back: the transaction that took it did not commit.
    pub fn restore(self) {
        self.slot.with(|s| *s = Some(self.ap_id));
    }
}

/// Runs `processing` (of the activity `ap_id`) with its mark pending. Answers its output and
/// whether the mark is still pending (no commit took it: the caller writes it).
pub async fn processing<F: Future>(ap_id: String, processing: F) -> (F::Output, bool) {
    let slot = Slot::default();
    slot.with(|s| *s = Some(ap_id));
    let output = PENDING.scope(slot.clone(), processing).await;
    let pending = slot.with(|s| s.is_some());
    (output, pending)
}

/// The pending mark of the activity this task is processing, if any (outside the inbox: none).
pub fn take() -> Option<Receipt> {
    PENDING
        .try_with(|slot| {
            slot.with(Option::take).map(|ap_id| Receipt {
                ap_id,
                slot: slot.clone(),
            })
        })
        .ok()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_commit_takes_the_mark() {
        let (taken, pending) = processing("https://p.example/a/1".into(), async {
            let first = take().map(|r| r.ap_id().to_string());
            (first, take().is_none())
        })
        .await;
        assert_eq!(taken.0.as_deref(), Some("https://p.example/a/1"));
        assert!(taken.1, "a second commit finds nothing pending");
        assert!(!pending, "the caller has nothing left to write");
    }

    #[tokio::test]
    async fn a_restored_mark_is_left_to_the_caller() {
        let ((), pending) = processing("https://p.example/a/2".into(), async {
            take().expect("pending").restore();
        })
        .await;
        assert!(pending);
        assert!(take().is_none(), "no mark outside processing");
    }
}

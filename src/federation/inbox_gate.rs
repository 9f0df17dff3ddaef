//! Admission to inbound processing: at most `workers` activities are processed at once and at
//! most `queue` more wait for a worker. A request that finds every place taken is refused at once
//! (503 with `Retry-After`) before its body is read, so memory stays bounded under any load.

use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The places of one node's inbox (shared by all its inbox routes).
pub struct InboxGate {
    /// Working plus waiting places.
    places: Arc<Semaphore>,
    workers: Arc<Semaphore>,
}

/// A request holding a place; it may wait for a worker.
pub struct Place {
    _place: OwnedSemaphorePermit,
    workers: Arc<Semaphore>,
}

/// A request being processed; dropping it frees the worker and the place.
pub struct Working {
    _place: Place,
    _worker: OwnedSemaphorePermit,
}

impl InboxGate {
    /// A gate for `workers` concurrent activities (at least one) and `queue` waiting ones.
    pub fn new(workers: usize, queue: usize) -> InboxGate {
        let workers = workers.max(1);
        InboxGate {
            places: Arc::new(Semaphore::new(workers + queue)),
            workers: Arc::new(Semaphore::new(workers)),
        }
    }

    /// Takes a place, or `None` when all are taken (the caller answers 503).
    pub fn try_enter(&self) -> Option<Place> {
        let place = self.places.clone().try_acquire_owned().ok()?;
        Some(Place {
            _place: place,
            workers: self.workers.clone(),
        })
    }

    /// Places free right now (for tests and metrics).
    pub fn free_places(&self) -> usize {
        self.places.available_permits()
    }
}

impl Place {
    /// Waits for a worker.
    pub async fn work(self) -> Working {
        let worker = self
            .workers
            .clone()
            .acquire_owned()
            .await
            .unwrap_or_else(|_| unreachable!("the inbox semaphores are never closed"));
        Working {
            _place: self,
            _worker: worker,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::InboxGate;

    #[tokio::test]
    async fn places_are_bounded_and_come_back() {
        let gate = InboxGate::new(1, 1);
        let first = gate.try_enter().expect("a worker's place");
        let second = gate.try_enter().expect("a waiting place");
        assert!(gate.try_enter().is_none(), "a third finds no place");
        let working = first.work().await;
        drop(working);
        let _w = second.work().await;
        assert!(gate.try_enter().is_some(), "a freed place is taken again");
    }

    #[tokio::test]
    async fn no_queue_means_only_the_workers() {
        let gate = InboxGate::new(2, 0);
        let (_a, _b) = (gate.try_enter(), gate.try_enter());
        assert!(gate.try_enter().is_none());
        assert_eq!(gate.free_places(), 0);
    }
}

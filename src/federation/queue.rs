//! The delivery worker: keeps up to `delivery.workers` deliveries in flight, each its own task
//! (so signing uses every core), claiming due rows from the persistent queue as places free up.
//! Each is signed with its actor's key and POSTed (`sender`), so a slow peer holds one place, not
//! the others. Recording and claiming run in a task of their own beside the deliveries in flight:
//! it records the finished ones together in one transaction (`queue_record`), then claims rows
//! for the places that will free up (up to twice the places are held, in flight or ready), so
//! the database's latency does not leave places idle. Failures back off exponentially; a peer
//! that keeps failing is marked dead and its deliveries wait for the dead-peer retry; the first
//! answer flushes them. A peer's refusal (4xx) ends the delivery with the peer's status and the
//! start of its answer kept.

use crate::{
    db::{self, deliveries::DeliveryRow},
    domain::{policy::PeerLevel, time::now_ms},
    error::AppResult,
    federation::{
        queue_record::{self, Attempt},
        sender::{self, Answer},
    },
    service::peer_levels::HOLD,
    state::AppState,
};
use activitypub_federation::config::{Data, FederationConfig};
use futures::future::OptionFuture;
use std::{
    collections::{BTreeSet, HashMap, VecDeque},
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::{
    sync::watch,
    task::{JoinHandle, JoinSet},
};
use url::Url;

/// How long a claim holds a row before another worker may take it (a crashed sender's rows return).
const LEASE_MS: i64 = 120_000;

type Flight = JoinSet<(DeliveryRow, Attempt)>;

/// Runs the worker until `shutdown` turns true; the deliveries in flight and those claimed for
/// it are finished and recorded first.
pub async fn run(fed: FederationConfig<AppState>, mut shutdown: watch::Receiver<bool>) {
    let data = fed.to_request_data();
    let workers = data.config.delivery.workers.max(1);
    let poll = Duration::from_millis(data.config.delivery.poll_interval_ms);
    let mut flight = Flight::new();
    // Claimed rows waiting for a place, with what sending them needs.
    let mut ready: VecDeque<(DeliveryRow, Arc<BatchFacts>)> = VecDeque::new();
    let mut finished: Vec<(DeliveryRow, Attempt)> = Vec::new();
    // Recording and claiming run beside the deliveries in flight, one refill at a time.
    let mut refilling: Option<JoinHandle<Refilled>> = None;
    // The last claim found fewer rows than it asked for: wait for a wake-up or the poll.
    let mut dry = false;
    loop {
        if ready.iter().any(|(_, facts)| facts.stale(&data)) {
            fresh_facts(&data, &mut ready).await;
        }
        while flight.len() < workers {
            let Some((row, facts)) = ready.pop_front() else {
                break;
            };
            let data = data.reset_request_count();
            flight.spawn(async move {
                let outcome = attempt(&data, &facts, &row).await;
                (row, outcome)
            });
        }
        let stopping = *shutdown.borrow();
        if refilling.is_none() {
            // Up to two places' worth of rows are held (in flight or ready), so that the next
            // claim is under way while the ready ones go out.
            let asked = (2 * workers).saturating_sub(flight.len() + ready.len());
            let claiming = !stopping && !dry && ready.len() < workers && asked > 0;
            if claiming || !finished.is_empty() {
                let done = std::mem::take(&mut finished);
                let asked = if claiming { asked } else { 0 };
                refilling = Some(tokio::spawn(refill(
                    data.reset_request_count(),
                    done,
                    asked,
                )));
            } else if stopping && flight.is_empty() && ready.is_empty() {
                break;
            }
        }
        tokio::select! {
            Some(done) = flight.join_next(), if !flight.is_empty() => {
                collect(done, &mut finished);
                while let Some(done) = flight.try_join_next() {
                    collect(done, &mut finished);
                }
            }
            Some(refilled) = OptionFuture::from(refilling.as_mut()), if refilling.is_some() => {
                refilling = None;
                match refilled {
                    Ok(r) => {
                        dry = r.dry;
                        ready.extend(r.ready);
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "a delivery refill failed");
                        dry = true;
                    }
                }
            }
            _ = data.delivery_wake.notified() => dry = false,
            _ = tokio::time::sleep(poll) => dry = false,
            _ = shutdown.changed(), if !stopping => {}
        }
    }
    tracing::info!("delivery worker stopped");
}

/// Rows claimed, each with what sending it needs; `dry` when fewer were found than asked for.
struct Refilled {
    ready: Vec<(DeliveryRow, Arc<BatchFacts>)>,
    dry: bool,
}

/// Records `done` (one transaction), then claims up to `asked` rows and reads what sending them
/// needs. Rows whose needs cannot be read are left to their lease, which runs out, and they are
/// claimed again.
async fn refill(data: Data<AppState>, done: Vec<(DeliveryRow, Attempt)>, asked: usize) -> Refilled {
    if !done.is_empty() {
        queue_record::record(&data, done).await;
    }
    let nothing = |dry| Refilled { ready: vec![], dry };
    if asked == 0 {
        return nothing(false);
    }
    let rows = match claim(&data, asked).await {
        Ok(rows) if rows.is_empty() => return nothing(true),
        Ok(rows) => rows,
        Err(e) => {
            tracing::error!(error = %e, "cannot claim deliveries");
            return nothing(true);
        }
    };
    match batch_facts(&data, &rows).await {
        Ok(facts) => Refilled {
            dry: rows.len() < asked,
            ready: with_facts(rows, Arc::new(facts)),
        },
        Err(e) => {
            tracing::error!(error = %e, "cannot read what a delivery batch needs");
            nothing(true)
        }
    }
}

/// Claims up to `limit` due rows: one statement (on SQLite it waits its turn as a writer; on
/// PostgreSQL its commit does not wait for the WAL flush — a claim lost in a crash returns its
/// rows to the queue, as the crash would).
async fn claim(data: &Data<AppState>, limit: usize) -> AppResult<Vec<DeliveryRow>> {
    Ok(data
        .db
        .write(move |c| db::deliveries::claim_due(c, now_ms(), LEASE_MS, limit as i32))
        .await?)
}

/// A finished delivery's outcome; a task that panicked leaves its row to its lease, which runs
/// out, and the row is claimed again.
fn collect(
    done: Result<(DeliveryRow, Attempt), tokio::task::JoinError>,
    finished: &mut Vec<(DeliveryRow, Attempt)>,
) {
    match done {
        Ok(outcome) => finished.push(outcome),
        Err(e) => tracing::error!(error = %e, "a delivery task failed; it is sent again later"),
    }
}

/// What sending a batch needs from storage, read once for the batch (one statement each): each
/// peer's level now and each signing actor's stored private key.
struct BatchFacts {
    levels: HashMap<String, PeerLevel>,
    keys: HashMap<String, Option<String>>,
    /// When the levels were read, and the count of level changes made through this process then.
    read_at: Instant,
    generation: u64,
}

impl BatchFacts {
    /// Whether rows still waiting for a place must have their peers' levels read again: a level
    /// was set through this process since, or they were read longer ago than the inbox holds a
    /// level (`peer_levels::HOLD`). What leaves this node follows a block at once.
    fn stale(&self, data: &Data<AppState>) -> bool {
        self.generation != data.peer_levels.generation() || self.read_at.elapsed() >= HOLD
    }
}

/// Reads the levels and keys of the ready rows again; should that fail, the rows are left to
/// their lease, which runs out, and they are claimed again.
async fn fresh_facts(data: &Data<AppState>, ready: &mut VecDeque<(DeliveryRow, Arc<BatchFacts>)>) {
    let rows: Vec<DeliveryRow> = ready.drain(..).map(|(row, _)| row).collect();
    match batch_facts(data, &rows).await {
        Ok(facts) => ready.extend(with_facts(rows, Arc::new(facts))),
        Err(e) => tracing::error!(error = %e, "cannot read what ready deliveries need"),
    }
}

/// Each row paired with the facts read for its batch.
fn with_facts(
    rows: Vec<DeliveryRow>,
    facts: Arc<BatchFacts>,
) -> Vec<(DeliveryRow, Arc<BatchFacts>)> {
    rows.into_iter().map(|row| (row, facts.clone())).collect()
}

async fn batch_facts(data: &Data<AppState>, rows: &[DeliveryRow]) -> AppResult<BatchFacts> {
    let peers: BTreeSet<String> = rows.iter().map(|r| r.peer.clone()).collect();
    let actors: BTreeSet<String> = rows.iter().map(|r| r.actor_ap_id.clone()).collect();
    let config = data.config.clone();
    let (read_at, generation) = (Instant::now(), data.peer_levels.generation());
    Ok(data
        .db
        .run(move |c| {
            let peers: Vec<String> = peers.into_iter().collect();
            let levels = crate::service::visibility::peer_levels(c, &config, &peers)?;
            let actors: Vec<String> = actors.into_iter().collect();
            let stored = db::actors::by_ap_ids(c, &actors)?;
            let keys = actors
                .into_iter()
                .map(|a| {
                    let pem = stored
                        .iter()
                        .find(|r| r.ap_id == a)
                        .and_then(|r| r.private_key_pem.clone());
                    (a, pem)
                })
                .collect();
            Ok(BatchFacts {
                levels,
                keys,
                read_at,
                generation,
            })
        })
        .await?)
}

async fn attempt(data: &Data<AppState>, facts: &BatchFacts, row: &DeliveryRow) -> Attempt {
    match facts.levels.get(&row.peer) {
        Some(PeerLevel::Blocked) => return Attempt::Dropped("peer is blocked".into()),
        Some(_) => {}
        None => return Attempt::Failed("peer level not read".into()),
    }
    let Ok(inbox) = Url::parse(&row.inbox) else {
        return Attempt::Dropped("stored delivery is malformed".into());
    };
    if let Some(why) = sender::unusable_inbox(data.app_data(), &inbox) {
        return Attempt::Dropped(why.into());
    }
    let Some(Some(pem)) = facts.keys.get(&row.actor_ap_id) else {
        return Attempt::Dropped("signing actor no longer exists".into());
    };
    let Some(key) = data.local_keys.get(&row.actor_ap_id, pem) else {
        return Attempt::Dropped("signing actor's key is unreadable".into());
    };
    let body = row.payload.clone();
    match sender::post(data.app_data(), &key.1, &row.actor_ap_id, &inbox, body).await {
        Answer::Accepted => Attempt::Sent,
        Answer::Refused { status, answer } => Attempt::Refused { status, answer },
        Answer::Failed(e) => Attempt::Failed(e),
    }
}

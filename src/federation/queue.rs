//! The delivery worker: claims due rows from the persistent queue, signs each with its actor's
//! key and POSTs it (`sender`), then records the batch's results in one transaction
//! (`queue_record`). Failures back off exponentially; a peer that keeps failing is marked dead and
//! its deliveries wait for the dead-peer retry; the first answer flushes them. A peer's refusal
//! (4xx) ends the delivery with the peer's status and the start of its answer kept.

use crate::{
    db::{self, deliveries::DeliveryRow},
    domain::{policy::PeerLevel, time::now_ms},
    error::AppResult,
    federation::{
        queue_record::{self, Attempt},
        sender::{self, Answer},
    },
    state::AppState,
};
use activitypub_federation::config::{Data, FederationConfig};
use futures::StreamExt;
use std::{
    collections::{BTreeSet, HashMap},
    time::Duration,
};
use tokio::sync::watch;
use url::Url;

/// How long a claim holds a row before another worker may take it (a crashed sender's rows return).
const LEASE_MS: i64 = 120_000;

/// Runs the worker until `shutdown` turns true; the batch in flight is finished first.
pub async fn run(fed: FederationConfig<AppState>, mut shutdown: watch::Receiver<bool>) {
    let data = fed.to_request_data();
    let workers = data.config.delivery.workers;
    let poll = Duration::from_millis(data.config.delivery.poll_interval_ms);
    loop {
        if *shutdown.borrow() {
            break;
        }
        // A claim writes (it takes a lease on the rows): on SQLite it waits its turn as a writer.
        let claimed = data
            .db
            .tx(move |c| db::deliveries::claim_due(c, now_ms(), LEASE_MS, (workers * 4) as i32))
            .await;
        match claimed {
            Ok(rows) if !rows.is_empty() => {
                send_batch(&data, rows, workers).await;
                continue;
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "cannot claim deliveries"),
        }
        tokio::select! {
            _ = data.delivery_wake.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("delivery worker stopped");
}

/// What sending a batch needs from storage, read once for the batch (one statement each): each
/// peer's level now and each signing actor's stored private key.
struct BatchFacts {
    levels: HashMap<String, PeerLevel>,
    keys: HashMap<String, Option<String>>,
}

async fn batch_facts(data: &Data<AppState>, rows: &[DeliveryRow]) -> AppResult<BatchFacts> {
    let peers: BTreeSet<String> = rows.iter().map(|r| r.peer.clone()).collect();
    let actors: BTreeSet<String> = rows.iter().map(|r| r.actor_ap_id.clone()).collect();
    let config = data.config.clone();
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
            Ok(BatchFacts { levels, keys })
        })
        .await?)
}

/// Sends a claimed batch, `workers` at a time, then records every outcome.
async fn send_batch(data: &Data<AppState>, rows: Vec<DeliveryRow>, workers: usize) {
    let facts = match batch_facts(data, &rows).await {
        Ok(f) => f,
        Err(e) => {
            // The rows' lease runs out and they are claimed again.
            tracing::error!(error = %e, "cannot read what a delivery batch needs");
            return;
        }
    };
    let facts = &facts;
    let outcomes: Vec<(DeliveryRow, Attempt)> = futures::stream::iter(rows)
        .map(|row| {
            let data = data.reset_request_count();
            async move {
                let outcome = attempt(&data, facts, &row).await;
                (row, outcome)
            }
        })
        .buffer_unordered(workers)
        .collect()
        .await;
    queue_record::record(data, outcomes).await;
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

//! The delivery worker: claims due rows from the persistent queue, signs each with its actor's
//! key and POSTs it (`sender`), then records the result. Failures back off exponentially; a peer
//! that keeps failing is marked dead and its deliveries wait for the dead-peer retry; the first
//! answer flushes them. A peer's refusal (4xx) ends the delivery with the peer's status and the
//! start of its answer kept.

use crate::{
    db::{self, deliveries::DeliveryRow},
    domain::{policy::PeerLevel, time::now_ms},
    federation::{
        policy,
        sender::{self, Answer},
    },
    state::AppState,
};
use activitypub_federation::config::{Data, FederationConfig};
use futures::StreamExt;
use std::{sync::atomic::Ordering, time::Duration};
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
        let claimed = data
            .db
            .run(move |c| db::deliveries::claim_due(c, now_ms(), LEASE_MS, (workers * 4) as i32))
            .await;
        match claimed {
            Ok(rows) if !rows.is_empty() => {
                futures::stream::iter(rows)
                    .for_each_concurrent(workers, |row| {
                        let data = data.reset_request_count();
                        async move { deliver_one(&data, row).await }
                    })
                    .await;
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

/// Sends one delivery and records the outcome.
async fn deliver_one(data: &Data<AppState>, row: DeliveryRow) {
    let outcome = attempt(data, &row).await;
    let now = now_ms();
    let cfg = &data.config.delivery;
    let (id, peer) = (row.id.clone(), row.peer.clone());
    let result = match outcome {
        Attempt::Sent => {
            data.metrics.deliveries_sent.fetch_add(1, Ordering::Relaxed);
            data.db
                .run(move |c| {
                    db::deliveries::finish(c, &id, db::deliveries::DONE, None, now)?;
                    if db::peers::record_success(c, &peer, now)? {
                        db::deliveries::reschedule_peer(c, &peer, now)?;
                    }
                    Ok(())
                })
                .await
        }
        Attempt::Refused { status, answer } => {
            data.metrics
                .deliveries_refused
                .fetch_add(1, Ordering::Relaxed);
            tracing::info!(inbox = %row.inbox, status, %answer, "delivery refused by the peer");
            data.db
                .run(move |c| {
                    db::deliveries::refuse(c, &id, status as i32, &answer, now)?;
                    // The peer answered: it is alive, whatever it thought of this activity.
                    if db::peers::record_success(c, &peer, now)? {
                        db::deliveries::reschedule_peer(c, &peer, now)?;
                    }
                    Ok(())
                })
                .await
        }
        Attempt::Dropped(reason) => {
            data.metrics
                .deliveries_dropped
                .fetch_add(1, Ordering::Relaxed);
            policy::audit(
                data.app_data(),
                &row.peer,
                "refuse-deliver",
                &row.activity_ap_id,
                &reason,
            )
            .await;
            data.db
                .run(move |c| {
                    db::deliveries::finish(c, &id, db::deliveries::DROPPED, Some(&reason), now)
                })
                .await
        }
        Attempt::Failed(error) => {
            data.metrics
                .deliveries_failed
                .fetch_add(1, Ordering::Relaxed);
            tracing::info!(inbox = %row.inbox, attempts = row.attempts, %error, "delivery failed");
            let give_up = now - row.created_at > (cfg.give_up_after_secs as i64) * 1000;
            let backoff = backoff_ms(cfg.retry_base_secs, cfg.max_backoff_secs, row.attempts);
            let (dead_after, dead_retry) =
                (cfg.dead_after_failures, cfg.dead_retry_secs as i64 * 1000);
            data.db
                .run(move |c| {
                    if give_up {
                        db::deliveries::finish(c, &id, db::deliveries::FAILED, Some(&error), now)?;
                    } else {
                        db::deliveries::retry_at(c, &id, now + backoff, &error, now)?;
                    }
                    if db::peers::record_failure(c, &peer, dead_after, now)? {
                        db::deliveries::reschedule_peer(c, &peer, now + dead_retry)?;
                    }
                    Ok(())
                })
                .await
        }
    };
    if let Err(e) = result {
        tracing::error!(error = %e, "cannot record delivery outcome");
    }
}

enum Attempt {
    Sent,
    Refused { status: u16, answer: String },
    Dropped(String),
    Failed(String),
}

async fn attempt(data: &Data<AppState>, row: &DeliveryRow) -> Attempt {
    match policy::peer_level(data.app_data(), &row.peer).await {
        Ok(PeerLevel::Blocked) => return Attempt::Dropped("peer is blocked".into()),
        Ok(_) => {}
        Err(e) => return Attempt::Failed(e.to_string()),
    }
    let Ok(inbox) = Url::parse(&row.inbox) else {
        return Attempt::Dropped("stored delivery is malformed".into());
    };
    if let Some(why) = sender::unusable_inbox(data.app_data(), &inbox) {
        return Attempt::Dropped(why.into());
    }
    let actor_id = row.actor_ap_id.clone();
    let pem = match data
        .db
        .run(move |c| db::actors::by_ap_id(c, &actor_id))
        .await
    {
        Ok(Some(r)) => r.private_key_pem,
        Ok(None) => None,
        Err(e) => return Attempt::Failed(e.to_string()),
    };
    let Some(pem) = pem else {
        return Attempt::Dropped("signing actor no longer exists".into());
    };
    let Some(key) = data.local_keys.get(&row.actor_ap_id, &pem) else {
        return Attempt::Dropped("signing actor's key is unreadable".into());
    };
    let body = row.payload.clone();
    match sender::post(data.app_data(), &key.1, &row.actor_ap_id, &inbox, body).await {
        Answer::Accepted => Attempt::Sent,
        Answer::Refused { status, answer } => Attempt::Refused { status, answer },
        Answer::Failed(e) => Attempt::Failed(e),
    }
}

/// Exponential backoff: `base · 2^(attempts-1)`, capped.
pub fn backoff_ms(base_secs: u64, max_secs: u64, attempts: i32) -> i64 {
    let exp = attempts.clamp(1, 30) as u32 - 1;
    let secs = base_secs.saturating_mul(1u64 << exp.min(20)).min(max_secs);
    (secs * 1000) as i64
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(super::backoff_ms(10, 3600, 1), 10_000);
        assert_eq!(super::backoff_ms(10, 3600, 2), 20_000);
        assert_eq!(super::backoff_ms(10, 3600, 4), 80_000);
        assert_eq!(super::backoff_ms(10, 3600, 30), 3_600_000);
    }
}

//! Recording what became of a batch of deliveries, in one transaction: sent and refused rows end
//! (a refusal keeps the peer's status and answer), dropped ones end with the reason (and an audit
//! row), failed ones are retried with exponential backoff or given up; every answer marks its
//! peer alive, every failure counts towards marking it dead.

use crate::{
    db::{self, deliveries::DeliveryRow, DbConnection},
    domain::time::now_ms,
    error::AppResult,
    federation::policy,
    state::AppState,
};
use activitypub_federation::config::Data;
use std::sync::atomic::Ordering;

/// What became of one delivery.
pub enum Attempt {
    Sent,
    Refused { status: u16, answer: String },
    Dropped(String),
    Failed(String),
}

/// Counts and logs the outcomes, then records them all in one transaction. Should that fail, the
/// rows' lease runs out and they are sent again (peers drop duplicates by activity id).
pub async fn record(data: &Data<AppState>, outcomes: Vec<(DeliveryRow, Attempt)>) {
    let m = &data.metrics;
    for (row, outcome) in &outcomes {
        let counter = match outcome {
            Attempt::Sent => &m.deliveries_sent,
            Attempt::Refused { status, answer } => {
                tracing::info!(inbox = %row.inbox, status, %answer, "delivery refused by the peer");
                &m.deliveries_refused
            }
            Attempt::Dropped(_) => &m.deliveries_dropped,
            Attempt::Failed(error) => {
                tracing::info!(inbox = %row.inbox, attempts = row.attempts, %error, "delivery failed");
                &m.deliveries_failed
            }
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
    let cfg = data.config.delivery.clone();
    let result = data
        .db
        .tx(move |c| {
            // A record lost in a crash means those deliveries are sent again, and peers drop
            // duplicates by activity id: the commit need not wait for the WAL flush.
            db::commit_without_waiting(c)?;
            let now = now_ms();
            let mut answered = std::collections::BTreeSet::new();
            let mut done = Vec::new();
            for (row, outcome) in outcomes {
                if let Some(peer) = apply(c, &cfg, row, outcome, now, &mut done)? {
                    answered.insert(peer);
                }
            }
            // The accepted rows end together, in one statement.
            db::deliveries::finish_done(c, &done, now)?;
            // Each peer that answered is recorded alive once for the batch.
            for peer in answered {
                alive(c, &peer, now)?;
            }
            AppResult::Ok(())
        })
        .await;
    if let Err(e) = result {
        tracing::error!(error = %e, "cannot record delivery outcomes");
    }
}

/// Records one outcome (an accepted row's id goes to `done`, ended with the batch's others);
/// answers the peer when it answered (it is recorded alive afterwards).
fn apply(
    c: &mut DbConnection,
    cfg: &crate::config::DeliveryConfig,
    row: DeliveryRow,
    outcome: Attempt,
    now: i64,
    done: &mut Vec<String>,
) -> AppResult<Option<String>> {
    let (id, peer) = (row.id.as_str(), row.peer.as_str());
    match outcome {
        Attempt::Sent => {
            // Ended with the batch's other accepted rows.
            done.push(row.id);
            return Ok(Some(row.peer));
        }
        Attempt::Refused { status, answer } => {
            db::deliveries::refuse(c, id, status as i32, &answer, now)?;
            // The peer answered: it is alive, whatever it thought of this activity.
            return Ok(Some(row.peer));
        }
        Attempt::Dropped(reason) => {
            let audit = policy::audit_row(peer, "refuse-deliver", &row.activity_ap_id, &reason);
            db::audit::insert(c, &audit)?;
            db::deliveries::finish(c, id, db::deliveries::DROPPED, Some(&reason), now)?;
        }
        Attempt::Failed(error) => {
            if now - row.created_at > (cfg.give_up_after_secs as i64) * 1000 {
                db::deliveries::finish(c, id, db::deliveries::FAILED, Some(&error), now)?;
            } else {
                let backoff = backoff_ms(cfg.retry_base_secs, cfg.max_backoff_secs, row.attempts);
                db::deliveries::retry_at(c, id, now + backoff, &error, now)?;
            }
            if db::peers::record_failure(c, peer, cfg.dead_after_failures, now)? {
                let dead_retry = cfg.dead_retry_secs as i64 * 1000;
                db::deliveries::reschedule_peer(c, peer, now + dead_retry)?;
            }
        }
    }
    Ok(None)
}

/// The peer answered: a peer marked dead comes back, and its waiting deliveries are due now.
fn alive(c: &mut DbConnection, peer: &str, now: i64) -> AppResult<()> {
    if db::peers::record_success(c, peer, now)? {
        db::deliveries::reschedule_peer(c, peer, now)?;
    }
    Ok(())
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

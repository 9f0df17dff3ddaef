//! The push worker: claims due push messages (with a lease, so a crashed process's claims
//! return and two processes never send one), encrypts each for its subscription (RFC 8291),
//! signs a VAPID JWT for the push service (RFC 8292) and posts it. A 2xx ends the message; a
//! 404 or 410 means the browser unsubscribed, so the subscription is deleted; another 4xx
//! (but 408 and 429) is a refusal kept with its status; anything else is retried with
//! exponential backoff (`delivery.retry_base_secs` doubling to `delivery.max_backoff_secs`)
//! until `delivery.give_up_after_secs`.

use super::{message, vapid_key};
use crate::{
    db::{
        self,
        push::queue::{PushRow, DONE, DROPPED, FAILED, REFUSED},
    },
    domain::{time::now_ms, webpush},
    error::AppResult,
    state::AppState,
};
use std::time::Duration;
use tokio::sync::watch;

/// How long a claim holds a message.
const LEASE_MS: i64 = 120_000;
/// Messages claimed at once.
const BATCH: i32 = 16;

/// Runs until `stop` turns true, polling every `delivery.poll_interval_ms`.
pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    let interval = Duration::from_millis(state.config.delivery.poll_interval_ms.max(10));
    loop {
        if *stop.borrow() {
            break;
        }
        match send_due(&state, now_ms()).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "push worker"),
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = stop.changed() => {}
        }
    }
}

/// What happened to one message.
enum Outcome {
    Sent(i32),
    Gone,
    Refused(i32, String),
    Dropped(&'static str),
    Retry(String),
}

/// Sends the messages due at `now`; returns how many were claimed.
pub async fn send_due(state: &AppState, now: i64) -> AppResult<usize> {
    let rows = state
        .db
        .run(move |c| db::push::queue::claim_due(c, now, LEASE_MS, BATCH))
        .await?;
    let n = rows.len();
    for row in rows {
        let outcome = send_one(state, &row).await;
        settle(state, &row, outcome, now_ms()).await?;
    }
    Ok(n)
}

async fn send_one(state: &AppState, row: &PushRow) -> Outcome {
    let (sid, nid, base) = (
        row.subscription_id.clone(),
        row.notification_id.clone(),
        state.config.base_url(),
    );
    let found = state
        .db
        .run(move |c| {
            let Some(sub) = db::push::by_id(c, &sid)? else {
                return Ok(None);
            };
            if !db::push::token_live(c, &sub.token_id)? {
                return Ok(Some((sub, None, None)));
            }
            let msg = message::for_notification(c, &sub, &nid, &base)?;
            Ok(Some((sub, msg, Some(vapid_key(c)?))))
        })
        .await;
    let (sub, msg, key) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return Outcome::Dropped("the subscription is gone"),
        Err(e) => return Outcome::Retry(e.to_string()),
    };
    let (Some(key), Some(msg)) = (key, msg) else {
        return Outcome::Dropped("the notification or the token is gone");
    };
    let Ok(endpoint) = url::Url::parse(&sub.endpoint) else {
        return Outcome::Gone;
    };
    let body = serde_json::to_vec(&msg).unwrap_or_default();
    let sealed = match webpush::encrypt(body, &sub.p256dh, &sub.auth) {
        Ok(s) => s,
        Err(e) => return Outcome::Refused(0, e),
    };
    let contact = if state.config.instance.contact_email.is_empty() {
        state.config.base_url()
    } else {
        format!("mailto:{}", state.config.instance.contact_email)
    };
    let auth = key.authorization(&endpoint, now_ms() / 1000, &contact);
    let sent = state
        .peer_client
        .post(endpoint)
        .header("TTL", "172800")
        .header("Urgency", "normal")
        .header("Content-Encoding", "aes128gcm")
        .header("Content-Type", "application/octet-stream")
        .header("Authorization", auth)
        .body(sealed)
        .send()
        .await;
    match sent {
        Err(e) => Outcome::Retry(e.to_string()),
        Ok(r) => {
            let status = r.status().as_u16();
            let answer: String = r
                .text()
                .await
                .unwrap_or_default()
                .chars()
                .take(300)
                .collect();
            match status {
                200..=299 => Outcome::Sent(status as i32),
                404 | 410 => Outcome::Gone,
                408 | 429 => Outcome::Retry(format!("{status}: {answer}")),
                400..=499 => Outcome::Refused(status as i32, answer),
                _ => Outcome::Retry(format!("{status}: {answer}")),
            }
        }
    }
}

async fn settle(state: &AppState, row: &PushRow, outcome: Outcome, now: i64) -> AppResult<()> {
    let d = &state.config.delivery;
    let give_up = row.created_at + (d.give_up_after_secs as i64) * 1000 <= now;
    let backoff = (d.retry_base_secs.max(1) as i64)
        .saturating_mul(1i64 << (row.attempts.clamp(1, 30) - 1))
        .min(d.max_backoff_secs.max(1) as i64);
    let (row, sub) = (row.clone(), row.subscription_id.clone());
    state
        .db
        .run(move |c| match outcome {
            Outcome::Sent(status) => {
                db::push::queue::finish(c, &row.id, DONE, Some(status), None, now)
            }
            Outcome::Gone => {
                tracing::info!(subscription = %sub, "push subscription gone; deleted");
                db::push::delete(c, &sub)
            }
            Outcome::Refused(status, answer) => {
                db::push::queue::finish(c, &row.id, REFUSED, Some(status), Some(&answer), now)
            }
            Outcome::Dropped(why) => {
                db::push::queue::finish(c, &row.id, DROPPED, None, Some(why), now)
            }
            Outcome::Retry(e) if give_up => {
                db::push::queue::finish(c, &row.id, FAILED, None, Some(&e), now)
            }
            Outcome::Retry(e) => {
                db::push::queue::retry_at(c, &row.id, now + backoff * 1000, &e, now)
            }
        })
        .await?;
    Ok(())
}

//! The inbox pipeline, for the shared inbox and every actor inbox:
//! size bound → content type → clock skew → signature present → peer policy → signature covers
//! target, host, date and digest → JSON depth and syntax → signing key on the actor's origin →
//! (a worker) Digest, id/actor origin, signature against the actor's cached key → dedupe → verb.

use crate::{
    domain::names::authority_of,
    error::AppError,
    federation::{
        activities, inbox_verify, policy,
        protocol::activities::{RawActivity, Verb},
        sanitize, transport,
    },
    service::receipt,
    state::Ctx,
};
use axum::{
    extract::Request,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use std::sync::atomic::Ordering;
use url::Url;

/// POST handler for every inbox.
pub async fn post_inbox(data: Ctx, request: Request) -> Response {
    match handle(&data, request).await {
        Ok(()) => {
            data.metrics.inbox_accepted.fetch_add(1, Ordering::Relaxed);
            StatusCode::ACCEPTED.into_response()
        }
        Err(e) => {
            data.metrics.inbox_rejected.fetch_add(1, Ordering::Relaxed);
            tracing::info!(status = %e.status(), error = %e, "inbox refused an activity");
            e.into_response()
        }
    }
}

/// Takes a place (or answers 503 at once), reads and checks the request, waits for a worker, and
/// answers only once the activity is processed and committed.
async fn handle(data: &Ctx, request: Request) -> Result<(), AppError> {
    let Some(place) = data.inbox_gate.try_enter() else {
        data.metrics
            .inbox_overloaded
            .fetch_add(1, Ordering::Relaxed);
        return Err(AppError::Unavailable {
            message: "this node is busy; try again later".into(),
            retry_after: data.config.federation.inbox_retry_after_secs,
        });
    };
    let limit = data.config.server.max_body_bytes;
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(AppError::PayloadTooLarge);
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| AppError::PayloadTooLarge)?;

    transport::require_activity_json(&parts.headers)?;
    check_date(data, &parts.headers)?;
    let signature = parts
        .headers
        .get("signature")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| AppError::Unauthorized("missing HTTP signature".into()))?;
    let key_id = key_id_of(signature)
        .ok_or_else(|| AppError::Unauthorized("HTTP signature without keyId".into()))?;
    policy::check_inbound(data.app_data(), &key_id).await?;
    transport::require_covered(signature, true)?;

    if sanitize::json_depth(&bytes) > data.config.server.max_json_depth {
        return Err(AppError::BadRequest("JSON nested too deeply".into()));
    }
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| AppError::BadRequest(format!("malformed JSON: {e}")))?;
    if let Some(actor) = value
        .get("actor")
        .and_then(crate::federation::protocol::id_of)
    {
        // An actor on the key's own origin was just checked with the key.
        if authority_of(&actor) != authority_of(&key_id) {
            policy::check_inbound(data.app_data(), &actor).await?;
        }
        transport::require_key_of_actor(&key_id, &actor)?;
    }

    let _working = place.work().await;
    inbox_verify::check_digest(&parts.headers, &bytes)?;
    let activity: RawActivity = serde_json::from_value(value)
        .map_err(|e| AppError::BadRequest(format!("malformed activity: {e}")))?;
    inbox_verify::check_ids(data, &activity.id, &activity.actor)?;
    // The actor shares the key's origin, whose peer passed the policy check above.
    transport::require_key_of_actor(&key_id, &activity.actor)?;
    inbox_verify::check_signature(data, &parts, &activity.actor).await?;
    receive(activity, data).await
}

/// Rejects requests whose `Date` is missing or further from now than the allowed skew (replays).
fn check_date(data: &Ctx, headers: &axum::http::HeaderMap) -> Result<(), AppError> {
    let date = headers
        .get(header::DATE)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| AppError::Unauthorized("missing Date header".into()))?;
    let when = httpdate::parse_http_date(date)
        .map_err(|_| AppError::Unauthorized("unreadable Date header".into()))?;
    let skew = std::time::Duration::from_secs(data.config.federation.max_clock_skew_secs);
    let now = std::time::SystemTime::now();
    let off = now
        .duration_since(when)
        .or_else(|_| when.duration_since(now))
        .unwrap_or_default();
    if off > skew {
        return Err(AppError::Unauthorized(format!(
            "Date header is {}s away from this node's clock",
            off.as_secs()
        )));
    }
    Ok(())
}

/// The actor URL named by a Signature header's `keyId` (fragment removed).
pub fn key_id_of(signature: &str) -> Option<Url> {
    let start = signature.find("keyId=\"")? + 7;
    let rest = &signature[start..];
    let end = rest.find('"')?;
    let mut url = Url::parse(&rest[..end]).ok()?;
    url.set_fragment(None);
    Some(url)
}

/// A verified activity: processed once (replays are skipped), then by its verb. A post, its edit
/// and a favourite are claimed by the transaction that stores them (`receipt`).
async fn receive(activity: RawActivity, data: &Ctx) -> Result<(), AppError> {
    let id = activity.id.to_string();
    let deferred = matches!(activity.kind, Verb::Create | Verb::Update | Verb::Like);
    let work = activities::dispatch(activity, data);
    if receipt::once(data, id.clone(), deferred, work).await? == receipt::Seen::Duplicate {
        data.metrics
            .inbox_duplicates
            .fetch_add(1, Ordering::Relaxed);
        tracing::debug!(%id, "duplicate activity ignored");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn key_id_parsing() {
        let sig = r#"keyId="https://a.example/users/x#main-key",algorithm="rsa-sha256",headers="(request-target) host date",signature="abc""#;
        assert_eq!(
            super::key_id_of(sig).unwrap().as_str(),
            "https://a.example/users/x"
        );
        assert!(super::key_id_of("algorithm=\"x\"").is_none());
    }
}

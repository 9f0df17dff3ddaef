//! The inbox pipeline, for the shared inbox and every actor inbox:
//! size bound → content type → clock skew → signature present → peer policy → signature covers
//! target, host, date and digest → JSON depth and syntax → signing key on the actor's origin →
//! (library) Digest, id/actor origin, signature against the actor's key → dedupe → verb handler.

use crate::{
    db,
    domain::time::now_ms,
    error::AppError,
    federation::{activities, policy, protocol::activities::RawActivity, sanitize, transport},
    state::{AppState, Ctx},
};
use activitypub_federation::{
    axum::inbox::{receive_activity, ActivityData},
    traits::Activity,
};
use async_trait::async_trait;
use axum::{
    body::Body,
    extract::{FromRequest, Request},
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

async fn handle(data: &Ctx, request: Request) -> Result<(), AppError> {
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
        policy::check_inbound(data.app_data(), &actor).await?;
        transport::require_key_of_actor(&key_id, &actor)?;
    }

    let request = Request::from_parts(parts, Body::from(bytes));
    let activity_data = ActivityData::from_request(request, &())
        .await
        .map_err(|_| AppError::BadRequest("unreadable request".into()))?;
    receive_activity::<Inbound, crate::federation::objects::actor::DbActor, AppState>(
        activity_data,
        data,
    )
    .await
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

/// An inbound activity after the library verified it; dispatched by verb.
#[derive(Debug, serde::Deserialize)]
#[serde(transparent)]
struct Inbound(RawActivity);

#[async_trait]
impl Activity for Inbound {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.0.id
    }

    fn actor(&self) -> &Url {
        &self.0.actor
    }

    async fn verify(&self, data: &Ctx) -> Result<(), AppError> {
        policy::check_inbound(data.app_data(), &self.0.actor).await?;
        Ok(())
    }

    async fn receive(self, data: &Ctx) -> Result<(), AppError> {
        let id = self.0.id.to_string();
        let key = id.clone();
        let fresh = data
            .db
            .run(move |c| db::activities::mark_received(c, &key, now_ms()))
            .await?;
        if !fresh {
            data.metrics
                .inbox_duplicates
                .fetch_add(1, Ordering::Relaxed);
            tracing::debug!(%id, "duplicate activity ignored");
            return Ok(());
        }
        let result = activities::dispatch(self.0, data).await;
        if result.is_err() {
            // Let the sender retry: a failed activity is not "seen".
            let _ = data
                .db
                .run(move |c| db::activities::unmark_received(c, &id))
                .await;
        }
        result
    }
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

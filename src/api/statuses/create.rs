//! POST /api/v1/statuses: the form, its poll, and creating a status (idempotently).

use super::{parse_language, post_view};
use crate::api::{
    auth::Auth,
    form::{de, Flex},
};
use crate::{
    error::{AppError, AppResult},
    service::{
        compose::{self, Compose},
        members,
    },
    state::Ctx,
};
use axum::{
    http::HeaderMap,
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;

/// POST /api/v1/statuses
#[derive(Deserialize)]
pub struct StatusForm {
    status: Option<String>,
    in_reply_to_id: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    sensitive: Option<bool>,
    spoiler_text: Option<String>,
    visibility: Option<String>,
    #[serde(default, deserialize_with = "de::string_or_vec")]
    media_ids: Vec<String>,
    poll: Option<serde_json::Value>,
    language: Option<String>,
    /// Publish later (a ScheduledStatus is answered instead of a Status).
    scheduled_at: Option<String>,
}

/// `poll[options][]`, `poll[expires_in]`, `poll[multiple]` (form strings or JSON values).
fn parse_poll(p: &serde_json::Value) -> AppResult<members::NewPoll> {
    let options: Vec<String> = p
        .get("options")
        .and_then(|o| o.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let number = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        Some(serde_json::Value::String(s)) => s.parse().ok(),
        _ => None,
    };
    let expires_in_secs = number(p.get("expires_in")).ok_or_else(|| {
        AppError::Unprocessable("Validation failed: poll expires_in is required".into())
    })?;
    Ok(members::NewPoll {
        options,
        expires_in_secs,
        multiple: crate::api::form::named_boolean("poll[multiple]", p.get("multiple"))?
            .unwrap_or(false),
    })
}

/// Creates a status. With `Idempotency-Key`, a retried request returns the first result.
pub async fn create(
    ctx: Ctx,
    auth: Auth,
    headers: HeaderMap,
    Flex(form): Flex<StatusForm>,
) -> AppResult<Response> {
    auth.require("write:statuses")?;
    let (me, _) = auth.user()?.clone();
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let poll = match &form.poll {
        Some(p) if !p.is_null() => Some(parse_poll(p)?),
        _ => None,
    };
    let compose = Compose {
        text: form.status.unwrap_or_default(),
        in_reply_to_id: form.in_reply_to_id,
        sensitive: form.sensitive.unwrap_or(false),
        spoiler_text: form.spoiler_text,
        visibility: form.visibility,
        media_ids: form.media_ids,
        poll,
        language: parse_language(form.language.as_deref())?.flatten(),
        idempotency_key: key,
    };
    if let Some(at) = form.scheduled_at.filter(|s| !s.trim().is_empty()) {
        let at = crate::api::scheduled::parse_time(&at)?;
        let s = crate::service::scheduled::schedule(&ctx, &me, compose, at).await?;
        return crate::api::scheduled::created(&ctx, s).await;
    }
    let post = compose::compose(&ctx, &me, compose).await?;
    Ok(Json(post_view(&ctx, post, Some(me)).await?).into_response())
}

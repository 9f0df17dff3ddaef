//! Web Push subscriptions: `POST|GET|PUT|DELETE /api/v1/push/subscription` (one per token).

use super::auth::{bearer_token, Auth};
use super::form::Flex;
use crate::{
    error::{AppError, AppResult},
    service::push::{self, Subscribe, Subscription},
    state::Ctx,
};
use axum::{http::HeaderMap, Json};
use serde_json::{json, Value};

/// The WebPushSubscription entity.
fn entity(s: &Subscription) -> Value {
    let alerts: serde_json::Map<String, Value> =
        crate::domain::push::Alerts::from_stored(&s.row.alerts)
            .all()
            .into_iter()
            .map(|(k, on)| (k.to_string(), Value::Bool(on)))
            .collect();
    json!({
        "id": s.row.id,
        "endpoint": s.row.endpoint,
        "standard": s.row.standard,
        "alerts": alerts,
        "policy": s.row.policy,
        "server_key": s.server_key,
    })
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(|v| v.as_str()).map(String::from)
}

/// `subscription[endpoint]`, `subscription[keys][p256dh|auth]`, `subscription[standard]`,
/// `data[alerts][type]`, `data[policy]` or `policy` (form or JSON).
fn subscribe_form(body: &Value) -> AppResult<Subscribe> {
    let sub = body.get("subscription");
    let keys = sub.and_then(|s| s.get("keys"));
    let data = body.get("data");
    let mut alerts = None;
    if let Some(a) = data.and_then(|d| d.get("alerts")) {
        let mut pairs = Vec::new();
        let a = a.as_object().ok_or_else(|| {
            AppError::Unprocessable("Validation failed: data[alerts] must be an object".into())
        })?;
        for (k, v) in a {
            // An empty value turns the alert off, as in Mastodon.
            let on = super::form::named_boolean(&format!("data[alerts][{k}]"), Some(v))?
                .unwrap_or(false);
            pairs.push((k.clone(), on));
        }
        alerts = Some(pairs);
    }
    Ok(Subscribe {
        endpoint: text(sub.and_then(|s| s.get("endpoint"))),
        p256dh: text(keys.and_then(|k| k.get("p256dh"))),
        auth: text(keys.and_then(|k| k.get("auth"))),
        alerts,
        // Mastodon reads `data[policy]`; Mastodon.py sends `policy`.
        policy: text(data.and_then(|d| d.get("policy")).or(body.get("policy"))),
        standard: super::form::named_boolean(
            "subscription[standard]",
            sub.and_then(|s| s.get("standard")),
        )?,
    })
}

/// POST /api/v1/push/subscription
pub async fn create(
    ctx: Ctx,
    auth: Auth,
    headers: HeaderMap,
    Flex(body): Flex<Value>,
) -> AppResult<Json<Value>> {
    auth.require("push")?;
    let (me, _) = auth.user()?.clone();
    let token = bearer_token(&headers).unwrap_or_default();
    let form = subscribe_form(&body)?;
    let s = push::subscribe(ctx.app_data(), &me.id, &auth.0.token_id, &token, form).await?;
    Ok(Json(entity(&s)))
}

/// GET /api/v1/push/subscription
pub async fn get(ctx: Ctx, auth: Auth) -> AppResult<Json<Value>> {
    auth.require("push")?;
    auth.user()?;
    Ok(Json(entity(
        &push::current(ctx.app_data(), &auth.0.token_id).await?,
    )))
}

/// PUT /api/v1/push/subscription (`data[alerts][type]`, `data[policy]`)
pub async fn update(ctx: Ctx, auth: Auth, Flex(body): Flex<Value>) -> AppResult<Json<Value>> {
    auth.require("push")?;
    auth.user()?;
    let form = subscribe_form(&body)?;
    Ok(Json(entity(
        &push::update(ctx.app_data(), &auth.0.token_id, form).await?,
    )))
}

/// DELETE /api/v1/push/subscription
pub async fn delete(ctx: Ctx, auth: Auth) -> AppResult<Json<Value>> {
    auth.require("push")?;
    auth.user()?;
    push::unsubscribe(ctx.app_data(), &auth.0.token_id).await?;
    Ok(Json(json!({})))
}

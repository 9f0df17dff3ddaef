//! Scheduled statuses: `GET /api/v1/scheduled_statuses`, `GET|PUT|DELETE
//! /api/v1/scheduled_statuses/{id}`; `POST /api/v1/statuses` with `scheduled_at` makes them.

use super::{auth::Auth, form::Flex, notifications::query_pairs, views};
use crate::{
    db,
    error::{AppError, AppResult},
    service::scheduled::{self, Scheduled},
    state::Ctx,
};
use axum::{
    extract::{Path, RawQuery},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

/// `scheduled_at` as apps send it (ISO 8601 / RFC 3339), in ms; 422 when unreadable.
pub fn parse_time(s: &str) -> AppResult<i64> {
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.timestamp_millis())
        .map_err(|_| {
            AppError::Unprocessable(format!(
                "Validation failed: scheduled_at {s:?} is not a date-time"
            ))
        })
}

/// The ScheduledStatus entity. Cohort's apps have no numeric ids: `application_id` is 0.
pub fn entity(base: &str, c: &mut db::DbConnection, s: &Scheduled) -> db::DbResult<Value> {
    let mut media = Vec::new();
    for id in &s.params.media_ids {
        if let Some(m) = db::media::get(c, id)? {
            media.push(views::media_attachment(&m, base));
        }
    }
    let p = &s.params;
    Ok(json!({
        "id": s.row.id,
        "scheduled_at": views::datetime(s.row.scheduled_at),
        "media_attachments": media,
        "params": {
            "text": p.text,
            "poll": p.poll,
            "media_ids": if p.media_ids.is_empty() { None } else { Some(&p.media_ids) },
            "sensitive": p.sensitive,
            "spoiler_text": p.spoiler_text,
            "visibility": p.visibility,
            "in_reply_to_id": p.in_reply_to_id,
            "language": p.language,
            "idempotency": p.idempotency,
            "scheduled_at": null,
            "application_id": 0,
            "with_rate_limit": false,
        },
    }))
}

async fn render(ctx: &Ctx, list: Vec<Scheduled>) -> AppResult<Vec<Value>> {
    let base = ctx.config.base_url();
    Ok(ctx
        .db
        .run(move |c| list.iter().map(|s| entity(&base, c, s)).collect())
        .await?)
}

/// GET /api/v1/scheduled_statuses (`max_id`, `min_id`/`since_id`, `limit` 20, at most 40)
pub async fn list(ctx: Ctx, auth: Auth, RawQuery(raw): RawQuery) -> AppResult<Response> {
    auth.require("read:statuses")?;
    let (me, _) = auth.user()?.clone();
    let pairs = query_pairs(raw);
    let one = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let limit = one("limit")
        .and_then(|l| l.parse::<i64>().ok())
        .unwrap_or(20)
        .clamp(1, 40);
    let rows = scheduled::list(
        &ctx,
        &me.id,
        one("max_id"),
        one("min_id").or(one("since_id")),
        limit,
    )
    .await?;
    let (newest, oldest) = (
        rows.first().map(|s| s.row.id.clone()),
        rows.last().map(|s| s.row.id.clone()),
    );
    let body = render(&ctx, rows).await?;
    let mut response = Json(body).into_response();
    let base = format!("{}/api/v1/scheduled_statuses", ctx.config.base_url());
    let keep: String = pairs
        .iter()
        .filter(|(k, _)| k == "limit")
        .map(|(k, v)| format!("{k}={v}&"))
        .collect();
    let mut links = Vec::new();
    if let Some(o) = oldest {
        links.push(format!("<{base}?{keep}max_id={o}>; rel=\"next\""));
    }
    if let Some(n) = newest {
        links.push(format!("<{base}?{keep}min_id={n}>; rel=\"prev\""));
    }
    if let Ok(v) = HeaderValue::from_str(&links.join(", ")) {
        if !links.is_empty() {
            response.headers_mut().insert(header::LINK, v);
        }
    }
    Ok(response)
}

/// GET /api/v1/scheduled_statuses/{id}
pub async fn get(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Value>> {
    auth.require("read:statuses")?;
    let (me, _) = auth.user()?.clone();
    let s = scheduled::get(&ctx, &me.id, &id).await?;
    Ok(Json(render(&ctx, vec![s]).await?.remove(0)))
}

/// PUT /api/v1/scheduled_statuses/{id} (`scheduled_at`)
pub async fn update(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Flex(body): Flex<Value>,
) -> AppResult<Json<Value>> {
    auth.require("write:statuses")?;
    let (me, _) = auth.user()?.clone();
    let at = body
        .get("scheduled_at")
        .and_then(|v| v.as_str())
        .ok_or_else(|| {
            AppError::Unprocessable("Validation failed: scheduled_at is required".into())
        })?;
    let at = parse_time(at)?;
    let s = scheduled::reschedule(&ctx, &me.id, &id, at).await?;
    Ok(Json(render(&ctx, vec![s]).await?.remove(0)))
}

/// DELETE /api/v1/scheduled_statuses/{id}
pub async fn delete(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Value>> {
    auth.require("write:statuses")?;
    let (me, _) = auth.user()?.clone();
    scheduled::cancel(&ctx, &me.id, &id).await?;
    Ok(Json(json!({})))
}

/// The response to a status posted with `scheduled_at`.
pub async fn created(ctx: &Ctx, s: Scheduled) -> AppResult<Response> {
    Ok(Json(render(ctx, vec![s]).await?.remove(0)).into_response())
}

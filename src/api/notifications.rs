//! Notifications (get, dismiss, clear) and read markers.

use super::{
    auth::Auth,
    entities::{Marker, Markers, Notification},
    form::Flex,
    timelines::paged,
    views,
};
use crate::{
    db,
    error::{AppError, AppResult},
    state::Ctx,
};
use axum::{
    extract::{OriginalUri, Path, RawQuery},
    response::Response,
    Json,
};

pub(super) fn query_pairs(q: Option<String>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(q.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

pub(super) fn values(pairs: &[(String, String)], key: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == key || *k == format!("{key}[]"))
        .map(|(_, v)| v.clone())
        .collect()
}

/// GET /api/v1/notifications (`types[]`, `exclude_types[]`, `max_id`, `min_id`/`since_id`, `limit`)
pub async fn list(
    ctx: Ctx,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    RawQuery(q): RawQuery,
) -> AppResult<Response> {
    auth.require("read:notifications")?;
    let (me, _) = auth.user()?.clone();
    let pairs = query_pairs(q);
    let one = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let limit = one("limit")
        .and_then(|l| l.parse::<i64>().ok())
        .unwrap_or(40)
        .clamp(1, 80);
    let ascending = one("min_id").is_some();
    let (max, min) = (one("max_id"), one("min_id").or(one("since_id")));
    let (kinds, exclude) = (values(&pairs, "types"), values(&pairs, "exclude_types"));
    let base = ctx.config.base_url();
    let b = base.clone();
    let list: Vec<Notification> = ctx
        .db
        .run(move |c| {
            let keys = db::Keys {
                max: max.as_deref(),
                min: min.as_deref(),
                ascending,
                limit,
            };
            let rows = db::notifications::page(c, &me.id, &kinds, &exclude, keys)?;
            views::notifications(c, &rows, &me, &b)
        })
        .await?;
    let ids = super::timelines::ends(&list, |n| &n.id);
    Ok(paged(list, ids, &uri, &base))
}

/// GET /api/v1/notifications/{id}
pub async fn get(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Notification>> {
    auth.require("read:notifications")?;
    let (me, _) = auth.user()?.clone();
    let base = ctx.config.base_url();
    ctx.db
        .run(move |c| match db::notifications::get(c, &me.id, &id)? {
            Some(n) => views::notification(c, &n, &me, &base),
            None => Ok(None),
        })
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound("Record not found".into()))
}

/// POST /api/v1/notifications/{id}/dismiss
pub async fn dismiss(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<serde_json::Value>> {
    auth.require("write:notifications")?;
    let (me, _) = auth.user()?.clone();
    crate::service::notifications::dismiss(ctx.app_data(), &me.id, &id).await?;
    Ok(Json(serde_json::json!({})))
}

/// POST /api/v1/notifications/clear
pub async fn clear(ctx: Ctx, auth: Auth) -> AppResult<Json<serde_json::Value>> {
    auth.require("write:notifications")?;
    let (me, _) = auth.user()?.clone();
    crate::service::notifications::clear(ctx.app_data(), &me.id).await?;
    Ok(Json(serde_json::json!({})))
}

async fn current_markers(ctx: &Ctx, user_id: String, only: Vec<String>) -> AppResult<Markers> {
    let rows = ctx
        .db
        .run(move |c| db::notifications::markers(c, &user_id))
        .await?;
    let mut out = Markers {
        home: None,
        notifications: None,
    };
    for (timeline, last_read_id, version, updated_at) in rows {
        if !only.is_empty() && !only.contains(&timeline) {
            continue;
        }
        let m = Marker {
            last_read_id,
            version: version as i64,
            updated_at: views::datetime(updated_at),
        };
        match timeline.as_str() {
            "home" => out.home = Some(m),
            "notifications" => out.notifications = Some(m),
            _ => {}
        }
    }
    Ok(out)
}

/// GET /api/v1/markers?timeline[]=home&timeline[]=notifications
pub async fn get_markers(ctx: Ctx, auth: Auth, RawQuery(q): RawQuery) -> AppResult<Json<Markers>> {
    auth.require("read:statuses")?;
    let (me, _) = auth.user()?.clone();
    let only = values(&query_pairs(q), "timeline");
    Ok(Json(current_markers(&ctx, me.id, only).await?))
}

/// POST /api/v1/markers (`home[last_read_id]`, `notifications[last_read_id]`): the markers it set,
/// as Mastodon answers (`{}` when the request names none).
pub async fn set_markers(
    ctx: Ctx,
    auth: Auth,
    Flex(body): Flex<serde_json::Value>,
) -> AppResult<Json<Markers>> {
    auth.require("write:statuses")?;
    let (me, _) = auth.user()?.clone();
    let mut set = Vec::new();
    for timeline in ["home", "notifications"] {
        if let Some(id) = body
            .get(timeline)
            .and_then(|t| t.get("last_read_id"))
            .and_then(|v| v.as_str())
        {
            set.push((timeline.to_string(), id.to_string()));
        }
    }
    let only: Vec<String> = set.iter().map(|(t, _)| t.clone()).collect();
    crate::service::notifications::set_markers(ctx.app_data(), &me.id, set).await?;
    if only.is_empty() {
        return Ok(Json(Markers {
            home: None,
            notifications: None,
        }));
    }
    Ok(Json(current_markers(&ctx, me.id, only).await?))
}

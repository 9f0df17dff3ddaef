//! Grouped notifications (API v2, Mastodon 4.3) and unread counts: `GET /api/v2/notifications`,
//! one group, its accounts and its dismissal, and `GET /api/v{1,2}/notifications/unread_count`.
//! Groups are stored keys (`domain::notification::group_key`): favourites and boosts of one
//! post, follows of one day; a kind left out of `grouped_types[]` is shown ungrouped.

mod group;

use super::{auth::Auth, entities::Account, views};
use crate::{
    db::{self, notifications::NotificationRow, DbConnection, DbResult},
    error::{AppError, AppResult},
    state::Ctx,
};
use axum::{
    extract::{Path, RawQuery},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    Json,
};
use group::{page_groups, query, render, Grouped, PageGroup, MAX_SCAN};

/// `Link` for the next (older) and previous (newer) pages, keeping every other parameter.
fn link(
    base: &str,
    path: &str,
    pairs: &[(String, String)],
    next: Option<&str>,
    prev: Option<&str>,
) -> Option<HeaderValue> {
    let with = |k: &str, v: &str| {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (pk, pv) in pairs {
            if !matches!(pk.as_str(), "max_id" | "min_id" | "since_id") {
                s.append_pair(pk, pv);
            }
        }
        s.append_pair(k, v);
        format!("<{base}{path}?{}>", s.finish())
    };
    let mut links = Vec::new();
    if let Some(n) = next {
        links.push(format!("{}; rel=\"next\"", with("max_id", n)));
    }
    if let Some(p) = prev {
        links.push(format!("{}; rel=\"prev\"", with("min_id", p)));
    }
    (!links.is_empty())
        .then(|| HeaderValue::from_str(&links.join(", ")).ok())
        .flatten()
}

/// GET /api/v2/notifications
pub async fn list(ctx: Ctx, auth: Auth, RawQuery(raw): RawQuery) -> AppResult<Response> {
    auth.require("read:notifications")?;
    let (me, _) = auth.user()?.clone();
    let q = query(raw, 40, 80);
    let base = ctx.config.base_url();
    let b = base.clone();
    let (grouped, newest, oldest) = ctx
        .db
        .run(move |c| {
            let groups = page_groups(c, &me.id, &q)?;
            let newest = groups.first().map(|g| g.rows[0].id.clone());
            let oldest = groups
                .iter()
                .flat_map(|g| g.rows.iter())
                .map(|n| n.id.clone())
                .min();
            let out = render(c, &me, &b, groups, true, q.partial)?;
            Ok::<_, db::DbError>(((out, q.pairs), newest, oldest))
        })
        .await?;
    let (out, pairs) = grouped;
    let mut response = Json(out).into_response();
    if let Some(v) = link(
        &base,
        "/api/v2/notifications",
        &pairs,
        oldest.as_deref(),
        newest.as_deref(),
    ) {
        response.headers_mut().insert(header::LINK, v);
    }
    Ok(response)
}

/// The rows of a group as the client names it (`ungrouped-{id}` is one notification).
fn group_rows(c: &mut DbConnection, me: &str, key: &str) -> DbResult<Vec<NotificationRow>> {
    match key.strip_prefix("ungrouped-") {
        Some(id) => Ok(db::notifications::get(c, me, id)?.into_iter().collect()),
        None => db::notifications::in_group(c, me, key, None, 80),
    }
}

fn not_found() -> AppError {
    AppError::NotFound("Record not found".into())
}

/// GET /api/v2/notifications/{group_key}
pub async fn get(ctx: Ctx, auth: Auth, Path(key): Path<String>) -> AppResult<Json<Grouped>> {
    auth.require("read:notifications")?;
    let (me, _) = auth.user()?.clone();
    let base = ctx.config.base_url();
    let out = ctx
        .db
        .run(move |c| {
            let rows = group_rows(c, &me.id, &key)?;
            if rows.is_empty() {
                return Ok(None);
            }
            let g = PageGroup { key, rows };
            Ok(Some(render(c, &me, &base, vec![g], false, false)?))
        })
        .await?
        .filter(|g: &Grouped| !g.notification_groups.is_empty())
        .ok_or_else(not_found)?;
    Ok(Json(out))
}

/// GET /api/v2/notifications/{group_key}/accounts
pub async fn accounts(
    ctx: Ctx,
    auth: Auth,
    Path(key): Path<String>,
) -> AppResult<Json<Vec<Account>>> {
    auth.require("read:notifications")?;
    let (me, _) = auth.user()?.clone();
    let base = ctx.config.base_url();
    let list = ctx
        .db
        .run(move |c| {
            let rows = group_rows(c, &me.id, &key)?;
            views::notifications(c, &rows, &me, &base)
        })
        .await?;
    if list.is_empty() {
        return Err(not_found());
    }
    let mut out: Vec<Account> = Vec::new();
    for n in list {
        if !out.iter().any(|a| a.id == n.account.id) {
            out.push(n.account);
        }
    }
    Ok(Json(out))
}

/// POST /api/v2/notifications/{group_key}/dismiss
pub async fn dismiss(
    ctx: Ctx,
    auth: Auth,
    Path(key): Path<String>,
) -> AppResult<Json<serde_json::Value>> {
    auth.require("write:notifications")?;
    let (me, _) = auth.user()?.clone();
    crate::service::notifications::dismiss_group(ctx.app_data(), &me.id, &key).await?;
    Ok(Json(serde_json::json!({})))
}

/// `{"count": n}`: notifications (v1) or groups (v2) newer than the notifications marker, up
/// to `limit` (default 100, at most 1000).
async fn unread(
    ctx: Ctx,
    auth: Auth,
    raw: Option<String>,
    groups: bool,
) -> AppResult<Json<serde_json::Value>> {
    auth.require("read:notifications")?;
    let (me, _) = auth.user()?.clone();
    let q = query(raw, 100, 1000);
    let count = ctx
        .db
        .run(move |c| {
            let marker = db::notifications::markers(c, &me.id)?
                .into_iter()
                .find(|(t, ..)| t == "notifications")
                .map(|(_, id, ..)| id);
            if !groups {
                let rows = db::notifications::newer_than(
                    c,
                    &me.id,
                    marker.as_deref(),
                    &q.types,
                    &q.exclude,
                    q.limit,
                )?;
                return Ok::<_, db::DbError>(rows.len());
            }
            let rows = db::notifications::newer_than(
                c,
                &me.id,
                marker.as_deref(),
                &q.types,
                &q.exclude,
                MAX_SCAN.max(q.limit),
            )?;
            let mut keys: Vec<String> = Vec::new();
            for (id, kind, key) in rows {
                let key = if q.grouped.contains(&kind) {
                    key
                } else {
                    format!("ungrouped-{id}")
                };
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            Ok(keys.len().min(q.limit as usize))
        })
        .await?;
    Ok(Json(serde_json::json!({ "count": count })))
}

/// GET /api/v1/notifications/unread_count
pub async fn unread_count_v1(
    ctx: Ctx,
    auth: Auth,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<serde_json::Value>> {
    unread(ctx, auth, raw, false).await
}

/// GET /api/v2/notifications/unread_count
pub async fn unread_count_v2(
    ctx: Ctx,
    auth: Auth,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<serde_json::Value>> {
    unread(ctx, auth, raw, true).await
}

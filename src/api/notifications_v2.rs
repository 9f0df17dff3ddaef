//! Grouped notifications (API v2, Mastodon 4.3) and unread counts: `GET /api/v2/notifications`,
//! one group, its accounts and its dismissal, and `GET /api/v{1,2}/notifications/unread_count`.
//! Groups are stored keys (`domain::notification::group_key`): favourites and boosts of one
//! post, follows of one day; a kind left out of `grouped_types[]` is shown ungrouped.

use super::{
    auth::Auth,
    entities::{Account, Notification, Status},
    notifications::{query_pairs, values},
    views,
};
use crate::{
    db::{self, actors::ActorRow, notifications::NotificationRow, DbConnection, DbResult},
    domain::notification::{groupable, GROUPED_BY_DEFAULT},
    error::{AppError, AppResult},
    state::Ctx,
};
use axum::{
    extract::{Path, RawQuery},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    Json,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// One group (NotificationGroup).
#[derive(Debug, Serialize)]
pub struct NotificationGroup {
    pub group_key: String,
    pub notifications_count: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub most_recent_notification_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_min_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_max_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_page_notification_at: Option<String>,
    pub sample_account_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_id: Option<String>,
}

/// A PartialAccountWithAvatar (`expand_accounts=partial_avatars`).
#[derive(Debug, Serialize)]
pub struct PartialAccount {
    pub id: String,
    pub acct: String,
    pub url: String,
    pub avatar: String,
    pub avatar_static: String,
    pub locked: bool,
    pub bot: bool,
}

/// GroupedNotificationsResults.
#[derive(Debug, Serialize)]
pub struct Grouped {
    pub accounts: Vec<Account>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial_accounts: Option<Vec<PartialAccount>>,
    pub statuses: Vec<Status>,
    pub notification_groups: Vec<NotificationGroup>,
}

/// Accounts shown per group.
const SAMPLE_ACCOUNTS: usize = 8;
/// Notifications read to fill one page of groups, at most (favourites of a popular post).
const MAX_SCAN: i64 = 400;

/// The parameters of `GET /api/v2/notifications`.
struct Query {
    pairs: Vec<(String, String)>,
    max_id: Option<String>,
    min_id: Option<String>,
    limit: i64,
    types: Vec<String>,
    exclude: Vec<String>,
    grouped: Vec<String>,
    partial: bool,
}

fn query(q: Option<String>, default_limit: i64, max_limit: i64) -> Query {
    let pairs = query_pairs(q);
    let one = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let limit = one("limit")
        .and_then(|l| l.parse::<i64>().ok())
        .unwrap_or(default_limit)
        .clamp(1, max_limit);
    let grouped = if pairs
        .iter()
        .any(|(k, _)| k == "grouped_types" || k == "grouped_types[]")
    {
        values(&pairs, "grouped_types")
    } else {
        GROUPED_BY_DEFAULT
            .iter()
            .map(|k| k.as_str().to_string())
            .collect()
    };
    Query {
        max_id: one("max_id"),
        min_id: one("min_id").or(one("since_id")),
        limit,
        types: values(&pairs, "types"),
        exclude: values(&pairs, "exclude_types"),
        grouped: grouped.into_iter().filter(|k| groupable(k)).collect(),
        partial: one("expand_accounts").as_deref() == Some("partial_avatars"),
        pairs,
    }
}

/// The key a row is shown under for these `grouped_types`.
fn shown_key(n: &NotificationRow, grouped: &[String]) -> String {
    if grouped.iter().any(|k| k == n.kind.as_str()) {
        n.group_key.clone()
    } else {
        format!("ungrouped-{}", n.id)
    }
}

/// A group found on a page: its key and its rows on the page, newest first.
struct PageGroup {
    key: String,
    rows: Vec<NotificationRow>,
}

/// Reads notifications newest first (older than `max_id`, newer than `min_id`) until `limit`
/// groups are complete or `MAX_SCAN` rows were read; returns the groups and the page's bounds.
fn page_groups(c: &mut DbConnection, me: &str, q: &Query) -> DbResult<Vec<PageGroup>> {
    let mut groups: Vec<PageGroup> = Vec::new();
    let mut max = q.max_id.clone();
    let mut scanned = 0;
    'scan: while scanned < MAX_SCAN {
        let batch = db::notifications::list(
            c,
            me,
            max.as_deref(),
            q.min_id.as_deref(),
            &q.types,
            &q.exclude,
            40,
        )?;
        let Some(last) = batch.last() else { break };
        max = Some(last.id.clone());
        scanned += batch.len() as i64;
        let full = batch.len() < 40;
        for n in batch {
            let key = shown_key(&n, &q.grouped);
            match groups.iter().position(|g| g.key == key) {
                Some(i) => groups[i].rows.push(n),
                None if groups.len() as i64 == q.limit => break 'scan,
                None => groups.push(PageGroup { key, rows: vec![n] }),
            }
        }
        if full {
            break;
        }
    }
    Ok(groups)
}

/// Renders groups: their entities, the accounts and statuses they name.
fn render(
    c: &mut DbConnection,
    me: &ActorRow,
    base: &str,
    groups: Vec<PageGroup>,
    paged: bool,
    partial: bool,
) -> DbResult<Grouped> {
    let mut rows: Vec<NotificationRow> = Vec::new();
    let mut samples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    for g in &groups {
        let newest = &g.rows[0];
        let (count, group_rows) = if g.key.starts_with("ungrouped-") {
            (1, vec![newest.clone()])
        } else {
            let upto = Some(newest.id.as_str());
            (
                db::notifications::count_group(c, &me.id, &g.key, upto)?,
                db::notifications::in_group(c, &me.id, &g.key, upto, 40)?,
            )
        };
        let mut ids: Vec<String> = Vec::new();
        for n in group_rows.iter().chain(g.rows.iter()) {
            if ids.len() < SAMPLE_ACCOUNTS && !ids.contains(&n.from_actor_id) {
                ids.push(n.from_actor_id.clone());
                rows.push(n.clone());
            }
        }
        rows.push(newest.clone());
        samples.insert(g.key.clone(), ids);
        counts.insert(g.key.clone(), count);
    }
    rows.sort_by(|a, b| b.id.cmp(&a.id));
    rows.dedup_by(|a, b| a.id == b.id);
    let entities: Vec<Notification> = views::notifications(c, &rows, me, base)?;
    let by_id: BTreeMap<&str, &Notification> =
        entities.iter().map(|n| (n.id.as_str(), n)).collect();
    let mut accounts: BTreeMap<String, Account> = BTreeMap::new();
    for n in &entities {
        accounts
            .entry(n.account.id.clone())
            .or_insert_with(|| n.account.clone());
    }
    let mut out = Grouped {
        accounts: vec![],
        partial_accounts: partial.then(Vec::new),
        statuses: vec![],
        notification_groups: vec![],
    };
    let mut full_ids: Vec<String> = Vec::new();
    for g in groups {
        let newest = &g.rows[0];
        // A notification about a post the member may no longer see is left out, group and all.
        let Some(entity) = by_id.get(newest.id.as_str()) else {
            continue;
        };
        let sample: Vec<String> = samples
            .remove(&g.key)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|a| accounts.get(&a).map(|acc| acc.id.clone()))
            .collect();
        if !full_ids.contains(&entity.account.id) {
            full_ids.push(entity.account.id.clone());
        }
        if !partial {
            for a in &sample {
                if !full_ids.contains(a) {
                    full_ids.push(a.clone());
                }
            }
        }
        if let Some(s) = &entity.status {
            if !out.statuses.iter().any(|x| x.id == s.id) {
                out.statuses.push(s.clone());
            }
        }
        let oldest = g.rows.last().unwrap_or(newest);
        out.notification_groups.push(NotificationGroup {
            notifications_count: counts.get(&g.key).copied().unwrap_or(1),
            kind: newest.kind.as_str().to_string(),
            most_recent_notification_id: newest.id.clone(),
            page_min_id: paged.then(|| oldest.id.clone()),
            page_max_id: paged.then(|| newest.id.clone()),
            latest_page_notification_at: paged.then(|| entity.created_at.clone()),
            sample_account_ids: sample,
            status_id: entity.status.as_ref().map(|s| s.id.clone()),
            group_key: g.key,
        });
    }
    for (id, account) in accounts {
        if full_ids.contains(&id) {
            out.accounts.push(account);
        } else if let Some(p) = out.partial_accounts.as_mut() {
            p.push(PartialAccount {
                url: account.url.clone().unwrap_or_else(|| account.uri.clone()),
                id: account.id,
                acct: account.acct,
                avatar: account.avatar,
                avatar_static: account.avatar_static,
                locked: account.locked,
                bot: account.bot,
            });
        }
    }
    Ok(out)
}

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

//! Timelines with Mastodon paging (`max_id`, `since_id`, `min_id`, `limit`) and `Link` headers.

use super::{auth::Auth, entities::Status, views};
use crate::{
    error::{AppError, AppResult},
    service::reading::{self, Window},
    state::Ctx,
};
use axum::{
    extract::Query,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;

/// Paging parameters.
#[derive(Deserialize, Default)]
pub struct Page {
    pub max_id: Option<String>,
    pub since_id: Option<String>,
    pub min_id: Option<String>,
    pub limit: Option<String>,
}

impl Page {
    /// `limit`, defaulting to 20 and capped at 40 as Mastodon does.
    pub fn limit(&self) -> i64 {
        self.limit
            .as_deref()
            .and_then(|l| l.parse::<i64>().ok())
            .unwrap_or(20)
            .clamp(1, 40)
    }
}

/// A JSON list with a `Link` header for the next (older) and previous (newer) pages.
pub fn paged<T: serde::Serialize>(
    items: Vec<T>,
    ids: (Option<String>, Option<String>),
    path: &str,
    base: &str,
) -> Response {
    let mut response = Json(items).into_response();
    let (newest, oldest) = ids;
    let mut links = Vec::new();
    if let Some(oldest) = oldest {
        links.push(format!("<{base}{path}?max_id={oldest}>; rel=\"next\""));
    }
    if let Some(newest) = newest {
        links.push(format!("<{base}{path}?min_id={newest}>; rel=\"prev\""));
    }
    if !links.is_empty() {
        if let Ok(v) = HeaderValue::from_str(&links.join(", ")) {
            response.headers_mut().insert(header::LINK, v);
        }
    }
    response
}

/// GET /api/v1/timelines/home
pub async fn home(ctx: Ctx, auth: Auth, Query(page): Query<Page>) -> AppResult<Response> {
    auth.require("read:statuses")?;
    let (me, _) = auth.user()?.clone();
    let base = ctx.config.base_url();
    let limit = page.limit();
    let (max, min) = (
        page.max_id.clone(),
        page.min_id.clone().or(page.since_id.clone()),
    );
    let since_only = page.min_id.is_none() && page.since_id.is_some();
    let window = Window {
        max,
        min,
        since_only,
        limit,
    };
    let rows = reading::home(ctx.app_data(), me.id.clone(), window).await?;
    let b = base.clone();
    let statuses: Vec<Status> = ctx
        .db
        .run(move |c| {
            views::screened(
                c,
                &rows,
                Some(&me),
                &b,
                crate::domain::filter::FilterContext::Home,
            )
        })
        .await?;
    let ids = (
        statuses.first().map(|s| s.id.clone()),
        statuses.last().map(|s| s.id.clone()),
    );
    Ok(paged(statuses, ids, "/api/v1/timelines/home", &base))
}

async fn marked(ctx: Ctx, auth: Auth, page: Page, bookmarks: bool) -> AppResult<Response> {
    auth.require(if bookmarks {
        "read:bookmarks"
    } else {
        "read:favourites"
    })?;
    let (me, _) = auth.user()?.clone();
    let base = ctx.config.base_url();
    let (limit, max) = (page.limit(), page.max_id.clone());
    let (rows, last_mark) =
        reading::marked(ctx.app_data(), me.id.clone(), bookmarks, max, limit).await?;
    let b = base.clone();
    let statuses: Vec<Status> = ctx
        .db
        .run(move |c| views::statuses(c, &rows, Some(&me), &b))
        .await?;
    let path = if bookmarks {
        "/api/v1/bookmarks"
    } else {
        "/api/v1/favourites"
    };
    Ok(paged(statuses, (None, last_mark), path, &base))
}

/// GET /api/v1/favourites
pub async fn favourites(ctx: Ctx, auth: Auth, Query(page): Query<Page>) -> AppResult<Response> {
    marked(ctx, auth, page, false).await
}

/// GET /api/v1/bookmarks
pub async fn bookmarks(ctx: Ctx, auth: Auth, Query(page): Query<Page>) -> AppResult<Response> {
    marked(ctx, auth, page, true).await
}

/// `local`, `remote` and paging parameters of the public and tag timelines.
#[derive(Deserialize, Default)]
pub struct PublicQuery {
    local: Option<String>,
    remote: Option<String>,
    #[serde(flatten)]
    page: Page,
}

async fn public_list(
    ctx: Ctx,
    auth: super::auth::MaybeAuth,
    q: PublicQuery,
    tag: Option<String>,
) -> AppResult<Response> {
    let truthy = |v: &Option<String>| matches!(v.as_deref(), Some("true" | "1"));
    let local = if truthy(&q.local) {
        Some(true)
    } else if truthy(&q.remote) {
        Some(false)
    } else {
        None
    };
    let viewer = auth
        .0
        .as_ref()
        .and_then(|a| a.user.as_ref())
        .map(|(a, _)| a.clone());
    let base = ctx.config.base_url();
    let (limit, max, min) = (
        q.page.limit(),
        q.page.max_id.clone(),
        q.page.min_id.clone().or(q.page.since_id.clone()),
    );
    let window = Window {
        max,
        min,
        since_only: false,
        limit,
    };
    let rows = reading::public(ctx.app_data(), local, tag.clone(), window).await?;
    let b = base.clone();
    let statuses: Vec<Status> = ctx
        .db
        .run(move |c| {
            views::screened(
                c,
                &rows,
                viewer.as_ref(),
                &b,
                crate::domain::filter::FilterContext::Public,
            )
        })
        .await?;
    let ids = (
        statuses.first().map(|s| s.id.clone()),
        statuses.last().map(|s| s.id.clone()),
    );
    let path = match tag {
        Some(t) => format!("/api/v1/timelines/tag/{t}"),
        None => "/api/v1/timelines/public".to_string(),
    };
    Ok(paged(statuses, ids, &path, &base))
}

/// GET /api/v1/timelines/public (`local`, `remote`)
pub async fn public(
    ctx: Ctx,
    auth: super::auth::MaybeAuth,
    Query(q): Query<PublicQuery>,
) -> AppResult<Response> {
    public_list(ctx, auth, q, None).await
}

/// GET /api/v1/timelines/tag/{hashtag}
pub async fn tag(
    ctx: Ctx,
    auth: super::auth::MaybeAuth,
    axum::extract::Path(tag): axum::extract::Path<String>,
    Query(q): Query<PublicQuery>,
) -> AppResult<Response> {
    let tag = crate::domain::names::normalize_hashtag(&tag)
        .ok_or_else(|| AppError::NotFound("Record not found".into()))?;
    public_list(ctx, auth, q, Some(tag)).await
}

/// GET /api/v1/tags/{name} — a hashtag and its use on this node.
pub async fn tag_info(
    ctx: Ctx,
    auth: super::auth::MaybeAuth,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> AppResult<Json<super::entities::Tag>> {
    let name = crate::domain::names::normalize_hashtag(&name)
        .ok_or_else(|| AppError::NotFound("Record not found".into()))?;
    let signed_in = auth.0.as_ref().is_some_and(|a| a.user.is_some());
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| super::views::tag(c, &name, signed_in, &base))
            .await?,
    ))
}

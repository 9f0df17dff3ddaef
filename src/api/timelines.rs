//! Timelines with Mastodon paging (`max_id`, `since_id`, `min_id`, `limit`) and `Link` headers.

use super::{auth::Auth, entities::Status, form, views};
use crate::{
    error::AppResult,
    service::reading::{self, Window},
    state::Ctx,
};
use axum::{
    extract::{OriginalUri, Query},
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

    /// The page as a window: `min_id` asks for the oldest posts above it, `since_id` for the
    /// newest.
    pub fn window(&self) -> Window {
        Window {
            max: self.max_id.clone(),
            min: self.min_id.clone().or(self.since_id.clone()),
            since_only: self.min_id.is_none() && self.since_id.is_some(),
            limit: self.limit(),
        }
    }
}

/// `(newest, oldest)` ids of a page, for its `Link` header.
pub fn ends<T>(items: &[T], id: impl Fn(&T) -> &str) -> (Option<String>, Option<String>) {
    (
        items.first().map(|i| id(i).to_string()),
        items.last().map(|i| id(i).to_string()),
    )
}

/// The request's query without its cursors (`max_id`, `min_id`, `since_id`): every filter and the
/// limit, as the client sent them, so the pages a `Link` header names keep them.
fn kept_query(query: Option<&str>) -> String {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(k, _)| !matches!(k.as_ref(), "max_id" | "min_id" | "since_id"))
        .fold(
            url::form_urlencoded::Serializer::new(String::new()),
            |mut s, (k, v)| {
                s.append_pair(&k, &v);
                s
            },
        )
        .finish()
}

/// A JSON list with a `Link` header for the next (older) and previous (newer) pages. `uri` is the
/// request's: the links repeat its path and every parameter but the cursors.
pub fn paged<T: serde::Serialize>(
    items: Vec<T>,
    ids: (Option<String>, Option<String>),
    uri: &axum::http::Uri,
    base: &str,
) -> Response {
    let mut response = Json(items).into_response();
    let (newest, oldest) = ids;
    let kept = kept_query(uri.query());
    let path = uri.path();
    let link = |cursor: &str, id: &str| {
        let mut q = url::form_urlencoded::Serializer::new(kept.clone());
        q.append_pair(cursor, id);
        format!("{base}{path}?{}", q.finish())
    };
    let mut links = Vec::new();
    if let Some(oldest) = oldest {
        links.push(format!("<{}>; rel=\"next\"", link("max_id", &oldest)));
    }
    if let Some(newest) = newest {
        links.push(format!("<{}>; rel=\"prev\"", link("min_id", &newest)));
    }
    if !links.is_empty() {
        if let Ok(v) = HeaderValue::from_str(&links.join(", ")) {
            response.headers_mut().insert(header::LINK, v);
        }
    }
    response
}

/// GET /api/v1/timelines/home
pub async fn home(
    ctx: Ctx,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Query(page): Query<Page>,
) -> AppResult<Response> {
    auth.require("read:statuses")?;
    let (me, _) = auth.user()?.clone();
    let base = ctx.config.base_url();
    let rows = reading::home(ctx.app_data(), me.id.clone(), page.window()).await?;
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
    let ids = ends(&statuses, |s| &s.id);
    Ok(paged(statuses, ids, &uri, &base))
}

/// GET /api/v1/timelines/direct — the reader's direct statuses, sent and received.
pub async fn direct(
    ctx: Ctx,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Query(page): Query<Page>,
) -> AppResult<Response> {
    auth.require("read:statuses")?;
    let (me, _) = auth.user()?.clone();
    let base = ctx.config.base_url();
    let rows = reading::direct(ctx.app_data(), me.id.clone(), page.window()).await?;
    let b = base.clone();
    let statuses: Vec<Status> = ctx
        .db
        .run(move |c| views::statuses(c, &rows, Some(&me), &b))
        .await?;
    let ids = ends(&statuses, |s| &s.id);
    Ok(paged(statuses, ids, &uri, &base))
}

async fn marked(
    ctx: Ctx,
    auth: Auth,
    uri: axum::http::Uri,
    page: Page,
    bookmarks: bool,
) -> AppResult<Response> {
    auth.require(if bookmarks {
        "read:bookmarks"
    } else {
        "read:favourites"
    })?;
    let (me, _) = auth.user()?.clone();
    let base = ctx.config.base_url();
    let (rows, marks) =
        reading::marked(ctx.app_data(), me.id.clone(), bookmarks, page.window()).await?;
    let b = base.clone();
    let statuses: Vec<Status> = ctx
        .db
        .run(move |c| views::statuses(c, &rows, Some(&me), &b))
        .await?;
    Ok(paged(statuses, marks, &uri, &base))
}

/// GET /api/v1/favourites
pub async fn favourites(
    ctx: Ctx,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Query(page): Query<Page>,
) -> AppResult<Response> {
    marked(ctx, auth, uri, page, false).await
}

/// GET /api/v1/bookmarks
pub async fn bookmarks(
    ctx: Ctx,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Query(page): Query<Page>,
) -> AppResult<Response> {
    marked(ctx, auth, uri, page, true).await
}

/// `local`, `remote` and paging parameters of the public and tag timelines.
#[derive(Deserialize, Default)]
pub struct PublicQuery {
    pub(super) local: Option<String>,
    pub(super) remote: Option<String>,
    pub(super) only_media: Option<String>,
    #[serde(flatten)]
    page: Page,
}

/// The public timeline, or a hashtag timeline (`tag`), as the reader may see it.
pub(super) async fn public_list(
    ctx: Ctx,
    auth: super::auth::MaybeAuth,
    uri: axum::http::Uri,
    q: PublicQuery,
    tag: Option<crate::db::posts::TagQuery>,
) -> AppResult<Response> {
    let local = if form::truthy("local", &q.local)? {
        Some(true)
    } else if form::truthy("remote", &q.remote)? {
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
    let only_media = form::truthy("only_media", &q.only_media)?;
    let who = crate::service::visibility::Viewer::of(viewer.as_ref());
    let rows =
        reading::listed(ctx.app_data(), who, local, tag, only_media, q.page.window()).await?;
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
    let ids = ends(&statuses, |s| &s.id);
    Ok(paged(statuses, ids, &uri, &base))
}

/// GET /api/v1/timelines/public (`local`, `remote`, `only_media`)
pub async fn public(
    ctx: Ctx,
    auth: super::auth::MaybeAuth,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<PublicQuery>,
) -> AppResult<Response> {
    public_list(ctx, auth, uri, q, None).await
}

//! Hashtags: a hashtag's entity, its timeline (with `any[]`, `all[]`, `none[]`), and following
//! hashtags (`/api/v1/tags/{name}/follow`, `/unfollow`, `/api/v1/followed_tags`).

use super::{
    auth::{Auth, MaybeAuth},
    entities::Tag,
    timelines::{paged, public_list, Page, PublicQuery},
    views,
};
use crate::{
    db::posts::TagQuery,
    error::{AppError, AppResult},
    service::followed_tags,
    state::Ctx,
};
use axum::{
    extract::{OriginalUri, Path, Query},
    response::Response,
    Json,
};

/// Most extra hashtags in each of `any[]`, `all[]` and `none[]` (Mastodon reads four).
const MOST_PER_MODE: usize = 4;

/// The extra hashtags of one mode (`any[]=a&any[]=b`, or `any=a`), normalized; a 422 for a name
/// that is not a hashtag or for more than [`MOST_PER_MODE`].
fn extra_tags(query: Option<&str>, mode: &str) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let key = k.as_ref();
        let matches = key == mode
            || key
                .strip_prefix(mode)
                .and_then(|rest| rest.strip_prefix('['))
                .is_some_and(|rest| rest.ends_with(']'));
        if !matches {
            continue;
        }
        let name = crate::domain::names::normalize_hashtag(&v).ok_or_else(|| {
            AppError::Unprocessable(format!(
                "Validation failed: {mode}[] has {v:?}, which is not a hashtag"
            ))
        })?;
        if !out.contains(&name) {
            out.push(name);
        }
    }
    if out.len() > MOST_PER_MODE {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: {mode}[] takes at most {MOST_PER_MODE} hashtags"
        )));
    }
    Ok(out)
}

/// GET /api/v1/timelines/tag/{hashtag} (`any[]`, `all[]`, `none[]`, `local`, `remote`,
/// `only_media`)
pub async fn timeline(
    ctx: Ctx,
    auth: MaybeAuth,
    OriginalUri(uri): OriginalUri,
    Path(tag): Path<String>,
    Query(q): Query<PublicQuery>,
) -> AppResult<Response> {
    let name = followed_tags::hashtag(&tag)?;
    let query = TagQuery {
        any: extra_tags(uri.query(), "any")?,
        all: extra_tags(uri.query(), "all")?,
        none: extra_tags(uri.query(), "none")?,
        name,
    };
    public_list(ctx, auth, uri, q, Some(query)).await
}

/// GET /api/v1/tags/{name} — a hashtag and its use on this node.
pub async fn info(ctx: Ctx, auth: MaybeAuth, Path(name): Path<String>) -> AppResult<Json<Tag>> {
    let name = followed_tags::hashtag(&name)?;
    let reader = auth
        .0
        .as_ref()
        .and_then(|a| a.user.as_ref())
        .map(|(a, _)| a.id.clone());
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| views::tag(c, &name, reader.as_deref(), &base))
            .await?,
    ))
}

async fn set(ctx: Ctx, auth: Auth, name: String, follow: bool) -> AppResult<Json<Tag>> {
    auth.require("write:follows")?;
    let (me, _) = auth.user()?.clone();
    let name = followed_tags::set(ctx.app_data(), me.id.clone(), &name, follow).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| views::tag(c, &name, Some(&me.id), &base))
            .await?,
    ))
}

/// POST /api/v1/tags/{name}/follow — public posts with it come to the home timeline.
pub async fn follow(ctx: Ctx, auth: Auth, Path(name): Path<String>) -> AppResult<Json<Tag>> {
    set(ctx, auth, name, true).await
}

/// POST /api/v1/tags/{name}/unfollow
pub async fn unfollow(ctx: Ctx, auth: Auth, Path(name): Path<String>) -> AppResult<Json<Tag>> {
    set(ctx, auth, name, false).await
}

/// GET /api/v1/followed_tags — paged by follow, newest first, with a `Link` header.
pub async fn followed(
    ctx: Ctx,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Query(page): Query<Page>,
) -> AppResult<Response> {
    auth.require("read:follows")?;
    let (me, _) = auth.user()?.clone();
    let w = page.window();
    let ascending = w.min.is_some() && !w.since_only;
    let rows = followed_tags::page(
        ctx.app_data(),
        me.id.clone(),
        w.max,
        w.min,
        ascending,
        w.limit,
    )
    .await?;
    let ends = (
        rows.first().map(|r| r.0.clone()),
        rows.last().map(|r| r.0.clone()),
    );
    let base = ctx.config.base_url();
    let b = base.clone();
    let tags: Vec<Tag> = ctx
        .db
        .run(move |c| {
            rows.iter()
                .map(|(_, name)| views::tag(c, name, Some(&me.id), &b))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(paged(tags, ends, &uri, &base))
}

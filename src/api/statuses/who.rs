//! Who favourited or boosted a status, paged by the favourite's or boost's id.

use super::{viewer, visible_post};
use crate::api::{auth::MaybeAuth, entities::Account, timelines, views};
use crate::db::interactions::Interaction;
use crate::{db, error::AppResult, state::Ctx};
use axum::{
    extract::{OriginalUri, Path, Query},
    response::Response,
};

async fn who(
    ctx: Ctx,
    auth: MaybeAuth,
    uri: axum::http::Uri,
    id: String,
    page: timelines::Page,
    favourites: bool,
) -> AppResult<Response> {
    let me = viewer(&auth);
    let post = visible_post(&ctx, id, me.as_ref()).await?;
    let base = ctx.config.base_url();
    let b = base.clone();
    let window = page.window();
    let (accounts, ends): (Vec<Account>, _) = ctx
        .db
        .run(move |c| {
            let kind = if favourites {
                Interaction::Favourite
            } else {
                Interaction::Reblog
            };
            let rows = db::interactions::actors_of(c, kind, &post.id, window.keys())?;
            let ends = timelines::ends(&rows, |(mark, _)| mark);
            let accounts = rows
                .iter()
                .map(|(_, a)| views::account(c, a, &b))
                .collect::<Result<_, _>>()?;
            Ok((accounts, ends))
        })
        .await?;
    Ok(timelines::paged(accounts, ends, &uri, &base))
}

/// GET /api/v1/statuses/{id}/favourited_by
pub async fn favourited_by(
    ctx: Ctx,
    auth: MaybeAuth,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    Query(page): Query<timelines::Page>,
) -> AppResult<Response> {
    who(ctx, auth, uri, id, page, true).await
}

/// GET /api/v1/statuses/{id}/reblogged_by
pub async fn reblogged_by(
    ctx: Ctx,
    auth: MaybeAuth,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    Query(page): Query<timelines::Page>,
) -> AppResult<Response> {
    who(ctx, auth, uri, id, page, false).await
}

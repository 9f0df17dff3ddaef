//! An account's followers and the accounts it follows.

use super::target_account;
use crate::api::{auth::MaybeAuth, entities::Account, views};
use crate::{db, error::AppResult, state::Ctx};
use axum::extract::{OriginalUri, Path, Query};

async fn follow_list(
    ctx: Ctx,
    uri: axum::http::Uri,
    id: String,
    page: crate::api::timelines::Page,
    followers: bool,
) -> AppResult<axum::response::Response> {
    let target = target_account(&ctx, id.clone()).await?;
    let base = ctx.config.base_url();
    let window = page.window();
    let b = base.clone();
    let (accounts, ends): (Vec<Account>, _) = ctx
        .db
        .run(move |c| {
            let rows = db::follows::page(c, &target.id, followers, window.keys())?;
            let ends = crate::api::timelines::ends(&rows, |(f, _)| f);
            let accounts = rows
                .iter()
                .map(|(_, a)| views::account(c, a, &b))
                .collect::<Result<_, _>>()?;
            Ok((accounts, ends))
        })
        .await?;
    Ok(crate::api::timelines::paged(accounts, ends, &uri, &base))
}

/// GET /api/v1/accounts/{id}/followers
pub async fn followers(
    ctx: Ctx,
    _auth: MaybeAuth,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    Query(page): Query<crate::api::timelines::Page>,
) -> AppResult<axum::response::Response> {
    follow_list(ctx, uri, id, page, true).await
}

/// GET /api/v1/accounts/{id}/following
pub async fn following(
    ctx: Ctx,
    _auth: MaybeAuth,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    Query(page): Query<crate::api::timelines::Page>,
) -> AppResult<axum::response::Response> {
    follow_list(ctx, uri, id, page, false).await
}

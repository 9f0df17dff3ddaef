//! An account's followers and the accounts it follows.

use super::target_account;
use crate::api::{auth::MaybeAuth, entities::Account, views};
use crate::{db, error::AppResult, state::Ctx};
use axum::extract::{Path, Query};

async fn follow_list(
    ctx: Ctx,
    id: String,
    page: crate::api::timelines::Page,
    followers: bool,
) -> AppResult<axum::response::Response> {
    let target = target_account(&ctx, id.clone()).await?;
    let base = ctx.config.base_url();
    let (limit, max) = (page.limit(), page.max_id.clone());
    let b = base.clone();
    let (accounts, last): (Vec<Account>, Option<String>) = ctx
        .db
        .run(move |c| {
            let rows = db::follows::page(c, &target.id, followers, max.as_deref(), limit)?;
            let last = rows.last().map(|(f, _)| f.clone());
            let accounts = rows
                .iter()
                .map(|(_, a)| views::account(c, a, &b))
                .collect::<Result<_, _>>()?;
            Ok((accounts, last))
        })
        .await?;
    let what = if followers { "followers" } else { "following" };
    Ok(crate::api::timelines::paged(
        accounts,
        (None, last),
        &format!("/api/v1/accounts/{id}/{what}"),
        &base,
    ))
}

/// GET /api/v1/accounts/{id}/followers
pub async fn followers(
    ctx: Ctx,
    _auth: MaybeAuth,
    Path(id): Path<String>,
    Query(page): Query<crate::api::timelines::Page>,
) -> AppResult<axum::response::Response> {
    follow_list(ctx, id, page, true).await
}

/// GET /api/v1/accounts/{id}/following
pub async fn following(
    ctx: Ctx,
    _auth: MaybeAuth,
    Path(id): Path<String>,
    Query(page): Query<crate::api::timelines::Page>,
) -> AppResult<axum::response::Response> {
    follow_list(ctx, id, page, false).await
}

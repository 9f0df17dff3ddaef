//! Who favourited or boosted a status.

use super::{viewer, visible_post};
use crate::api::{auth::MaybeAuth, views};
use crate::db::interactions::Interaction;
use crate::{db, error::AppResult, state::Ctx};
use axum::{extract::Path, Json};

async fn who(
    ctx: Ctx,
    auth: MaybeAuth,
    id: String,
    favourites: bool,
) -> AppResult<Json<Vec<crate::api::entities::Account>>> {
    let me = viewer(&auth);
    let post = visible_post(&ctx, id, me.as_ref()).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| {
                let kind = if favourites {
                    Interaction::Favourite
                } else {
                    Interaction::Reblog
                };
                let actors = db::interactions::actors_of(c, kind, &post.id, 80)?;
                actors.iter().map(|a| views::account(c, a, &base)).collect()
            })
            .await?,
    ))
}

/// GET /api/v1/statuses/{id}/favourited_by
pub async fn favourited_by(
    ctx: Ctx,
    auth: MaybeAuth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<crate::api::entities::Account>>> {
    who(ctx, auth, id, true).await
}

/// GET /api/v1/statuses/{id}/reblogged_by
pub async fn reblogged_by(
    ctx: Ctx,
    auth: MaybeAuth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<crate::api::entities::Account>>> {
    who(ctx, auth, id, false).await
}

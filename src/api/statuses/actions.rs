//! Favourites, boosts and bookmarks of a status.

use super::{acting, post_view};
use crate::api::{auth::Auth, entities::Status, views};
use crate::{db::interactions::Interaction, service::interactions};
use crate::{
    error::{AppError, AppResult},
    service::reading,
    state::Ctx,
};
use axum::{extract::Path, Json};

/// POST /api/v1/statuses/{id}/favourite
pub async fn favourite(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Status>> {
    let (me, post) = acting(&ctx, &auth, "write:favourites", id).await?;
    interactions::add(&ctx, Interaction::Favourite, &me, &post).await?;
    Ok(Json(post_view(&ctx, post, Some(me)).await?))
}

/// POST /api/v1/statuses/{id}/unfavourite
pub async fn unfavourite(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Status>> {
    let (me, post) = acting(&ctx, &auth, "write:favourites", id).await?;
    interactions::remove(&ctx, Interaction::Favourite, &me, &post).await?;
    Ok(Json(post_view(&ctx, post, Some(me)).await?))
}

/// POST /api/v1/statuses/{id}/reblog — returns the boost, with the original in `reblog`.
pub async fn reblog(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Status>> {
    let (me, post) = acting(&ctx, &auth, "write:statuses", id).await?;
    if !reading::is_public(ctx.app_data(), post.clone()).await? {
        return Err(AppError::Forbidden(
            "This status cannot be reblogged".into(),
        ));
    }
    let row = interactions::add(&ctx, Interaction::Reblog, &me, &post).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| views::reblog_status(c, &row, &post, Some(&me), &base))
            .await?,
    ))
}

/// POST /api/v1/statuses/{id}/unreblog
pub async fn unreblog(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Status>> {
    let (me, post) = acting(&ctx, &auth, "write:statuses", id).await?;
    interactions::remove(&ctx, Interaction::Reblog, &me, &post).await?;
    Ok(Json(post_view(&ctx, post, Some(me)).await?))
}

/// POST /api/v1/statuses/{id}/bookmark
pub async fn bookmark(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Status>> {
    let (me, post) = acting(&ctx, &auth, "write:bookmarks", id).await?;
    interactions::bookmark(&ctx, &me, &post, true).await?;
    Ok(Json(post_view(&ctx, post, Some(me)).await?))
}

/// POST /api/v1/statuses/{id}/unbookmark
pub async fn unbookmark(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Status>> {
    let (me, post) = acting(&ctx, &auth, "write:bookmarks", id).await?;
    interactions::bookmark(&ctx, &me, &post, false).await?;
    Ok(Json(post_view(&ctx, post, Some(me)).await?))
}

/// POST /api/v1/statuses/{id}/pin — one of the member's own public or unlisted posts, at most
/// five (422 beyond, for someone else's post, or for a private or direct one).
pub async fn pin(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Status>> {
    auth.require("write:accounts")?;
    let (me, _) = auth.user()?.clone();
    let post = crate::service::pins::pin(ctx.app_data(), &me, &id).await?;
    Ok(Json(post_view(&ctx, post, Some(me)).await?))
}

/// POST /api/v1/statuses/{id}/unpin
pub async fn unpin(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Status>> {
    auth.require("write:accounts")?;
    let (me, _) = auth.user()?.clone();
    let post = crate::service::pins::unpin(ctx.app_data(), &me, &id).await?;
    Ok(Json(post_view(&ctx, post, Some(me)).await?))
}

/// POST /api/v1/statuses/{id}/mute — no more notifications from the status's conversation.
pub async fn mute(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Status>> {
    auth.require("write:mutes")?;
    let (me, _) = auth.user()?.clone();
    let post = crate::service::thread_mutes::set(ctx.app_data(), me.id.clone(), id, true).await?;
    Ok(Json(post_view(&ctx, post, Some(me)).await?))
}

/// POST /api/v1/statuses/{id}/unmute
pub async fn unmute(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Status>> {
    auth.require("write:mutes")?;
    let (me, _) = auth.user()?.clone();
    let post = crate::service::thread_mutes::set(ctx.app_data(), me.id.clone(), id, false).await?;
    Ok(Json(post_view(&ctx, post, Some(me)).await?))
}

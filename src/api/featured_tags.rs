//! Featured hashtags: the member's own (list, add, remove, suggestions) and any account's.

use super::{
    auth::{Auth, MaybeAuth},
    entities::{FeaturedTag, Tag},
    form::Flex,
};
use crate::{
    error::{AppError, AppResult},
    service::pins::{self, FeaturedTag as Row},
    state::Ctx,
};
use axum::{extract::Path, Json};

fn entity(base: &str, (row, count, last): Row) -> FeaturedTag {
    FeaturedTag {
        url: crate::urls::tag_url(base, &row.name),
        id: row.id,
        name: row.name,
        statuses_count: count.to_string(),
        last_status_at: last.map(|ms| {
            chrono::DateTime::from_timestamp_millis(ms)
                .unwrap_or_default()
                .format("%Y-%m-%d")
                .to_string()
        }),
    }
}

/// GET /api/v1/featured_tags
pub async fn list(ctx: Ctx, auth: Auth) -> AppResult<Json<Vec<FeaturedTag>>> {
    auth.require("read:accounts")?;
    let (me, _) = auth.user()?.clone();
    let rows = pins::featured_tags(ctx.app_data(), &me.id).await?;
    let base = ctx.config.base_url();
    Ok(Json(rows.into_iter().map(|r| entity(&base, r)).collect()))
}

/// The hashtag of `POST /api/v1/featured_tags`.
#[derive(serde::Deserialize, Default)]
pub struct FeatureForm {
    #[serde(default)]
    name: Option<String>,
}

/// POST /api/v1/featured_tags (`name`, with or without `#`)
pub async fn create(
    ctx: Ctx,
    auth: Auth,
    Flex(f): Flex<FeatureForm>,
) -> AppResult<Json<FeaturedTag>> {
    auth.require("write:accounts")?;
    let (me, _) = auth.user()?.clone();
    let name = f
        .name
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| AppError::Unprocessable("Validation failed: name is missing".into()))?;
    let row = pins::feature_tag(ctx.app_data(), &me, &name).await?;
    Ok(Json(entity(&ctx.config.base_url(), row)))
}

/// DELETE /api/v1/featured_tags/{id}
pub async fn delete(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<serde_json::Value>> {
    auth.require("write:accounts")?;
    let (me, _) = auth.user()?.clone();
    pins::unfeature_tag(ctx.app_data(), &me, &id).await?;
    Ok(Json(serde_json::json!({})))
}

/// GET /api/v1/featured_tags/suggestions — hashtags the member used lately, not yet featured.
pub async fn suggestions(ctx: Ctx, auth: Auth) -> AppResult<Json<Vec<Tag>>> {
    auth.require("read:accounts")?;
    let (me, _) = auth.user()?.clone();
    let names = pins::suggested_tags(ctx.app_data(), &me).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| {
                names
                    .iter()
                    .map(|n| super::views::tag(c, n, Some(&me.id), &base))
                    .collect::<Result<Vec<_>, _>>()
            })
            .await?,
    ))
}

/// GET /api/v1/accounts/{id}/featured_tags
pub async fn of_account(
    ctx: Ctx,
    _auth: MaybeAuth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<FeaturedTag>>> {
    let owner = super::accounts::target_account(&ctx, id).await?;
    let rows = pins::featured_tags(ctx.app_data(), &owner.id).await?;
    let base = ctx.config.base_url();
    Ok(Json(rows.into_iter().map(|r| entity(&base, r)).collect()))
}

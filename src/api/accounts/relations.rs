//! Blocking, muting and noting accounts, and the member's lists of blocked and muted accounts.

use super::{relationship_of, target_account};
use crate::api::{auth::Auth, entities::Relationship, form::Flex, timelines::Page, views};
use crate::{
    db,
    error::AppResult,
    service::relations::{self, MuteOptions},
    state::Ctx,
};
use axum::{extract::Path, extract::Query, response::Response, Json};

/// POST /api/v1/accounts/{id}/block
pub async fn block(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Relationship>> {
    auth.require("write:blocks")?;
    let (me, _) = auth.user()?.clone();
    let target = target_account(&ctx, id).await?;
    relations::block(ctx.app_data(), &me, &target).await?;
    Ok(Json(relationship_of(&ctx, &me, target.id).await?))
}

/// POST /api/v1/accounts/{id}/unblock
pub async fn unblock(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Relationship>> {
    auth.require("write:blocks")?;
    let (me, _) = auth.user()?.clone();
    let target = target_account(&ctx, id).await?;
    relations::unblock(ctx.app_data(), &me, &target).await?;
    Ok(Json(relationship_of(&ctx, &me, target.id).await?))
}

/// Options of a mute.
#[derive(serde::Deserialize, Default)]
pub struct MuteForm {
    #[serde(default, deserialize_with = "crate::api::form::de::opt_bool")]
    notifications: Option<bool>,
    #[serde(default, deserialize_with = "crate::api::form::de::opt_i64")]
    duration: Option<i64>,
}

/// POST /api/v1/accounts/{id}/mute (`notifications`, default true; `duration` in seconds, 0 for
/// no end)
pub async fn mute(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Flex(f): Flex<MuteForm>,
) -> AppResult<Json<Relationship>> {
    auth.require("write:mutes")?;
    let (me, _) = auth.user()?.clone();
    let target = target_account(&ctx, id).await?;
    let options = MuteOptions {
        notifications: f.notifications.unwrap_or(true),
        duration: f.duration,
    };
    relations::mute(ctx.app_data(), &me, &target, options).await?;
    Ok(Json(relationship_of(&ctx, &me, target.id).await?))
}

/// POST /api/v1/accounts/{id}/unmute
pub async fn unmute(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Relationship>> {
    auth.require("write:mutes")?;
    let (me, _) = auth.user()?.clone();
    let target = target_account(&ctx, id).await?;
    relations::unmute(ctx.app_data(), &me, &target).await?;
    Ok(Json(relationship_of(&ctx, &me, target.id).await?))
}

/// The note of `POST …/note`.
#[derive(serde::Deserialize, Default)]
pub struct NoteForm {
    #[serde(default)]
    comment: Option<String>,
}

/// POST /api/v1/accounts/{id}/note (`comment`; empty or absent clears the note)
pub async fn note(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Flex(f): Flex<NoteForm>,
) -> AppResult<Json<Relationship>> {
    auth.require("write:accounts")?;
    let (me, _) = auth.user()?.clone();
    let target = target_account(&ctx, id).await?;
    relations::set_note(ctx.app_data(), &me, &target, &f.comment.unwrap_or_default()).await?;
    Ok(Json(relationship_of(&ctx, &me, target.id).await?))
}

/// GET /api/v1/blocks — the accounts the member blocks, newest block first (paged by block).
pub async fn blocks(
    ctx: Ctx,
    auth: Auth,
    axum::extract::OriginalUri(uri): axum::extract::OriginalUri,
    Query(page): Query<Page>,
) -> AppResult<Response> {
    auth.require("read:blocks")?;
    accounts_page(ctx, &auth, uri, page, |c, me, max, min, limit| {
        db::blocks::page(c, me, max, min, limit)
    })
    .await
}

/// GET /api/v1/mutes — the accounts the member mutes now, newest mute first (paged by mute).
pub async fn mutes(
    ctx: Ctx,
    auth: Auth,
    axum::extract::OriginalUri(uri): axum::extract::OriginalUri,
    Query(page): Query<Page>,
) -> AppResult<Response> {
    auth.require("read:mutes")?;
    let now = crate::domain::time::now_ms();
    accounts_page(ctx, &auth, uri, page, move |c, me, max, min, limit| {
        let rows = db::mutes::page(c, me, max, min, limit, now)?;
        Ok(rows.into_iter().map(|(m, a)| (m.id, a)).collect())
    })
    .await
}

/// One page of the member's blocked or muted accounts, read by `read` as `(mark id, account)`
/// newest first, rendered with `Link` headers paged by the mark.
async fn accounts_page(
    ctx: Ctx,
    auth: &Auth,
    uri: axum::http::Uri,
    page: Page,
    read: impl FnOnce(
            &mut db::DbConnection,
            &str,
            Option<&str>,
            Option<&str>,
            i64,
        ) -> db::DbResult<Vec<(String, db::actors::ActorRow)>>
        + Send
        + 'static,
) -> AppResult<Response> {
    let (me, _) = auth.user()?.clone();
    let base = ctx.config.base_url();
    let (limit, max, min) = (
        page.limit(),
        page.max_id.clone(),
        page.min_id.clone().or(page.since_id.clone()),
    );
    let b = base.clone();
    let (accounts, ids) = ctx
        .db
        .run(move |c| {
            let rows = read(c, &me.id, max.as_deref(), min.as_deref(), limit)?;
            let ids = (
                rows.first().map(|r| r.0.clone()),
                rows.last().map(|r| r.0.clone()),
            );
            let accounts = rows
                .iter()
                .map(|(_, a)| views::account(c, a, &b))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((accounts, ids))
        })
        .await?;
    Ok(crate::api::timelines::paged(accounts, ids, &uri, &base))
}

//! Polls: read and vote (proposals are statuses with polls).

use super::{
    auth::{Auth, MaybeAuth},
    entities::Poll,
    form::Flex,
    views,
};
use crate::{
    db,
    error::{AppError, AppResult},
    state::Ctx,
};
use axum::{extract::Path, Json};

async fn poll_post(
    ctx: &Ctx,
    id: String,
    viewer: Option<&db::actors::ActorRow>,
) -> AppResult<db::posts::PostRow> {
    crate::service::reading::status(
        ctx.app_data(),
        crate::service::visibility::Viewer::of(viewer),
        id,
    )
    .await
}

async fn view(
    ctx: &Ctx,
    post: db::posts::PostRow,
    viewer: Option<db::actors::ActorRow>,
) -> AppResult<Json<Poll>> {
    ctx.db
        .run(move |c| views::poll(c, &post, viewer.as_ref()))
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound("Record not found".into()))
}

/// GET /api/v1/polls/{id}
pub async fn get(ctx: Ctx, auth: MaybeAuth, Path(id): Path<String>) -> AppResult<Json<Poll>> {
    let viewer = auth
        .0
        .as_ref()
        .and_then(|a| a.user.as_ref())
        .map(|(a, _)| a.clone());
    let post = poll_post(&ctx, id, viewer.as_ref()).await?;
    view(&ctx, post, viewer).await
}

/// POST /api/v1/polls/{id}/votes (`choices[]`: option indexes)
pub async fn vote(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Flex(body): Flex<serde_json::Value>,
) -> AppResult<Json<Poll>> {
    auth.require("write:statuses")?;
    let (me, _) = auth.user()?.clone();
    let post = poll_post(&ctx, id, Some(&me)).await?;
    let choices: Vec<usize> = body
        .get("choices")
        .and_then(|c| c.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| match v {
                    serde_json::Value::Number(n) => n.as_u64().map(|n| n as usize),
                    serde_json::Value::String(s) => s.parse().ok(),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    crate::service::polls::vote(&ctx, &me, &post, &choices).await?;
    view(&ctx, post, Some(me)).await
}

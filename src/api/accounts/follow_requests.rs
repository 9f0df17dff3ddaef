//! Follow requests: `GET /api/v1/follow_requests` and `POST
//! /api/v1/follow_requests/{account_id}/authorize|reject`. A member answers those to follow them
//! and those to join the groups they moderate (`service::follow_requests`).

use super::relationship_of;
use crate::api::{auth::Auth, entities::Relationship, timelines::Page, views};
use crate::{error::AppResult, service::follow_requests, state::Ctx};
use axum::{
    extract::{OriginalUri, Path, Query},
    response::Response,
    Json,
};

/// GET /api/v1/follow_requests — the accounts waiting for the member's answer, newest request
/// first (40 by default, at most 80), paged by request with `Link` headers.
pub async fn list(
    ctx: Ctx,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Query(page): Query<Page>,
) -> AppResult<Response> {
    auth.require("read:follows")?;
    let (me, _) = auth.user()?.clone();
    let limit = page
        .limit
        .as_deref()
        .and_then(|l| l.parse::<i64>().ok())
        .unwrap_or(40)
        .clamp(1, 80);
    let min = page.min_id.or(page.since_id);
    let rows = follow_requests::page(&ctx, &me.id, page.max_id, min, limit).await?;
    let ids = (
        rows.first().map(|r| r.0.clone()),
        rows.last().map(|r| r.0.clone()),
    );
    let base = ctx.config.base_url();
    let b = base.clone();
    let accounts = ctx
        .db
        .run(move |c| {
            rows.iter()
                .map(|(_, a)| views::account(c, a, &b))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(crate::api::timelines::paged(accounts, ids, &uri, &base))
}

/// POST /api/v1/follow_requests/{account_id}/authorize
pub async fn authorize(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Relationship>> {
    answer(ctx, auth, id, true).await
}

/// POST /api/v1/follow_requests/{account_id}/reject
pub async fn reject(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Relationship>> {
    answer(ctx, auth, id, false).await
}

async fn answer(ctx: Ctx, auth: Auth, id: String, accept: bool) -> AppResult<Json<Relationship>> {
    auth.require("write:follows")?;
    let (me, _) = auth.user()?.clone();
    let requester = follow_requests::answer(&ctx, &me.id, &id, accept).await?;
    Ok(Json(relationship_of(&ctx, &me, requester.id).await?))
}

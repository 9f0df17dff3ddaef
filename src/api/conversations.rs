//! Conversations: `/api/v1/conversations`, marking one read and removing one.

use super::{auth::Auth, entities::Conversation, timelines::Page, views};
use crate::{
    db::{actors::ActorRow, DbConnection, DbResult},
    error::AppResult,
    service::conversations::{self, Seen},
    state::Ctx,
};
use axum::{
    extract::{Path, Query},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    Json,
};

/// The conversation entity as `me` sees it.
pub fn entity(
    c: &mut DbConnection,
    seen: &Seen,
    me: &ActorRow,
    base: &str,
) -> DbResult<Conversation> {
    let accounts = seen
        .accounts
        .iter()
        .map(|a| views::account(c, a, base))
        .collect::<DbResult<Vec<_>>>()?;
    let last_status = match &seen.last {
        Some(p) => Some(views::status(c, p, Some(me), base)?),
        None => None,
    };
    Ok(Conversation {
        id: seen.row.id.clone(),
        unread: seen.row.unread,
        accounts,
        last_status,
    })
}

/// GET /api/v1/conversations (paged by the id of each conversation's last status)
pub async fn list(ctx: Ctx, auth: Auth, Query(page): Query<Page>) -> AppResult<Response> {
    auth.require("read:statuses")?;
    let (me, _) = auth.user()?.clone();
    let limit = page.limit();
    let min = page.min_id.clone().or(page.since_id.clone());
    let seen = conversations::page(
        ctx.app_data(),
        me.id.clone(),
        page.max_id.clone(),
        min,
        limit,
    )
    .await?;
    let ends = (
        seen.first().map(|s| s.row.last_post_id.clone()),
        seen.last().map(|s| s.row.last_post_id.clone()),
    );
    let base = ctx.config.base_url();
    let b = base.clone();
    let entities: Vec<Conversation> = ctx
        .db
        .run(move |c| {
            seen.iter()
                .map(|s| entity(c, s, &me, &b))
                .collect::<DbResult<Vec<_>>>()
        })
        .await?;
    let mut response = Json(entities).into_response();
    let path = "/api/v1/conversations";
    let mut links = Vec::new();
    if let Some(oldest) = ends.1 {
        links.push(format!(
            "<{base}{path}?limit={limit}&max_id={oldest}>; rel=\"next\""
        ));
    }
    if let Some(newest) = ends.0 {
        links.push(format!(
            "<{base}{path}?limit={limit}&min_id={newest}>; rel=\"prev\""
        ));
    }
    if !links.is_empty() {
        if let Ok(v) = HeaderValue::from_str(&links.join(", ")) {
            response.headers_mut().insert(header::LINK, v);
        }
    }
    Ok(response)
}

/// POST /api/v1/conversations/{id}/read
pub async fn read(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Conversation>> {
    auth.require("write:conversations")?;
    let (me, _) = auth.user()?.clone();
    let seen = conversations::read(ctx.app_data(), me.id.clone(), id).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db.run(move |c| entity(c, &seen, &me, &base)).await?,
    ))
}

/// DELETE /api/v1/conversations/{id}
pub async fn remove(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<serde_json::Value>> {
    auth.require("write:conversations")?;
    let (me, _) = auth.user()?.clone();
    conversations::remove(ctx.app_data(), me.id.clone(), id).await?;
    Ok(Json(serde_json::json!({})))
}

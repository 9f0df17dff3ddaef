//! A status's earlier versions and its source text, for editing.

use super::{viewer, visible_post};
use crate::api::{
    auth::{Auth, MaybeAuth},
    views,
};
use crate::{
    db,
    error::{AppError, AppResult},
    state::Ctx,
};
use axum::{extract::Path, Json};

/// GET /api/v1/statuses/{id}/history — every version, oldest first, the current one last.
pub async fn history(
    ctx: Ctx,
    auth: MaybeAuth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<crate::api::entities::StatusEdit>>> {
    let me = viewer(&auth);
    let post = visible_post(&ctx, id, me.as_ref()).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| {
                let author = db::actors::by_id(c, &post.author_id)?.ok_or(db::DbError::NotFound)?;
                let account = views::account(c, &author, &base)?;
                let media: Vec<_> = db::media::of_post(c, &post.id)?
                    .iter()
                    .map(|m| views::media_attachment(m, &base))
                    .collect();
                let mut versions = db::posts::versions(c, &post.id)?;
                versions.push(db::posts::PostVersion {
                    content: post.content.clone(),
                    summary: post.summary.clone(),
                    sensitive: post.sensitive,
                    created_at: post.updated.unwrap_or(post.published),
                });
                Ok(versions
                    .into_iter()
                    .map(|v| crate::api::entities::StatusEdit {
                        content: v.content,
                        spoiler_text: v.summary.unwrap_or_default(),
                        sensitive: v.sensitive,
                        created_at: views::datetime(v.created_at),
                        account: account.clone(),
                        media_attachments: media.clone(),
                        emojis: vec![],
                    })
                    .collect())
            })
            .await?,
    ))
}

/// GET /api/v1/statuses/{id}/source — the text of one's own status, for editing.
pub async fn source(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<crate::api::entities::StatusSource>> {
    auth.require("read:statuses")?;
    let (me, _) = auth.user()?.clone();
    let post = visible_post(&ctx, id, Some(&me)).await?;
    if post.author_id != me.id {
        return Err(AppError::NotFound("Record not found".into()));
    }
    Ok(Json(crate::api::entities::StatusSource {
        id: post.id.clone(),
        text: crate::domain::sanitize::to_text(&post.content),
        spoiler_text: post.summary.clone().unwrap_or_default(),
    }))
}

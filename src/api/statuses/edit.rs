//! Changing one's own status: editing it (peers get an `Update`) and deleting it.

use super::{parse_language, post_view, visible_post};
use crate::api::{auth::Auth, entities::Status, form::de};
use crate::{
    db,
    error::{AppError, AppResult},
    service::members,
    state::Ctx,
};
use axum::{extract::Path, Json};
use serde::Deserialize;

/// DELETE /api/v1/statuses/{id} — returns the deleted status with its source text.
pub async fn delete(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Status>> {
    auth.require("write:statuses")?;
    let (me, _) = auth.user()?.clone();
    let post = visible_post(&ctx, id, Some(&me)).await?;
    let mut view = post_view(&ctx, post.clone(), Some(me.clone())).await?;
    members::delete(&ctx, &me.username, &post.ap_id).await?;
    view.text = Some(crate::domain::sanitize::to_text(&post.content));
    Ok(Json(view))
}

/// PUT /api/v1/statuses/{id}: `status`, `spoiler_text`, `sensitive`, `language`. Attachments and
/// polls cannot be changed: `media_ids` must name the current attachments, and `poll` is refused.
#[derive(Deserialize)]
pub struct EditForm {
    status: Option<String>,
    spoiler_text: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    sensitive: Option<bool>,
    language: Option<String>,
    #[serde(default, deserialize_with = "de::string_or_vec")]
    media_ids: Vec<String>,
    poll: Option<serde_json::Value>,
}

/// Edits one's own status; the earlier version is kept in its history and peers get an `Update`.
pub async fn edit(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    crate::api::form::Flex(form): crate::api::form::Flex<EditForm>,
) -> AppResult<Json<Status>> {
    auth.require("write:statuses")?;
    let (me, _) = auth.user()?.clone();
    let post = visible_post(&ctx, id, Some(&me)).await?;
    if post.author_id != me.id {
        return Err(AppError::Forbidden(
            "This action is not allowed: only the author can edit a status".into(),
        ));
    }
    if form.poll.as_ref().is_some_and(|p| !p.is_null()) {
        return Err(AppError::Unprocessable(
            "Validation failed: polls cannot be changed after posting".into(),
        ));
    }
    let pid = post.id.clone();
    let current: Vec<String> = ctx
        .db
        .run(move |c| db::media::of_post(c, &pid))
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    if !form.media_ids.is_empty() && form.media_ids != current {
        return Err(AppError::Unprocessable(
            "Validation failed: attachments cannot be changed after posting".into(),
        ));
    }
    let language = parse_language(form.language.as_deref())?.unwrap_or(post.language.clone());
    let change = members::PostEdit {
        text: form.status.unwrap_or_default(),
        content_warning: form.spoiler_text,
        sensitive: form.sensitive.unwrap_or(false),
        language,
    };
    let updated = members::edit_post(&ctx, &me, &post.ap_id, change)
        .await
        .map_err(|e| match e {
            AppError::Unprocessable(m) => {
                AppError::Unprocessable(format!("Validation failed: {m}"))
            }
            other => other,
        })?;
    Ok(Json(post_view(&ctx, updated, Some(me)).await?))
}

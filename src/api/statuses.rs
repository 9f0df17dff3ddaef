//! Statuses: post (a status that mentions `@group@host` goes into that group), read, delete, context.

use super::{
    auth::{Auth, MaybeAuth},
    entities::{Context, Status},
    form::{de, Flex},
    views,
};
use crate::{db::interactions::Interaction, service::interactions};
use crate::{
    db::{self, actors::ActorRow, posts::PostRow},
    domain::names,
    error::{AppError, AppResult},
    service::{
        compose::{self, Compose},
        members, reading,
        visibility::Viewer,
    },
    state::Ctx,
};
use axum::{extract::Path, http::HeaderMap, Json};
use serde::Deserialize;

/// POST /api/v1/statuses
#[derive(Deserialize)]
pub struct StatusForm {
    status: Option<String>,
    in_reply_to_id: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    sensitive: Option<bool>,
    spoiler_text: Option<String>,
    visibility: Option<String>,
    #[serde(default, deserialize_with = "de::string_or_vec")]
    media_ids: Vec<String>,
    poll: Option<serde_json::Value>,
    language: Option<String>,
}

/// `poll[options][]`, `poll[expires_in]`, `poll[multiple]` (form strings or JSON values).
fn parse_poll(p: &serde_json::Value) -> AppResult<members::NewPoll> {
    let options: Vec<String> = p
        .get("options")
        .and_then(|o| o.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let number = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        Some(serde_json::Value::String(s)) => s.parse().ok(),
        _ => None,
    };
    let flag = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::String(s)) => matches!(s.as_str(), "true" | "1"),
        _ => false,
    };
    let expires_in_secs = number(p.get("expires_in")).ok_or_else(|| {
        AppError::Unprocessable("Validation failed: poll expires_in is required".into())
    })?;
    Ok(members::NewPoll {
        options,
        expires_in_secs,
        multiple: flag(p.get("multiple")),
    })
}

async fn post_view(ctx: &Ctx, post: PostRow, viewer: Option<ActorRow>) -> AppResult<Status> {
    let base = ctx.config.base_url();
    Ok(ctx
        .db
        .run(move |c| views::status(c, &post, viewer.as_ref(), &base))
        .await?)
}

/// Creates a status. With `Idempotency-Key`, a retried request returns the first result.
pub async fn create(
    ctx: Ctx,
    auth: Auth,
    headers: HeaderMap,
    Flex(form): Flex<StatusForm>,
) -> AppResult<Json<Status>> {
    auth.require("write:statuses")?;
    let (me, _) = auth.user()?.clone();
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let poll = match &form.poll {
        Some(p) if !p.is_null() => Some(parse_poll(p)?),
        _ => None,
    };
    let compose = Compose {
        text: form.status.unwrap_or_default(),
        in_reply_to_id: form.in_reply_to_id,
        sensitive: form.sensitive.unwrap_or(false),
        spoiler_text: form.spoiler_text,
        visibility: form.visibility,
        media_ids: form.media_ids,
        poll,
        language: parse_language(form.language.as_deref())?.flatten(),
        idempotency_key: key,
    };
    let post = compose::compose(&ctx, &me, compose).await?;
    Ok(Json(post_view(&ctx, post, Some(me)).await?))
}

async fn visible_post(ctx: &Ctx, id: String, viewer: Option<&ActorRow>) -> AppResult<PostRow> {
    reading::status(ctx.app_data(), Viewer::of(viewer), id).await
}

fn viewer(auth: &MaybeAuth) -> Option<ActorRow> {
    auth.0
        .as_ref()
        .and_then(|a| a.user.as_ref())
        .map(|(a, _)| a.clone())
}

/// GET /api/v1/statuses/{id}
pub async fn get(ctx: Ctx, auth: MaybeAuth, Path(id): Path<String>) -> AppResult<Json<Status>> {
    let me = viewer(&auth);
    let post = visible_post(&ctx, id, me.as_ref()).await?;
    Ok(Json(post_view(&ctx, post, me).await?))
}

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

/// GET /api/v1/statuses/{id}/context — ancestors and descendants known here.
pub async fn context(
    ctx: Ctx,
    auth: MaybeAuth,
    Path(id): Path<String>,
) -> AppResult<Json<Context>> {
    let me = viewer(&auth);
    let post = visible_post(&ctx, id, me.as_ref()).await?;
    let (ancestors, descendants) =
        reading::context(ctx.app_data(), Viewer::of(me.as_ref()), post).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| {
                let render = |c: &mut db::DbConnection, rows: &[PostRow]| {
                    rows.iter()
                        .map(|p| views::status(c, p, me.as_ref(), &base))
                        .collect::<Result<Vec<_>, _>>()
                };
                Ok(Context {
                    ancestors: render(c, &ancestors)?,
                    descendants: render(c, &descendants)?,
                })
            })
            .await?,
    ))
}

async fn acting(ctx: &Ctx, auth: &Auth, scope: &str, id: String) -> AppResult<(ActorRow, PostRow)> {
    auth.require(scope)?;
    let (me, _) = auth.user()?.clone();
    let post = visible_post(ctx, id, Some(&me)).await?;
    Ok((me, post))
}

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

async fn who(
    ctx: Ctx,
    auth: MaybeAuth,
    id: String,
    favourites: bool,
) -> AppResult<Json<Vec<super::entities::Account>>> {
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
) -> AppResult<Json<Vec<super::entities::Account>>> {
    who(ctx, auth, id, true).await
}

/// GET /api/v1/statuses/{id}/reblogged_by
pub async fn reblogged_by(
    ctx: Ctx,
    auth: MaybeAuth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<super::entities::Account>>> {
    who(ctx, auth, id, false).await
}

/// The `language` parameter: `None` when absent, `Some(None)` when empty (no language), else the
/// normalized code; a value that is no ISO 639 code is a 422.
fn parse_language(raw: Option<&str>) -> AppResult<Option<Option<String>>> {
    match raw.map(str::trim) {
        None => Ok(None),
        Some("") => Ok(Some(None)),
        Some(l) => names::normalize_language(l)
            .map(|c| Some(Some(c)))
            .ok_or_else(|| {
                AppError::Unprocessable(format!(
                    "Validation failed: language {l:?} is not an ISO 639 code"
                ))
            }),
    }
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
    super::form::Flex(form): super::form::Flex<EditForm>,
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

//! Media: upload (v2 and the older v1), read and describe uploads, and serve the files.

use super::{auth::Auth, entities::MediaAttachment, views};
use crate::{
    db,
    error::{AppError, AppResult},
    service::media,
    state::Ctx,
};
use axum::{
    body::Body,
    extract::{FromRequest, Multipart, Path, Request},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use futures::StreamExt;

/// An oversized upload is read (and discarded) up to this many bytes before the 413 is sent, so the
/// client, still sending, reliably receives the answer instead of a reset connection.
const DRAIN_LIMIT: usize = 2 * media::MAX_BYTES;

/// Reads a request body, keeping at most `keep` bytes; `None` when it was larger.
async fn bounded_body(body: Body, keep: usize) -> AppResult<Option<Vec<u8>>> {
    let mut stream = body.into_data_stream();
    let (mut kept, mut seen) = (Vec::new(), 0usize);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(format!("unreadable upload: {e}")))?;
        seen += chunk.len();
        if seen <= keep {
            kept.extend_from_slice(&chunk);
        } else if seen > DRAIN_LIMIT {
            break;
        }
    }
    Ok((seen <= keep).then_some(kept))
}

/// POST /api/v2/media and /api/v1/media (multipart: `file`, `description`).
pub async fn upload(ctx: Ctx, auth: Auth, request: Request) -> AppResult<Json<MediaAttachment>> {
    auth.require("write:media")?;
    let (me, _) = auth.user()?.clone();
    let (parts, body) = request.into_parts();
    let bytes = bounded_body(body, media::MAX_BYTES + 64 * 1024)
        .await?
        .ok_or(AppError::PayloadTooLarge)?;
    let mut form = Multipart::from_request(Request::from_parts(parts, Body::from(bytes)), &())
        .await
        .map_err(|e| AppError::BadRequest(format!("malformed upload: {}", e.body_text())))?;
    let (mut file, mut description) = (None, None);
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| upload_error(e.status(), e.body_text()))?
    {
        match field.name() {
            Some("file") => {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| upload_error(e.status(), e.body_text()))?;
                file = Some(bytes.to_vec());
            }
            Some("description") => {
                description = Some(
                    field
                        .text()
                        .await
                        .map_err(|e| upload_error(e.status(), e.body_text()))?,
                )
            }
            _ => {}
        }
    }
    let file =
        file.ok_or_else(|| AppError::Unprocessable("Validation failed: File is missing".into()))?;
    let row = media::upload(ctx.app_data(), &me, file, description).await?;
    Ok(Json(views::media_attachment(&row, &ctx.config.base_url())))
}

fn upload_error(status: StatusCode, text: String) -> AppError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest(format!("malformed upload: {text}"))
    }
}

async fn own_media(ctx: &Ctx, auth: &Auth, id: String) -> AppResult<db::media::MediaRow> {
    let (me, _) = auth.user()?.clone();
    ctx.db
        .run(move |c| db::media::get(c, &id))
        .await?
        .filter(|m| m.owner_id.as_deref() == Some(me.id.as_str()))
        .ok_or_else(|| AppError::NotFound("Record not found".into()))
}

/// GET /api/v1/media/{id}
pub async fn get(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<MediaAttachment>> {
    auth.require("write:media")?;
    let m = own_media(&ctx, &auth, id).await?;
    Ok(Json(views::media_attachment(&m, &ctx.config.base_url())))
}

/// DELETE /api/v1/media/{id} — delete an upload no status carries yet (answers `{}`).
pub async fn delete(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<serde_json::Value>> {
    auth.require("write:media")?;
    let (me, _) = auth.user()?.clone();
    media::delete(ctx.app_data(), &me.id, &id).await?;
    Ok(Json(serde_json::json!({})))
}

/// PUT /api/v1/media/{id} — change the description (alt text).
#[derive(serde::Deserialize)]
pub struct DescribeForm {
    description: Option<String>,
}

/// Updates an upload's description.
pub async fn update(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    super::form::Flex(f): super::form::Flex<DescribeForm>,
) -> AppResult<Json<MediaAttachment>> {
    auth.require("write:media")?;
    let m = own_media(&ctx, &auth, id).await?;
    let description = f
        .description
        .map(|d| crate::domain::sanitize::plain_long(&d))
        .filter(|d| !d.is_empty());
    crate::service::media::describe(ctx.app_data(), &m.id, description.clone()).await?;
    let updated = db::media::MediaRow { description, ..m };
    Ok(Json(views::media_attachment(
        &updated,
        &ctx.config.base_url(),
    )))
}

/// GET /media/{file} — an uploaded file.
pub async fn file(ctx: Ctx, Path(name): Path<String>) -> AppResult<Response> {
    let valid = name.len() <= 40
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        && !name.starts_with('.');
    if !valid {
        return Err(AppError::NotFound("no such file".into()));
    }
    let mime = name
        .rsplit('.')
        .next()
        .and_then(media::mime_for_ext)
        .ok_or_else(|| AppError::NotFound("no such file".into()))?;
    let bytes = tokio::fs::read(media::media_dir(ctx.app_data()).join(&name))
        .await
        .map_err(|_| AppError::NotFound("no such file".into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response())
}

//! Storing an upload: checks its size, type and description, writes the file under
//! `<data_dir>/media` and records it.

use super::{sniff, MAX_BYTES};
use crate::{
    db::{self, actors::ActorRow, media::MediaRow},
    domain::{ids::new_id, time::now_ms},
    error::{AppError, AppResult},
    state::AppState,
};
use std::path::PathBuf;

/// The directory uploads live in.
pub fn media_dir(state: &AppState) -> PathBuf {
    state.config.storage.data_dir.join("media")
}

/// Stores an upload for `owner`.
pub async fn upload(
    state: &AppState,
    owner: &ActorRow,
    bytes: Vec<u8>,
    description: Option<String>,
) -> AppResult<MediaRow> {
    if bytes.is_empty() {
        return Err(AppError::Unprocessable(
            "Validation failed: File is missing".into(),
        ));
    }
    if bytes.len() > MAX_BYTES {
        return Err(AppError::PayloadTooLarge);
    }
    let sniffed = sniff(&bytes).ok_or_else(|| {
        AppError::Unprocessable("Validation failed: File content type is invalid (PNG, JPEG, GIF and WebP images, MP4, QuickTime and WebM video, MP3, M4A, Ogg, WAV and FLAC audio are accepted)".into())
    })?;
    if bytes.len() > sniffed.max_bytes() {
        return Err(AppError::PayloadTooLarge);
    }
    let (mime, ext, size) = (sniffed.mime, sniffed.ext, sniffed.size);
    if description
        .as_deref()
        .is_some_and(|d| d.chars().count() > 1500)
    {
        return Err(AppError::Unprocessable(
            "Validation failed: Description is too long (maximum is 1500 characters)".into(),
        ));
    }
    let id = new_id();
    let file_name = store_file(state, &id, ext, &bytes).await?;
    let row = MediaRow {
        id,
        owner_id: Some(owner.id.clone()),
        post_id: None,
        kind: sniffed.kind.into(),
        mime: mime.into(),
        file_name: Some(file_name),
        remote_url: None,
        size: bytes.len() as i64,
        width: size.map(|s| s.0 as i32),
        height: size.map(|s| s.1 as i32),
        description: description
            .map(|d| crate::domain::sanitize::plain_long(&d))
            .filter(|d| !d.is_empty()),
        created_at: now_ms(),
        duration_ms: sniffed.duration_ms,
    };
    let r = row.clone();
    state.db.run(move |c| db::media::insert(c, &r)).await?;
    Ok(row)
}

/// Writes a file under the media directory; returns its name.
pub(super) async fn store_file(
    state: &AppState,
    id: &str,
    ext: &str,
    bytes: &[u8],
) -> AppResult<String> {
    let file_name = format!("{id}.{ext}");
    let dir = media_dir(state);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(AppError::internal)?;
    tokio::fs::write(dir.join(&file_name), bytes)
        .await
        .map_err(AppError::internal)?;
    Ok(file_name)
}

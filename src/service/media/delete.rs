//! Deleting an upload that no post carries yet, with its stored file.

use super::media_dir;
use crate::{
    db,
    error::{AppError, AppResult},
    state::AppState,
};

/// `owner_id` deletes their upload `id` and its file. Another member's upload (or none) is a
/// 404; one already attached to a post is a 422, as Mastodon answers, and stays.
pub async fn delete(state: &AppState, owner_id: &str, id: &str) -> AppResult<()> {
    let (owner, media_id) = (owner_id.to_string(), id.to_string());
    let file = state
        .db
        .tx(move |c| {
            let m = db::media::get(c, &media_id)?
                .filter(|m| m.owner_id.as_deref() == Some(owner.as_str()))
                .ok_or_else(|| AppError::NotFound("Record not found".into()))?;
            if m.post_id.is_some() || !db::media::delete_unattached(c, &media_id, &owner)? {
                return Err(AppError::Unprocessable(
                    "Validation failed: Media attachment is currently used by a status".into(),
                ));
            }
            Ok::<_, AppError>(m.file_name)
        })
        .await?;
    if let Some(name) = file {
        let path = media_dir(state).join(name);
        if let Err(e) = tokio::fs::remove_file(&path).await {
            // The row is gone either way; a file left behind is only logged.
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(path = %path.display(), error = %e, "removing an upload's file");
            }
        }
    }
    Ok(())
}

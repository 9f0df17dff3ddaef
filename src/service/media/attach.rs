//! Uploads on their way into a post: which of a member's unattached uploads a new post may carry,
//! and their descriptions.

use super::MAX_PER_POST;
use crate::{
    db::{self, actors::ActorRow, media::MediaRow},
    error::{AppError, AppResult},
    state::AppState,
};

/// The member's unattached uploads named by `ids`, in that order, or a 422 naming the problem.
pub async fn for_new_post(
    state: &AppState,
    owner: &ActorRow,
    ids: Vec<String>,
) -> AppResult<Vec<MediaRow>> {
    if ids.len() > MAX_PER_POST {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: at most {MAX_PER_POST} attachments"
        )));
    }
    let owner_id = owner.id.clone();
    state
        .db
        .run(move |c| {
            let mut out = Vec::new();
            for id in &ids {
                match db::media::get(c, id)? {
                    Some(m) if m.owner_id.as_deref() == Some(&owner_id) && m.post_id.is_none() => {
                        out.push(m)
                    }
                    _ => return Ok(Err(id.clone())),
                }
            }
            Ok(Ok(out))
        })
        .await?
        .map_err(|id| {
            AppError::Unprocessable(format!("Validation failed: media {id} cannot be attached"))
        })
}

/// Changes the description (alternative text) of an upload.
pub async fn describe(
    state: &AppState,
    media_id: &str,
    description: Option<String>,
) -> AppResult<()> {
    let id = media_id.to_string();
    state
        .db
        .run(move |c| db::media::describe(c, &id, description.as_deref()))
        .await?;
    Ok(())
}

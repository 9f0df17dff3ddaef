//! Who may write a post a peer sends (FEP-fe34): only its own origin, and never over a post that
//! was written on this node or by another author.

use crate::{
    db::posts::PostRow,
    domain::names::authority_of,
    error::{AppError, AppResult},
    federation::protocol::note::ApubNote,
};
use url::Url;

/// Refuses (403) a post sent by `sender` unless its id is on the sender's origin. Host-only
/// comparisons are not enough: the origin is scheme, host and port. Whether a stored copy may be
/// overwritten is [`check_stored`], decided where the post is stored.
pub fn require_writable(note: &ApubNote, sender: &Url) -> AppResult<()> {
    if authority_of(&note.id).is_none() || authority_of(&note.id) != authority_of(sender) {
        return Err(AppError::Forbidden(format!(
            "{} does not belong to the origin of {sender}",
            note.id
        )));
    }
    Ok(())
}

/// Refuses (403) to overwrite a stored post that was written on this node, or that another author
/// (`author_id`, a local row id) wrote.
pub fn check_stored(stored: &PostRow, author_id: &str) -> AppResult<()> {
    if stored.local {
        return Err(AppError::Forbidden(format!(
            "{} was written on this node; peers cannot change it",
            stored.ap_id
        )));
    }
    if stored.author_id != author_id {
        return Err(AppError::Forbidden(format!(
            "{} belongs to another author",
            stored.ap_id
        )));
    }
    Ok(())
}

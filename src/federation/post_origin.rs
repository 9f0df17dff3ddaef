//! Who may write a post a peer sends (FEP-fe34): only its own origin, and never over a post that
//! was written on this node or by another author. Checked before anything is stored.

use crate::{
    db,
    domain::names::authority_of,
    error::{AppError, AppResult},
    federation::protocol::note::ApubNote,
    state::Ctx,
};
use url::Url;

/// Refuses (403) a post sent by `sender` unless its id is on the sender's origin and any stored
/// copy is a peer's post by the same author. Host-only comparisons are not enough: the origin is
/// scheme, host and port.
pub async fn require_writable(ctx: &Ctx, note: &ApubNote, sender: &Url) -> AppResult<()> {
    if authority_of(&note.id).is_none() || authority_of(&note.id) != authority_of(sender) {
        return Err(AppError::Forbidden(format!(
            "{} does not belong to the origin of {sender}",
            note.id
        )));
    }
    let id = note.id.to_string();
    let stored = ctx
        .db
        .run(move |c| {
            let Some(post) = db::posts::by_ap_id(c, &id)? else {
                return Ok(None);
            };
            let author = db::actors::by_id(c, &post.author_id)?.map(|a| a.ap_id);
            Ok(Some((post.local, author)))
        })
        .await?;
    match stored {
        Some((true, _)) => Err(AppError::Forbidden(format!(
            "{} was written on this node; peers cannot change it",
            note.id
        ))),
        Some((false, author))
            if author.as_deref() != note.attributed_to.first().map(Url::as_str) =>
        {
            Err(AppError::Forbidden(format!(
                "{} belongs to another author",
                note.id
            )))
        }
        _ => Ok(()),
    }
}

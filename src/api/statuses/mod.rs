//! Statuses: post (a status that mentions `@group@host` goes into that group), read, delete, context.
//!
//! The helpers every handler shares are here; creating is `create.rs`, reading `read.rs`, editing and
//! deleting `edit.rs` (with the history in `history.rs`), favourites, boosts, bookmarks and pins
//! `actions.rs`, and who did them `who.rs`.

mod actions;
mod create;
mod edit;
mod history;
mod read;
mod who;

pub use actions::{
    bookmark, favourite, mute, pin, reblog, unbookmark, unfavourite, unmute, unpin, unreblog,
};
pub use create::{create, StatusForm};
pub use edit::{delete, edit, EditForm};
pub use history::{history, source};
pub use read::{context, get, many};
pub use who::{favourited_by, reblogged_by};

use super::{
    auth::{Auth, MaybeAuth},
    entities::Status,
    views,
};
use crate::{
    db::{actors::ActorRow, posts::PostRow},
    domain::names,
    error::{AppError, AppResult},
    service::{reading, visibility::Viewer},
    state::Ctx,
};

pub(super) async fn post_view(
    ctx: &Ctx,
    post: PostRow,
    viewer: Option<ActorRow>,
) -> AppResult<Status> {
    let base = ctx.config.base_url();
    Ok(ctx
        .db
        .run(move |c| views::status(c, &post, viewer.as_ref(), &base))
        .await?)
}

pub(super) async fn visible_post(
    ctx: &Ctx,
    id: String,
    viewer: Option<&ActorRow>,
) -> AppResult<PostRow> {
    reading::status(ctx.app_data(), Viewer::of(viewer), id).await
}

pub(super) fn viewer(auth: &MaybeAuth) -> Option<ActorRow> {
    auth.0
        .as_ref()
        .and_then(|a| a.user.as_ref())
        .map(|(a, _)| a.clone())
}

pub(super) async fn acting(
    ctx: &Ctx,
    auth: &Auth,
    scope: &str,
    id: String,
) -> AppResult<(ActorRow, PostRow)> {
    auth.require(scope)?;
    let (me, _) = auth.user()?.clone();
    let post = visible_post(ctx, id, Some(&me)).await?;
    Ok((me, post))
}

/// The `language` parameter: `None` when absent, `Some(None)` when empty (no language), else the
/// normalized code; a value that is no ISO 639 code is a 422.
pub(super) fn parse_language(raw: Option<&str>) -> AppResult<Option<Option<String>>> {
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

//! Finding people: the profile directory and familiar followers. Groups appear only to those
//! the audience rule lets see their members (`Sight::may_see_group`), whoever asks.

use super::visibility::{Sight, Viewer};
use crate::{
    db::{self, actors::ActorRow},
    error::AppResult,
    state::AppState,
};

/// How the directory is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Most recently posting first (Mastodon's default, `active`).
    Active,
    /// Newest accounts first (`new`).
    New,
}

/// A page of the directory for `viewer`. Only this node's accounts are listed: every member
/// here is discoverable, while a peer's account may have asked not to be (Cohort does not keep
/// that choice), so listing it would not respect it.
pub async fn directory(
    state: &AppState,
    viewer: Viewer,
    order: Order,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<ActorRow>> {
    Ok(state
        .db
        .run(move |c| {
            let rows = db::directory::local_page(c, order == Order::New, offset, limit)?;
            let mut sight = Sight::new(viewer);
            let mut out = Vec::with_capacity(rows.len());
            for a in rows {
                if sight.may_see_actor(c, &a, false)? {
                    out.push(a);
                }
            }
            Ok(out)
        })
        .await?)
}

/// For each account of `ids` that exists, the accounts `me` follows that follow it (at most 40).
/// A group's followers are its members: they are shown only when `me` may see its members.
pub async fn familiar_followers(
    state: &AppState,
    me: String,
    ids: Vec<String>,
) -> AppResult<Vec<(String, Vec<ActorRow>)>> {
    Ok(state
        .db
        .run(move |c| {
            let mut sight = Sight::new(Viewer::Local(me.clone()));
            let mut out = Vec::new();
            for id in ids {
                let Some(target) = db::actors::by_id(c, &id)? else {
                    continue;
                };
                let shown = sight.may_see_actor(c, &target, false)?;
                let followers = if shown {
                    db::directory::familiar_followers(c, &me, &target.id, 40)?
                } else {
                    Vec::new()
                };
                out.push((id, followers));
            }
            Ok(out)
        })
        .await?)
}

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

/// A page of the directory for `viewer`: this node's members and groups that are discoverable
/// (as they chose) and, unless `local_only`, remote accounts that said they are (Mastodon's
/// `toot:discoverable`, stored when their actor document is read), except those of nodes this
/// one blocks. Groups, local or remote, only to those the audience rule lets see their members.
pub async fn directory(
    state: &AppState,
    viewer: Viewer,
    order: Order,
    local_only: bool,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<ActorRow>> {
    let config = state.config.clone();
    Ok(state
        .db
        .run(move |c| {
            let rows = db::directory::page(c, order == Order::New, local_only, offset, limit)?;
            let mut sight = Sight::new(viewer);
            let mut out = Vec::with_capacity(rows.len());
            for a in rows {
                let blocked = !a.local
                    && super::visibility::peer_level(c, &config, &a.domain)?
                        == crate::domain::policy::PeerLevel::Blocked;
                if !blocked && sight.may_see_actor(c, &a, false)? {
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

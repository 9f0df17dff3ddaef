//! Working groups (FEP-1b12): creation, membership (Follow → Accept/Reject, approval queue),
//! and the group's job of checking members' activities and announcing them to its followers.
//!
//! Listing and finding groups is here; creating one is `create.rs`, changing its profile
//! `edit.rs`, follows reaching a group
//! `follow.rs`, the approval queue `requests.rs`, checking and relaying members' activities
//! `relay.rs`, leads (moderators) and their terms `moderators.rs`, the end of terms
//! `lead_expiry.rs`.

mod create;
mod edit;
mod edit_remote;
mod follow;
mod lead_expiry;
pub mod moderators;
mod relay;
mod requests;

pub use create::{create_group, NewGroup};
pub use edit::{checked_texts, edit_group, Editor, GroupChanges};
pub use edit_remote::{edit_remote_group, RemoteGroupEdit};
pub use follow::receive_follow;
pub use lead_expiry::{expire_leads, run_lead_expiry_worker};
pub use moderators::{add_moderator, grant_lead, leads, remove_moderator, Grant, Granted};
pub use relay::{ensure_member, is_member, member_of, refuse, relay, relay_in};
pub use requests::{decide, requests};

use crate::{
    db::{self, actors::ActorRow, DbConnection},
    error::{AppError, AppResult},
    service::visibility::Sight,
    state::AppState,
};

/// Every local group.
pub async fn list_groups(state: &AppState) -> AppResult<Vec<(ActorRow, i64)>> {
    Ok(state
        .db
        .run(|c| {
            let groups = db::actors::list_local(c, "Group")?;
            groups
                .into_iter()
                .map(|g| {
                    let n =
                        db::follows::count_followers(c, &g.id, db::follows::FollowState::Accepted)?;
                    Ok((g, n))
                })
                .collect()
        })
        .await?)
}

/// A local group by name, or a clear 404.
pub async fn local_group(state: &AppState, name: &str) -> AppResult<ActorRow> {
    let n = name.to_string();
    state
        .db
        .run(move |c| db::actors::local_by_username(c, &n))
        .await?
        .filter(|a| a.kind == "Group")
        .ok_or_else(|| AppError::NotFound(format!("no local group named {name}")))
}

/// On a connection: local group `name` whose profile `sight` may see (any local group without a
/// sight, for the operator); anyone else gets the answer for an unknown name.
pub fn visible_local(
    c: &mut DbConnection,
    sight: Option<&mut Sight>,
    name: &str,
) -> AppResult<ActorRow> {
    let group = db::actors::local_by_username(c, name)?.filter(|g| g.kind == "Group");
    let shown = match (group, sight) {
        (Some(g), Some(sight)) => sight.may_see_group(c, &g, true)?.then_some(g),
        (group, None) => group,
        (None, _) => None,
    };
    shown.ok_or_else(|| AppError::NotFound(format!("no group named {name}")))
}

/// Whether `actor_id` leads local or remote `group`: one of its moderators, or an admin of this
/// node when the group is local.
pub fn is_lead(c: &mut DbConnection, group: &ActorRow, actor_id: &str) -> AppResult<bool> {
    let admin = group.local && db::users::role_of(c, actor_id)?.as_deref() == Some("admin");
    Ok(admin || db::actors::is_moderator(c, &group.id, actor_id)?)
}

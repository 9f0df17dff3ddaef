//! A group's moderators: adding and removing them, announced with `Add` and `Remove`.

use super::local_group;
use crate::domain::ids::ActorId;
use crate::{
    db::{self, actors::ActorRow},
    domain::time::now_ms,
    error::{AppError, AppResult},
    service::outbound::{commit, Outbound},
    state::Ctx,
};

/// Makes a member (local or remote) a moderator of a local group and announces it with `Add`
/// (FEP-1b12), so followers' nodes know whose moderation to trust.
pub async fn add_moderator(ctx: &Ctx, group: &str, handle: &str) -> AppResult<ActorRow> {
    change_moderator(ctx, group, handle, true).await
}

/// Removes a moderator and announces it with `Remove`.
pub async fn remove_moderator(ctx: &Ctx, group: &str, handle: &str) -> AppResult<ActorRow> {
    change_moderator(ctx, group, handle, false).await
}

async fn change_moderator(ctx: &Ctx, group: &str, handle: &str, add: bool) -> AppResult<ActorRow> {
    let g = local_group(ctx.app_data(), group).await?;
    let who = crate::service::follows::resolve_handle(ctx, handle).await?;
    let (gid, w) = (g.id.clone(), who.clone());
    let (group, handle) = (group.to_string(), handle.to_string());
    commit(ctx.app_data(), move |c, out| {
        if add && !db::follows::is_accepted(c, &w.id, &gid)? {
            return Err(AppError::Unprocessable(format!(
                "{handle} must be a member of {group} first"
            )));
        }
        let changed = if add {
            let before = db::actors::is_moderator(c, &gid, &w.id)?;
            db::actors::add_moderator(c, &gid, &w.id, now_ms())?;
            !before
        } else {
            db::actors::remove_moderator(c, &gid, &w.id)?
        };
        if !changed {
            return Err(AppError::Conflict(format!(
                "{handle} {} a moderator of {group}",
                if add { "is already" } else { "is not" }
            )));
        }
        out.emit(Outbound::Moderator {
            group_id: ActorId(gid),
            member_id: ActorId(w.id.clone()),
            added: add,
        });
        Ok(w)
    })
    .await
}

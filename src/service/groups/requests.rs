//! The approval queue of a group: pending requests and a moderator's decision on one.

use super::local_group;
use crate::{
    db::{self, actors::ActorRow},
    error::{AppError, AppResult},
    service::outbound::commit,
    state::{AppState, Ctx},
};

/// Pending follow requests of a local group.
pub async fn requests(state: &AppState, group: &str) -> AppResult<Vec<ActorRow>> {
    let g = local_group(state, group).await?;
    Ok(state
        .db
        .run(move |c| db::follows::followers(c, &g.id, db::follows::FollowState::Pending, 0, 1000))
        .await?)
}

/// A moderator's decision on a pending follow: accept (the follower becomes a member) or reject.
pub async fn decide(ctx: &Ctx, group: &str, follower_ap_id: &str, approve: bool) -> AppResult<()> {
    let g = local_group(ctx.app_data(), group).await?;
    let (gid, fid) = (g.id.clone(), follower_ap_id.to_string());
    let missing = format!("{follower_ap_id} has not asked to join {group}");
    commit(ctx.app_data(), move |c, out| {
        let follow = match db::actors::by_ap_id(c, &fid)? {
            Some(f) => db::follows::by_pair(c, &f.id, &gid)?,
            None => None,
        };
        let follow = follow.ok_or(AppError::NotFound(missing))?;
        crate::service::follow_requests::settle(c, out, follow, approve)
    })
    .await
}

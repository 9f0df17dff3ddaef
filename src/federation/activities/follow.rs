//! `Follow`: a remote actor asks to follow (join) a local group or member.

use super::{actor_of, local_actor, malformed};
use crate::{
    error::{AppError, AppResult},
    federation::protocol::{activities::RawActivity, id_of},
    service::groups,
    state::Ctx,
};

/// Records the follow; open groups answer Accept at once, approval-only groups wait for a moderator.
pub async fn receive(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    let object = id_of(activity.object()).ok_or_else(|| malformed("Follow without object"))?;
    let target = local_actor(ctx, object.as_str())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("{object} is not an actor on this node")))?;
    let follower = actor_of(&activity, ctx).await?;
    groups::receive_follow(
        ctx,
        &follower.row,
        &target,
        activity.id.as_str(),
        activity.to_value(),
    )
    .await
}

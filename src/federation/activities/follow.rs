//! `Follow`: a remote actor asks to follow (join) a local group or member; a local member asks to
//! follow a remote one.

use super::{actor_of, local_actor, malformed};
use crate::{
    config::Config,
    db::{self, actors::ActorRow, DbConnection},
    error::{AppError, AppResult},
    federation::{
        outbound::{
            self,
            deliver::{self, Gate},
        },
        protocol::{activities::RawActivity, id_of},
    },
    service::groups,
    state::Ctx,
    urls::Urls,
};
use serde_json::{json, Map, Value};

/// Records the follow; open groups answer Accept at once, approval-only groups wait for a moderator.
pub async fn receive(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    let object = id_of(activity.object()).ok_or_else(|| malformed("Follow without object"))?;
    let target = local_actor(ctx, object.as_str())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("{object} is not an actor on this node")))?;
    let follower = actor_of(&activity, ctx).await?;
    groups::receive_follow(ctx, &follower.row, &target, activity.id.as_str()).await
}

/// The `Follow` a follow row stands for.
pub fn follow_json(ap_id: &str, follower: &ActorRow, target: &ActorRow) -> Value {
    json!({"id": ap_id, "type": "Follow", "actor": follower.ap_id, "object": target.ap_id})
}

/// A member's request to follow (join) a remote actor, under the id its follow row holds.
pub fn send(
    conn: &mut DbConnection,
    config: &Config,
    follower_id: &str,
    target_id: &str,
) -> AppResult<()> {
    let urls = Urls::new(config);
    let follower = outbound::actor(conn, follower_id)?;
    let target = outbound::actor(conn, target_id)?;
    let follow = db::follows::by_pair(conn, follower_id, target_id)?
        .ok_or_else(|| AppError::internal("follow to send is not stored"))?;
    // Follow ids are minted as activities of this node: the last segment is the local id.
    let local = follow.activity_ap_id.rsplit('/').next().map(String::from);
    let local = local.filter(|l| urls.activity(l) == follow.activity_ap_id);
    let to = vec![target.ap_id.clone()];
    let mut activity = deliver::build(
        &urls,
        local,
        "Follow",
        &follower,
        json!(target.ap_id),
        to,
        vec![],
        Map::new(),
    );
    activity.json["id"] = json!(follow.activity_ap_id);
    activity.ap_id = follow.activity_ap_id.clone();
    deliver::publish(
        conn,
        config,
        &follower,
        &activity,
        &[target],
        Gate::Public,
        false,
    )?;
    Ok(())
}

//! `Undo`: a remote member leaves a group (Undo(Follow)), takes back a like or boost, or a block
//! (`block.rs`); other undone verbs are ignored.

use super::{actor_of, malformed};
use crate::{
    config::Config,
    db::{self, DbConnection},
    error::{AppError, AppResult},
    federation::{
        outbound::{
            self,
            deliver::{self, Gate},
        },
        protocol::{activities::RawActivity, id_of, type_of},
    },
    service::{interactions, outbound::Received},
    state::Ctx,
    urls::Urls,
};
use serde_json::Value;

/// Removes the follow when the undone activity was one of the actor's Follows.
pub async fn receive(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    let object = activity.object();
    match type_of(object) {
        Some("Follow") => {}
        Some("Block") => return super::block::receive_undo(&activity, ctx).await,
        Some(kind @ ("Like" | "Announce")) => {
            let inner = id_of(object)
                .ok_or_else(|| malformed("Undo without object id"))?
                .to_string();
            let actor = actor_of(&activity, ctx).await?;
            let which = if kind == "Like" {
                db::interactions::Interaction::Favourite
            } else {
                db::interactions::Interaction::Reblog
            };
            // Lemmy writes the undone `Like` afresh, with a new id: the post it named finds it.
            let post = object.get("object").and_then(id_of).map(|u| u.to_string());
            let received = Received(activity.to_value());
            return interactions::receive_undo(ctx, which, &actor.row, (&inner, post), received)
                .await;
        }
        Some(_) => return Ok(()),
        None => {
            // Bare id: look it up as a follow.
            if !matches!(object, Value::String(_)) {
                return Err(malformed("Undo without object"));
            }
        }
    }
    let inner_id = id_of(object).ok_or_else(|| malformed("Undo without object id"))?;
    if let Some(inner_actor) = object.get("actor").and_then(id_of) {
        if inner_actor != activity.actor {
            return Err(AppError::Forbidden(
                "only the follower can undo a follow".into(),
            ));
        }
    }
    let actor = actor_of(&activity, ctx).await?;
    let (fid, aid, target) = (
        inner_id.to_string(),
        actor.row.id.clone(),
        object.get("object").and_then(id_of).map(|u| u.to_string()),
    );
    ctx.db
        .run(move |c| {
            let follow = match db::follows::by_activity(c, &fid)? {
                Some(f) => Some(f),
                None => match target {
                    Some(t) => match db::actors::by_ap_id(c, &t)? {
                        Some(t) => db::follows::by_pair(c, &aid, &t.id)?,
                        None => None,
                    },
                    None => None,
                },
            };
            if let Some(f) = follow.filter(|f| f.follower_id == aid) {
                db::follows::delete(c, &f.id)?;
                if f.state == db::follows::FollowState::Pending {
                    // A request taken back: no one is asked to answer it any more.
                    crate::service::follow_requests::forget_notifications(c, &f.target_id, &aid)?;
                }
            }
            Ok(())
        })
        .await?;
    Ok(())
}

/// A member stops following a remote actor: `Undo(Follow)` to it.
pub fn send_unfollow(
    conn: &mut DbConnection,
    config: &Config,
    follower_id: &str,
    target_id: &str,
    follow_ap_id: &str,
) -> AppResult<()> {
    let urls = Urls::new(config);
    let follower = outbound::actor(conn, follower_id)?;
    let target = outbound::actor(conn, target_id)?;
    let inner = super::follow::follow_json(follow_ap_id, &follower, &target);
    let to = vec![target.ap_id.clone()];
    let undo = deliver::build(
        &urls,
        None,
        "Undo",
        &follower,
        inner,
        to,
        vec![],
        Default::default(),
    );
    deliver::publish(
        conn,
        config,
        &follower,
        &undo,
        &[target],
        Gate::Public,
        false,
    )?;
    Ok(())
}

//! `Accept` / `Reject` of a Follow this node sent: membership confirmed or refused.

use super::{actor_of, malformed};
use crate::{
    db,
    error::{AppError, AppResult},
    federation::protocol::{activities::RawActivity, id_of},
    state::Ctx,
};
use serde_json::Value;

/// Marks the follow accepted, or removes it on Reject. Only the follow's target may answer it.
pub async fn receive(activity: RawActivity, ctx: &Ctx, accepted: bool) -> AppResult<()> {
    let actor = actor_of(&activity, ctx).await?;
    let object = activity.object();
    let follow_id = id_of(object).ok_or_else(|| malformed("Accept without object"))?;
    let follower_hint = match object {
        Value::Object(o) => o.get("actor").and_then(id_of).map(|u| u.to_string()),
        _ => None,
    };
    let target_id = actor.row.id.clone();
    let fid = follow_id.to_string();
    let follow = ctx
        .db
        .run(move |c| {
            if let Some(f) = db::follows::by_activity(c, &fid)? {
                return Ok(Some(f));
            }
            // Some servers answer with a Follow id of their own: fall back to the pair.
            match follower_hint {
                Some(h) => match db::actors::by_ap_id(c, &h)? {
                    Some(f) => db::follows::by_pair(c, &f.id, &target_id),
                    None => Ok(None),
                },
                None => Ok(None),
            }
        })
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no follow {follow_id} is pending")))?;
    if follow.target_id != actor.row.id {
        return Err(AppError::Forbidden(
            "only the followed actor can answer a follow".into(),
        ));
    }
    let id = follow.id.clone();
    ctx.db
        .run(move |c| {
            if accepted {
                db::follows::set_state(c, &id, db::follows::ACCEPTED)
            } else {
                db::follows::delete(c, &id).map(|_| ())
            }
        })
        .await?;
    if accepted && actor.is_group() {
        if let Some(outbox) = actor.row.outbox.clone() {
            crate::federation::backfill::spawn(ctx, outbox);
        }
    }
    Ok(())
}

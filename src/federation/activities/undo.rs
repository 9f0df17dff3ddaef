//! `Undo`: a remote member leaves a group (Undo(Follow)); other undone verbs are ignored.

use super::{actor_of, malformed};
use crate::{
    db,
    error::{AppError, AppResult},
    federation::protocol::{activities::RawActivity, id_of, type_of},
    state::Ctx,
};
use serde_json::Value;

/// Removes the follow when the undone activity was one of the actor's Follows.
pub async fn receive(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    let object = activity.object();
    match type_of(object) {
        Some("Follow") => {}
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
            ctx.db
                .run(move |c| db::interactions::remove_by_ap_id(c, which, &inner, &actor.row.id))
                .await?;
            return Ok(());
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
            }
            Ok(())
        })
        .await?;
    Ok(())
}

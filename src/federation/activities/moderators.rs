//! `Add` / `Remove` from a remote group: its moderators collection changed (FEP-1b12). The copy kept
//! here decides whose relayed moderation (deletions) this node believes.

use super::{actor_of, malformed};
use crate::{
    db,
    domain::time::now_ms,
    error::{AppError, AppResult},
    federation::{
        objects::actor::DbActor,
        protocol::{activities::RawActivity, id_of},
        urls,
    },
    state::Ctx,
};
use activitypub_federation::fetch::object_id::ObjectId;

/// Updates the stored moderator list of the sending group.
pub async fn receive(activity: RawActivity, ctx: &Ctx, add: bool) -> AppResult<()> {
    let group = actor_of(&activity, ctx).await?;
    let target = activity.rest.get("target").and_then(id_of);
    let expected = urls::sub(&group.row.ap_id, "moderators");
    if !group.is_group() || target.as_ref().map(|t| t.as_str()) != Some(expected.as_str()) {
        tracing::debug!(id = %activity.id, "Add/Remove outside a group's moderators; ignored");
        return Ok(());
    }
    let object = id_of(activity.object()).ok_or_else(|| malformed("Add/Remove without object"))?;
    let who = ObjectId::<DbActor>::from(object).dereference(ctx).await?;
    if group.row.local {
        return Err(AppError::Forbidden(
            "local groups are changed here, not by peers".into(),
        ));
    }
    let (gid, wid) = (group.row.id.clone(), who.row.id.clone());
    ctx.db
        .run(move |c| {
            if add {
                db::actors::add_moderator(c, &gid, &wid, now_ms())
            } else {
                db::actors::remove_moderator(c, &gid, &wid).map(|_| ())
            }
        })
        .await?;
    Ok(())
}

//! `Delete` of a post by its author (or by a moderator of its group). A local group relays it.

use super::{actor_of, malformed};
use crate::{
    db,
    domain::time::now_ms,
    error::{AppError, AppResult},
    federation::protocol::{activities::RawActivity, id_of},
    service::groups,
    state::Ctx,
};

/// Marks the post deleted and, for a local group, announces the deletion.
pub async fn receive(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    let object = id_of(activity.object()).ok_or_else(|| malformed("Delete without object"))?;
    if object == activity.actor {
        tracing::debug!(actor = %object, "actor deletion not handled yet; ignored");
        return Ok(());
    }
    let actor = actor_of(&activity, ctx).await?;
    let oid = object.to_string();
    let found = ctx
        .db
        .run(move |c| {
            let Some(post) = db::posts::by_ap_id(c, &oid)? else {
                return Ok(None);
            };
            let group = match &post.group_id {
                Some(g) => db::actors::by_id(c, g)?,
                None => None,
            };
            Ok(Some((post, group)))
        })
        .await?;
    let Some((post, group)) = found else {
        return Ok(());
    };
    let is_author = post.author_id == actor.row.id;
    let is_moderator = match &group {
        Some(g) => {
            let (gid, aid) = (g.id.clone(), actor.row.id.clone());
            ctx.db
                .run(move |c| db::actors::is_moderator(c, &gid, &aid))
                .await?
        }
        None => false,
    };
    if !is_author && !is_moderator {
        return Err(AppError::Forbidden(
            "only the author or a moderator can delete a post".into(),
        ));
    }
    if post.deleted_at.is_none() {
        let id = post.id.clone();
        ctx.db
            .run(move |c| db::posts::mark_deleted(c, &id, now_ms()))
            .await?;
    }
    if let Some(g) = group.filter(|g| g.local) {
        groups::announce(ctx, &g, activity.to_value(), None).await?;
    }
    Ok(())
}

//! `Like` of a post known here: counted as a favourite, and its local author is notified.

use super::{actor_of, malformed};
use crate::{
    db,
    error::AppResult,
    federation::protocol::{activities::RawActivity, id_of},
    service::interactions,
    state::Ctx,
};

/// Records the favourite when the post is known; unknown posts are ignored.
pub async fn receive(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    let object = id_of(activity.object()).ok_or_else(|| malformed("Like without object"))?;
    let o = object.to_string();
    let Some(post) = ctx.db.run(move |c| db::posts::by_ap_id(c, &o)).await? else {
        return Ok(());
    };
    let actor = actor_of(&activity, ctx).await?;
    interactions::receive(
        ctx,
        crate::db::interactions::Interaction::Favourite,
        &actor.row,
        &post,
        activity.id.as_str(),
    )
    .await
}

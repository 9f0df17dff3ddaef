//! `Create` / `Update` of a post. Into a local group: the group checks membership, stores the post
//! and announces the activity to its followers. Into a remote group that members here follow: stored.

use super::{actor_of, malformed};
use crate::{
    db,
    error::{AppError, AppResult},
    federation::{
        objects::post::{find_group, DbPost},
        protocol::{
            activities::RawActivity,
            actor::{ApubActor, ACTOR_KINDS},
            note::{ApubNote, POST_KINDS},
            type_of,
        },
    },
    service::groups,
    state::Ctx,
};
use activitypub_federation::traits::Object;

/// Handles a member's post or edit.
pub async fn receive(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    let object = activity.object();
    let Some(kind) = type_of(object) else {
        return Err(malformed("Create/Update needs an embedded object"));
    };
    if activity.kind == "Update" && ACTOR_KINDS.contains(&kind) {
        return update_actor(&activity, object, ctx).await;
    }
    if !POST_KINDS.contains(&kind) {
        tracing::debug!(kind, "object type not handled; ignored");
        return Ok(());
    }
    let note: ApubNote = serde_json::from_value(object.clone())
        .map_err(|e| AppError::Unprocessable(format!("malformed {kind}: {e}")))?;
    if note.attributed_to.first() != Some(&activity.actor) {
        return Err(AppError::Forbidden(
            "a post can only be sent by its author".into(),
        ));
    }
    DbPost::verify(&note, &activity.id, ctx).await?;
    let author = actor_of(&activity, ctx).await?;
    if activity.kind == "Create"
        && crate::service::polls::receive_vote(ctx, &author.row, &note).await?
    {
        return Ok(());
    }
    let group = find_group(&note, ctx).await?;
    let is_create = activity.kind == "Create";
    match group {
        Some(g) if g.row.local => {
            groups::ensure_member(ctx, &g.row, &author.row).await?;
            let post = DbPost::from_json(note, ctx).await?;
            if !is_create && post.row.author_id != author.row.id {
                return Err(AppError::Forbidden(
                    "only the author can edit a post".into(),
                ));
            }
            let new_post = is_create.then_some(post.row.ap_id.as_str());
            groups::announce(ctx, &g.row, activity.to_value(), new_post).await
        }
        Some(g) => {
            let gid = g.row.id.clone();
            if ctx
                .db
                .run(move |c| db::follows::has_local_follower(c, &gid))
                .await?
                || mentions_local(&note, ctx).await?
                || (!is_create && known(&note, ctx).await?)
            {
                DbPost::from_json(note, ctx).await?;
            }
            Ok(())
        }
        None => {
            // A post outside groups: kept when someone here follows its author.
            let aid = author.row.id.clone();
            if ctx
                .db
                .run(move |c| db::follows::has_local_follower(c, &aid))
                .await?
                || mentions_local(&note, ctx).await?
                || (!is_create && known(&note, ctx).await?)
            {
                DbPost::from_json(note, ctx).await?;
            } else {
                tracing::debug!(id = %note.id, "post by an actor nobody here follows; ignored");
            }
            Ok(())
        }
    }
}

/// `Update` of an actor by itself (profile changes): the stored copy is refreshed.
async fn update_actor(
    activity: &RawActivity,
    object: &serde_json::Value,
    ctx: &Ctx,
) -> AppResult<()> {
    let json: ApubActor = serde_json::from_value(object.clone())
        .map_err(|e| AppError::Unprocessable(format!("malformed actor: {e}")))?;
    if json.id != activity.actor {
        return Err(AppError::Forbidden(
            "an actor can only update itself".into(),
        ));
    }
    crate::federation::objects::actor::DbActor::verify(&json, &activity.actor, ctx).await?;
    crate::federation::objects::actor::DbActor::from_json(json, ctx).await?;
    Ok(())
}

/// Whether a post mentions a member of this node (then it is kept, and they are notified).
async fn mentions_local(note: &ApubNote, ctx: &Ctx) -> AppResult<bool> {
    let hrefs: Vec<String> = note.mentions().iter().map(|u| u.to_string()).collect();
    Ok(!ctx
        .db
        .run(move |c| db::actors::local_persons(c, &hrefs))
        .await?
        .is_empty())
}

/// Whether the post is already stored here (an edit of it, or new poll results, is applied).
async fn known(note: &ApubNote, ctx: &Ctx) -> AppResult<bool> {
    let id = note.id.to_string();
    Ok(ctx
        .db
        .run(move |c| db::posts::by_ap_id(c, &id))
        .await?
        .is_some())
}

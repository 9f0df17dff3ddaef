//! Activities, one file per verb: each builds what this node sends of it and receives what peers
//! send. `dispatch` routes a verified activity to its handler;
//! verbs this node does not act on are accepted and ignored (202), never an error.

pub mod accept;
pub mod announce;
pub mod batch;
pub mod block;
pub mod create_many;
pub mod create_or_update;
pub mod delete;
pub mod featured;
pub mod flag;
pub mod follow;
pub mod like;
pub mod like_many;
pub mod moderators;
pub mod profile;
pub mod proposal;
pub mod proposal_move;
pub mod relayed;
pub mod undo;
pub mod update_group;
pub mod vote;

use crate::{
    db,
    error::{AppError, AppResult},
    federation::{
        objects::actor::DbActor,
        protocol::activities::{RawActivity, Verb},
    },
    state::Ctx,
};

/// Routes a verified, first-seen activity to the handler of its verb.
pub async fn dispatch(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    match &activity.kind {
        Verb::Follow => follow::receive(activity, ctx).await,
        Verb::Accept => accept::receive(activity, ctx, true).await,
        Verb::Reject => accept::receive(activity, ctx, false).await,
        Verb::Undo => undo::receive(activity, ctx).await,
        Verb::Create | Verb::Update => create_or_update::receive(activity, ctx).await,
        Verb::Delete => delete::receive(activity, ctx).await,
        Verb::Announce => announce::receive(activity, ctx).await,
        Verb::Like => like::receive(activity, ctx).await,
        Verb::Add | Verb::Remove if featured::is_featured(&activity) => {
            featured::receive(activity, ctx).await
        }
        Verb::Add => moderators::receive(activity, ctx, true).await,
        Verb::Remove => moderators::receive(activity, ctx, false).await,
        Verb::Block => block::receive(activity, ctx).await,
        Verb::Flag => flag::receive(activity, ctx).await,
        Verb::Other(kind) => {
            tracing::debug!(kind, id = %activity.id, "activity type not handled; ignored");
            Ok(())
        }
    }
}

/// The activity's actor, already verified by the signature check (so it is in the key cache, or
/// at least stored locally).
pub async fn actor_of(activity: &RawActivity, ctx: &Ctx) -> AppResult<DbActor> {
    crate::federation::objects::actor::cached(ctx, &activity.actor).await
}

/// A local actor by ActivityPub id.
pub async fn local_actor(ctx: &Ctx, ap_id: &str) -> AppResult<Option<db::actors::ActorRow>> {
    let id = ap_id.to_string();
    Ok(ctx
        .db
        .run(move |c| db::actors::by_ap_id(c, &id))
        .await?
        .filter(|a| a.local))
}

/// Error for activities whose shape is wrong for their verb.
pub fn malformed(what: &str) -> AppError {
    AppError::Unprocessable(what.to_string())
}

//! What a remote group relays besides posts (FEP-1b12, as Lemmy communities send it): its members'
//! votes — `Announce(Like)` and `Announce(Undo(Like))` count as favourites; `Dislike` and its
//! `Undo` have no counterpart here and are ignored — and changes of its own moderators
//! (`Announce(Add|Remove)` with the group's moderators collection as target).
//!
//! A vote is someone else's act, so it is believed as embedded only when its actor shares the
//! group's origin (FEP-fe34); otherwise its origin must serve the same activity at its id.

use super::{like, moderators, undo};
use crate::{
    domain::names::authority_of,
    error::{AppError, AppResult},
    federation::{
        objects::actor::DbActor,
        protocol::{activities::RawActivity, id_of, type_of},
    },
    state::Ctx,
};
use activitypub_federation::fetch::{fetch_object_http, object_id::ObjectId};
use serde_json::Value;

/// Applies a relayed vote (`Like`, `Dislike` or their `Undo`) carried by the group's `announce`.
pub async fn vote(announce: &RawActivity, inner: &Value, ctx: &Ctx) -> AppResult<()> {
    let activity: RawActivity = serde_json::from_value(inner.clone())
        .map_err(|e| AppError::Unprocessable(format!("malformed relayed vote: {e}")))?;
    let voted = match type_of(inner) {
        Some("Undo") => type_of(activity.object()).unwrap_or(""),
        Some(kind) => kind,
        None => "",
    };
    if voted != "Like" {
        tracing::debug!(id = %activity.id, voted, "relayed vote without a favourite here; ignored");
        return Ok(());
    }
    if authority_of(&activity.id) != authority_of(&activity.actor) {
        return Err(AppError::Forbidden(
            "a relayed activity's id and actor must share an origin".into(),
        ));
    }
    if authority_of(&activity.actor) != authority_of(&announce.actor)
        && !confirmed(&activity, inner, ctx).await
    {
        tracing::info!(id = %activity.id, "relayed vote not confirmed by its origin; ignored");
        return Ok(());
    }
    // The voter may be new here: store it before the verb's handler reads it.
    ObjectId::<DbActor>::from(activity.actor.clone())
        .dereference(ctx)
        .await?;
    if inner.get("type").and_then(Value::as_str) == Some("Undo") {
        undo::receive(activity, ctx).await
    } else {
        like::receive(activity, ctx).await
    }
}

/// Whether the vote's origin serves the same activity (type, actor, object) at its id.
async fn confirmed(activity: &RawActivity, inner: &Value, ctx: &Ctx) -> bool {
    let Ok(fetched) = fetch_object_http::<_, Value>(&activity.id, ctx).await else {
        return false;
    };
    let doc = fetched.object;
    let object_id = |v: &Value| v.get("object").and_then(id_of);
    type_of(&doc) == type_of(inner)
        && doc.get("actor").and_then(id_of).as_ref() == Some(&activity.actor)
        && object_id(&doc) == object_id(inner)
}

/// Applies a relayed `Add`/`Remove` to the announcing group's moderators.
pub async fn moderator(group: &DbActor, inner: &Value, ctx: &Ctx, add: bool) -> AppResult<()> {
    let activity: RawActivity = serde_json::from_value(inner.clone())
        .map_err(|e| AppError::Unprocessable(format!("malformed relayed Add/Remove: {e}")))?;
    moderators::apply(&activity, group, ctx, add).await
}

//! A member's request that a proposal's group move it (the author starting the vote or
//! withdrawing, a lead deciding): `Update(Question{requestedState, rationale})` from the member
//! to the group. The group's node applies its own lifecycle rules and, when the move is allowed,
//! answers every follower with its proved update.

use super::actor_of;
use crate::{
    config::Config,
    db::{self, DbConnection},
    domain::proposal::ProposalState,
    error::{AppError, AppResult},
    federation::{
        outbound::{
            self,
            deliver::{self, Gate},
        },
        protocol::{activities::RawActivity, note::ApubNote},
    },
    service::proposals::lifecycle,
    state::Ctx,
    urls::Urls,
};
use serde_json::{json, Map};

/// Sends `actor_id`'s request to move proposal `proposal_id` to `to`.
pub fn send(
    conn: &mut DbConnection,
    config: &Config,
    proposal_id: &str,
    actor_id: &str,
    to: &str,
    reason: Option<String>,
) -> AppResult<()> {
    let urls = Urls::new(config);
    let p = db::proposals::by_id(conn, proposal_id)?
        .ok_or_else(|| AppError::internal(format!("no proposal {proposal_id}")))?;
    let (group, actor) = (
        outbound::actor(conn, &p.group_id)?,
        outbound::actor(conn, actor_id)?,
    );
    let post = outbound::post(conn, p.post_id.as_deref().unwrap_or_default())?;
    let author = outbound::actor(conn, &post.author_id)?;
    let object = json!({
        "id": post.ap_id,
        "type": "Question",
        "attributedTo": author.ap_id,
        "audience": group.ap_id,
        "requestedState": to,
        "rationale": reason,
    });
    let to_list = vec![group.ap_id.clone()];
    let activity = deliver::build(
        &urls,
        None,
        "Update",
        &actor,
        object,
        to_list,
        vec![],
        Map::new(),
    );
    deliver::publish(
        conn,
        config,
        &actor,
        &activity,
        &[group],
        Gate::Post(&post),
        false,
    )?;
    Ok(())
}

/// A peer member's request to move a proposal of a local group: decided by the same lifecycle
/// rules as a local member's move (a refusal is the peer's answer).
pub async fn receive(activity: &RawActivity, note: &ApubNote, ctx: &Ctx) -> AppResult<()> {
    let actor = actor_of(activity, ctx).await?;
    let to: ProposalState = (note.proposal.requested_state.as_deref().unwrap_or_default())
        .parse()
        .map_err(AppError::Unprocessable)?;
    let found = crate::federation::objects::proposal::of_local_group(ctx, note.id.as_str()).await?;
    let Some(p) = found else {
        return Err(AppError::NotFound(format!(
            "no proposal {} in a group here",
            note.id
        )));
    };
    lifecycle::advance(ctx, &actor.row, &p.id, to, note.proposal.rationale.clone()).await?;
    Ok(())
}

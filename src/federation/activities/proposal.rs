//! Proposals between nodes. A local group's proved `Update(Question)` (a move, a new count, the
//! decision) to its followers, and applying a remote group's; a member's signed vote
//! (`Create(Note{name, inReplyTo})` with a FEP-8b32 proof) to the proposal's group, and counting a
//! peer's vote on a proposal of a local group.

use super::actor_of;
use crate::{
    config::Config,
    db::{self, actors::ActorRow, DbConnection},
    domain::time,
    error::{AppError, AppResult},
    federation::{
        jsonld::PUBLIC,
        objects::{note::PollState, proposal::terms_of},
        outbound::{
            self, address,
            deliver::{self, Gate},
        },
        policy, proofs,
        protocol::{activities::RawActivity, note::ApubNote},
    },
    service::proposals::{federated, votes},
    state::Ctx,
    urls::Urls,
};
use serde_json::{json, Map, Value};

/// The local group of proposal `proposal_id` tells its followers where the proposal stands.
pub fn send_update(conn: &mut DbConnection, config: &Config, proposal_id: &str) -> AppResult<()> {
    let urls = Urls::new(config);
    let p = db::proposals::by_id(conn, proposal_id)?
        .ok_or_else(|| AppError::internal(format!("no proposal {proposal_id}")))?;
    let group = outbound::actor(conn, &p.group_id)?;
    let Some(post) = p
        .post_id
        .as_deref()
        .map(|id| outbound::post(conn, id))
        .transpose()?
    else {
        return Ok(());
    };
    let author = outbound::actor(conn, &post.author_id)?;
    let mut object = serde_json::to_value(terms_of(conn, &p)?)?;
    let poll = PollState::load(conn, &post.id)?;
    if let Value::Object(o) = &mut object {
        o.insert("id".into(), json!(post.ap_id));
        o.insert("type".into(), json!("Question"));
        o.insert("attributedTo".into(), json!(author.ap_id));
        o.insert("audience".into(), json!(group.ap_id));
        o.insert("name".into(), json!(p.title));
        if let Some(poll) = &poll {
            o.insert("oneOf".into(), json!(poll.options_json()));
            o.insert("votersCount".into(), json!(poll.voters));
        }
        if let Some(end) = p.voting_ends_at {
            o.insert("endTime".into(), json!(time::to_rfc3339(end)));
        }
    }
    let audience = crate::service::visibility::group_audience(&group);
    let (to, cc) = address::of_relay(&audience, &group.ap_id);
    let public = to.iter().any(|u| u == PUBLIC);
    let mut activity = deliver::build(&urls, None, "Update", &group, object, to, cc, Map::new());
    activity.json = proofs::sign_as(&group, &activity.json)?;
    // Lemmy takes an `Update` only from a post's author: its servers read the proposal's state
    // from the author's `Update(Question)` the group relays, not from the group's word.
    let mut followers = db::follows::remote_followers(conn, &group.id)?;
    followers.retain(|f| !f.speaks_lemmy);
    deliver::publish(
        conn,
        config,
        &group,
        &activity,
        &followers,
        Gate::Post(&post),
        public,
    )?;
    Ok(())
}

/// A local member's current vote on a remote group's proposal, signed, to the group.
pub fn send_vote(
    conn: &mut DbConnection,
    config: &Config,
    proposal_id: &str,
    voter_id: &str,
) -> AppResult<()> {
    let urls = Urls::new(config);
    let p = db::proposals::by_id(conn, proposal_id)?
        .ok_or_else(|| AppError::internal(format!("no proposal {proposal_id}")))?;
    let (group, voter) = (
        outbound::actor(conn, &p.group_id)?,
        outbound::actor(conn, voter_id)?,
    );
    let vote = db::proposals::votes::by_voter(conn, &p.id, &voter.id)?
        .ok_or_else(|| AppError::internal("no vote to send"))?;
    let post = outbound::post(conn, p.post_id.as_deref().unwrap_or_default())?;
    let mut note = json!({
        "id": vote.ap_id,
        "type": "Note",
        "name": vote.choice.as_str(),
        "inReplyTo": post.ap_id,
        "attributedTo": voter.ap_id,
        "to": [group.ap_id],
        "published": time::to_rfc3339(vote.cast_at),
    });
    if let (Some(reason), Value::Object(o)) = (&vote.reason, &mut note) {
        o.insert("voteReason".into(), json!(reason));
    }
    let note = proofs::sign_as(&voter, &note)?;
    let to = vec![group.ap_id.clone()];
    let create = deliver::build(&urls, None, "Create", &voter, note, to, vec![], Map::new());
    deliver::publish(
        conn,
        config,
        &voter,
        &create,
        &[group],
        Gate::Post(&post),
        false,
    )?;
    Ok(())
}

/// Parses a proposal's terms from a `Question`.
pub fn terms(note: &ApubNote) -> AppResult<federated::Terms> {
    let t = &note.proposal;
    let bad = |e: String| AppError::Unprocessable(format!("malformed proposal: {e}"));
    let need =
        |v: &Option<String>, what: &str| v.clone().ok_or_else(|| bad(format!("{what} missing")));
    Ok(federated::Terms {
        state: need(&t.proposal_state, "proposalState")?
            .parse()
            .map_err(bad)?,
        kind: crate::domain::proposal::ProposalKind::parse(&need(
            &t.proposal_kind,
            "proposalKind",
        )?)
        .map_err(bad)?,
        rule: need(&t.decision_rule, "decisionRule")?
            .try_into()
            .map_err(bad)?,
        quorum: need(&t.quorum, "quorum")?.try_into().map_err(bad)?,
        scope: need(&t.decision_scope, "decisionScope")?,
        template: t.proposal_template.clone(),
        discussion_days: t.discussion_days.unwrap_or(7).clamp(0, 90),
        voting_days: t.voting_days.unwrap_or(7).clamp(1, 90),
        payload: t.proposal_payload.as_ref().map(|v| v.to_string()),
        members_at_open: t.members_at_open,
        voting_ends_at: note.end_time.as_deref().and_then(time::from_rfc3339),
        tally: t.tally.clone().and_then(|v| serde_json::from_value(v).ok()),
        outcome: t.outcome.clone(),
        rationale: t.rationale.clone(),
    })
}

/// A remote group's `Update(Question)` of its proposal: applied only with the group's valid proof
/// on the activity as received.
pub async fn receive_update(activity: &RawActivity, note: &ApubNote, ctx: &Ctx) -> AppResult<()> {
    let group = actor_of(activity, ctx).await?;
    if !group.is_group() {
        return Err(AppError::Forbidden(
            "only a group updates the state of its proposals".into(),
        ));
    }
    let received = activity.to_value();
    proofs::verify_by(&group.row, &received)?;
    let t = terms(note)?;
    if crate::federation::objects::proposal::unknown(ctx, note.id.as_str()).await? {
        // The update overtook the proposal (or this node joined later): fetch it from its origin.
        ctx.remote.post_by_url(ctx, &note.id).await?;
    }
    match federated::apply_group_update(ctx, &group.row, note.id.as_str(), t, received.to_string())
        .await
    {
        // Still not stored (its Create is on its way): the group sends it again later.
        Err(AppError::NotFound(m)) => Err(AppError::Internal(format!("{m}; try again later"))),
        other => other,
    }
}

/// A peer member's vote on a proposal of a local group; `Ok(false)` when the note is no such
/// vote. The vote's proof is checked on the object as received (required from Cohort nodes).
/// A refused vote is audited and reported to the peer; it is never counted.
pub async fn receive_vote(
    activity: &RawActivity,
    note: &ApubNote,
    voter: &ActorRow,
    ctx: &Ctx,
) -> AppResult<bool> {
    let (Some(name), Some(parent)) = (note.name.as_ref().and_then(|n| n.text()), &note.in_reply_to)
    else {
        return Ok(false);
    };
    if note
        .content
        .as_ref()
        .and_then(|c| c.text())
        .is_some_and(|c| !c.trim().is_empty())
    {
        return Ok(false);
    }
    let found = crate::federation::objects::proposal::of_local_group(ctx, parent.as_str()).await?;
    let Some(p) = found else {
        return Ok(false);
    };
    let object = activity.object().clone();
    let checked = if proofs::has_proof(&object) || voter.speaks_cohort {
        proofs::verify_by(voter, &object)
    } else {
        Ok(())
    };
    let reason = object
        .get("voteReason")
        .and_then(Value::as_str)
        .map(str::to_string);
    let result = match checked {
        Ok(()) => votes::receive(
            ctx,
            voter,
            &p,
            &name,
            note.id.as_str(),
            reason,
            Some(object.to_string()),
        )
        .await
        .map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = &result {
        policy::audit(
            ctx.app_data(),
            &voter.domain,
            "refuse-inbound",
            note.id.as_str(),
            &format!("vote refused: {e}"),
        )
        .await;
    }
    result.map(|_| true)
}

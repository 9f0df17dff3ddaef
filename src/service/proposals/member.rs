//! What a member does to a proposal, answered with the proposal as that member now sees it: the
//! client API and the command line show the result of each act (its tally, the member's own vote),
//! so each act and the read after it are one call. `close` decides a proposal by its count.

use super::{
    create::{self, Draft},
    lifecycle, read, votes,
};
use crate::{
    db::actors::ActorRow,
    domain::proposal::{tally, Choice, ProposalState},
    error::AppResult,
    state::Ctx,
};

/// Drafts a proposal (`create::create`) and shows it.
pub async fn draft(ctx: &Ctx, me: &ActorRow, d: Draft) -> AppResult<read::View> {
    let p = create::create(ctx, me, d).await?;
    read::get(ctx, Some(me), &p.id).await
}

/// Edits a draft (`create::edit`) and shows it.
pub async fn edit(ctx: &Ctx, me: &ActorRow, id: &str, d: Draft) -> AppResult<read::View> {
    let p = create::edit(ctx, me, id, d).await?;
    read::get(ctx, Some(me), &p.id).await
}

/// Moves a proposal (`lifecycle::advance`) and shows it.
pub async fn advance(
    ctx: &Ctx,
    me: &ActorRow,
    id: &str,
    to: ProposalState,
    reason: Option<String>,
) -> AppResult<read::View> {
    let p = lifecycle::advance(ctx, me, id, to, reason).await?;
    read::get(ctx, Some(me), &p.id).await
}

/// Votes (`votes::vote`) and shows the proposal with the new count.
pub async fn vote(
    ctx: &Ctx,
    me: &ActorRow,
    id: &str,
    choice: Choice,
    reason: Option<String>,
) -> AppResult<read::View> {
    votes::vote(ctx, me, id, choice, reason).await?;
    read::get(ctx, Some(me), id).await
}

/// What the current count decides for a proposal: accepted when it passes under the proposal's
/// rule and quorum (measured against the members when voting opened), else rejected.
pub fn counted_outcome(v: &read::View) -> (ProposalState, tally::Outcome) {
    let p = &v.proposal;
    let members = p.members_at_open.unwrap_or(0).max(0) as u64;
    let outcome = tally::decide(p.decision_rule, p.quorum, members, &v.tally);
    let to = if outcome.accepted {
        ProposalState::Accepted
    } else {
        ProposalState::Rejected
    };
    (to, outcome)
}

/// Ends the vote as the count decides, with the lead's rationale. The lifecycle still checks
/// the move (a lead, a rationale, a proposal in voting), so a count that changes meanwhile is
/// refused rather than recorded against the votes.
pub async fn close(ctx: &Ctx, me: &ActorRow, id: &str, reason: String) -> AppResult<read::View> {
    let seen = read::get(ctx, Some(me), id).await?;
    let (to, _) = counted_outcome(&seen);
    advance(ctx, me, id, to, Some(reason)).await
}

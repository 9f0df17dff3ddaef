//! Votes on proposals: one per member, changeable until voting closes; only members of the group
//! (as the group's node sees them) from full peers count. A member's vote is mirrored in the
//! proposal's poll, so Mastodon apps show it; a vote on a remote group's proposal goes to the group.

use super::{group_of, load, refused};
use crate::{
    db::{self, actors::ActorRow, proposals::votes::VoteRow, proposals::ProposalRow},
    domain::{
        ids::{new_id, ActorId},
        policy::PeerLevel,
        proposal::{lifecycle::takes_votes, Choice},
        time::now_ms,
    },
    error::{AppError, AppResult},
    service::{
        groups,
        outbound::{commit_retrying, Outbound},
        visibility,
    },
    state::Ctx,
};

const MAX_REASON: usize = 2_000;

fn clean(reason: Option<String>) -> Option<String> {
    reason
        .map(|r| r.trim().chars().take(MAX_REASON).collect::<String>())
        .filter(|r| !r.is_empty())
}

/// `me` votes `choice` on proposal `id`, with an optional reason (an objection's reason blocks a
/// consent decision). A second vote replaces the first.
pub async fn vote(
    ctx: &Ctx,
    me: &ActorRow,
    id: &str,
    choice: Choice,
    reason: Option<String>,
) -> AppResult<VoteRow> {
    if reason
        .as_ref()
        .is_some_and(|r| r.trim().chars().count() > MAX_REASON)
    {
        return Err(refused(format!(
            "a reason is limited to {MAX_REASON} characters"
        )));
    }
    let (me, id, reason) = (me.clone(), id.to_string(), clean(reason));
    commit_retrying(ctx.app_data(), move |c, out| {
        let p = load(c, &id)?;
        let group = group_of(c, &p)?;
        let now = now_ms();
        check_open(&p, now)?;
        if group.local {
            groups::is_member(c, &group, &me)?;
        } else if !db::follows::is_accepted(c, &me.id, &group.id)? {
            // The group's node decides who counts; a member here must at least have joined.
            return Err(AppError::Forbidden(format!(
                "{} is not a member of {}",
                me.ap_id, group.ap_id
            )));
        }
        let row = VoteRow {
            id: new_id(),
            proposal_id: p.id.clone(),
            voter_id: me.id.clone(),
            institution: me.domain.clone(),
            choice,
            reason: reason.clone(),
            ap_id: format!("{}#votes/{}", me.ap_id, new_id()),
            proof: None,
            cast_at: now,
        };
        db::proposals::votes::cast(c, &row)?;
        mirror(c, &p, &row, now)?;
        if !group.local {
            out.emit(Outbound::ProposalVote {
                proposal_id: p.id.clone(),
                voter_id: ActorId(me.id.clone()),
            });
        }
        Ok(row)
    })
    .await
}

/// Votes are taken while the proposal is in voting and its time has not run out.
pub fn check_open(p: &ProposalRow, now: i64) -> AppResult<()> {
    if !takes_votes(p.state) {
        return Err(refused(format!(
            "the proposal is not in voting (it is {}), so it takes no votes",
            p.state
        )));
    }
    if p.voting_ends_at.is_some_and(|end| now > end) {
        return Err(refused("voting on this proposal has closed"));
    }
    Ok(())
}

/// Keeps the poll of the proposal's post in step with the member's current vote.
pub fn mirror(c: &mut db::DbConnection, p: &ProposalRow, v: &VoteRow, now: i64) -> AppResult<()> {
    let Some(post_id) = &p.post_id else {
        return Ok(());
    };
    let vote = db::polls::Vote {
        id: &new_id(),
        post_id,
        voter_id: &v.voter_id,
        choice: v.choice.index() as i32,
        ap_id: &v.ap_id,
        multiple: false,
    };
    db::polls::replace_vote(c, &vote, now)?;
    db::polls::mark_dirty(c, post_id)?;
    Ok(())
}

/// A vote from a member on another node (`Create(Note{name, inReplyTo})` answering the proposal's
/// post), counted when the voter is a member of the local group on a full peer and voting is
/// open; `proof` is the signed vote as received, kept as evidence. Refusals are errors the inbox
/// reports to the peer; nothing is counted.
pub async fn receive(
    ctx: &Ctx,
    voter: &ActorRow,
    p: &ProposalRow,
    option: &str,
    ap_id: &str,
    reason: Option<String>,
    proof: Option<String>,
) -> AppResult<VoteRow> {
    let choice: Choice = option
        .parse()
        .map_err(|_| refused(format!("{option:?} is not an option of this proposal")))?;
    let (voter, id, ap_id, reason) = (
        voter.clone(),
        p.id.clone(),
        ap_id.to_string(),
        clean(reason),
    );
    let config = ctx.config.clone();
    commit_retrying(ctx.app_data(), move |c, _out| {
        let p = load(c, &id)?;
        let group = group_of(c, &p)?;
        if !group.local {
            return Err(refused(
                "this node does not count votes of a group it does not host",
            ));
        }
        let now = now_ms();
        check_open(&p, now)?;
        if visibility::peer_level(c, &config, &voter.domain)? != PeerLevel::Full {
            return Err(AppError::Forbidden(format!(
                "votes from {} are not counted: it is not a full peer of this node",
                voter.domain
            )));
        }
        groups::is_member(c, &group, &voter)?;
        let row = VoteRow {
            id: new_id(),
            proposal_id: p.id.clone(),
            voter_id: voter.id.clone(),
            institution: voter.domain.clone(),
            choice,
            reason: reason.clone(),
            ap_id: ap_id.clone(),
            proof: proof.clone(),
            cast_at: now,
        };
        db::proposals::votes::cast(c, &row)?;
        mirror(c, &p, &row, now)?;
        Ok(row)
    })
    .await
}

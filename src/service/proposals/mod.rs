//! Proposals: what members ask a group to decide. Drafting is `create.rs`, lifecycle moves
//! `lifecycle.rs` (the decision and its effects in `decide.rs`), votes `votes.rs`, reading
//! `read.rs` (the public records pages and peers read: `published.rs`), templates
//! `templates.rs`, governance documents `governance.rs`; `member.rs` answers each act with the
//! proposal as its member now sees it (and closes by the count).
//!
//! The rules (which moves are allowed, how votes decide) are pure functions in
//! `domain::proposal`; this module applies them to stored proposals. Who may read a proposal is
//! decided by the audience rule on its post, like every other post.

pub mod create;
pub mod decide;
pub mod federated;
pub mod governance;
pub mod lifecycle;
pub mod member;
pub mod published;
pub mod read;
pub mod templates;
pub mod text;
pub mod votes;

use crate::{
    db::{self, actors::ActorRow, proposals::ProposalRow, DbConnection},
    domain::{
        ids::new_id,
        proposal::{lifecycle::Who, tally, ProposalState},
    },
    error::{AppError, AppResult},
};

/// One day in milliseconds.
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The proposal, or a clear 404.
/// Inside a transaction the row is locked until it ends (see `db::proposals::lock`).
pub fn load(c: &mut DbConnection, id: &str) -> AppResult<ProposalRow> {
    db::proposals::lock(c, id)?.ok_or_else(|| AppError::NotFound(format!("no proposal {id}")))
}

/// The proposal's group.
pub fn group_of(c: &mut DbConnection, p: &ProposalRow) -> AppResult<ActorRow> {
    db::actors::by_id(c, &p.group_id)?
        .ok_or_else(|| AppError::NotFound("the proposal's group is gone".into()))
}

/// How `actor` stands to the proposal: its author, and/or a lead of its group (a moderator, or
/// an admin of this node when the group is local).
pub fn who(
    c: &mut DbConnection,
    p: &ProposalRow,
    group: &ActorRow,
    actor: &ActorRow,
) -> AppResult<Who> {
    Ok(Who {
        author: p.author_id == actor.id,
        lead: crate::service::groups::is_lead(c, group, &actor.id)?,
    })
}

/// The domain's votes of a proposal, as stored.
pub fn domain_votes(c: &mut DbConnection, proposal_id: &str) -> AppResult<Vec<tally::Vote>> {
    Ok(db::proposals::votes::of(c, proposal_id)?
        .into_iter()
        .map(|v| tally::Vote {
            voter: v.voter_id,
            institution: v.institution,
            choice: v.choice,
            reason: v.reason,
            cast_at: v.cast_at,
            id: v.id,
        })
        .collect())
}

/// The current count of a proposal (votes after the end of voting left out).
pub fn current_tally(c: &mut DbConnection, p: &ProposalRow) -> AppResult<tally::Tally> {
    Ok(tally::count(&domain_votes(c, &p.id)?, p.voting_ends_at))
}

/// Appends a lifecycle entry.
pub fn log_move(
    c: &mut DbConnection,
    p: &ProposalRow,
    from: Option<ProposalState>,
    actor_id: &str,
    reason: Option<&str>,
    at: i64,
) -> AppResult<()> {
    db::proposals::log::append(
        c,
        &db::proposals::log::LogRow {
            id: new_id(),
            proposal_id: p.id.clone(),
            from_state: from.map(|s| s.as_str().to_string()),
            to_state: p.state,
            actor_id: actor_id.to_string(),
            reason: reason.map(str::to_string),
            at,
        },
    )?;
    Ok(())
}

/// A refusal by a domain rule: a 422 with its message.
pub fn refused(e: impl std::fmt::Display) -> AppError {
    AppError::Unprocessable(format!("Validation failed: {e}"))
}

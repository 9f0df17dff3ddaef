//! Proposals from the command line: `cohort admin as <user> propose|advance|vote|close …` acts as
//! a member (the same service calls as the Cohort API), `cohort admin proposals <group>` and
//! `cohort admin proposal <id>` print proposals, their tally and their log. Each command returns
//! the text it prints, so tests read what an operator would see.

use clap::{Args, Subcommand};
use cohort::{
    domain::proposal::{Choice, ProposalState},
    service::{
        proposals::{create::Draft, member, read},
        users,
    },
    state::Ctx,
};

/// What a member does to proposals.
#[derive(Subcommand, Debug)]
pub(crate) enum ProposalAct {
    /// Draft a proposal in a group; prints its id.
    Propose(Box<ProposeArgs>),
    /// Move a proposal: open, voting, accepted, rejected, withdrawn or implemented.
    Advance {
        id: String,
        #[arg(value_parser = parse_state)]
        state: ProposalState,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Vote approve, object or abstain (an objection's reason blocks a consent decision).
    Vote {
        id: String,
        #[arg(value_parser = parse_choice)]
        choice: Choice,
        #[arg(long)]
        reason: Option<String>,
    },
    /// End the vote as the count decides (accepted when it passes, else rejected).
    Close {
        id: String,
        /// The decision's rationale (required).
        #[arg(long)]
        reason: String,
    },
}

/// The terms of a new draft.
#[derive(Args, Debug)]
pub(crate) struct ProposeArgs {
    #[arg(long)]
    pub(crate) group: String,
    #[arg(long)]
    pub(crate) title: String,
    #[arg(long, default_value = "")]
    pub(crate) body: String,
    /// A template of the group (its slug).
    #[arg(long)]
    pub(crate) template: Option<String>,
    /// An answer to a template field, `field=text` (repeatable).
    #[arg(long = "answer", value_parser = parse_answer)]
    pub(crate) answers: Vec<(String, String)>,
    #[arg(long)]
    pub(crate) kind: Option<String>,
    /// majority, supermajority[:N/D], consent or double-majority.
    #[arg(long)]
    pub(crate) rule: Option<String>,
    /// A number of voters or a share of the members, like 1/2.
    #[arg(long)]
    pub(crate) quorum: Option<String>,
    /// The decision scope (named in the governance documents).
    #[arg(long)]
    pub(crate) scope: Option<String>,
    #[arg(long)]
    pub(crate) discussion_days: Option<i32>,
    #[arg(long)]
    pub(crate) voting_days: Option<i32>,
    /// A lead election's candidate, @name@host.
    #[arg(long)]
    pub(crate) candidate: Option<String>,
    #[arg(long)]
    pub(crate) term_days: Option<i32>,
}

fn parse_answer(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("{s:?} is not field=text")),
    }
}

fn parse_state(s: &str) -> Result<ProposalState, String> {
    s.parse().map_err(|_| {
        format!("{s:?} is not a state: open, voting, accepted, rejected, withdrawn or implemented")
    })
}

/// Any state, `draft` included (for listing).
pub(crate) fn parse_state_any(s: &str) -> Result<ProposalState, String> {
    s.parse().map_err(|_| {
        format!("{s:?} is not a state: draft, open, voting, accepted, rejected, withdrawn or implemented")
    })
}

fn parse_choice(s: &str) -> Result<Choice, String> {
    s.parse()
        .map_err(|_| format!("{s:?} is not a choice: approve, object or abstain"))
}

/// Runs a member's act; returns what to print.
pub(crate) async fn act(ctx: &Ctx, user: &str, cmd: ProposalAct) -> anyhow::Result<String> {
    let me = users::member(ctx.app_data(), user).await?;
    let (v, what) = match cmd {
        ProposalAct::Propose(args) => {
            let ProposeArgs {
                group,
                title,
                body,
                template,
                answers,
                kind,
                rule,
                quorum,
                scope,
                discussion_days,
                voting_days,
                candidate,
                term_days,
            } = *args;
            let d = Draft {
                group,
                title,
                body,
                kind,
                template,
                answers,
                rule,
                quorum,
                scope,
                discussion_days,
                voting_days,
                candidate,
                term_days,
            };
            let v = member::draft(ctx, &me, d).await?;
            return Ok(v.proposal.id);
        }
        ProposalAct::Advance { id, state, reason } => (
            member::advance(ctx, &me, &id, state, reason).await?,
            "moved",
        ),
        ProposalAct::Vote { id, choice, reason } => {
            (member::vote(ctx, &me, &id, choice, reason).await?, "voted")
        }
        ProposalAct::Close { id, reason } => {
            (member::close(ctx, &me, &id, reason).await?, "closed")
        }
    };
    Ok(format!(
        "{what} {}: {}",
        v.proposal.id,
        super::proposal_text::summary(&v)
    ))
}

/// `cohort admin proposals <group>`: one summary per proposal the reader may see.
pub(crate) async fn list(
    ctx: &Ctx,
    group: &str,
    state: Option<ProposalState>,
    reader: Option<&str>,
) -> anyhow::Result<String> {
    let me = match reader {
        Some(u) => Some(users::member(ctx.app_data(), u).await?),
        None => None,
    };
    let (_, views) =
        read::in_group(ctx, me.as_ref(), group, read::Listing::All(state), 200).await?;
    Ok(views
        .iter()
        .map(|v| format!("{}\t{}", v.proposal.id, super::proposal_text::summary(v)))
        .collect::<Vec<_>>()
        .join("\n"))
}

/// `cohort admin proposal <id>`: the proposal, its tally and its log.
pub(crate) async fn show(ctx: &Ctx, id: &str, reader: Option<&str>) -> anyhow::Result<String> {
    let me = match reader {
        Some(u) => Some(users::member(ctx.app_data(), u).await?),
        None => None,
    };
    let v = read::get(ctx, me.as_ref(), id).await?;
    let log = read::log(ctx, me.as_ref(), id).await?;
    super::proposal_text::detail(ctx, &v, log).await
}

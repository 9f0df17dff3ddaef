//! Proposals driven to a decision on a test node, through the service functions a member's app
//! (drafting, voting), a peer's inbox (a remote member's vote) and the group's lead (the decision)
//! call.

use cohort::{
    db::{actors::ActorRow, proposals::ProposalRow},
    domain::proposal::{Choice, ProposalState as S},
    service::proposals::{create::Draft, lifecycle::advance, votes},
};

/// A proposal to decide: the draft, its author, the votes and the lead's decision.
pub struct Decision<'a> {
    pub draft: Draft,
    pub author: &'a ActorRow,
    /// Local voters vote as members do; remote ones as their node's inbox delivers it.
    pub votes: Vec<(&'a ActorRow, Choice)>,
    pub lead: &'a ActorRow,
    pub outcome: S,
    pub rationale: &'a str,
}

/// A draft of `group` from a template with its answers.
pub fn draft(group: &str, title: &str, template: &str, answers: &[(&str, &str)]) -> Draft {
    Draft {
        group: group.into(),
        title: title.into(),
        body: format!("{title}: the case for it.\n\nA second paragraph."),
        template: Some(template.into()),
        answers: answers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Draft::default()
    }
}

/// Drafts, opens, votes and decides; returns the decided proposal.
pub async fn decide(ctx: &cohort::state::Ctx, d: Decision<'_>) -> ProposalRow {
    let p = cohort::service::proposals::create::create(ctx, d.author, d.draft)
        .await
        .expect("draft");
    advance(
        ctx,
        d.author,
        &p.id,
        S::Open,
        Some("ready for discussion".into()),
    )
    .await
    .expect("open");
    let voting = advance(ctx, d.author, &p.id, S::Voting, None)
        .await
        .expect("voting");
    for (i, (voter, choice)) in d.votes.iter().enumerate() {
        if voter.local {
            votes::vote(ctx, voter, &p.id, *choice, None)
                .await
                .expect("vote");
        } else {
            let id = format!("{}/votes/{}-{i}", voter.ap_id, p.id);
            votes::receive(ctx, voter, &voting, choice.as_str(), &id, None, None)
                .await
                .expect("remote vote");
        }
    }
    advance(ctx, d.lead, &p.id, d.outcome, Some(d.rationale.into()))
        .await
        .expect("decision")
}

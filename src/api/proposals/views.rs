//! Service results → the Cohort API's entities.

use super::entities::{
    Counts, Governance, GovernanceVersion, LogEntry, OwnVote, Proposal, Tally, Template,
    TemplateField,
};
use crate::{
    api::views::{acct, datetime},
    db::{actors::ActorRow, proposals::log::LogRow},
    domain::proposal::{tally, template},
    service::proposals::{published, read::View},
};

fn counts(c: &tally::Counts) -> Counts {
    Counts {
        approve: c.approve,
        object: c.object,
        abstain: c.abstain,
    }
}

fn tally_of(t: &tally::Tally) -> Tally {
    Tally {
        approve: t.total.approve,
        object: t.total.object,
        abstain: t.total.abstain,
        voters: t.total.voters(),
        reasoned_objections: t.reasoned_objections,
        institutions: t
            .institutions
            .iter()
            .map(|(host, c)| (host.clone(), counts(c)))
            .collect(),
    }
}

/// A proposal as its reader sees it.
pub fn proposal(v: &View) -> Proposal {
    let p = &v.proposal;
    Proposal {
        id: p.id.clone(),
        status_id: p.post_id.clone(),
        uri: p.ap_id.clone(),
        url: p.ap_id.clone(),
        group: acct(&v.group),
        author: acct(&v.author),
        title: p.title.clone(),
        body: p.body.clone(),
        kind: p.kind.as_str().to_string(),
        template: p.template.clone(),
        answers: serde_json::from_str(&p.answers).unwrap_or_default(),
        decision_rule: p.decision_rule.to_string(),
        quorum: p.quorum.to_string(),
        scope: p.scope.clone(),
        scope_level: v.level.map(|l| l.as_str().to_string()),
        state: p.state.as_str().to_string(),
        discussion_days: p.discussion_days,
        voting_days: p.voting_days,
        members_at_open: p.members_at_open,
        voting_ends_at: p.voting_ends_at.map(datetime),
        tally: tally_of(&v.tally),
        own_vote: v.mine.as_ref().map(|m| OwnVote {
            choice: m.choice.as_str().to_string(),
            reason: m.reason.clone(),
        }),
        outcome: p.outcome.clone(),
        rationale: p.rationale.clone(),
        decided_at: p.decided_at.map(datetime),
        created_at: datetime(p.created_at),
        updated_at: datetime(p.updated_at),
    }
}

/// A lifecycle entry; `actor` is who made the move, when still known.
pub fn log_entry(l: &LogRow, actor: Option<&ActorRow>) -> LogEntry {
    LogEntry {
        id: l.id.clone(),
        from: l.from_state.clone(),
        to: l.to_state.as_str().to_string(),
        actor: actor.map(acct),
        reason: l.reason.clone(),
        at: datetime(l.at),
    }
}

/// A template.
pub fn template(t: &template::Template) -> Template {
    Template {
        slug: t.slug.clone(),
        title: t.title.clone(),
        kind: t.kind.as_str().to_string(),
        guidance: t.guidance.clone(),
        fields: t
            .fields
            .iter()
            .map(|f| TemplateField {
                name: f.name.clone(),
                label: f.label.clone(),
                guidance: f.guidance.clone(),
                required: f.required,
            })
            .collect(),
        time_commitment: t.time_commitment.clone(),
        decision_rule: t.rule.to_string(),
        quorum: t.quorum.to_string(),
        scope: t.scope.clone(),
        discussion_days: t.discussion_days,
        voting_days: t.voting_days,
    }
}

fn version(v: &published::Version) -> GovernanceVersion {
    GovernanceVersion {
        version: v.version,
        scopes: v
            .document
            .scopes
            .iter()
            .map(|(s, l)| (s.clone(), l.as_str().to_string()))
            .collect(),
        text: v.document.text.clone(),
        code_of_conduct: v.document.code_of_conduct.clone(),
        proposal_id: v.proposal.as_ref().map(|(id, _)| id.clone()),
        created_at: datetime(v.created_at),
    }
}

/// A governance document with its history; `None` when it has no version (never: the first is
/// created on first read).
pub fn governance(g: &published::Governance) -> Option<Governance> {
    let history: Vec<GovernanceVersion> = g.history.iter().map(version).collect();
    Some(Governance {
        owner: acct(&g.owner),
        current: history.first()?.clone(),
        history,
    })
}

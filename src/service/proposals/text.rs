//! The text of a proposal's post (what Mastodon apps show): the title, the body, the template's
//! answers, its terms, where it stands and, once decided, the outcome with its tally and rationale.

use crate::{
    db::proposals::ProposalRow,
    domain::proposal::{tally::Tally, ProposalState},
};
use std::collections::BTreeMap;

fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// The post's plain text (paragraphs separated by blank lines).
pub fn render(p: &ProposalRow) -> String {
    let mut parts = vec![format!("Proposal: {}", p.title)];
    if !p.body.is_empty() {
        parts.push(p.body.clone());
    }
    let answers: BTreeMap<String, String> = serde_json::from_str(&p.answers).unwrap_or_default();
    for (field, answer) in answers.iter().filter(|(_, a)| !a.trim().is_empty()) {
        parts.push(format!("{field}: {}", answer.trim()));
    }
    parts.push(format!(
        "Kind: {} · Rule: {} · Quorum: {} · Scope: {}",
        p.kind.as_str(),
        p.decision_rule,
        p.quorum,
        p.scope
    ));
    parts.push(match (p.state, p.voting_ends_at) {
        (ProposalState::Voting, Some(end)) => format!("State: voting until {}", when(end)),
        (s, _) => format!("State: {s}"),
    });
    if let (Some(outcome), Some(rationale)) = (&p.outcome, &p.rationale) {
        let t: Tally = p
            .tally
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default();
        parts.push(format!(
            "Decision: {outcome} ({} approve, {} object, {} abstain). Rationale: {}",
            t.total.approve,
            t.total.object,
            t.total.abstain,
            rationale.trim()
        ));
    }
    parts.join("\n\n")
}

//! Contribution pathways: the proposal templates a group publishes.

use super::{
    rule::{DecisionRule, Quorum, TWO_THIRDS},
    ProposalKind,
};
use serde::{Deserialize, Serialize};

/// A field a template asks for, with guidance for the one filling it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    pub label: String,
    pub guidance: String,
    pub required: bool,
}

/// A template: what it proposes and the defaults a proposal made from it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// Unique within the group (a slug).
    pub slug: String,
    pub title: String,
    pub kind: ProposalKind,
    pub guidance: String,
    pub fields: Vec<Field>,
    /// What taking part asks of members, in words ("about two weeks of discussion…").
    pub time_commitment: String,
    pub rule: DecisionRule,
    pub quorum: Quorum,
    pub scope: String,
    /// Days of discussion before voting, and of voting.
    pub discussion_days: u32,
    pub voting_days: u32,
}

fn field(name: &str, label: &str, guidance: &str, required: bool) -> Field {
    Field {
        name: name.into(),
        label: label.into(),
        guidance: guidance.into(),
        required,
    }
}

/// Checks the answers to a template's fields: every required field has text, and no unknown
/// field is given. Returns the first problem.
pub fn check_answers(t: &Template, answers: &[(String, String)]) -> Result<(), String> {
    if let Some((name, _)) = answers
        .iter()
        .find(|(n, _)| !t.fields.iter().any(|f| &f.name == n))
    {
        return Err(format!("template {} has no field {name:?}", t.slug));
    }
    for f in t.fields.iter().filter(|f| f.required) {
        let given = answers
            .iter()
            .any(|(n, v)| n == &f.name && !v.trim().is_empty());
        if !given {
            return Err(format!(
                "template {} needs the field {:?} ({})",
                t.slug, f.name, f.label
            ));
        }
    }
    Ok(())
}

/// The templates a new group starts with.
pub fn defaults() -> Vec<Template> {
    let t = |slug: &str, title: &str, kind, guidance: &str, fields, rule, scope: &str| Template {
        slug: slug.into(),
        title: title.into(),
        kind,
        guidance: guidance.into(),
        fields,
        time_commitment:
            "About 30 minutes to read and vote; discussion open for 7 days, voting for 7 days."
                .into(),
        rule,
        quorum: Quorum::Count(0),
        scope: scope.into(),
        discussion_days: 7,
        voting_days: 7,
    };
    vec![
        t(
            "research-question",
            "Propose a research question",
            ProposalKind::ResearchQuestion,
            "State the question, why it matters to the group and how it could be answered.",
            vec![
                field("question", "Question", "One sentence, answerable.", true),
                field(
                    "background",
                    "Background",
                    "What is known, with references.",
                    true,
                ),
                field(
                    "methods",
                    "Methods",
                    "Data and methods you would use.",
                    false,
                ),
            ],
            DecisionRule::Majority,
            "research",
        ),
        t(
            "protocol-review",
            "Request a protocol review",
            ProposalKind::ProtocolReview,
            "Link the protocol and say what reviewers should look at. Objections need a reason.",
            vec![
                field(
                    "protocol",
                    "Protocol",
                    "Link or title and version of the protocol.",
                    true,
                ),
                field("focus", "Review focus", "What you want reviewed.", true),
            ],
            DecisionRule::Consent,
            "protocols",
        ),
        t(
            "document-change",
            "Change a shared document",
            ProposalKind::DocumentChange,
            "Link the document and describe the change; attach the new text.",
            vec![
                field(
                    "document",
                    "Document",
                    "Link or title of the document.",
                    true,
                ),
                field("change", "Change", "What changes and why.", true),
            ],
            DecisionRule::Supermajority(TWO_THIRDS),
            "documents",
        ),
        t(
            "governance-rule",
            "Change the group's governance",
            ProposalKind::GovernanceRule,
            "Give the new governance document in full; it replaces the current one when accepted.",
            vec![field(
                "document",
                "New governance document",
                "The full new text, with scopes.",
                true,
            )],
            DecisionRule::Supermajority(TWO_THIRDS),
            "governance",
        ),
        t(
            "lead-election",
            "Elect a group lead",
            ProposalKind::LeadElection,
            "Name the candidate (@name@host) and the length of the term.",
            vec![
                field(
                    "candidate",
                    "Candidate",
                    "The member's handle, @name@host.",
                    true,
                ),
                field(
                    "term_days",
                    "Term in days",
                    "How long the term lasts (default 365).",
                    false,
                ),
            ],
            DecisionRule::Majority,
            "leads",
        ),
    ]
}

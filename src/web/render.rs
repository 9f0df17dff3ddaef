//! Pieces the decision pages share: dates, a proposal's terms and its tally. Everything that
//! came from members or peers is escaped here; nothing is trusted as HTML.

use crate::{
    db::proposals::ProposalRow,
    domain::{
        governance::ScopeLevel,
        proposal::{
            rule::DecisionRule,
            tally::{Counts, Tally},
        },
        sanitize::escape,
    },
};

/// A moment as people read it, in UTC (with the machine-readable form in `datetime`).
pub fn when(ms: i64) -> String {
    let shown = chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default();
    format!(
        "<time datetime=\"{}\">{shown}</time>",
        crate::domain::time::to_rfc3339(ms)
    )
}

/// Plain text as paragraphs (blank lines separate them).
pub fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
        .collect()
}

fn counts(c: &Counts) -> String {
    format!(
        "{} approve · {} object · {} abstain",
        c.approve, c.object, c.abstain
    )
}

/// The tally: the totals, and per institution when the rule counts institutions.
pub fn tally(t: &Tally, rule: DecisionRule) -> String {
    let mut out = format!("<p class=\"tally\">Tally: {}</p>", counts(&t.total));
    if t.reasoned_objections > 0 {
        out.push_str(&format!(
            "<p>Objections with a stated reason: {}</p>",
            t.reasoned_objections
        ));
    }
    if rule == DecisionRule::DoubleMajority && !t.institutions.is_empty() {
        out.push_str(
            "<table><caption>Per institution</caption><tr><th>Institution</th><th>Tally</th></tr>",
        );
        for (institution, c) in &t.institutions {
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td></tr>",
                escape(institution),
                counts(c)
            ));
        }
        out.push_str("</table>");
    }
    out
}

/// Kind, decision rule, quorum and scope (with its level, when the governing documents say it).
pub fn terms(p: &ProposalRow, level: Option<ScopeLevel>) -> String {
    let level = level.map(|l| format!(" ({l})")).unwrap_or_default();
    format!(
        "<dl><dt>Kind</dt><dd>{}</dd><dt>Decision rule</dt><dd>{}</dd><dt>Quorum</dt><dd>{}</dd>\
         <dt>Scope</dt><dd>{}{level}</dd></dl>",
        escape(p.kind.as_str()),
        escape(&p.decision_rule.to_string()),
        escape(&p.quorum.to_string()),
        escape(&p.scope)
    )
}

/// Where a proposal's page is.
pub fn proposal_path(id: &str) -> String {
    format!("/proposals/{}", escape(id))
}

//! A proposal's public page: its text, terms, where it stands, the tally, the decision with its
//! rationale, and the lifecycle log (who moved it, when and why). Visitors are anonymous: a
//! proposal whose post is not public answers 404, like a missing one.

use super::{page, render};
use crate::{
    domain::sanitize::escape,
    error::AppResult,
    service::{
        proposals::published::{self, Record},
        visibility::Viewer,
    },
    state::Ctx,
    urls,
};
use axum::{extract::Path, response::Response};
use std::collections::BTreeMap;

/// GET /proposals/{id}.
pub async fn proposal_page(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let record = published::record(&ctx, Viewer::Anonymous, &id).await?;
    Ok(page(&record.view.proposal.title, &body(&record)))
}

fn body(r: &Record) -> String {
    let (p, g) = (&r.view.proposal, &r.view.group);
    let answers: BTreeMap<String, String> = serde_json::from_str(&p.answers).unwrap_or_default();
    let answers: String = answers
        .iter()
        .filter(|(_, a)| !a.trim().is_empty())
        .map(|(f, a)| format!("<h3>{}</h3>{}", escape(f), render::paragraphs(a)))
        .collect();
    let decision = match (&p.outcome, p.decided_at) {
        (Some(outcome), Some(at)) => format!(
            "<h2>Decision</h2><p>Outcome: <strong>{}</strong> · decided {}</p><h3>Rationale</h3>{}",
            escape(outcome),
            render::when(at),
            render::paragraphs(p.rationale.as_deref().unwrap_or(""))
        ),
        _ => String::new(),
    };
    let log: String = r
        .log
        .iter()
        .map(|(row, actor)| {
            let who = actor
                .as_ref()
                .map_or("someone no longer known here".into(), |a| {
                    format!("@{}@{}", escape(&a.username), escape(&a.domain))
                });
            let from = row
                .from_state
                .as_deref()
                .map(|f| format!("{} → ", escape(f)))
                .unwrap_or_default();
            let why = row
                .reason
                .as_deref()
                .map(|w| format!(": {}", escape(w)))
                .unwrap_or_default();
            format!(
                "<li>{} — {from}{} by {who}{why}</li>",
                render::when(row.at),
                row.to_state
            )
        })
        .collect();
    format!(
        "<h1>{}</h1><p>Proposal by @{}@{} in <a href=\"{}\">{}</a> · \
         <a href=\"{}\">decision log</a></p>{}{answers}{}<p>State: <strong>{}</strong></p>{}{decision}\
         <h2 id=\"log\">Lifecycle log</h2><ol>{log}</ol>",
        escape(&p.title),
        escape(&r.view.author.username),
        escape(&r.view.author.domain),
        escape(&g.ap_id),
        escape(&g.display_name),
        escape(&urls::sub(&g.ap_id, "decisions")),
        render::paragraphs(&p.body),
        render::terms(p, r.view.level),
        p.state,
        render::tally(&r.view.tally, p.decision_rule),
    )
}

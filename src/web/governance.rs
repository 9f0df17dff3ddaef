//! Governance pages: a group's document (`/groups/{name}/governance`) and the node's own
//! (`/governance`): which decisions are open to a binding vote, shared or reserved, the text and
//! the code of conduct, and every earlier version with the proposal that changed it.

use super::{page, render};
use crate::{
    domain::sanitize::escape,
    error::AppResult,
    service::{
        proposals::published::{self, Governance},
        visibility::Viewer,
    },
    state::Ctx,
};
use axum::{extract::Path, response::Response};

/// GET /groups/{name}/governance: 404 unless the group's profile is public.
pub async fn group_governance(ctx: Ctx, Path(name): Path<String>) -> AppResult<Response> {
    let g = published::governance(&ctx, Viewer::Anonymous, Some(&name)).await?;
    let title = format!("Governance of {}", g.owner.display_name);
    Ok(page(&title, &body(&title, &g)))
}

/// GET /governance: the node's document, which every group's document works within.
pub async fn node_governance(ctx: Ctx) -> AppResult<Response> {
    let g = published::governance(&ctx, Viewer::Anonymous, None).await?;
    let title = format!("Governance of {}", ctx.config.instance.name);
    Ok(page(&title, &body(&title, &g)))
}

fn body(title: &str, g: &Governance) -> String {
    let scopes: String = g
        .document
        .scopes
        .iter()
        .map(|(s, l)| format!("<tr><td>{}</td><td>{l}</td></tr>", escape(s)))
        .collect();
    let history: String = g
        .history
        .iter()
        .map(|v| {
            let by = match (&v.proposal, v.by_proposal) {
                (Some((id, t)), _) => format!(
                    "changed by the accepted proposal <a href=\"{}\">{}</a>",
                    render::proposal_path(id),
                    escape(t)
                ),
                (None, true) => "changed by an accepted proposal".into(),
                (None, false) => "the first version".into(),
            };
            format!(
                "<li>Version {} — {} — {by}</li>",
                v.version,
                render::when(v.created_at)
            )
        })
        .collect();
    format!(
        "<h1>{}</h1><p>@{}@{} · version {}</p>\
         <h2>Decision scopes</h2><p>Open: a community vote is binding. Shared: the vote advises and \
         the organization decides with a published rationale. Reserved: the organization decides.</p>\
         <table><tr><th>Scope</th><th>Level</th></tr>{scopes}</table>\
         <h2>How decisions are made</h2>{}<h2>Code of conduct</h2>{}\
         <h2>History</h2><ol>{history}</ol>",
        escape(title),
        escape(&g.owner.username),
        escape(&g.owner.domain),
        g.version,
        render::paragraphs(&g.document.text),
        render::paragraphs(&g.document.code_of_conduct),
    )
}

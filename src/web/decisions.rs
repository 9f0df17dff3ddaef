//! A group's public decision log: every decided proposal the visitor may see, newest first, with
//! its terms, outcome, tally and rationale. Visitors are anonymous, so a group whose profile is
//! not public answers 404 (as its page does) and each decision is shown only if its post is public.

use super::{page, render};
use crate::{
    domain::sanitize::escape,
    error::AppResult,
    service::{
        proposals::{
            published::{self, MAX_DECISIONS},
            read::View,
        },
        visibility::Viewer,
    },
    state::Ctx,
    urls,
};
use axum::response::Response;

/// GET /groups/{name}/decisions for a browser.
pub async fn page_of(ctx: &Ctx, name: &str) -> AppResult<Response> {
    let (group, decided) =
        published::decision_log(ctx, Viewer::Anonymous, name, MAX_DECISIONS).await?;
    let items: String = decided.iter().map(item).collect();
    let body = format!(
        "<h1>Decision log of {}</h1><p>@{}@{} · <a href=\"{}\">the group</a> · \
         <a href=\"{}\">its governance</a></p>{}",
        escape(&group.display_name),
        escape(&group.username),
        escape(&group.domain),
        escape(&group.ap_id),
        escape(&urls::sub(&group.ap_id, "governance")),
        if items.is_empty() {
            "<p>No public decisions yet.</p>".to_string()
        } else {
            items
        }
    );
    Ok(page(&format!("Decisions of {}", group.display_name), &body))
}

fn item(v: &View) -> String {
    let p = &v.proposal;
    let path = render::proposal_path(&p.id);
    let rationale = p
        .rationale
        .as_deref()
        .map(|r| format!("<h3>Rationale</h3>{}", render::paragraphs(r)))
        .unwrap_or_default();
    format!(
        "<article class=\"decision\"><h2><a href=\"{path}\">{}</a></h2>\
         <p>Outcome: <strong>{}</strong> · decided {}</p>{}{}{rationale}\
         <p><a href=\"{path}#log\">Lifecycle log</a></p></article>",
        escape(&p.title),
        escape(p.outcome.as_deref().unwrap_or(p.state.as_str())),
        p.decided_at.map(render::when).unwrap_or_default(),
        render::terms(p, v.level),
        render::tally(&v.tally, p.decision_rule),
    )
}

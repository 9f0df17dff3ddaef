//! Server-rendered pages for people with a browser: the node's about page, public profiles,
//! hashtag pages, and the governance records (a group's decision log, proposal pages, the
//! group's and the node's governance documents). Pages read through services for an anonymous
//! visitor, so they show what the audience rule shows to anyone.

pub mod decisions;
pub mod governance;
pub mod headers;
pub mod proposal;
pub mod render;

use crate::{
    db::{self, actors::ActorRow},
    domain::sanitize::escape,
    error::{AppError, AppResult},
    service::{reading, visibility},
    state::Ctx,
};
use axum::response::{Html, IntoResponse, Response};

pub(crate) fn page(title: &str, body: &str) -> Response {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title></head><body><main>{body}\
         <footer><p><small>Content on this node is shared by consortium members for research \
         collaboration. It is not medical advice.</small></p></footer></main></body></html>",
        escape(title)
    ))
    .into_response()
}

/// GET / — what this node is, and its public groups that are listed.
pub async fn index(ctx: Ctx) -> AppResult<Response> {
    let groups = ctx.db.run(|c| db::actors::list_local(c, "Group")).await?;
    let items: String = groups
        .iter()
        // The groups anyone may see that chose to be listed (as in the directory).
        .filter(|g| g.discoverable && visibility::group_profile_audience(g).is_public())
        .map(|g| {
            format!(
                "<li><a href=\"{}\">{}</a> — @{}@{}</li>",
                escape(&g.ap_id),
                escape(&g.display_name),
                escape(&g.username),
                escape(&g.domain)
            )
        })
        .collect();
    let body =
        format!(
        "<h1>{}</h1><p>{}</p><p>A Cohort node: working groups, proposals and endorsements that \
         federate between research institutions.</p><p><a href=\"/governance\">How this node \
         is governed</a></p><h2>Public working groups</h2><ul>{}</ul>",
        escape(&ctx.config.instance.name),
        escape(&ctx.config.instance.description),
        if items.is_empty() { "<li>None yet.</li>".to_string() } else { items }
    );
    Ok(page(&ctx.config.instance.name, &body))
}

/// A member's or group's public profile page (browsers get this instead of JSON).
pub async fn actor_page(_ctx: &Ctx, actor: &ActorRow) -> AppResult<Response> {
    if actor.kind == "Group" && !visibility::group_profile_audience(actor).is_public() {
        return Err(AppError::NotFound("not public".into()));
    }
    let kind = if actor.kind == "Group" {
        "Working group"
    } else {
        "Member"
    };
    let links = if actor.kind == "Group" {
        format!(
            "<p><a href=\"{}\">Decision log</a> · <a href=\"{}\">Governance</a></p>",
            escape(&crate::urls::sub(&actor.ap_id, "decisions")),
            escape(&crate::urls::sub(&actor.ap_id, "governance"))
        )
    } else {
        String::new()
    };
    let body = format!(
        "<h1>{}</h1><p>{kind} · @{}@{}</p><div>{}</div>{links}",
        escape(&actor.display_name),
        escape(&actor.username),
        escape(&actor.domain),
        actor.summary
    );
    Ok(page(&actor.display_name, &body))
}

/// GET /tags/{name} — the newest public posts on this node with a hashtag.
pub async fn tag_page(
    ctx: Ctx,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> AppResult<Response> {
    let name = crate::domain::names::normalize_hashtag(&name)
        .ok_or_else(|| AppError::NotFound("not a hashtag".into()))?;
    let window = reading::Window {
        max: None,
        min: None,
        since_only: false,
        limit: 40,
    };
    let listed = reading::public(
        ctx.app_data(),
        crate::service::visibility::Viewer::Anonymous,
        None,
        Some(name.clone()),
        false,
        window,
    )
    .await?;
    let posts = ctx
        .db
        .run(move |c| {
            let mut out = Vec::new();
            for p in listed {
                if let Some(a) = db::actors::by_id(c, &p.author_id)? {
                    out.push((p, a));
                }
            }
            Ok(out)
        })
        .await?;
    let items: String = posts
        .iter()
        .map(|(p, a)| {
            format!(
                "<article><p><strong>{}</strong> @{}@{} · <a href=\"{}\">{}</a></p>{}</article>",
                escape(&a.display_name),
                escape(&a.username),
                escape(&a.domain),
                escape(&p.ap_id),
                crate::domain::time::to_rfc3339(p.published),
                p.content
            )
        })
        .collect();
    let body = format!(
        "<h1>#{}</h1>{}",
        escape(&name),
        if items.is_empty() {
            "<p>No public posts with this hashtag yet.</p>".to_string()
        } else {
            items
        }
    );
    Ok(page(&format!("#{name}"), &body))
}

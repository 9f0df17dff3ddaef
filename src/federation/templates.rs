//! A group's proposal templates (its contribution pathways) as a collection peers read, so that a
//! member on another node can propose from them; shown to whoever may see the group.

use super::{collections::owner, protocol::proposal::ApubTemplate, routes::ap_json, urls};
use crate::{
    domain::proposal::{template::Template, ProposalKind},
    error::{AppError, AppResult},
    service::proposals::templates,
    state::Ctx,
};
use axum::{
    extract::Path,
    http::{HeaderMap, Method, Uri},
    response::Response,
};
use serde_json::{json, Value};

/// The wire form of a template.
pub fn to_wire(t: &Template) -> ApubTemplate {
    ApubTemplate {
        slug: t.slug.clone(),
        name: t.title.clone(),
        proposal_kind: t.kind.as_str().to_string(),
        guidance: t.guidance.clone(),
        fields: t.fields.clone(),
        time_commitment: t.time_commitment.clone(),
        decision_rule: t.rule.to_string(),
        quorum: t.quorum.to_string(),
        decision_scope: t.scope.clone(),
        discussion_days: t.discussion_days,
        voting_days: t.voting_days,
    }
}

/// A template read from a peer's collection, checked like one of ours.
pub fn from_wire(w: ApubTemplate) -> AppResult<Template> {
    let bad = |e: String| AppError::Unprocessable(format!("template {}: {e}", w.slug));
    Ok(Template {
        kind: ProposalKind::parse(&w.proposal_kind).map_err(bad)?,
        rule: w.decision_rule.clone().try_into().map_err(bad)?,
        quorum: w.quorum.clone().try_into().map_err(bad)?,
        slug: w.slug,
        title: w.name,
        guidance: w.guidance,
        fields: w.fields,
        time_commitment: w.time_commitment,
        scope: w.decision_scope,
        discussion_days: w.discussion_days.min(90),
        voting_days: w.voting_days.clamp(1, 90),
    })
}

/// GET /groups/{name}/templates
pub async fn serve(
    ctx: Ctx,
    Path(name): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let (group, _) = owner(&ctx, &uri, &name, &method, &headers, false).await?;
    let gid = group.id.clone();
    let list = ctx
        .db
        .run(move |c| Ok(templates::of_group(c, &gid)))
        .await??;
    let items: Vec<Value> = list
        .iter()
        .map(|t| serde_json::to_value(to_wire(t)))
        .collect::<Result<_, _>>()?;
    Ok(ap_json(json!({
        "@context": ["https://www.w3.org/ns/activitystreams", urls::Urls::new(&ctx.config).context()],
        "id": urls::sub(&group.ap_id, "templates"),
        "type": "Collection",
        "totalItems": items.len(),
        "items": items,
    })))
}

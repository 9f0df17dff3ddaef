//! GET /groups/{name}/decisions: a group's decision log. Browsers get the HTML page; ActivityPub
//! clients an `OrderedCollection` of the decided proposals' posts (their `Question` ids, newest
//! decision first), gated like the group's outbox: the requester must see the group's profile,
//! and each item is listed only if the audience rule lets them see its post.

use super::{
    collections::{collection, owner, PageQuery},
    routes::{ap_json, wants_activity_json},
};
use crate::{
    error::AppResult,
    service::proposals::published::{self, MAX_DECISIONS},
    state::Ctx,
    urls,
};
use axum::{
    extract::{Path, Query},
    http::{HeaderMap, Method, Uri},
    response::Response,
};
use serde_json::Value;

/// The decision log, as a page or as a collection.
pub async fn decisions(
    ctx: Ctx,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    if !wants_activity_json(&headers) {
        return crate::web::decisions::page_of(&ctx, &name).await;
    }
    let (group, viewer) = owner(&ctx, &uri, &name, &method, &headers, false).await?;
    let (_, decided) = published::decision_log(&ctx, viewer, &name, MAX_DECISIONS).await?;
    let items: Vec<Value> = decided
        .into_iter()
        .filter_map(|v| v.proposal.ap_id.map(Value::String))
        .collect();
    Ok(ap_json(collection(
        &urls::sub(&group.ap_id, "decisions"),
        q.page,
        items,
    )))
}

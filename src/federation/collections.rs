//! ActivityPub collections of local actors: outbox, followers, following, moderators, featured
//! (pinned posts). Each lists
//! only what the requester may see: the owner is gated like its actor document, and every outbox
//! item passes the audience rule for the same reader.

use super::routes::{ap_json, local_actor};
use crate::{
    db::{self, actors::ActorRow},
    error::AppResult,
    federation::{signed_fetch, urls},
    service::visibility::{Sight, Viewer},
    state::Ctx,
};
use axum::{
    extract::{Path, Query},
    http::{HeaderMap, Method, Uri},
    response::Response,
};
use serde::Deserialize;
use serde_json::{json, Value};

const PAGE_SIZE: usize = 20;
/// How far back an outbox goes: its newest activities, filtered per reader.
const OUTBOX_DEPTH: i64 = 2000;

/// `?page=N` (1-based) of a paged collection.
#[derive(Deserialize)]
pub struct PageQuery {
    pub(super) page: Option<i64>,
}

/// An `OrderedCollection` summary, or one page of `items` (all the items the reader may see).
pub(super) fn collection(id: &str, page: Option<i64>, items: Vec<Value>) -> Value {
    let total = items.len();
    let Some(p) = page.map(|p| p.max(1) as usize) else {
        return json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": id,
            "type": "OrderedCollection",
            "totalItems": total,
            "first": format!("{id}?page=1"),
        });
    };
    let slice: Vec<Value> = items
        .into_iter()
        .skip((p - 1).saturating_mul(PAGE_SIZE))
        .take(PAGE_SIZE)
        .collect();
    let mut v = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{id}?page={p}"),
        "type": "OrderedCollectionPage",
        "partOf": id,
        "totalItems": total,
        "orderedItems": slice,
    });
    if p * PAGE_SIZE < total {
        v["next"] = json!(format!("{id}?page={}", p + 1));
    }
    if p > 1 {
        v["prev"] = json!(format!("{id}?page={}", p - 1));
    }
    v
}

/// Resolves `/users/{name}/…` or `/groups/{name}/…` to the actor after the fetch check. `content`
/// asks for what a group's content audience may see (its members); else its profile's audience.
pub(super) async fn owner(
    ctx: &Ctx,
    uri: &Uri,
    name: &str,
    method: &Method,
    headers: &HeaderMap,
    content: bool,
) -> AppResult<(ActorRow, Viewer)> {
    let kind = if uri.path().starts_with("/groups/") {
        "Group"
    } else {
        "Person"
    };
    let actor = local_actor(ctx, name, kind).await?;
    let a = actor.clone();
    let viewer = signed_fetch::gate(ctx, method, uri, headers, uri.path(), move |c, sight| {
        sight.may_see_actor(c, &a, !content)
    })
    .await?;
    Ok((actor, viewer))
}

/// GET …/outbox: the activities the requester may see, newest first.
pub async fn outbox(
    ctx: Ctx,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let (actor, viewer) = owner(&ctx, &uri, &name, &method, &headers, false).await?;
    let id = actor.id.clone();
    let items = ctx
        .db
        .run(move |c| {
            let mut sight = Sight::new(viewer);
            let mut items = Vec::new();
            for row in db::activities::outbox_candidates(c, &id, OUTBOX_DEPTH)? {
                if sight.may_see_activity(c, &row)? {
                    items.extend(serde_json::from_str::<Value>(&row.payload).ok());
                }
            }
            Ok(items)
        })
        .await?;
    Ok(ap_json(collection(
        &urls::sub(&actor.ap_id, "outbox"),
        q.page,
        items,
    )))
}

/// GET …/followers: a member's followers, or — for those the group's content audience admits —
/// a group's members.
pub async fn followers(
    ctx: Ctx,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let (actor, _) = owner(&ctx, &uri, &name, &method, &headers, true).await?;
    let id = actor.id.clone();
    let items: Vec<Value> = ctx
        .db
        .run(move |c| db::follows::followers(c, &id, db::follows::FollowState::Accepted, 0, 10_000))
        .await?
        .into_iter()
        .map(|a| json!(a.ap_id))
        .collect();
    Ok(ap_json(collection(
        &urls::sub(&actor.ap_id, "followers"),
        q.page,
        items,
    )))
}

/// GET …/following: Cohort does not publish whom its actors follow.
pub async fn following(
    ctx: Ctx,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let (actor, _) = owner(&ctx, &uri, &name, &method, &headers, false).await?;
    Ok(ap_json(collection(
        &urls::sub(&actor.ap_id, "following"),
        q.page,
        vec![],
    )))
}

/// GET /groups/{name}/moderators: whose moderation peers should trust (FEP-1b12).
pub async fn moderators(
    ctx: Ctx,
    Path(name): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let (group, _) = owner(&ctx, &uri, &name, &method, &headers, false).await?;
    let gid = group.id.clone();
    let mods = ctx.db.run(move |c| db::actors::moderators(c, &gid)).await?;
    let items: Vec<Value> = mods.into_iter().map(|a| json!(a.ap_id)).collect();
    Ok(ap_json(json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": urls::sub(&group.ap_id, "moderators"),
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    })))
}

/// GET /users/{name}/collections/featured: the member's pinned posts the requester may see,
/// newest pin first, embedded as Mastodon serves them.
pub async fn featured(
    ctx: Ctx,
    Path(name): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let (actor, viewer) = owner(&ctx, &uri, &name, &method, &headers, false).await?;
    let posts = crate::service::pins::pinned(ctx.app_data(), viewer, &actor.id).await?;
    let mut items = Vec::with_capacity(posts.len());
    for p in posts {
        let note = crate::federation::objects::post::DbPost::new(p)?;
        items.push(serde_json::to_value(
            activitypub_federation::traits::Object::into_json(note, &ctx).await?,
        )?);
    }
    Ok(ap_json(json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": urls::sub(&actor.ap_id, super::activities::featured::FEATURED),
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    })))
}

//! ActivityPub GET endpoints: actors (with content negotiation), collections, posts and activities.
//! Every answer to a peer passes the authorized-fetch check and the policy chokepoint.

use crate::{
    db::{self, actors::ActorRow},
    domain::policy::Visibility,
    error::{AppError, AppResult},
    federation::{
        inbox::post_inbox,
        jsonld,
        objects::{actor::local_actor_json, post::DbPost},
        policy::Audience,
        signed_fetch,
        urls::{self, Urls},
    },
    service::groups,
    state::Ctx,
};
use activitypub_federation::{axum::json::FederationJson, traits::Object};
use axum::{
    extract::{Path, Query},
    http::{header, HeaderMap, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

const PAGE_SIZE: i64 = 20;

/// The federation routes.
pub fn router() -> Router {
    Router::new()
        .route("/actor", get(organization))
        .route("/actor/inbox", post(post_inbox))
        .route("/inbox", post(post_inbox))
        .route("/users/{name}", get(person))
        .route("/groups/{name}", get(group))
        .route("/users/{name}/inbox", post(post_inbox))
        .route("/groups/{name}/inbox", post(post_inbox))
        .route("/users/{name}/outbox", get(outbox))
        .route("/groups/{name}/outbox", get(outbox))
        .route("/users/{name}/followers", get(followers))
        .route("/groups/{name}/followers", get(followers))
        .route("/users/{name}/following", get(following))
        .route("/groups/{name}/following", get(following))
        .route("/groups/{name}/moderators", get(moderators))
        .route("/posts/{id}", get(post_object))
        .route("/activities/{id}", get(activity_object))
        .route(jsonld::COHORT_CONTEXT_PATH, get(cohort_context))
}

/// Whether the client asked for ActivityPub JSON rather than a web page.
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| {
            a.contains("application/activity+json")
                || a.contains("application/ld+json")
                || a.contains("application/json")
        })
}

fn ap_json(value: Value) -> Response {
    FederationJson(value).into_response()
}

async fn local_actor(ctx: &Ctx, name: &str, kind: &str) -> AppResult<ActorRow> {
    let n = name.to_string();
    ctx.db
        .run(move |c| db::actors::local_by_username(c, &n))
        .await?
        .filter(|a| a.kind == kind)
        .ok_or_else(|| AppError::NotFound(format!("no {} named {name}", kind.to_lowercase())))
}

fn actor_audience(actor: &ActorRow) -> Audience {
    if actor.kind == "Group" {
        groups::audience(actor)
    } else {
        Audience::public()
    }
}

/// The node's Organization actor: always served unsigned, since peers need its key to verify
/// this node's signed fetches.
async fn organization(ctx: Ctx) -> AppResult<Response> {
    let org = local_actor(
        &ctx,
        crate::service::setup::ORGANIZATION_NAME,
        "Organization",
    )
    .await?;
    Ok(ap_json(serde_json::to_value(local_actor_json(
        &org,
        &Urls::new(&ctx.config),
    )?)?))
}

async fn actor_response(
    ctx: Ctx,
    name: String,
    kind: &str,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let actor = local_actor(&ctx, &name, kind).await?;
    if !wants_activity_json(&headers) {
        return crate::web::actor_page(&ctx, &actor).await;
    }
    signed_fetch::check(
        &ctx,
        &method,
        &uri,
        &headers,
        &actor_audience(&actor),
        &actor.ap_id,
    )
    .await?;
    Ok(ap_json(serde_json::to_value(local_actor_json(
        &actor,
        &Urls::new(&ctx.config),
    )?)?))
}

async fn person(
    ctx: Ctx,
    Path(name): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    actor_response(ctx, name, "Person", method, uri, headers).await
}

async fn group(
    ctx: Ctx,
    Path(name): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    actor_response(ctx, name, "Group", method, uri, headers).await
}

/// `?page=N` (1-based) of a paged collection.
#[derive(Deserialize)]
struct PageQuery {
    page: Option<i64>,
}

fn collection(id: &str, total: i64, page: Option<i64>, items: Vec<Value>) -> Value {
    match page {
        None => json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": id,
            "type": "OrderedCollection",
            "totalItems": total,
            "first": format!("{id}?page=1"),
        }),
        Some(p) => {
            let mut v = json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{id}?page={p}"),
                "type": "OrderedCollectionPage",
                "partOf": id,
                "totalItems": total,
                "orderedItems": items,
            });
            if p * PAGE_SIZE < total {
                v["next"] = json!(format!("{id}?page={}", p + 1));
            }
            if p > 1 {
                v["prev"] = json!(format!("{id}?page={}", p - 1));
            }
            v
        }
    }
}

/// Resolves `/users/{name}/…` or `/groups/{name}/…` to the actor, after the fetch check.
async fn collection_owner(
    ctx: &Ctx,
    uri: &Uri,
    name: &str,
    method: &Method,
    headers: &HeaderMap,
) -> AppResult<ActorRow> {
    let kind = if uri.path().starts_with("/groups/") {
        "Group"
    } else {
        "Person"
    };
    let actor = local_actor(ctx, name, kind).await?;
    signed_fetch::check(
        ctx,
        method,
        uri,
        headers,
        &actor_audience(&actor),
        uri.path(),
    )
    .await?;
    Ok(actor)
}

/// Serves one paged collection of `actor`: `count` gives the total, `load` one page of items
/// (offset, limit); without `?page` only the collection summary is returned.
async fn paged<C, L>(
    ctx: &Ctx,
    actor: &ActorRow,
    what: &str,
    page: Option<i64>,
    count: C,
    load: L,
) -> AppResult<Response>
where
    C: FnOnce(&mut db::DbConnection, &str) -> db::DbResult<i64> + Send + 'static,
    L: FnOnce(&mut db::DbConnection, &str, i64, i64) -> db::DbResult<Vec<Value>> + Send + 'static,
{
    let page = page.map(|p| p.max(1));
    let id = actor.id.clone();
    let (total, items) = ctx
        .db
        .run(move |c| {
            let total = count(c, &id)?;
            let items = match page {
                Some(p) => load(c, &id, (p - 1) * PAGE_SIZE, PAGE_SIZE)?,
                None => vec![],
            };
            Ok((total, items))
        })
        .await?;
    Ok(ap_json(collection(
        &urls::sub(&actor.ap_id, what),
        total,
        page,
        items,
    )))
}

async fn outbox(
    ctx: Ctx,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let actor = collection_owner(&ctx, &uri, &name, &method, &headers).await?;
    paged(
        &ctx,
        &actor,
        "outbox",
        q.page,
        db::activities::outbox_count,
        |c, id, offset, limit| {
            Ok(db::activities::outbox_page(c, id, offset, limit)?
                .iter()
                .filter_map(|r| serde_json::from_str::<Value>(&r.payload).ok())
                .collect())
        },
    )
    .await
}

async fn followers(
    ctx: Ctx,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let actor = collection_owner(&ctx, &uri, &name, &method, &headers).await?;
    paged(
        &ctx,
        &actor,
        "followers",
        q.page,
        |c, id| db::follows::count_followers(c, id, db::follows::ACCEPTED),
        |c, id, offset, limit| {
            Ok(
                db::follows::followers(c, id, db::follows::ACCEPTED, offset, limit)?
                    .into_iter()
                    .map(|a| json!(a.ap_id))
                    .collect(),
            )
        },
    )
    .await
}

async fn following(
    ctx: Ctx,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let actor = collection_owner(&ctx, &uri, &name, &method, &headers).await?;
    Ok(ap_json(collection(
        &urls::sub(&actor.ap_id, "following"),
        0,
        q.page.map(|p| p.max(1)),
        vec![],
    )))
}

async fn moderators(
    ctx: Ctx,
    Path(name): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let group = collection_owner(&ctx, &uri, &name, &method, &headers).await?;
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

async fn post_object(
    ctx: Ctx,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let i = id.clone();
    let (post, group) = ctx
        .db
        .run(move |c| {
            let Some(p) = db::posts::by_id(c, &i)? else {
                return Ok(None);
            };
            let g = match &p.group_id {
                Some(g) => db::actors::by_id(c, g)?,
                None => None,
            };
            Ok(Some((p, g)))
        })
        .await?
        .filter(|(p, _)| p.local)
        .ok_or_else(|| AppError::NotFound("no such post".into()))?;
    let audience = group
        .as_ref()
        .map(groups::audience)
        .unwrap_or_else(Audience::public);
    signed_fetch::check(&ctx, &method, &uri, &headers, &audience, &post.ap_id).await?;
    if post.deleted_at.is_some() {
        let tombstone = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": post.ap_id,
            "type": "Tombstone",
        });
        return Ok((StatusCode::GONE, FederationJson(tombstone)).into_response());
    }
    let note = DbPost::new(post)?.into_json(&ctx).await?;
    Ok(ap_json(serde_json::to_value(note)?))
}

async fn activity_object(
    ctx: Ctx,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let i = id.clone();
    let row = ctx
        .db
        .run(move |c| db::activities::by_id(c, &i))
        .await?
        .ok_or_else(|| AppError::NotFound("no such activity".into()))?;
    let audience = Audience {
        visibility: if row.public {
            Visibility::Public
        } else {
            Visibility::Consortium
        },
        group_id: None,
    };
    signed_fetch::check(&ctx, &method, &uri, &headers, &audience, &row.ap_id).await?;
    let value: Value = serde_json::from_str(&row.payload)?;
    Ok(ap_json(value))
}

async fn cohort_context() -> Response {
    (
        [(header::CONTENT_TYPE, "application/ld+json")],
        axum::Json(jsonld::cohort_context_document()),
    )
        .into_response()
}

//! ActivityPub GET endpoints: actors (with content negotiation), posts and activities by id; the
//! collections are in `collections.rs`. Every answer passes the authorized-fetch check and the
//! audience rule (`signed_fetch::gate`), whoever asks.

use super::collections::{featured, followers, following, moderators, outbox};
use crate::{
    db::{self, actors::ActorRow},
    error::{AppError, AppResult},
    federation::{
        inbox::post_inbox,
        jsonld,
        objects::{actor::local_actor_json, post::DbPost},
        signed_fetch,
        urls::Urls,
    },
    state::Ctx,
};
use activitypub_federation::{axum::json::FederationJson, traits::Object};
use axum::{
    extract::Path,
    http::{header, HeaderMap, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use serde_json::{json, Value};

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
        .route("/users/{name}/collections/featured", get(featured))
        .route("/groups/{name}/templates", get(super::templates::serve))
        .route("/groups/{name}/decisions", get(super::decisions::decisions))
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

pub(super) fn ap_json(value: Value) -> Response {
    FederationJson(value).into_response()
}

pub(super) async fn local_actor(ctx: &Ctx, name: &str, kind: &str) -> AppResult<ActorRow> {
    let n = name.to_string();
    ctx.db
        .run(move |c| db::actors::local_by_username(c, &n))
        .await?
        .filter(|a| a.kind == kind)
        .ok_or_else(|| AppError::NotFound(format!("no {} named {name}", kind.to_lowercase())))
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
    let a = actor.clone();
    signed_fetch::gate(
        &ctx,
        &method,
        &uri,
        &headers,
        &actor.ap_id,
        move |c, sight| sight.may_see_actor(c, &a, true),
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

async fn post_object(
    ctx: Ctx,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let i = id.clone();
    let post = ctx
        .db
        .run(move |c| db::posts::by_id(c, &i))
        .await?
        .filter(|p| p.local)
        .ok_or_else(|| AppError::NotFound("no such post".into()))?;
    let p = post.clone();
    signed_fetch::gate(
        &ctx,
        &method,
        &uri,
        &headers,
        &post.ap_id,
        move |c, sight| sight.may_see_content(c, &p),
    )
    .await?;
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
    let r = row.clone();
    signed_fetch::gate(
        &ctx,
        &method,
        &uri,
        &headers,
        &row.ap_id,
        move |c, sight| sight.may_see_activity(c, &r),
    )
    .await?;
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

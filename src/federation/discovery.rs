//! Discovery: WebFinger (`acct:` names, actor URLs, and the node itself per FEP-d556), NodeInfo 2.1
//! and host-meta.

use crate::{
    db,
    error::{AppError, AppResult},
    federation::{urls::Urls, webfinger_gate},
    service::setup::ORGANIZATION_NAME,
    state::Ctx,
};
use axum::{
    extract::Query,
    http::{header, HeaderMap, Method, Uri},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use serde_json::json;

/// `?resource=`.
#[derive(Deserialize)]
pub struct WebfingerQuery {
    resource: Option<String>,
}

/// GET /.well-known/webfinger
pub async fn webfinger(
    ctx: Ctx,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<WebfingerQuery>,
) -> AppResult<Response> {
    let resource = q
        .resource
        .ok_or_else(|| AppError::BadRequest("missing resource parameter".into()))?;
    let urls = Urls::new(&ctx.config);
    let domain = ctx.config.instance.domain.to_ascii_lowercase();
    let base = urls.base().to_string();
    let name = if let Some(acct) = resource.strip_prefix("acct:") {
        let (name, host) = acct
            .rsplit_once('@')
            .ok_or_else(|| AppError::BadRequest("acct: resource needs name@host".into()))?;
        if host.to_ascii_lowercase() != domain {
            return Err(AppError::NotFound(format!("{host} is not this node")));
        }
        name.to_string()
    } else if resource.trim_end_matches('/') == base {
        ORGANIZATION_NAME.to_string()
    } else if let Some(path) = resource.strip_prefix(&base) {
        path.trim_start_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string()
    } else {
        return Err(AppError::NotFound("unknown resource".into()));
    };
    let n = name.clone();
    let unknown = || AppError::NotFound(format!("no actor named {name}"));
    let actor = ctx
        .db
        .run(move |c| db::actors::local_by_username(c, &n))
        .await?
        .ok_or_else(unknown)?;
    // A group the requester may not see is answered exactly like an unknown name.
    if !webfinger_gate::may_name(&ctx, &method, &uri, &headers, &actor).await? {
        return Err(unknown());
    }
    let subject = if resource.starts_with("acct:") || actor.kind == "Organization" {
        resource.clone()
    } else {
        format!("acct:{}@{}", actor.username, ctx.config.instance.domain)
    };
    let body = json!({
        "subject": subject,
        "aliases": [actor.ap_id],
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": actor.ap_id},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": actor.ap_id},
        ],
        "properties": {"https://www.w3.org/ns/activitystreams#type": actor.kind},
    });
    Ok(([(header::CONTENT_TYPE, "application/jrd+json")], Json(body)).into_response())
}

/// GET /.well-known/nodeinfo: NodeInfo 2.1 and, for readers that know only that one, 2.0.
pub async fn nodeinfo_links(ctx: Ctx) -> Json<serde_json::Value> {
    let urls = Urls::new(&ctx.config);
    Json(json!({
        "links": [{
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
            "href": format!("{}/nodeinfo/2.1", urls.base()),
        }, {
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
            "href": format!("{}/nodeinfo/2.0", urls.base()),
        }]
    }))
}

/// GET /nodeinfo/2.1
pub async fn nodeinfo(ctx: Ctx) -> AppResult<Response> {
    document(ctx, "2.1").await
}

/// GET /nodeinfo/2.0 (the same facts; 2.0 has no `software.repository` or `homepage`, which
/// Cohort does not send anyway).
pub async fn nodeinfo_20(ctx: Ctx) -> AppResult<Response> {
    document(ctx, "2.0").await
}

/// The NodeInfo document. The software is named as what it is (`cohort`); `metadata.upstream`
/// says that its client API is Mastodon's, which is how client libraries (megalodon's
/// `detector()`, and apps built on it) recognise a Mastodon-compatible server that is not
/// Mastodon itself (docs/clients.md).
async fn document(ctx: Ctx, version: &'static str) -> AppResult<Response> {
    let (users, groups, posts) = ctx
        .db
        .run(|c| {
            Ok((
                db::users::count(c)?,
                db::actors::count_local(c, "Group")?,
                db::posts::count_local(c)?,
            ))
        })
        .await?;
    let body = json!({
        "version": version,
        "software": {
            "name": "cohort",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": false,
        "usage": {"users": {"total": users}, "localPosts": posts},
        "metadata": {
            "nodeName": ctx.config.instance.name,
            "nodeDescription": ctx.config.instance.description,
            "federationMode": ctx.config.federation.mode,
            "groups": groups,
            "features": ["mastodon_api", "fep-1b12", "fep-521a", "fep-d556", "fep-fe34", "fep-67ff", "fep-9967"],
            "mastodonApiVersion": "4.3.0",
            "upstream": {"name": "mastodon", "version": "4.3.0"},
        },
    });
    Ok((
        [(
            header::CONTENT_TYPE,
            format!(
                "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/{version}#\""
            ),
        )],
        Json(body),
    )
        .into_response())
}

/// GET /.well-known/host-meta
pub async fn host_meta(ctx: Ctx) -> Response {
    let urls = Urls::new(&ctx.config);
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  \
         <Link rel=\"lrdd\" template=\"{}/.well-known/webfinger?resource={{uri}}\"/>\n</XRD>\n",
        urls.base()
    );
    ([(header::CONTENT_TYPE, "application/xrd+xml")], xml).into_response()
}

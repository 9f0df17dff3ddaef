//! What the federation library checked on every inbox POST, done here so that the signer's key
//! comes from the key cache: the body's Digest, the activity id against its actor and this node,
//! and the HTTP signature against the actor's key (a cached key that fails is re-read once from
//! the database, in case another process stored a rotated one).

use crate::{
    domain::names::authority_of,
    error::{AppError, AppResult},
    federation::{
        key_cache::SigningActor,
        objects::actor::{self, DbActor},
        signing::PublicKey,
    },
    state::Ctx,
};
use activitypub_federation::{
    fetch::object_id::ObjectId, protocol::verification::verify_domains_match,
};
use axum::http::{request::Parts, HeaderMap};
use base64::{engine::general_purpose::STANDARD as Base64, Engine};
use sha2::{Digest, Sha256};
use std::{collections::BTreeMap, sync::Arc, time::Duration};
use url::Url;

/// How long a signature stays valid by its own `expires` (as in the federation library).
const EXPIRES_AFTER: Duration = Duration::from_secs(3600);

/// Refuses (401) a body whose `Digest` header is missing or does not match.
pub fn check_digest(headers: &HeaderMap, body: &[u8]) -> AppResult<()> {
    let invalid = || AppError::Unauthorized("missing or invalid Digest header".into());
    let header = headers
        .get("digest")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or_else(invalid)?;
    let ours = Base64.encode(Sha256::digest(body));
    let mut parts = header.split(',').filter_map(|p| p.split_once('='));
    let first = parts.next().ok_or_else(invalid)?;
    if std::iter::once(first)
        .chain(parts)
        .all(|(_, digest)| digest == ours)
    {
        Ok(())
    } else {
        Err(invalid())
    }
}

/// The activity id must share its actor's origin, be a URL a peer may use, and not be ours.
pub fn check_ids(ctx: &Ctx, id: &Url, actor: &Url) -> AppResult<()> {
    verify_domains_match(id, actor)?;
    let rejected = |why: &str| AppError::Forbidden(format!("rejected: {why}"));
    // The origin is scheme, host and port (the host alone is not enough on shared hosts).
    if authority_of(id).is_none() || authority_of(id) != authority_of(actor) {
        return Err(rejected("activity id is not on its actor's origin"));
    }
    match id.scheme() {
        "https" => {}
        "http" if ctx.config.federation.debug => {}
        _ => return Err(rejected("activity id has a scheme peers may not use")),
    }
    if id.domain().is_none() {
        return Err(rejected("activity id must have a domain"));
    }
    if id.port().is_some() && !ctx.config.federation.debug {
        return Err(rejected("explicit port is not allowed"));
    }
    if authority_of(id).as_deref() == Some(ctx.config.instance.domain.as_str()) {
        return Err(rejected("activity was sent from local instance"));
    }
    Ok(())
}

/// The signer of an activity with its parsed key: from the cache, or looked up (stored copy, or
/// fetched) and cached. A stored copy older than the refetch interval is refreshed first.
pub async fn signing_actor(ctx: &Ctx, actor: &Url) -> AppResult<Arc<SigningActor>> {
    let cache = &ctx.key_cache;
    if let Some(hit) = cache.get(actor.as_str()).await {
        if !actor::needs_refetch(&hit.actor) {
            return Ok(hit);
        }
        cache.forget(actor.as_str()).await;
    }
    load(ctx, actor).await
}

async fn load(ctx: &Ctx, actor: &Url) -> AppResult<Arc<SigningActor>> {
    // A fetch stores the actor (which forgets it, moving the epoch): the second round reads the
    // stored copy and caches it, unless another change raced with it again.
    let mut entry = None;
    for _ in 0..2 {
        let epoch = ctx.key_cache.epoch();
        let found: DbActor = ObjectId::<DbActor>::from(actor.clone())
            .dereference(ctx)
            .await?;
        let key = PublicKey::from_pem(&found.row.public_key_pem).ok_or_else(|| {
            AppError::Unauthorized(format!("{actor} has an unreadable public key"))
        })?;
        let loaded = Arc::new(SigningActor { actor: found, key });
        if ctx.key_cache.put(epoch, loaded.clone()).await {
            return Ok(loaded);
        }
        entry = Some(loaded);
    }
    entry.ok_or_else(|| AppError::internal("no signing actor loaded"))
}

/// Verifies the request's HTTP signature with the actor's key; answers the signer.
pub async fn check_signature(
    ctx: &Ctx,
    parts: &Parts,
    actor: &Url,
) -> AppResult<Arc<SigningActor>> {
    let signer = signing_actor(ctx, actor).await?;
    if verify(ctx, parts, &signer.key)? {
        return Ok(signer);
    }
    // The key may have been rotated and stored by another process: read the stored copy again.
    ctx.key_cache.forget(actor.as_str()).await;
    let signer = load(ctx, actor).await?;
    if verify(ctx, parts, &signer.key)? {
        return Ok(signer);
    }
    Err(AppError::Unauthorized("invalid HTTP signature".into()))
}

fn verify(ctx: &Ctx, parts: &Parts, key: &PublicKey) -> AppResult<bool> {
    let mut map = BTreeMap::new();
    for (name, value) in &parts.headers {
        if let Ok(v) = value.to_str() {
            map.insert(name.to_string(), v.to_string());
        }
    }
    if !map.contains_key("host") {
        map.insert("host".into(), ctx.config.instance.domain.clone());
    }
    let path = parts.uri.path_and_query().map_or("", |p| p.as_str());
    let unverified = http_signature_normalization::Config::new()
        .set_expiration(EXPIRES_AFTER)
        .require_digest()
        .begin_verify(parts.method.as_str(), path, map)
        .map_err(|e| AppError::Unauthorized(format!("unusable HTTP signature: {e}")))?;
    Ok(unverified.verify(|signature, signing_string| {
        let Ok(sig) = Base64.decode(signature) else {
            return false;
        };
        key.verify(signing_string.as_bytes(), &sig)
    }))
}

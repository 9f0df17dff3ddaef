//! Authorized fetch for axum: verifies HTTP signatures on GET requests (the federation library
//! only ships this for actix-web) and decides, through the policy chokepoint, what may be served.

use crate::{
    db::{DbConnection, DbResult},
    domain::{names::authority_of, policy::FederationMode},
    error::{AppError, AppResult},
    federation::policy,
    service::visibility::{Sight, Viewer},
    state::Ctx,
};
use axum::http::{HeaderMap, Method, Uri};
use base64::{engine::general_purpose::STANDARD as Base64, Engine};
use std::{collections::BTreeMap, time::Duration};
use url::Url;

/// Who is asking.
#[derive(Debug, Clone)]
pub enum Fetcher {
    /// No signature.
    Anonymous,
    /// A verified actor of a peer node.
    Peer { peer: String, actor: Url },
}

/// Verifies the request's signature, if any. A present but invalid signature is an error, never
/// treated as anonymous.
pub async fn identify(
    ctx: &Ctx,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> AppResult<Fetcher> {
    let Some(signature) = headers.get("signature") else {
        return Ok(Fetcher::Anonymous);
    };
    super::transport::require_covered(signature.to_str().unwrap_or(""), false)?;
    let mut map = BTreeMap::new();
    for (name, value) in headers {
        if let Ok(v) = value.to_str() {
            map.insert(name.to_string(), v.to_string());
        }
    }
    if !map.contains_key("host") {
        map.insert("host".into(), ctx.config.instance.domain.clone());
    }
    let skew = Duration::from_secs(ctx.config.federation.max_clock_skew_secs);
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let unverified = http_signature_normalization::Config::new()
        .set_expiration(skew)
        .begin_verify(method.as_str(), path, map)
        .map_err(|e| AppError::Unauthorized(format!("unusable HTTP signature: {e}")))?;
    let mut key = Url::parse(unverified.key_id())
        .map_err(|_| AppError::Unauthorized("signature keyId is not a URL".into()))?;
    key.set_fragment(None);
    let peer = policy::check_inbound(ctx.app_data(), &key).await?;
    let signer = super::inbox_verify::signing_actor(ctx, &key)
        .await
        .map_err(|e| AppError::Unauthorized(format!("cannot fetch the signing key: {e}")))?;
    let ok = unverified.verify(|signature, signing_string| {
        Base64
            .decode(signature)
            .is_ok_and(|sig| signer.key.verify(signing_string.as_bytes(), &sig))
    });
    if !ok {
        return Err(AppError::Unauthorized("invalid HTTP signature".into()));
    }
    if authority_of(&key).as_deref() != Some(peer.as_str()) {
        return Err(AppError::Unauthorized(
            "signature key origin mismatch".into(),
        ));
    }
    Ok(Fetcher::Peer { peer, actor: key })
}

/// Who is reading, for the audience rule: an unsigned request is anonymous (refused with 401 in
/// allowlist mode, where only signed fetches from allowed peers are answered), a signed one is the
/// peer at the level this node gives it.
pub async fn viewer(
    ctx: &Ctx,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> AppResult<Viewer> {
    match identify(ctx, method, uri, headers).await? {
        Fetcher::Anonymous => {
            if ctx.config.federation.mode == FederationMode::Allowlist {
                return Err(AppError::Unauthorized(
                    "this node only answers signed fetches from allowed peers".into(),
                ));
            }
            Ok(Viewer::Anonymous)
        }
        Fetcher::Peer { peer, .. } => {
            let level = policy::peer_level(ctx.app_data(), &peer).await?;
            Ok(Viewer::Peer {
                domain: peer,
                level,
            })
        }
    }
}

/// Serves or refuses `object` once the audience rule decided (`allowed`); every answer to a peer
/// is written to the audit log.
pub async fn decide(ctx: &Ctx, viewer: &Viewer, allowed: bool, object: &str) -> AppResult<()> {
    match viewer {
        Viewer::Peer { domain, .. } => {
            let (action, detail) = if allowed {
                ("serve", "signed fetch")
            } else {
                ("refuse-serve", "not allowed for this peer")
            };
            policy::audit(ctx.app_data(), domain, action, object, detail).await;
            if allowed {
                Ok(())
            } else {
                Err(AppError::Forbidden("not available to your node".into()))
            }
        }
        _ if allowed => Ok(()),
        _ => Err(AppError::Unauthorized("signed fetch required".into())),
    }
}

/// Identifies the requester, asks `rule` (the audience rule, through a [`Sight`] for them) whether
/// they may see `object`, and refuses (logged) when not. Returns who asked.
pub async fn gate<F>(
    ctx: &Ctx,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    object: &str,
    rule: F,
) -> AppResult<Viewer>
where
    F: FnOnce(&mut DbConnection, &mut Sight) -> DbResult<bool> + Send + 'static,
{
    let viewer = viewer(ctx, method, uri, headers).await?;
    let v = viewer.clone();
    let allowed = ctx.db.run(move |c| rule(c, &mut Sight::new(v))).await?;
    decide(ctx, &viewer, allowed, object).await?;
    Ok(viewer)
}

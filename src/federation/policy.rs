//! The one policy chokepoint: every delivery, every answer to a remote fetch, every inbound
//! activity and every outbound fetch asks here whether a peer may take part. Decisions that share
//! something (or refuse to) are written to the audit log.

use crate::{
    db::{self, audit::AuditRow},
    domain::{
        ids::new_id,
        names::authority_of,
        policy::{may_share, PeerLevel, Visibility},
        time::now_ms,
    },
    error::AppError,
    state::AppState,
};
use activitypub_federation::{config::UrlVerifier, error::Error as FedError};
use async_trait::async_trait;
use url::Url;

/// The level that applies to `peer` now (explicit entry, else the federation mode's default).
pub async fn peer_level(state: &AppState, peer: &str) -> Result<PeerLevel, AppError> {
    let (st, p) = (state.clone(), peer.to_string());
    Ok(state
        .db
        .run(move |c| crate::service::visibility::peer_level(c, &st.config, &p))
        .await?)
}

/// What is being shared: its visibility, and the group it belongs to (for `members` visibility).
#[derive(Debug, Clone)]
pub struct Audience {
    pub visibility: Visibility,
    pub group_id: Option<String>,
}

impl Audience {
    /// Public content outside any group.
    pub fn public() -> Audience {
        Audience {
            visibility: Visibility::Public,
            group_id: None,
        }
    }
}

/// May `peer` receive (or be served) content with this audience?
pub async fn may_share_with(
    state: &AppState,
    peer: &str,
    audience: &Audience,
) -> Result<bool, AppError> {
    let level = peer_level(state, peer).await?;
    let has_members = match (&audience.group_id, audience.visibility) {
        (Some(group), Visibility::Members) => {
            let (g, p) = (group.clone(), peer.to_string());
            state
                .db
                .run(move |c| db::follows::has_follower_on(c, &g, &p))
                .await?
        }
        _ => false,
    };
    Ok(may_share(level, audience.visibility, has_members))
}

/// Refuses inbound traffic from a peer that is blocked (explicitly or by allowlist mode).
pub async fn check_inbound(state: &AppState, url: &Url) -> Result<String, AppError> {
    let peer = authority_of(url).ok_or_else(|| AppError::BadRequest("URL without host".into()))?;
    if peer_level(state, &peer).await? == PeerLevel::Blocked {
        audit(
            state,
            &peer,
            "refuse-inbound",
            url.as_str(),
            "peer not allowed",
        )
        .await;
        return Err(AppError::Forbidden(format!(
            "{peer} is not allowed to federate with this node"
        )));
    }
    Ok(peer)
}

/// Records a sharing decision; failures to write the log are logged, not raised.
pub async fn audit(state: &AppState, peer: &str, action: &str, object: &str, detail: &str) {
    let row = AuditRow {
        id: new_id(),
        peer: peer.to_string(),
        action: action.to_string(),
        object: object.to_string(),
        detail: detail.to_string(),
        created_at: now_ms(),
    };
    if let Err(e) = state.db.run(move |c| db::audit::insert(c, &row)).await {
        tracing::warn!(error = %e, "cannot write audit log");
    }
}

/// Stops the federation library from fetching from (or sending to) peers that are blocked.
#[derive(Clone)]
pub struct PolicyUrlVerifier {
    pub state: AppState,
}

#[async_trait]
impl UrlVerifier for PolicyUrlVerifier {
    async fn verify(&self, url: &Url) -> Result<(), FedError> {
        let Some(peer) = authority_of(url) else {
            return Err(FedError::UrlVerificationError("URL without host"));
        };
        match peer_level(&self.state, &peer).await {
            Ok(PeerLevel::Blocked) => Err(FedError::UrlVerificationError("peer is not allowed")),
            Ok(_) => Ok(()),
            Err(e) => Err(FedError::Other(e.to_string())),
        }
    }
}

//! Peer policy at the edges: inbound activities and outbound fetches from blocked peers are
//! refused here (and audited). Who may see or receive content is decided by the audience rule
//! (`domain::audience`, applied by `service::visibility` on reads and `outbound::deliver` on sends).

use crate::{
    db::{self, audit::AuditRow},
    domain::{ids::new_id, names::authority_of, policy::PeerLevel, time::now_ms},
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

/// Refuses inbound traffic from a peer that is blocked (explicitly or by allowlist mode). The
/// level is read through `service::peer_levels` (held for a second at most).
pub async fn check_inbound(state: &AppState, url: &Url) -> Result<String, AppError> {
    let peer = authority_of(url).ok_or_else(|| AppError::BadRequest("URL without host".into()))?;
    let level = crate::service::peer_levels::inbound_level(state, &peer).await?;
    if level == PeerLevel::Blocked {
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
    let row = audit_row(peer, action, object, detail);
    if let Err(e) = state.db.run(move |c| db::audit::insert(c, &row)).await {
        tracing::warn!(error = %e, "cannot write audit log");
    }
}

/// The audit row of a sharing decision, for a caller that writes it in its own transaction.
pub fn audit_row(peer: &str, action: &str, object: &str, detail: &str) -> AuditRow {
    AuditRow {
        id: new_id(),
        peer: peer.to_string(),
        action: action.to_string(),
        object: object.to_string(),
        detail: detail.to_string(),
        created_at: now_ms(),
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

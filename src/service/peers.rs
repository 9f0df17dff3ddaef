//! Peer administration: levels and what the node knows of each peer.

use crate::{
    db::{self, peers::PeerRow},
    domain::{names, policy::PeerLevel, time::now_ms},
    error::{AppError, AppResult},
    state::AppState,
};

/// Sets a peer's level (`allow` = full, `limit` = limited, `block` = blocked).
pub async fn set_level(
    state: &AppState,
    domain: &str,
    level: PeerLevel,
    note: Option<String>,
) -> AppResult<()> {
    let domain = domain.trim().to_ascii_lowercase();
    if !names::is_valid_authority(&domain) {
        return Err(AppError::Unprocessable(format!(
            "{domain:?} is not a host name with an optional :port"
        )));
    }
    if domain == state.config.instance.domain.to_ascii_lowercase() {
        return Err(AppError::Unprocessable(
            "this node cannot be its own peer".into(),
        ));
    }
    state
        .db
        .run(move |c| db::peers::set_level(c, &domain, level.as_str(), note.as_deref(), now_ms()))
        .await?;
    Ok(())
}

/// Every peer with the number of deliveries waiting for it.
pub async fn list(state: &AppState) -> AppResult<Vec<(PeerRow, i64)>> {
    Ok(state
        .db
        .run(|c| {
            let peers = db::peers::list(c)?;
            peers
                .into_iter()
                .map(|p| {
                    let pending = db::deliveries::pending_for_peer(c, &p.domain)?;
                    Ok((p, pending))
                })
                .collect()
        })
        .await?)
}

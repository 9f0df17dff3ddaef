//! Peer administration: levels and what the node knows of each peer.

use crate::{
    db::{self, deliveries::DeliveryRow, peers::PeerRow},
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
    // The inbox reads levels through a short-lived cache: it sees this one from now on.
    state.peer_levels.clear();
    Ok(())
}

/// What `admin peer list` shows of one peer: its row, its waiting deliveries, how many it
/// refused and the latest refusal or final failure.
pub struct PeerHealth {
    pub peer: PeerRow,
    pub queued: i64,
    pub refused: i64,
    pub last_problem: Option<DeliveryRow>,
}

/// Every peer with its delivery health.
pub async fn list(state: &AppState) -> AppResult<Vec<PeerHealth>> {
    Ok(state
        .db
        .run(|c| {
            let peers = db::peers::list(c)?;
            peers
                .into_iter()
                .map(|peer| {
                    let queued = db::deliveries::pending_for_peer(c, &peer.domain)?;
                    let refused = db::deliveries::count_by_status(c, Some(&peer.domain))?
                        .into_iter()
                        .find(|(status, _)| status == db::deliveries::REFUSED)
                        .map_or(0, |(_, n)| n);
                    let last_problem =
                        db::deliveries::recent_problems(c, Some(&peer.domain), 1)?.pop();
                    Ok(PeerHealth {
                        peer,
                        queued,
                        refused,
                        last_problem,
                    })
                })
                .collect()
        })
        .await?)
}

/// The latest deliveries refused or failed for good (optionally to one peer), newest first.
pub async fn recent_problems(
    state: &AppState,
    peer: Option<String>,
    limit: i64,
) -> AppResult<Vec<DeliveryRow>> {
    Ok(state
        .db
        .run(move |c| db::deliveries::recent_problems(c, peer.as_deref(), limit))
        .await?)
}

/// The peers this node federates with, for apps (`/api/v1/instance/peers`): known domains that
/// are not blocked. On an allowlist node, who its partners are is for its members only (as
/// Mastodon keeps the list to signed-in users in its limited federation mode).
pub async fn shown(state: &AppState, signed_in: bool) -> AppResult<Vec<String>> {
    use crate::domain::policy::FederationMode;
    if state.config.federation.mode == FederationMode::Allowlist && !signed_in {
        return Err(AppError::Unauthorized(
            "This method requires an authenticated user".into(),
        ));
    }
    let config = state.config.clone();
    Ok(state
        .db
        .run(move |c| {
            let mut out = Vec::new();
            for peer in db::peers::list(c)? {
                let level = super::visibility::peer_level(c, &config, &peer.domain)?;
                if level != PeerLevel::Blocked {
                    out.push(peer.domain);
                }
            }
            Ok(out)
        })
        .await?)
}

//! ActivityPub federation: wire types, objects, one file per activity verb, the inbox pipeline,
//! the persistent outbound queue and the policy chokepoint.
//!
//! May import `db`, `domain`, `service` and `state`; nothing outside this module sends HTTP to peers.

pub mod activities;
pub mod actor_origin;
pub mod backfill;
pub mod collections;
pub mod decisions;
pub mod discovery;
pub mod inbox;
pub mod inbox_gate;
pub mod inbox_verify;
pub mod jsonld;
pub mod key_cache;
pub mod objects;
pub mod outbound;
pub mod policy;
pub mod post_origin;
pub mod proofs;
pub mod protocol;
pub mod queue;
pub mod queue_record;
pub mod remote;
pub mod routes;
pub mod sender;
pub use crate::domain::sanitize;
pub mod signed_fetch;
pub mod signing;
pub mod templates;
pub mod transport;
pub mod upstream;
pub mod webfinger_gate;
pub use crate::urls;

use crate::{config::Config, state::AppState};
use activitypub_federation::config::{FederationConfig, UrlVerifier};
use std::time::Duration;

/// The HTTP client every request to peers goes through: rustls, no redirects, the request
/// timeout, and private-address checks outside debug mode.
pub fn peer_client(config: &Config) -> anyhow::Result<reqwest_middleware::ClientWithMiddleware> {
    let timeout = Duration::from_secs(config.federation.request_timeout_secs);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(format!(
            "Cohort/{} (+{})",
            env!("CARGO_PKG_VERSION"),
            config.base_url()
        ))
        .dns_resolver(std::sync::Arc::new(
            activitypub_federation::resolver::ValidatingDnsResolver::new(
                vec![],
                !config.federation.debug,
            ),
        ))
        .build()?;
    Ok(upstream::client(client))
}

/// Builds the federation library's config for a node: the node's peer client, signed fetches as
/// the node's Organization actor, the policy chokepoint as URL verifier, and signatures that
/// cover target, host, date and digest.
pub async fn build_config(
    state: AppState,
    org: &objects::actor::DbActor,
) -> anyhow::Result<FederationConfig<AppState>> {
    let config: &Config = &state.config;
    let timeout = Duration::from_secs(config.federation.request_timeout_secs);
    let verifier: Box<dyn UrlVerifier + Sync> = Box::new(policy::PolicyUrlVerifier {
        state: state.clone(),
    });
    let fed = FederationConfig::builder()
        .domain(config.instance.domain.clone())
        .app_data(state.clone())
        .client(state.peer_client.clone())
        .debug(config.federation.debug)
        .allow_http_urls(config.federation.debug)
        .request_timeout(timeout)
        .http_fetch_limit(50)
        .url_verifier(verifier)
        .signed_fetch_actor(org)
        // Sign `(request-target) host date` (+ `digest`), as inboxes here and elsewhere require.
        .http_signature_compat(true)
        .build()
        .await?;
    Ok(fed)
}

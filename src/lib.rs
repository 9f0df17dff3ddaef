//! Cohort: a federated ActivityPub server for multi-organization research consortia.
//!
//! [`Node`] builds a complete node from a [`config::Config`], so the binary and the tests (which
//! start several nodes in one process) share one code path.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod api;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod federation;
pub mod service;
pub mod state;
pub mod urls;
pub mod web;

/// Every binary built on this crate (the node, its benches and tests) allocates with jemalloc:
/// under the inbox's load glibc's allocator took about 9 % of all CPU samples (docs/benchmarks.md,
/// 2026-12-07).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use crate::{
    config::Config,
    db::Db,
    federation::objects::actor::DbActor,
    service::setup::SetupReport,
    state::{AppState, Ctx, Metrics, NodeState},
};
use activitypub_federation::config::{FederationConfig, FederationMiddleware};
use axum::{routing::get, Router};
use std::{future::Future, sync::Arc};
use tokio::{net::TcpListener, sync::watch, task::JoinHandle};
use tower::Layer;

/// One Cohort node: state, federation config and HTTP routes.
pub struct Node {
    pub state: AppState,
    pub federation: FederationConfig<AppState>,
}

impl Node {
    /// Opens the database, applies migrations, and prepares the instance (first admin, peers).
    pub async fn build(config: Config) -> anyhow::Result<(Node, SetupReport)> {
        let outbound = Arc::new(federation::outbound::Federation::new(config.clone()));
        Node::build_with(config, outbound).await
    }

    /// `build` with another outbound port (tests record intents instead of delivering them).
    pub async fn build_with(
        config: Config,
        outbound: Arc<dyn service::outbound::OutboundPort>,
    ) -> anyhow::Result<(Node, SetupReport)> {
        let backend = config.database_backend()?;
        let db = Db::open(&backend, config.database.pool_size)?;
        let d = db.clone();
        tokio::task::spawn_blocking(move || d.migrate()).await??;
        let inbox_gate = federation::inbox_gate::InboxGate::new(
            config.federation.inbox_workers,
            config.federation.inbox_queue,
        );
        let key_cache = federation::key_cache::KeyCache::new(config.federation.key_cache_entries);
        let peer_client = federation::peer_client(&config)?;
        let events: Arc<dyn service::events::EventPort> = match backend {
            db::Backend::Sqlite(_) => Arc::new(service::events::InProcess),
            db::Backend::Postgres(_) => Arc::new(service::events::Notify::start(db.clone())),
        };
        let state: AppState = Arc::new(NodeState {
            inbox_gate,
            key_cache,
            peer_levels: Default::default(),
            post_batch: Default::default(),
            like_batch: Default::default(),
            local_keys: federation::signing::LocalKeys::new(1024),
            peer_client,
            config,
            outbound,
            events,
            hub: Default::default(),
            remote: Arc::new(federation::remote::Remote),
            db,
            delivery_wake: tokio::sync::Notify::new(),
            metrics: Metrics::default(),
            rate_limiter: Default::default(),
        });
        let report = service::setup::ensure_instance(&state).await?;
        let org = DbActor::new(report.organization.clone())?;
        let federation = federation::build_config(state.clone(), &org).await?;
        Ok((Node { state, federation }, report))
    }

    /// A request-scoped context for calling services outside HTTP (CLI, tests).
    pub fn ctx(&self) -> Ctx {
        self.federation.to_request_data()
    }

    /// All HTTP routes of the node.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/", get(web::index))
            .route("/health", get(api::ops::health))
            .route("/tags/{name}", get(web::tag_page))
            .route("/governance", get(web::governance::node_governance))
            .route(
                "/groups/{name}/governance",
                get(web::governance::group_governance),
            )
            .route("/proposals/{id}", get(web::proposal::proposal_page))
            .route("/metrics", get(api::ops::metrics))
            .route(
                "/.well-known/webfinger",
                get(federation::discovery::webfinger),
            )
            .route(
                "/.well-known/nodeinfo",
                get(federation::discovery::nodeinfo_links),
            )
            .route(
                "/.well-known/host-meta",
                get(federation::discovery::host_meta),
            )
            .route("/nodeinfo/2.1", get(federation::discovery::nodeinfo))
            .route("/nodeinfo/2.0", get(federation::discovery::nodeinfo_20))
            .merge(federation::routes::router())
            .merge(api::router())
            .merge(api::streaming::router())
            .method_not_allowed_fallback(api::fallback::method_not_allowed)
            .fallback(api::fallback::not_found)
            .layer(axum::middleware::map_response(
                web::headers::security_headers,
            ))
            .layer(FederationMiddleware::new(self.federation.clone()))
            .layer(tower_http::trace::TraceLayer::new_for_http())
    }

    /// Serves HTTP on `listener` and runs the background workers (deliveries, poll results, lead
    /// terms, push messages, scheduled statuses) until `shutdown` resolves; then stops accepting requests, finishes in-flight
    /// requests and the delivery batch in flight.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        // On PostgreSQL every process hears the live events of all of them on its own connection.
        let listener_task = match self.state.config.database_backend()? {
            db::Backend::Postgres(url) => {
                let listener = tokio::task::spawn_blocking(move || service::events::listener(&url))
                    .await?
                    .map_err(|e| anyhow::anyhow!("cannot listen for live events: {e}"))?;
                let (hub, stop) = (self.state.hub.clone(), stop_rx.clone());
                Some(tokio::task::spawn_blocking(move || {
                    service::events::relay(listener, hub, stop)
                }))
            }
            db::Backend::Sqlite(_) => None,
        };
        let worker = tokio::spawn(federation::queue::run(
            self.federation.clone(),
            stop_rx.clone(),
        ));
        let polls = tokio::spawn(service::polls::run_results_worker(
            self.ctx(),
            stop_rx.clone(),
        ));
        let leads = tokio::spawn(service::groups::run_lead_expiry_worker(
            self.ctx(),
            stop_rx.clone(),
        ));
        let push = tokio::spawn(service::push::worker::run(
            self.state.clone(),
            stop_rx.clone(),
        ));
        let scheduled = tokio::spawn(service::scheduled::run_worker(self.ctx(), stop_rx.clone()));
        // Trailing slashes are trimmed before routing, so `/api/v1/apps/` reaches `/api/v1/apps`.
        let app = tower_http::normalize_path::NormalizePathLayer::trim_trailing_slash()
            .layer(self.router());
        let app = axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
            std::net::SocketAddr,
        >(app);
        // Open streams end when the node stops, or the graceful shutdown would wait for them.
        let hub = self.state.hub.clone();
        let shutdown = async move {
            shutdown.await;
            hub.close();
        };
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await?;
        let _ = stop_tx.send(true);
        worker.await?;
        polls.await?;
        leads.await?;
        push.await?;
        scheduled.await?;
        if let Some(l) = listener_task {
            l.await?;
        }
        Ok(())
    }

    /// Starts the node in the background (tests); the handle stops it.
    pub fn spawn(self, listener: TcpListener) -> RunningNode {
        let (tx, mut rx) = watch::channel(false);
        let handle = tokio::spawn(self.serve(listener, async move {
            let _ = rx.wait_for(|v| *v).await;
        }));
        RunningNode { stop: tx, handle }
    }
}

/// A node serving in the background.
pub struct RunningNode {
    stop: watch::Sender<bool>,
    handle: JoinHandle<anyhow::Result<()>>,
}

impl RunningNode {
    /// Graceful stop: waits for the HTTP server and the delivery worker to finish.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(true);
        self.handle.await?
    }
}

//! Outside debug mode a node never fetches from private or loopback addresses, plain http:// URLs or
//! explicit ports (SSRF protection), whoever asks it to.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use activitypub_federation::fetch::object_id::ObjectId;
use cohort::{config::Config, error::AppError, federation::objects::actor::DbActor, service, Node};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_mode_refuses_private_targets() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.instance.domain = "cohort.example.org".into();
    config.storage.data_dir = dir.path().to_path_buf();
    config.federation.debug = false;
    config.federation.mode = cohort::domain::policy::FederationMode::Open;
    let (node, _) = Node::build(config).await.unwrap();
    let ctx = node.ctx();

    for url in [
        "https://localhost/users/x",         // resolves to loopback
        "https://127.0.0.1/users/x",         // literal private address
        "https://10.0.0.8/users/x",          // literal private address
        "http://peer.example.org/users/x",   // plain http
        "https://peer.example.org:8443/u/x", // explicit port
    ] {
        let r = ObjectId::<DbActor>::parse(url)
            .unwrap()
            .dereference_forced(&ctx)
            .await;
        // Refused by the URL checks before any connection, not merely unreachable.
        assert!(
            matches!(r, Err(AppError::Forbidden(_))),
            "{url} must be refused: {r:?}"
        );
    }
    let r = service::members::resolve_handle(&ctx, "@x@localhost:8080").await;
    assert!(
        matches!(r, Err(AppError::Forbidden(_))),
        "webfinger to localhost:8080 must be refused: {r:?}"
    );
}

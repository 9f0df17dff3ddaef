//! One in-process node for service-level tests: real SQLite (or PostgreSQL), no HTTP server, no
//! delivery worker. With a recorder the outbound intents are only remembered; with the federation
//! port they become delivery rows, which stay queued (nothing is sent).

#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use cohort::{
    config::Config,
    db::{self, actors::ActorRow},
    domain::{actor::ActorKind, ids::new_id, policy::PeerLevel, time::now_ms},
    service::outbound::{OutboundPort, Recorder},
    Node,
};
use std::{collections::BTreeMap, sync::Arc};

pub mod explain;
pub mod http;
pub mod personal;
pub mod scene;

pub const HERE: &str = "here.example";

/// A node on `db_url` with the given peers, using `outbound` (the federation port when `None`).
pub async fn node(
    db_url: String,
    dir: &tempfile::TempDir,
    peers: &[(&str, PeerLevel)],
    outbound: Option<Arc<dyn OutboundPort>>,
) -> Node {
    let mut config = Config::default();
    config.instance.domain = HERE.into();
    config.database.url = db_url;
    config.storage.data_dir = dir.path().to_path_buf();
    config.federation.mode = cohort::domain::policy::FederationMode::Allowlist;
    config.federation.peers = peers
        .iter()
        .map(|(d, l)| (d.to_string(), *l))
        .collect::<BTreeMap<_, _>>();
    let outbound = outbound.unwrap_or_else(|| {
        Arc::new(cohort::federation::outbound::Federation::new(
            config.clone(),
        ))
    });
    Node::build_with(config, outbound).await.expect("node").0
}

/// A recorder and a node on SQLite that hands it every intent.
pub async fn recording_node(dir: &tempfile::TempDir) -> (Node, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::default());
    let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    let n = node(
        url,
        dir,
        &[("full.example", PeerLevel::Full)],
        Some(recorder.clone()),
    )
    .await;
    (n, recorder)
}

/// Stores a peer's actor `name@domain`, as a fetch would have.
pub async fn remote(n: &Node, name: &str, domain: &str, kind: ActorKind) -> ActorRow {
    let now = now_ms();
    let ap_id = format!("https://{domain}/users/{name}");
    let row = ActorRow {
        id: new_id(),
        ap_id: ap_id.clone(),
        kind,
        username: name.into(),
        domain: domain.into(),
        local: false,
        display_name: name.into(),
        summary: String::new(),
        inbox: format!("{ap_id}/inbox"),
        shared_inbox: Some(format!("https://{domain}/inbox")),
        outbox: None,
        followers_url: Some(format!("{ap_id}/followers")),
        public_key_pem: String::new(),
        private_key_pem: None,
        ed25519_public: None,
        ed25519_private: None,
        manually_approves: false,
        visibility: "public".into(),
        speaks_cohort: true,
        created_at: now,
        updated_at: now,
        last_refreshed_at: now,
        avatar_url: None,
        header_url: None,
        speaks_lemmy: false,
        discoverable: false,
    };
    n.state
        .db
        .run(move |c| db::actors::upsert_remote(c, &row))
        .await
        .expect("store remote actor")
}

/// Makes `follower` an accepted follower of `target`.
pub async fn accepted_follow(n: &Node, follower: &ActorRow, target: &ActorRow) {
    let row = db::follows::FollowRow {
        id: new_id(),
        follower_id: follower.id.clone(),
        target_id: target.id.clone(),
        activity_ap_id: format!("{}#follows/{}", follower.ap_id, new_id()),
        state: db::follows::FollowState::Accepted,
        created_at: now_ms(),
        notify: false,
    };
    n.state
        .db
        .run(move |c| db::follows::upsert(c, &row))
        .await
        .expect("follow");
}

/// A new post text (public unless `visibility` says otherwise).
pub fn post(text: &str, visibility: &str) -> cohort::service::posting::NewPost {
    cohort::service::posting::NewPost {
        text: text.into(),
        title: None,
        in_reply_to: None,
        sensitive: false,
        content_warning: None,
        visibility: Some(visibility.into()),
        language: None,
    }
}

/// A local member.
pub async fn member(n: &Node, name: &str) -> ActorRow {
    cohort::service::users::create_user(&n.state, name, false, None)
        .await
        .expect("user")
        .0
}

/// The statements prepared on a PostgreSQL connection whose text is like `pattern`.
pub fn prepared(c: &mut db::DbConnection, pattern: &str) -> Vec<String> {
    use diesel::{sql_types::Text, QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Statement {
        #[diesel(sql_type = Text)]
        statement: String,
    }
    let db::DbConnection::Postgresql(pg) = c else {
        panic!("a PostgreSQL connection");
    };
    diesel::sql_query("SELECT statement FROM pg_prepared_statements WHERE statement LIKE $1")
        .bind::<Text, _>(pattern)
        .load::<Statement>(pg)
        .expect("prepared statements")
        .into_iter()
        .map(|s| s.statement)
        .collect()
}

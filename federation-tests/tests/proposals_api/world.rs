//! One node with a public group `wg` (members alice, bob and carol, lead `lead`), a members-only
//! group `inner` (alice and the lead), an outsider and an anonymous visitor; and the assertions
//! the parts share.

use federation_tests::{api::Api, cohort_calls, database_url, free_port, Store, TestNode};
use serde_json::Value;

pub const PW: &str = "proposals-test-password-1";
pub const V1: &str = "/api/cohort/v1";

/// Asserts a 4xx answer whose `error` contains `needle`.
pub fn refused(what: &str, (status, body): (u16, Value), code: u16, needle: &str) {
    let msg = body["error"].as_str().unwrap_or_default();
    assert_eq!(status, code, "{what}: {body}");
    assert!(msg.contains(needle), "{what}: {msg:?} lacks {needle:?}");
}

pub fn ok(what: &str, (status, body): (u16, Value)) -> Value {
    assert_eq!(status, 200, "{what}: {body}");
    body
}

pub async fn state_of(api: &Api, id: &str) -> String {
    let p = ok("read back", api.get(&format!("{V1}/proposals/{id}")).await);
    p["state"].as_str().unwrap_or_default().to_string()
}

pub struct World {
    pub node: TestNode,
    pub anon: Api,
    pub lead: Api,
    pub alice: Api,
    pub bob: Api,
    pub carol: Api,
    pub outsider: Api,
}

pub async fn world(store: Store) -> Option<World> {
    let dir = tempfile::tempdir().expect("dir");
    let url = database_url(store, dir.path(), "proposals_api")?;
    let node = TestNode::start("A", free_port().await, url, dir, Default::default()).await;
    for u in ["lead", "alice", "bob", "carol", "outsider"] {
        cohort_calls::create_user(&node, u, PW).await;
    }
    let members = cohort_calls::visibility("members");
    cohort_calls::create_group(
        &node,
        "wg",
        cohort_calls::visibility("public"),
        false,
        "lead",
    )
    .await;
    cohort_calls::create_group(&node, "inner", members, false, "lead").await;
    let base = node.base();
    let login = |u: &'static str| Api::login(&base, u, PW);
    let w = World {
        anon: Api::anonymous(&base),
        lead: login("lead").await,
        alice: login("alice").await,
        bob: login("bob").await,
        carol: login("carol").await,
        outsider: login("outsider").await,
        node,
    };
    for m in [&w.alice, &w.bob, &w.carol] {
        m.follow(&format!("wg@{}", w.node.domain))
            .await
            .expect("join wg");
    }
    w.alice
        .follow(&format!("inner@{}", w.node.domain))
        .await
        .expect("join inner");
    Some(w)
}

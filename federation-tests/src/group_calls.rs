//! Calls the group-profile tests share: a change through the Cohort API and a node's stored copy
//! of an actor.

use crate::{paging::Client, TestNode};
use cohort::db::{self, actors::ActorRow};
use serde_json::Value;

/// `PATCH /api/cohort/v1/groups/{group}` with a JSON `body`: the status and the answer.
pub async fn patch_group(c: &Client, group: &str, body: Value) -> (u16, Value) {
    let r = c
        .req(
            reqwest::Method::PATCH,
            &format!("/api/cohort/v1/groups/{group}"),
        )
        .json(&body)
        .send()
        .await
        .expect("patch");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// The actor `ap_id` as node `n` stores it.
pub async fn stored_actor(n: &TestNode, ap_id: &str) -> Option<ActorRow> {
    let id = ap_id.to_string();
    n.node_state
        .db
        .run(move |c| db::actors::by_ap_id(c, &id))
        .await
        .expect("actor")
}

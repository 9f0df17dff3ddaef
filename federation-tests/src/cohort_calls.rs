//! Every call the privacy matrix makes into the `cohort` library, in one place so that it is easy
//! to adapt when internals change. Only set-up that has no HTTP endpoint (accounts, groups, peer
//! levels, approving a join request) and read-only inspection of a node's state live here; content
//! is created through the client API only.

use crate::TestNode;
use cohort::domain::policy::{PeerLevel, Visibility};

/// The group kinds the matrix uses, as the library spells them.
pub fn visibility(name: &str) -> Visibility {
    name.parse()
        .unwrap_or_else(|e| panic!("visibility {name}: {e:?}"))
}

/// Creates a local account that can log in with `password`.
pub async fn create_user(n: &TestNode, name: &str, password: &str) {
    cohort::service::users::create_user(&n.node_state, name, false, Some(password.into()))
        .await
        .unwrap_or_else(|e| panic!("create user {name} on {}: {e}", n.name));
}

/// Creates a local group moderated (and so joined) by the local member `moderator`.
pub async fn create_group(
    n: &TestNode,
    name: &str,
    visibility: Visibility,
    approval_required: bool,
    moderator: &str,
) {
    cohort::service::groups::create_group(
        &n.node_state,
        cohort::service::groups::NewGroup {
            name: name.into(),
            display_name: None,
            summary: None,
            approval_required,
            visibility,
            moderator: Some(moderator.into()),
        },
    )
    .await
    .unwrap_or_else(|e| panic!("create group {name}: {e}"));
}

/// Approves every pending join request of a group (what `cohort admin group approve` does);
/// returns how many were approved.
pub async fn approve_all(n: &TestNode, group: &str) -> usize {
    let pending = cohort::service::groups::requests(&n.node_state, group)
        .await
        .expect("join requests");
    for who in &pending {
        cohort::service::groups::decide(&n.ctx, group, &who.ap_id, true)
            .await
            .unwrap_or_else(|e| panic!("approve {} in {group}: {e}", who.ap_id));
    }
    pending.len()
}

/// Sets this node's level for a peer (what `cohort admin peer set` does).
pub async fn set_peer_level(n: &TestNode, domain: &str, level: PeerLevel) {
    cohort::service::peers::set_level(&n.node_state, domain, level, None)
        .await
        .expect("set peer level");
}

/// Deliveries of the node's queue still waiting to be sent or retried.
pub async fn pending_deliveries(n: &TestNode) -> i64 {
    n.node_state
        .db
        .run(cohort::db::deliveries::count_pending)
        .await
        .expect("queue")
}

/// The id (URL) of the `Create` activity the local member `author` sent for the post `post_ap_id`.
pub async fn create_activity_id(n: &TestNode, author: &str, post_ap_id: &str) -> Option<String> {
    let (author, post) = (author.to_string(), post_ap_id.to_string());
    n.node_state
        .db
        .run(move |c| {
            let Some(me) = cohort::db::actors::local_by_username(c, &author)? else {
                return Ok(None);
            };
            Ok(
                cohort::db::activities::outbox_candidates(c, &me.id, 10_000)?
                    .into_iter()
                    .find(|a| a.kind == "Create" && a.object_ap_id.as_deref() == Some(&post))
                    .map(|a| a.ap_id),
            )
        })
        .await
        .expect("activities")
}

/// The node's local id of the post `ap_id` (its own or a copy), if it has it.
pub async fn local_id(n: &TestNode, ap_id: &str) -> Option<String> {
    let id = ap_id.to_string();
    n.node_state
        .db
        .run(move |c| cohort::db::posts::by_ap_id(c, &id))
        .await
        .expect("post lookup")
        .map(|p| p.id)
}

/// Whether the node holds a (not deleted) copy of the post `ap_id` in its database.
pub async fn stores_post(n: &TestNode, ap_id: &str) -> bool {
    let id = ap_id.to_string();
    n.node_state
        .db
        .run(move |c| cohort::db::posts::by_ap_id(c, &id))
        .await
        .expect("post lookup")
        .is_some_and(|p| p.deleted_at.is_none())
}

/// GETs an ActivityPub document signed with `reader`'s key, the way that peer fetches; `None`
/// when it is refused (or fails).
pub async fn signed_get(reader: &TestNode, url: &str) -> Option<serde_json::Value> {
    let url: url::Url = url.parse().ok()?;
    activitypub_federation::fetch::fetch_object_http::<_, serde_json::Value>(
        &url,
        &reader.ctx.reset_request_count(),
    )
    .await
    .map_err(|e| {
        if std::env::var("MATRIX_DEBUG").is_ok() {
            eprintln!("signed GET {url} as {}: {e}", reader.name);
        }
    })
    .ok()
    .map(|r| r.object)
}

/// A peer level by name.
pub fn level(name: &str) -> PeerLevel {
    match name {
        "full" => PeerLevel::Full,
        "limited" => PeerLevel::Limited,
        _ => PeerLevel::Blocked,
    }
}

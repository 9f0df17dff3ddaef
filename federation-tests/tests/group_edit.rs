//! A group's moderators change its profile through the Cohort API (`PATCH
//! /api/cohort/v1/groups/{group}`): display name, charter, approval of joins, listing in
//! directories. Three real nodes: A holds the groups, B is a full peer, L a limited one. The
//! followers hear `Update(Group)` only where the group's profile may go; turning approval off
//! admits those waiting; bad requests change nothing. Node A on SQLite and on PostgreSQL.

use cohort::{
    db,
    domain::policy::{PeerLevel, Visibility},
    service,
};
use federation_tests::{
    cohort_calls::set_peer_level,
    database_url, drained, follow_state, free_port, group,
    group_calls::{patch_group, stored_actor},
    paging::Client,
    sqlite_node, wait_until, Store, TestNode,
};
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";

/// How many times A's audit log says `action` for `peer`.
async fn audited(a: &TestNode, peer: &str, action: &str) -> usize {
    let p = peer.to_string();
    let rows = a
        .node_state
        .db
        .run(move |c| db::audit::recent(c, Some(&p), 1000))
        .await
        .expect("audit");
    rows.iter().filter(|r| r.action == action).count()
}

/// The newest `Update` the local group `group_id` sent, as A recorded it.
async fn last_update(a: &TestNode, group_id: &str) -> Value {
    use db::schema::activities::dsl as t;
    use diesel::prelude::*;
    let id = group_id.to_string();
    let payload: String = a
        .node_state
        .db
        .run(move |c| {
            Ok(t::activities
                .filter(t::actor_id.eq(id).and(t::kind.eq("Update")))
                .order(t::created_at.desc())
                .select(t::payload)
                .first(c)?)
        })
        .await
        .expect("an Update was recorded");
    serde_json::from_str(&payload).expect("json")
}

/// Fetches `url` as node `n` does (signed by its organization actor): the document, or `None`
/// when it is refused.
async fn fetched_by(n: &TestNode, url: &str) -> Option<Value> {
    activitypub_federation::fetch::fetch_object_http::<_, Value>(&url.parse().expect("url"), &n.ctx)
        .await
        .ok()
        .map(|r| r.object)
}

async fn listed(reader: &Client, name: &str) -> bool {
    let (s, _, dir) = reader.get("/api/v1/directory?limit=80").await;
    assert_eq!(s, 200, "{dir}");
    dir.as_array()
        .expect("accounts")
        .iter()
        .any(|a| a["username"] == name)
}

/// Whether the node's front page lists a group showing `display_name`.
async fn on_front_page(base: &str, display_name: &str) -> bool {
    let page = reqwest::get(format!("{base}/"))
        .await
        .expect("front page")
        .text()
        .await
        .expect("html");
    page.contains(&format!(">{display_name}</a>"))
}

async fn edits(store: Store) {
    let (pa, pb, pl) = (free_port().await, free_port().await, free_port().await);
    let dom = |p: u16| format!("localhost:{p}");
    let dir = tempfile::tempdir().expect("dir");
    let Some(url) = database_url(store, dir.path(), "groupedit") else {
        return;
    };
    let a = TestNode::start(
        "A",
        pa,
        url,
        dir,
        [(dom(pb), PeerLevel::Full), (dom(pl), PeerLevel::Limited)].into(),
    )
    .await;
    let b = sqlite_node("B", pb, [(dom(pa), PeerLevel::Full)].into()).await;
    let l = sqlite_node("L", pl, [(dom(pa), PeerLevel::Full)].into()).await;
    for (name, admin) in [("alice", false), ("carol", false), ("dave", true)] {
        service::users::create_user(&a.node_state, name, admin, Some(PASSWORD.into()))
            .await
            .expect("user");
    }
    let wg = group(&a, "wg", Visibility::Public, true, Some("alice")).await;
    let inner = group(&a, "inner", Visibility::Consortium, false, Some("alice")).await;
    service::users::create_user(&b.node_state, "bob", false, None)
        .await
        .expect("bob");
    service::users::create_user(&l.node_state, "lee", false, None)
        .await
        .expect("lee");
    for who in [(&b, "bob", "wg"), (&l, "lee", "wg"), (&b, "bob", "inner")] {
        service::members::follow(&who.0.ctx, who.1, &a.handle(who.2))
            .await
            .expect("follow");
    }
    wait_until(20, "bob and lee wait to join wg", || async {
        service::groups::requests(&a.node_state, "wg")
            .await
            .expect("requests")
            .len()
            == 2
    })
    .await;
    wait_until(20, "bob joins inner", || async {
        follow_state(&b, "bob", &inner.ap_id).await.as_deref() == Some("accepted")
    })
    .await;

    let base = a.base();
    let anon = Client::anonymous(&base);
    let alice = Client::login(&base, "alice", PASSWORD).await;
    let carol = Client::login(&base, "carol", PASSWORD).await;
    assert!(listed(&alice, "wg").await, "a new group is listed");
    assert!(on_front_page(&base, "wg").await, "and on the front page");

    // Refused, and nothing changes: no token, not a moderator, no such group, bad values.
    let long = "x".repeat(101);
    let charter = "c".repeat(5001);
    for (who, group, body, want) in [
        (&anon, "wg", json!({"display_name": "Taken"}), 401),
        (&carol, "wg", json!({"display_name": "Taken"}), 403),
        (&alice, "nowhere", json!({"display_name": "Taken"}), 404),
        (&alice, "wg", json!({"display_name": "  "}), 422),
        (&alice, "wg", json!({"display_name": long}), 422),
        (&alice, "wg", json!({"summary": charter}), 422),
        (
            &alice,
            "wg",
            json!({"display_name": "Taken", "approval_required": "sometimes"}),
            422,
        ),
    ] {
        let (s, v) = patch_group(who, group, body.clone()).await;
        assert_eq!(s, want, "{body}: {v}");
        assert!(v["error"].is_string(), "{body}: {v}");
    }
    let row = stored_actor(&a, &wg.ap_id).await.expect("wg");
    assert_eq!(
        (
            row.display_name.as_str(),
            row.manually_approves,
            row.discoverable
        ),
        ("wg", true, true),
        "unchanged"
    );
    assert_eq!(
        service::groups::requests(&a.node_state, "wg")
            .await
            .expect("requests")
            .len(),
        2,
        "still waiting"
    );

    // The moderator changes it: the answer shows it, those waiting are admitted, the directory
    // drops it, and both peers' copies follow (a public group's profile goes to limited peers).
    let (s, v) = patch_group(
        &alice,
        "wg",
        json!({"display_name": "Cell biology", "summary": "We study <cells>.\n\nAll welcome.",
               "approval_required": false, "discoverable": "no"}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["display_name"], "Cell biology", "{v}");
    assert_eq!(v["locked"], false, "{v}");
    assert_eq!(v["discoverable"], false, "{v}");
    assert_eq!(v["group"], true, "{v}");
    assert_eq!(
        v["note"], "<p>We study &lt;cells&gt;.</p><p>All welcome.</p>",
        "the charter is text, escaped, in paragraphs: {v}"
    );
    for (n, member) in [(&b, "bob"), (&l, "lee")] {
        wait_until(20, "admitted once approval is off", || async {
            follow_state(n, member, &wg.ap_id).await.as_deref() == Some("accepted")
        })
        .await;
        wait_until(20, "the peer's copy follows", || async {
            stored_actor(n, &wg.ap_id).await.is_some_and(|g| {
                g.display_name == "Cell biology" && !g.manually_approves && !g.discoverable
            })
        })
        .await;
    }
    // A public group's update is addressed to the public and a limited peer may fetch it.
    let update = last_update(&a, &wg.id).await;
    assert_eq!(
        update["to"],
        json!(["https://www.w3.org/ns/activitystreams#Public"])
    );
    let seen = fetched_by(&l, update["id"].as_str().expect("id")).await;
    assert_eq!(seen.expect("fetched")["object"]["name"], "Cell biology");
    assert!(!listed(&alice, "wg").await, "no longer listed");
    assert!(
        !on_front_page(&base, "Cell biology").await,
        "nor on the front page"
    );

    // A consortium group's profile goes to full peers only: B hears the first change; once B is
    // limited, the next is refused for it (and logged), and B's copy keeps the first.
    let (s, v) = patch_group(&alice, "inner", json!({"display_name": "Inner circle"})).await;
    assert_eq!(s, 200, "{v}");
    wait_until(20, "B's copy of inner follows", || async {
        stored_actor(&b, &inner.ap_id)
            .await
            .is_some_and(|g| g.display_name == "Inner circle")
    })
    .await;
    // Its update is addressed to its followers only, and served to no one by its id (like every
    // activity that carries no post and is not public): neither a full peer nor a limited one.
    let update = last_update(&a, &inner.id).await;
    assert_eq!(update["to"], json!([format!("{}/followers", inner.ap_id)]));
    assert!(!update.to_string().contains("#Public"), "{update}");
    let id = update["id"].as_str().expect("id");
    assert!(fetched_by(&b, id).await.is_none(), "B may not fetch it");
    assert!(fetched_by(&l, id).await.is_none(), "L may not fetch it");
    set_peer_level(&a, &dom(pb), PeerLevel::Limited).await;
    let refused = audited(&a, &dom(pb), "refuse-deliver").await;
    let (s, v) = patch_group(&alice, "inner", json!({"display_name": "Inner circle 2"})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        audited(&a, &dom(pb), "refuse-deliver").await,
        refused + 1,
        "the limited peer's refusal is logged"
    );
    drained(&[&a]).await;
    assert_eq!(
        stored_actor(&b, &inner.ap_id)
            .await
            .expect("inner")
            .display_name,
        "Inner circle",
        "the limited peer did not hear of the change"
    );

    // A blocked peer hears nothing, even of a public group; the full peer still does. An admin
    // of the node may change any group.
    set_peer_level(&a, &dom(pb), PeerLevel::Full).await;
    set_peer_level(&a, &dom(pl), PeerLevel::Blocked).await;
    let dave = Client::login(&base, "dave", PASSWORD).await;
    let (s, v) = patch_group(
        &dave,
        "wg",
        json!({"display_name": "Cells", "discoverable": true}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        audited(&a, &dom(pl), "refuse-deliver").await,
        1,
        "the blocked peer's refusal is logged"
    );
    wait_until(20, "B's copy follows the admin's change", || async {
        stored_actor(&b, &wg.ap_id)
            .await
            .is_some_and(|g| g.display_name == "Cells" && g.discoverable)
    })
    .await;
    drained(&[&a]).await;
    assert_eq!(
        stored_actor(&l, &wg.ap_id).await.expect("wg").display_name,
        "Cell biology",
        "the blocked peer did not hear of it"
    );
    assert!(listed(&alice, "wg").await, "listed again");
    assert!(on_front_page(&base, "Cells").await, "and on the front page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn moderators_edit_a_group() {
    edits(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn moderators_edit_a_group_on_postgres() {
    edits(Store::Postgres).await;
}

//! Four real nodes on loopback, run once on SQLite and once on PostgreSQL:
//! A hosts a working group; a member on B follows it; a member on C posts into it; B receives the
//! Announce; edits and deletions propagate; D (blocked by A) can neither deliver to A nor fetch
//! from it; C goes down while A has deliveries queued for it and receives each exactly once after
//! it comes back.

use cohort::{
    db::{self, actors::ActorRow},
    domain::{ids::new_id, policy::PeerLevel},
    federation::outbound::deliver::{self, Gate},
    service::{self, groups::NewGroup, members::NewPost},
};
use federation_tests::{database_url, follow_state, free_port, wait_until, Store, TestNode};
use serde_json::json;
use std::collections::BTreeMap;

fn peers(list: &[(&str, PeerLevel)]) -> BTreeMap<String, PeerLevel> {
    list.iter().map(|(d, l)| (d.to_string(), *l)).collect()
}

async fn timeline_texts(node: &TestNode, member: &str) -> Vec<String> {
    service::members::timeline(&node.node_state, member, 100)
        .await
        .expect("timeline")
        .into_iter()
        .map(|e| e.post.content)
        .collect()
}

async fn run(store: Store) {
    let dirs: Vec<tempfile::TempDir> = (0..4)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect();
    let mut urls = Vec::new();
    for (i, d) in dirs.iter().enumerate() {
        match database_url(store, d.path(), &format!("fed{i}")) {
            Some(u) => urls.push(u),
            None => return, // PostgreSQL unavailable outside CI: skipped loudly by the harness.
        }
    }
    let ports = [
        free_port().await,
        free_port().await,
        free_port().await,
        free_port().await,
    ];
    let d = |i: usize| format!("localhost:{}", ports[i]);
    let mut dirs = dirs.into_iter();
    let mut next_dir = || dirs.next().expect("dir");
    let a = TestNode::start(
        "A",
        ports[0],
        urls[0].clone(),
        next_dir(),
        peers(&[
            (&d(1), PeerLevel::Full),
            (&d(2), PeerLevel::Full),
            (&d(3), PeerLevel::Blocked),
        ]),
    )
    .await;
    let b = TestNode::start(
        "B",
        ports[1],
        urls[1].clone(),
        next_dir(),
        peers(&[(&d(0), PeerLevel::Full), (&d(2), PeerLevel::Full)]),
    )
    .await;
    let mut c = TestNode::start(
        "C",
        ports[2],
        urls[2].clone(),
        next_dir(),
        peers(&[(&d(0), PeerLevel::Full), (&d(1), PeerLevel::Full)]),
    )
    .await;
    let dn = TestNode::start(
        "D",
        ports[3],
        urls[3].clone(),
        next_dir(),
        peers(&[(&d(0), PeerLevel::Full)]),
    )
    .await;

    // A hosts the group; members live on B, C and D.
    let group = service::groups::create_group(
        &a.node_state,
        NewGroup {
            name: "biobank".into(),
            display_name: Some("Biobank WG".into()),
            summary: None,
            approval_required: false,
            visibility: Default::default(),
            moderator: None,
        },
    )
    .await
    .expect("group");
    for (node, name) in [(&b, "bob"), (&c, "carol"), (&dn, "dave")] {
        service::users::create_user(&node.node_state, name, false, None)
            .await
            .expect("user");
    }
    let wg = a.handle("biobank");

    // B and C join the group: Follow → Accept.
    for (node, name) in [(&b, "bob"), (&c, "carol")] {
        service::members::follow(&node.ctx, name, &wg)
            .await
            .expect("follow");
        wait_until(20, &format!("{name}'s follow accepted"), || async {
            follow_state(node, name, &group.ap_id).await.as_deref() == Some("accepted")
        })
        .await;
    }

    // A member on C posts into the group; A announces it; B receives it (re-fetched from C).
    let post = service::members::post(
        &c.ctx,
        "carol",
        &wg,
        NewPost {
            text: "Cohort call on Thursday".into(),
            title: None,
            in_reply_to: None,
            sensitive: false,
            content_warning: None,
            visibility: None,
            language: None,
        },
    )
    .await
    .expect("post");
    wait_until(20, "B sees C's post", || async {
        timeline_texts(&b, "bob")
            .await
            .iter()
            .any(|t| t.contains("Cohort call on Thursday"))
    })
    .await;
    assert!(
        timeline_texts(&a, "admin").await.is_empty(),
        "non-members see nothing"
    );

    // Replies from another node join the same thread in the group.
    let reply = service::members::post(
        &b.ctx,
        "bob",
        &wg,
        NewPost {
            text: "Thursday works for the biobank team".into(),
            title: None,
            in_reply_to: Some(post.ap_id.clone()),
            sensitive: false,
            content_warning: None,
            visibility: None,
            language: None,
        },
    )
    .await
    .expect("reply");
    wait_until(20, "C sees B's reply", || async {
        let r = reply.ap_id.clone();
        c.node_state
            .db
            .run(move |c| db::posts::by_ap_id(c, &r))
            .await
            .expect("reply")
            .is_some_and(|p| {
                p.in_reply_to.as_deref() == Some(post.ap_id.as_str()) && p.group_id.is_some()
            })
    })
    .await;

    // Edits propagate.
    service::members::edit(&c.ctx, "carol", &post.ap_id, "Cohort call moved to Friday")
        .await
        .expect("edit");
    wait_until(20, "B sees the edit", || async {
        timeline_texts(&b, "bob")
            .await
            .iter()
            .any(|t| t.contains("moved to Friday"))
    })
    .await;

    // Deletions propagate (B believes the relayed Delete only after C answers 410).
    service::members::delete(&c.ctx, "carol", &post.ap_id)
        .await
        .expect("delete");
    wait_until(20, "B drops the deleted post", || async {
        !timeline_texts(&b, "bob")
            .await
            .iter()
            .any(|t| t.contains("Friday"))
    })
    .await;

    // D is blocked by A: it cannot fetch the group...
    let err = service::members::follow(&dn.ctx, "dave", &wg).await;
    assert!(err.is_err(), "D must not be able to resolve A's group");
    let http = reqwest::Client::new();
    let unsigned = http
        .get(&group.ap_id)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .expect("get");
    assert_eq!(
        unsigned.status(),
        401,
        "allowlist mode refuses unsigned fetches"
    );
    // ...nor deliver to it: a Follow queued on D by hand is refused by A and stores nothing.
    let dave = service::users::member(&dn.node_state, "dave")
        .await
        .expect("dave");
    let group_on_d = ActorRow {
        id: new_id(),
        local: false,
        private_key_pem: None,
        ed25519_private: None,
        domain: a.domain.clone(),
        speaks_cohort: true,
        ..group.clone()
    };
    let g2 = group_on_d.clone();
    dn.node_state
        .db
        .run(move |c| db::actors::upsert_remote(c, &g2))
        .await
        .expect("store");
    let urls_d = cohort::federation::urls::Urls::new(&dn.config);
    let follow = deliver::build(
        &urls_d,
        None,
        "Follow",
        &dave,
        json!(group.ap_id),
        vec![group.ap_id.clone()],
        vec![],
        Default::default(),
    );
    let fid = follow.ap_id.clone();
    let config = dn.config.clone();
    dn.node_state
        .db
        .tx(move |c| {
            deliver::publish(
                c,
                &config,
                &dave,
                &follow,
                &[group_on_d],
                Gate::Public,
                false,
            )
        })
        .await
        .expect("queue");
    let follow_rows = || {
        let (f, store) = (fid.clone(), dn.node_state.db.clone());
        async move {
            store
                .run(move |c| db::deliveries::for_activity(c, &f))
                .await
                .expect("rows")
        }
    };
    wait_until(20, "D's delivery attempt finished", || async {
        let rows = follow_rows().await;
        !rows.is_empty() && rows.iter().all(|r| r.status != db::deliveries::PENDING)
    })
    .await;
    let rows = follow_rows().await;
    assert!(
        rows.iter()
            .all(|r| r.status == db::deliveries::REFUSED && r.last_status == Some(403)),
        "D keeps A's refusal: {rows:?}"
    );
    let gid = group.id.clone();
    let followers = a
        .node_state
        .db
        .run(move |c| db::follows::followers(c, &gid, db::follows::FollowState::Accepted, 0, 100))
        .await
        .expect("followers");
    assert!(
        followers.iter().all(|f| f.domain != dn.domain),
        "D must not have joined"
    );
    let refused = a
        .node_state
        .db
        .run({
            let p = dn.domain.clone();
            move |c| db::audit::recent(c, Some(&p), 100)
        })
        .await
        .expect("audit");
    assert!(
        refused.iter().any(|r| r.action == "refuse-inbound"),
        "A logs what it refused from D"
    );

    // C goes down while A has deliveries for it; they wait in A's queue and arrive once C is back.
    c.stop().await;
    let mut sent = Vec::new();
    for i in 0..3 {
        let p = service::members::post(
            &b.ctx,
            "bob",
            &wg,
            NewPost {
                text: format!("Queued update {i}"),
                title: None,
                in_reply_to: None,
                sensitive: false,
                content_warning: None,
                visibility: None,
                language: None,
            },
        )
        .await
        .expect("post while C is down");
        sent.push(p.ap_id);
    }
    let c_peer = c.domain.clone();
    wait_until(30, "A retried deliveries to the stopped C", || async {
        let p = c_peer.clone();
        let peer = a
            .node_state
            .db
            .run(move |c| db::peers::get(c, &p))
            .await
            .expect("peer");
        peer.is_some_and(|p| p.consecutive_failures >= 3)
    })
    .await;
    c.restart().await;
    wait_until(30, "C receives every queued post", || async {
        let t = timeline_texts(&c, "carol").await;
        (0..3).all(|i| t.iter().any(|x| x.contains(&format!("Queued update {i}"))))
    })
    .await;
    // Exactly once: one stored post per queued activity, and every delivery to C is done.
    federation_tests::drained(&[&a]).await;
    for ap_id in &sent {
        let id = ap_id.clone();
        let n = c
            .node_state
            .db
            .run(move |c| Ok(db::posts::by_ap_id(c, &id)?.into_iter().count()))
            .await
            .expect("count");
        assert_eq!(n, 1, "{ap_id} stored once on C");
    }
    let c_peer = c.domain.clone();
    let statuses = a
        .node_state
        .db
        .run(move |c| db::deliveries::count_by_status(c, Some(&c_peer)))
        .await
        .expect("statuses");
    assert!(
        statuses.iter().all(|(s, _)| s == "done"),
        "all deliveries to C done: {statuses:?}"
    );
    // Leaving: Undo(Follow) removes bob from the group's members on A.
    service::members::unfollow(&b.ctx, "bob", &wg)
        .await
        .expect("unfollow");
    let gid = group.id.clone();
    wait_until(20, "A drops bob from the members", || async {
        let g = gid.clone();
        let members = a
            .node_state
            .db
            .run(move |c| db::follows::followers(c, &g, db::follows::FollowState::Accepted, 0, 100))
            .await
            .expect("members");
        !members.iter().any(|m| m.domain == b.domain)
    })
    .await;

    assert_eq!(
        c.node_state
            .metrics
            .inbox_duplicates
            .load(std::sync::atomic::Ordering::Relaxed),
        0,
        "no activity reached C twice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_nodes_on_sqlite() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_nodes_on_postgres() {
    run(Store::Postgres).await;
}

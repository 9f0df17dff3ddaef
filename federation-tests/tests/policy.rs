//! Organization control end to end: peer levels (full / limited), group visibility (public /
//! consortium), the audit log, and what anonymous readers get in allowlist and open mode.

use activitypub_federation::fetch::object_id::ObjectId;
use cohort::{
    db,
    domain::policy::{FederationMode, PeerLevel, Visibility},
    federation::objects::{actor::DbActor, post::DbPost},
    service,
};
use federation_tests::{
    database_url, follow_state, free_port, group, sees, sqlite_node, text, wait_until, Store,
    TestNode,
};
use std::collections::BTreeMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn levels_and_visibility() {
    let (pa, pf, pl) = (free_port().await, free_port().await, free_port().await);
    let dom = |p: u16| format!("localhost:{p}");
    let a = sqlite_node(
        "A",
        pa,
        [(dom(pf), PeerLevel::Full), (dom(pl), PeerLevel::Limited)].into(),
    )
    .await;
    let f = sqlite_node("F", pf, [(dom(pa), PeerLevel::Full)].into()).await;
    let l = sqlite_node("L", pl, [(dom(pa), PeerLevel::Full)].into()).await;
    service::users::create_user(&a.node_state, "alice", false, None)
        .await
        .expect("alice");
    let open = group(&a, "open", Visibility::Public, false, Some("alice")).await;
    let inner = group(&a, "inner", Visibility::Consortium, false, Some("alice")).await;
    service::users::create_user(&f.node_state, "fran", false, None)
        .await
        .expect("fran");
    service::users::create_user(&l.node_state, "lee", false, None)
        .await
        .expect("lee");

    // A limited peer may join public groups, not consortium ones.
    service::members::follow(&l.ctx, "lee", &a.handle("open"))
        .await
        .expect("follow open");
    wait_until(20, "lee joins the public group", || async {
        follow_state(&l, "lee", &open.ap_id).await.as_deref() == Some("accepted")
    })
    .await;
    // A limited peer cannot even read the consortium group's actor document, so cannot join.
    assert!(service::members::follow(&l.ctx, "lee", &a.handle("inner"))
        .await
        .is_err());
    assert!(ObjectId::<DbActor>::parse(&inner.ap_id)
        .expect("url")
        .dereference_forced(&l.ctx)
        .await
        .is_err());
    // A full peer joins both.
    for g in [&open, &inner] {
        service::members::follow(&f.ctx, "fran", &a.handle(&g.username))
            .await
            .expect("follow");
        wait_until(20, "fran joins", || async {
            follow_state(&f, "fran", &g.ap_id).await.as_deref() == Some("accepted")
        })
        .await;
    }

    // Consortium content reaches the full peer only; public content reaches both.
    let secret = service::members::post(
        &a.ctx,
        "alice",
        &a.handle("inner"),
        text("consortium-only draft"),
    )
    .await
    .expect("post");
    service::members::post(&a.ctx, "alice", &a.handle("open"), text("public note"))
        .await
        .expect("post");
    wait_until(20, "F sees both posts", || async {
        sees(&f, "fran", "consortium-only draft").await && sees(&f, "fran", "public note").await
    })
    .await;
    wait_until(20, "L sees the public post", || async {
        sees(&l, "lee", "public note").await
    })
    .await;
    assert!(!sees(&l, "lee", "consortium-only draft").await);
    // Public timelines (anonymous, as the web sees them) leave out posts of non-public groups, on
    // the group's node and on a peer that holds a copy.
    for n in [&a, &f] {
        let page = reqwest::get(format!("{}/api/v1/timelines/public", n.base()))
            .await
            .expect("public timeline")
            .text()
            .await
            .expect("body");
        assert!(page.contains("public note"), "{}: {page}", n.name);
        assert!(!page.contains("consortium-only"), "{}: {page}", n.name);
    }

    // The limited peer is refused the consortium post when it fetches it, and A logs that.
    let fetched = ObjectId::<DbPost>::parse(&secret.ap_id)
        .expect("url")
        .dereference_forced(&l.ctx)
        .await;
    assert!(
        fetched.is_err(),
        "limited peer must not read consortium posts"
    );
    let ld = dom(pl);
    let audit = a
        .node_state
        .db
        .run(move |c| db::audit::recent(c, Some(&ld), 100))
        .await
        .expect("audit");
    assert!(
        audit
            .iter()
            .any(|r| r.action == "refuse-serve" && r.object == secret.ap_id),
        "{audit:?}"
    );
    let fd = dom(pf);
    let audit = a
        .node_state
        .db
        .run(move |c| db::audit::recent(c, Some(&fd), 100))
        .await
        .expect("audit");
    assert!(
        audit.iter().any(|r| r.action == "deliver"),
        "deliveries to F are logged"
    );

    // Collections, fetched the way peers do (signed by F's Organization actor).
    let fetch = |u: String| {
        let ctx = f.ctx.clone();
        async move {
            activitypub_federation::fetch::fetch_object_http::<_, serde_json::Value>(
                &u.parse().expect("url"),
                &ctx,
            )
            .await
            .expect("signed fetch")
            .object
        }
    };
    let followers = fetch(format!("{}/followers", open.ap_id)).await;
    assert_eq!(followers["type"], "OrderedCollection");
    assert_eq!(
        followers["totalItems"], 3,
        "alice, lee and fran: {followers}"
    );
    let page = fetch(format!("{}/followers?page=1", open.ap_id)).await;
    assert_eq!(
        page["orderedItems"].as_array().map(Vec::len),
        Some(3),
        "{page}"
    );
    let outbox = fetch(format!("{}/outbox?page=1", open.ap_id)).await;
    assert!(
        outbox["orderedItems"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["type"] == "Announce")),
        "{outbox}"
    );
    let mods = fetch(format!("{}/moderators", open.ap_id)).await;
    assert_eq!(mods["orderedItems"][0], format!("{}/users/alice", a.base()));

    // Downgrading a member's node: a peer that joined while full and is now limited no longer
    // receives consortium content (the delivery is refused at the chokepoint and logged).
    service::peers::set_level(&a.node_state, &dom(pf), PeerLevel::Limited, None)
        .await
        .expect("limit");
    service::members::post(
        &a.ctx,
        "alice",
        &a.handle("inner"),
        text("after the downgrade"),
    )
    .await
    .expect("post");
    let fd = dom(pf);
    wait_until(20, "refusal logged", || async {
        let p = fd.clone();
        let audit = a
            .node_state
            .db
            .run(move |c| db::audit::recent(c, Some(&p), 100))
            .await
            .expect("audit");
        audit.iter().any(|r| r.action == "refuse-deliver")
    })
    .await;
    federation_tests::drained(&[&a, &f, &l]).await;
    assert!(!sees(&f, "fran", "after the downgrade").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn anonymous_reads_depend_on_mode_and_visibility() {
    let port = free_port().await;
    let dir = tempfile::tempdir().expect("dir");
    let url = database_url(Store::Sqlite, dir.path(), "open").expect("sqlite");
    let mut open_node = TestNode::start("O", port, url, dir, BTreeMap::new()).await;
    let public = group(&open_node, "pub", Visibility::Public, false, None).await;
    let inner = group(&open_node, "inner", Visibility::Consortium, false, None).await;
    let http = reqwest::Client::new();
    let get = |u: String| {
        let http = http.clone();
        async move {
            http.get(u)
                .header("Accept", "application/activity+json")
                .send()
                .await
                .expect("get")
                .status()
                .as_u16()
        }
    };
    // Allowlist mode (the default): nothing but the Organization actor without a signature.
    assert_eq!(get(public.ap_id.clone()).await, 401);
    assert_eq!(get(format!("{}/actor", open_node.base())).await, 200);

    // Open mode: public documents are served unsigned, consortium ones are not.
    open_node.stop().await;
    open_node.config.federation.mode = FederationMode::Open;
    open_node.restart().await;
    assert_eq!(get(public.ap_id.clone()).await, 200);
    assert_eq!(get(inner.ap_id.clone()).await, 401);
    assert_eq!(
        get(format!("{}/groups/nobody", open_node.base())).await,
        404
    );
    // Discovery: WebFinger for names and for the node itself (FEP-d556), NodeInfo, host-meta.
    let base = open_node.base();
    let wf: serde_json::Value = http
        .get(format!(
            "{base}/.well-known/webfinger?resource=acct:pub@{}",
            open_node.domain
        ))
        .send()
        .await
        .expect("wf")
        .json()
        .await
        .expect("json");
    assert_eq!(wf["links"][0]["href"], public.ap_id.as_str());
    let wf: serde_json::Value = http
        .get(format!("{base}/.well-known/webfinger?resource={base}/"))
        .send()
        .await
        .expect("wf")
        .json()
        .await
        .expect("json");
    assert_eq!(wf["links"][0]["href"], format!("{base}/actor"));
    let org: serde_json::Value = http
        .get(format!("{base}/actor"))
        .send()
        .await
        .expect("org")
        .json()
        .await
        .expect("json");
    assert_eq!(org["type"], "Organization");
    assert!(org["assertionMethod"][0]["publicKeyMultibase"]
        .as_str()
        .is_some_and(|k| k.starts_with("z6Mk")));
    let missing = http
        .get(format!(
            "{base}/.well-known/webfinger?resource=acct:nobody@{}",
            open_node.domain
        ))
        .send()
        .await
        .expect("wf");
    assert_eq!(missing.status(), 404);
    let links: serde_json::Value = http
        .get(format!("{base}/.well-known/nodeinfo"))
        .send()
        .await
        .expect("ni")
        .json()
        .await
        .expect("json");
    let href = links["links"][0]["href"]
        .as_str()
        .expect("href")
        .to_string();
    let ni: serde_json::Value = http
        .get(href)
        .send()
        .await
        .expect("ni")
        .json()
        .await
        .expect("json");
    assert_eq!(
        (ni["version"].as_str(), ni["software"]["name"].as_str()),
        (Some("2.1"), Some("cohort"))
    );
    assert_eq!(ni["metadata"]["groups"], 2);
    let hm = http
        .get(format!("{base}/.well-known/host-meta"))
        .send()
        .await
        .expect("hm")
        .text()
        .await
        .expect("text");
    assert!(hm.contains("lrdd"));

    // Browsers get a page for public groups.
    let page = http.get(&public.ap_id).send().await.expect("get");
    assert!(page.headers()["content-type"]
        .to_str()
        .expect("ct")
        .starts_with("text/html"));
}

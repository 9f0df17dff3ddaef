//! The client API as libraries such as masto.js and megalodon page it, through HTTP: `Link`
//! headers that keep every filter and the limit (followed as they are), and
//! `max_id`/`min_id`/`since_id` on every paged list. On SQLite and on PostgreSQL.

use federation_tests::{
    database_url, free_port,
    paging::{has, link, Client},
    Store, TestNode,
};
use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";

async fn node(store: Store, label: &str) -> Option<TestNode> {
    let dir = tempfile::tempdir().expect("dir");
    let url = database_url(store, dir.path(), label)?;
    let mut peers = std::collections::BTreeMap::new();
    peers.insert(
        "friends.example".to_string(),
        cohort::domain::policy::PeerLevel::Full,
    );
    peers.insert(
        "shunned.example".to_string(),
        cohort::domain::policy::PeerLevel::Blocked,
    );
    let n = TestNode::start_with(label, free_port().await, url, dir, peers, |c| {
        c.instance.extended_description = "We study <cells>.\nTogether.\n\nJoin us.".into();
        c.instance.privacy_policy = "We keep server logs for 7 days.".into();
    })
    .await;
    for name in ["alice", "bob", "carol"] {
        cohort::service::users::create_user(&n.node_state, name, false, Some(PASSWORD.into()))
            .await
            .expect("user");
    }
    Some(n)
}

/// A small PNG, uploaded as a multipart form (built by hand: the test client has no multipart).
async fn upload(c: &Client) -> String {
    let png = include_bytes!("../../assets/avatar.png");
    let boundary = "cohortboundary7MA4YWxk";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(png);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = c
        .req(reqwest::Method::POST, "/api/v2/media")
        .header(
            CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("upload");
    let status = r.status().as_u16();
    let v: Value = r.json().await.expect("json");
    assert!(status == 200 || status == 202, "upload: {status} {v}");
    v["id"].as_str().expect("media id").to_string()
}

async fn link_headers_keep_filters(store: Store) {
    let Some(n) = node(store, "links").await else {
        return;
    };
    let base = n.base();
    let (alice, bob, carol) = (
        Client::login(&base, "alice", PASSWORD).await,
        Client::login(&base, "bob", PASSWORD).await,
        Client::login(&base, "carol", PASSWORD).await,
    );
    // Alice: seven posts, two tagged, one a reply to her own, one a reply to bob, one with an
    // image.
    let mut posts = Vec::new();
    for i in 0..4 {
        let text = if i % 2 == 0 {
            format!("Lab note {i} #assays")
        } else {
            format!("Lab note {i}")
        };
        posts.push(alice.status(json!({"status": text})).await);
    }
    let own_reply = alice
        .status(json!({"status": "and a follow-up", "in_reply_to_id": posts[0]}))
        .await;
    let bobs = bob.status(json!({"status": "a question"})).await;
    let reply = alice
        .status(json!({"status": "an answer", "in_reply_to_id": bobs}))
        .await;
    let media = upload(&alice).await;
    let with_image = alice
        .status(json!({"status": "the gel", "media_ids": [media]}))
        .await;
    let (_, _, me) = alice.get("/api/v1/accounts/verify_credentials").await;
    let alice_id = me["id"].as_str().expect("id").to_string();

    // Account statuses without replies, two a page: every link keeps limit and the filter.
    let first = format!("/api/v1/accounts/{alice_id}/statuses?limit=2&exclude_replies=true");
    let (pages, links) = alice.walk(&first).await;
    let all: Vec<String> = pages.concat();
    assert_eq!(all.len(), 6, "six posts reply to nobody else: {pages:?}");
    assert!(!all.contains(&reply), "a reply to bob was listed");
    assert!(
        all.contains(&own_reply),
        "a reply to her own post (a thread) stays, as in Mastodon"
    );
    assert!(pages[..pages.len() - 1].iter().all(|p| p.len() == 2));
    assert!(!links.is_empty());
    for l in &links {
        assert!(
            has(l, "limit", "2") && has(l, "exclude_replies", "true"),
            "{l}"
        );
        assert!(l.starts_with(&base), "{l}");
    }
    // Tagged and only_media, one a page.
    let (pages, links) = alice
        .walk(&format!(
            "/api/v1/accounts/{alice_id}/statuses?tagged=assays&limit=1"
        ))
        .await;
    assert_eq!(pages.concat(), vec![posts[2].clone(), posts[0].clone()]);
    assert!(links.iter().all(|l| has(l, "tagged", "assays")));
    let (pages, _) = alice
        .walk(&format!(
            "/api/v1/accounts/{alice_id}/statuses?only_media=true"
        ))
        .await;
    assert_eq!(pages.concat(), vec![with_image.clone()]);
    // Pinned: alice pinned nothing, so the list is empty rather than every post.
    let (_, _, pinned) = alice
        .get(&format!("/api/v1/accounts/{alice_id}/statuses?pinned=true"))
        .await;
    assert_eq!(pinned, json!([]));
    // min_id: the oldest posts just above it; since_id: the newest; both newest first.
    let (_, headers, above) = alice
        .get(&format!(
            "/api/v1/accounts/{alice_id}/statuses?min_id={}&limit=2",
            posts[0]
        ))
        .await;
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("list")
            .iter()
            .map(|s| s["id"].as_str().expect("id").to_string())
            .collect()
    };
    assert_eq!(ids(&above), vec![posts[2].clone(), posts[1].clone()]);
    let prev = link(&headers, "prev").expect("prev link");
    assert!(
        has(&prev, "min_id", &posts[2]) && has(&prev, "limit", "2"),
        "{prev}"
    );
    let (_, _, newest) = alice
        .get(&format!(
            "/api/v1/accounts/{alice_id}/statuses?since_id={}&limit=2",
            posts[0]
        ))
        .await;
    assert_eq!(ids(&newest), vec![with_image.clone(), reply.clone()]);

    // Public timeline, local only, two a page, media only.
    let (pages, links) = bob
        .walk("/api/v1/timelines/public?local=true&limit=2")
        .await;
    assert_eq!(pages.concat().len(), 8, "alice's seven and bob's one");
    assert!(links
        .iter()
        .all(|l| has(l, "local", "true") && has(l, "limit", "2")));
    let (pages, links) = bob
        .walk("/api/v1/timelines/public?only_media=true&limit=1")
        .await;
    assert_eq!(pages.concat(), vec![with_image.clone()]);
    assert!(links.iter().all(|l| has(l, "only_media", "true")));
    // The hashtag timeline keeps its path and filters.
    let (pages, links) = bob
        .walk("/api/v1/timelines/tag/assays?limit=1&local=true")
        .await;
    assert_eq!(pages.concat().len(), 2);
    assert!(links
        .iter()
        .all(|l| l.contains("/api/v1/timelines/tag/assays?") && has(l, "local", "true")));

    // Favourites and boosts by two members: favourited_by and notifications page by one.
    for c in [&bob, &carol] {
        for p in &posts[..3] {
            let (s, v) = c
                .post(&format!("/api/v1/statuses/{p}/favourite"), json!({}))
                .await;
            assert_eq!(s, 200, "{v}");
        }
        let (s, v) = c
            .post(&format!("/api/v1/accounts/{alice_id}/follow"), json!({}))
            .await;
        assert_eq!(s, 200, "{v}");
        let (s, v) = c
            .post(
                &format!("/api/v1/statuses/{}/bookmark", posts[1]),
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "{v}");
    }
    let (pages, links) = alice
        .walk(&format!(
            "/api/v1/statuses/{}/favourited_by?limit=1",
            posts[0]
        ))
        .await;
    assert_eq!(pages.len(), 2, "two favouriters, one a page: {pages:?}");
    assert!(links.iter().all(|l| has(l, "limit", "1")));
    let (pages, links) = alice
        .walk(&format!("/api/v1/accounts/{alice_id}/followers?limit=1"))
        .await;
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(links.iter().all(|l| has(l, "limit", "1")));
    let (pages, links) = bob.walk("/api/v1/favourites?limit=2").await;
    assert_eq!(pages.concat().len(), 3);
    assert!(links.iter().all(|l| has(l, "limit", "2")));
    let (pages, _) = bob.walk("/api/v1/bookmarks?limit=1").await;
    assert_eq!(pages.concat().len(), 1);

    // Notifications: only favourites, two a page, all six of them.
    let (pages, links) = alice
        .walk("/api/v1/notifications?types[]=favourite&limit=2")
        .await;
    assert_eq!(pages.concat().len(), 6, "{pages:?}");
    assert!(pages.iter().all(|p| p.len() == 2));
    assert!(links
        .iter()
        .all(|l| has(l, "types[]", "favourite") && has(l, "limit", "2")));
    let (_, _, all) = alice.get("/api/v1/notifications?limit=40").await;
    assert!(all
        .as_array()
        .expect("list")
        .iter()
        .any(|n| n["type"] == "follow"));
    let (pages, links) = alice
        .walk("/api/v1/notifications?exclude_types[]=favourite&limit=1")
        .await;
    let kinds: Vec<Value> = {
        let mut out = Vec::new();
        for id in pages.concat() {
            let (_, _, one) = alice.get(&format!("/api/v1/notifications/{id}")).await;
            out.push(one["type"].clone());
        }
        out
    };
    assert_eq!(kinds, vec![json!("follow"), json!("follow")]);
    assert!(links.iter().all(|l| has(l, "exclude_types[]", "favourite")));
    // min_id on notifications: the oldest above it.
    let (_, _, oldest_first) = alice
        .get("/api/v1/notifications?types[]=favourite&limit=40")
        .await;
    let fav_ids = ids(&oldest_first);
    let (_, _, above) = alice
        .get(&format!(
            "/api/v1/notifications?types[]=favourite&limit=2&min_id={}",
            fav_ids[5]
        ))
        .await;
    assert_eq!(ids(&above), vec![fav_ids[3].clone(), fav_ids[4].clone()]);

    // Home: bob follows alice; the home timeline pages by two and keeps the limit.
    let (pages, links) = bob.walk("/api/v1/timelines/home?limit=2").await;
    assert_eq!(pages.concat().len(), 8, "alice's seven and bob's own");
    assert!(links.iter().all(|l| has(l, "limit", "2")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_headers_keep_every_filter_and_the_limit() {
    link_headers_keep_filters(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_headers_keep_every_filter_and_the_limit_on_postgres() {
    link_headers_keep_filters(Store::Postgres).await;
}

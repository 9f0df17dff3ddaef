//! Grouped notifications (API v2) and unread counts on both backends: favourites of one post
//! and follows of one day form groups, `grouped_types[]` ungroups, pages keep their filters in
//! `Link`, a group can be read, listed by account and dismissed; counts follow the marker.
//! Anonymous callers are refused and one member never reaches another's groups.

use federation_tests::{
    api::Api, cohort_calls::create_user, database_url, free_port, Store, TestNode,
};
use serde_json::{json, Value};

const PW: &str = "correct horse battery";

async fn link_of(api: &Api, path: &str) -> (Value, String) {
    let r = api
        .http
        .get(format!("{}{path}", api.base))
        .bearer_auth(api.token.clone().expect("token"))
        .send()
        .await
        .expect("get");
    let link = r
        .headers()
        .get("link")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (r.json().await.expect("json"), link)
}

fn next_of(link: &str) -> Option<String> {
    link.split(", ")
        .find(|l| l.ends_with("rel=\"next\""))
        .and_then(|l| l.split_once('<'))
        .and_then(|(_, r)| r.split_once('>'))
        .map(|(u, _)| u.to_string())
}

async fn count(api: &Api, path: &str) -> i64 {
    let (s, v) = api.get(path).await;
    assert_eq!(s, 200, "{path}: {v}");
    v["count"].as_i64().unwrap_or(-1)
}

async fn grouped_flow(store: Store) {
    let dir = tempfile::tempdir().expect("dir");
    // PostgreSQL unavailable outside CI: skipped loudly by the harness.
    let Some(url) = database_url(store, dir.path(), "grouped") else {
        return;
    };
    let mut node = TestNode::start("G", free_port().await, url, dir, Default::default()).await;
    let names = ["alice", "bob", "carol", "dave"];
    for u in names {
        create_user(&node, u, PW).await;
    }
    let base = node.base();
    let mut api = Vec::new();
    for u in names {
        api.push(Api::login(&base, u, PW).await);
    }
    let (alice, others) = (&api[0], &api[1..]);
    let (_, me) = alice.get("/api/v1/accounts/verify_credentials").await;
    let alice_id = me["id"].as_str().expect("id").to_string();
    let post = alice
        .status("Draft charter for review", "public", None)
        .await
        .expect("post");
    let post_id = post["id"].as_str().expect("id").to_string();
    for o in others {
        assert_eq!(
            o.post(&format!("/api/v1/statuses/{post_id}/favourite"), json!({}))
                .await
                .0,
            200
        );
        assert_eq!(
            o.post(&format!("/api/v1/accounts/{alice_id}/follow"), json!({}))
                .await
                .0,
            200
        );
    }
    api[1]
        .status(
            &format!("@alice@{} see the comments", node.domain),
            "public",
            None,
        )
        .await
        .expect("mention");

    // Three groups: the mention, three follows of today, three favourites of the post.
    let (s, v) = alice.get("/api/v2/notifications").await;
    assert_eq!(s, 200, "{v}");
    let groups = v["notification_groups"].as_array().expect("groups");
    let kinds: Vec<&str> = groups
        .iter()
        .map(|g| g["type"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(kinds, vec!["mention", "follow", "favourite"], "{v}");
    let fav = &groups[2];
    assert_eq!(fav["notifications_count"], 3);
    assert_eq!(fav["sample_account_ids"].as_array().map(Vec::len), Some(3));
    assert_eq!(fav["status_id"], post_id.as_str());
    assert!(fav["page_min_id"].is_string() && fav["page_max_id"].is_string());
    assert_eq!(groups[1]["notifications_count"], 3);
    assert!(groups[0]["group_key"]
        .as_str()
        .is_some_and(|k| k.starts_with("ungrouped-")));
    assert_eq!(v["accounts"].as_array().map(Vec::len), Some(3));
    let statuses: Vec<&str> = v["statuses"]
        .as_array()
        .expect("statuses")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert!(statuses.contains(&post_id.as_str()), "{v}");
    // v1 notifications carry the same keys.
    let (_, v1) = alice.get("/api/v1/notifications?types[]=favourite").await;
    assert!(v1
        .as_array()
        .expect("list")
        .iter()
        .all(|n| n["group_key"] == fav["group_key"]));

    // Only follows grouped: seven groups of one.
    let (_, v) = alice
        .get("/api/v2/notifications?grouped_types[]=follow")
        .await;
    assert_eq!(
        v["notification_groups"].as_array().map(Vec::len),
        Some(5),
        "{v}"
    );
    // Partial accounts.
    let (_, v) = alice
        .get("/api/v2/notifications?expand_accounts=partial_avatars")
        .await;
    assert!(v["partial_accounts"].is_array(), "{v}");

    // Paging one group at a time keeps the filters and the limit.
    let (v, link) = link_of(
        alice,
        "/api/v2/notifications?limit=1&exclude_types[]=mention",
    )
    .await;
    assert_eq!(v["notification_groups"][0]["type"], "follow");
    let next = next_of(&link).expect("next link");
    assert!(
        next.contains("limit=1") && next.contains("exclude_types%5B%5D=mention"),
        "{link}"
    );
    let path = next.trim_start_matches(&base).to_string();
    let (v, _) = link_of(alice, &path).await;
    assert_eq!(v["notification_groups"][0]["type"], "favourite", "{v}");
    assert_eq!(v["notification_groups"].as_array().map(Vec::len), Some(1));

    // One group, its accounts; not someone else's; anonymous refused.
    let key = fav["group_key"].as_str().expect("key").to_string();
    let (s, g) = alice.get(&format!("/api/v2/notifications/{key}")).await;
    assert_eq!(s, 200, "{g}");
    assert_eq!(g["notification_groups"][0]["notifications_count"], 3);
    let (_, accounts) = alice
        .get(&format!("/api/v2/notifications/{key}/accounts"))
        .await;
    assert_eq!(accounts.as_array().map(Vec::len), Some(3));
    assert_eq!(
        api[1].get(&format!("/api/v2/notifications/{key}")).await.0,
        404
    );
    assert_eq!(
        api[1]
            .post(&format!("/api/v2/notifications/{key}/dismiss"), json!({}))
            .await
            .0,
        404
    );
    let anon = Api::anonymous(&base);
    assert_eq!(anon.get("/api/v2/notifications").await.0, 401);
    assert_eq!(anon.get("/api/v1/notifications/unread_count").await.0, 401);

    // Unread counts: everything until the marker moves.
    assert_eq!(count(alice, "/api/v1/notifications/unread_count").await, 7);
    assert_eq!(
        count(alice, "/api/v1/notifications/unread_count?limit=2").await,
        2
    );
    assert_eq!(
        count(
            alice,
            "/api/v1/notifications/unread_count?types[]=favourite"
        )
        .await,
        3
    );
    assert_eq!(count(alice, "/api/v2/notifications/unread_count").await, 3);
    assert_eq!(
        count(
            alice,
            "/api/v2/notifications/unread_count?grouped_types[]=follow"
        )
        .await,
        5
    );
    let (_, newest) = alice.get("/api/v1/notifications?limit=1").await;
    let (s, _) = alice
        .post(
            "/api/v1/markers",
            json!({"notifications": {"last_read_id": newest[0]["id"]}}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(count(alice, "/api/v1/notifications/unread_count").await, 0);
    assert_eq!(count(alice, "/api/v2/notifications/unread_count").await, 0);

    // Dismissing a group removes all of it; the owner of another key gets 404.
    assert_eq!(
        alice
            .post(&format!("/api/v2/notifications/{key}/dismiss"), json!({}))
            .await,
        (200, json!({}))
    );
    assert_eq!(
        alice.get(&format!("/api/v2/notifications/{key}")).await.0,
        404
    );
    assert_eq!(
        alice
            .post(&format!("/api/v2/notifications/{key}/dismiss"), json!({}))
            .await
            .0,
        404
    );
    let (_, v) = alice.get("/api/v2/notifications").await;
    assert_eq!(v["notification_groups"].as_array().map(Vec::len), Some(2));

    // Alice blocks dave and mutes carol with their notifications: their follows leave the group,
    // its count, its sample and its accounts, as they leave v1's list.
    let mut ids = Vec::new();
    for name in ["bob", "carol", "dave"] {
        let (_, a) = alice
            .get(&format!("/api/v1/accounts/lookup?acct={name}"))
            .await;
        ids.push(a["id"].as_str().expect("id").to_string());
    }
    let (bob_id, carol_id, dave_id) = (&ids[0], &ids[1], &ids[2]);
    let path = format!("/api/v1/accounts/{dave_id}/block");
    assert_eq!(alice.post(&path, json!({})).await.0, 200);
    let path = format!("/api/v1/accounts/{carol_id}/mute");
    assert_eq!(
        alice.post(&path, json!({"notifications": true})).await.0,
        200
    );
    let (_, v) = alice.get("/api/v2/notifications").await;
    let follows = v["notification_groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["type"] == "follow")
        .expect("the follows' group")
        .clone();
    assert_eq!(follows["notifications_count"], 1, "{v}");
    assert_eq!(follows["sample_account_ids"], json!([bob_id]), "{v}");
    let key = follows["group_key"].as_str().expect("key");
    let (_, one) = alice.get(&format!("/api/v2/notifications/{key}")).await;
    assert_eq!(
        one["notification_groups"][0]["notifications_count"], 1,
        "{one}"
    );
    let (_, accounts) = alice
        .get(&format!("/api/v2/notifications/{key}/accounts"))
        .await;
    let listed: Vec<&str> = accounts
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a["id"].as_str())
        .collect();
    assert_eq!(listed, vec![bob_id.as_str()], "{accounts}");
    let (_, v1) = alice.get("/api/v1/notifications?types[]=follow").await;
    assert_eq!(v1.as_array().map(Vec::len), Some(1), "{v1}");
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn grouped_notifications_and_unread_counts() {
    grouped_flow(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn grouped_notifications_and_unread_counts_on_postgres() {
    grouped_flow(Store::Postgres).await;
}

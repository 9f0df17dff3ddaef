//! Boolean parameters of the client API, through HTTP on both backends: the spellings clients send
//! (`true`, `1`, `yes`, `on`, `f`, … in any case) are read as Mastodon reads them, and a value that
//! is no boolean is refused with 422 naming it, and changes nothing. Before, a typo in a form
//! (`discoverable=ture`) silently turned a setting off.

use federation_tests::{database_url, free_port, paging::Client, Store, TestNode};
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";

/// PATCHes `update_credentials` with a form body: status and JSON answer.
async fn patch_form(c: &Client, fields: &[(&str, &str)]) -> (u16, Value) {
    let r = c
        .req(
            reqwest::Method::PATCH,
            "/api/v1/accounts/update_credentials",
        )
        .form(fields)
        .send()
        .await
        .expect("patch");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn post_form(c: &Client, path: &str, fields: &[(&str, &str)]) -> (u16, Value) {
    let r = c
        .req(reqwest::Method::POST, path)
        .form(fields)
        .send()
        .await
        .expect("post");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// The refusal names the value, so the member sees what was wrong.
fn refused(status: u16, body: &Value, what: &str) {
    assert_eq!(status, 422, "{what}: {body}");
    let e = body["error"].as_str().unwrap_or_default();
    assert!(e.contains("is not true or false"), "{what}: {e}");
}

async fn flags(c: &Client) -> (bool, bool) {
    let (s, _, me) = c.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(s, 200, "{me}");
    (
        me["discoverable"].as_bool().expect("discoverable"),
        me["locked"].as_bool().expect("locked"),
    )
}

async fn booleans(store: Store) {
    let dir = tempfile::tempdir().expect("dir");
    let Some(url) = database_url(store, dir.path(), "booleans") else {
        return;
    };
    let n = TestNode::start("A", free_port().await, url, dir, Default::default()).await;
    cohort::service::users::create_user(&n.node_state, "alice", false, Some(PASSWORD.into()))
        .await
        .expect("alice");
    let base = n.base();
    let alice = Client::login(&base, "alice", PASSWORD).await;
    assert_eq!(
        flags(&alice).await,
        (true, false),
        "a new member's defaults"
    );

    // Spellings apps send are read as Mastodon reads them.
    for (fields, want) in [
        (
            vec![("discoverable", "no"), ("locked", "YES")],
            (false, true),
        ),
        (
            vec![("discoverable", "t"), ("locked", "off")],
            (true, false),
        ),
        (vec![("discoverable", "0"), ("locked", "1")], (false, true)),
        (
            vec![("discoverable", "True"), ("locked", "f")],
            (true, false),
        ),
    ] {
        let (s, body) = patch_form(&alice, &fields).await;
        assert_eq!(s, 200, "{fields:?}: {body}");
        assert_eq!(flags(&alice).await, want, "{fields:?}");
    }

    // A typo is refused and changes nothing, not even the fields spelled right beside it.
    let (s, body) = patch_form(
        &alice,
        &[("discoverable", "ture"), ("locked", "true"), ("note", "n")],
    )
    .await;
    refused(s, &body, "discoverable=ture");
    assert_eq!(flags(&alice).await, (true, false), "unchanged");
    let (_, _, me) = alice.get("/api/v1/accounts/verify_credentials").await;
    assert_ne!(me["note"], "<p>n</p>", "the note is unchanged too: {me}");
    let r = alice
        .req(
            reqwest::Method::PATCH,
            "/api/v1/accounts/update_credentials",
        )
        .json(&json!({"discoverable": 2}))
        .send()
        .await
        .expect("patch");
    let s = r.status().as_u16();
    refused(s, &r.json().await.expect("json"), "discoverable: 2");
    assert_eq!(flags(&alice).await, (true, false), "unchanged");

    // A status with a bad `sensitive` or poll `multiple` is not posted.
    let (s, body) = post_form(
        &alice,
        "/api/v1/statuses",
        &[("status", "hello"), ("sensitive", "maybe")],
    )
    .await;
    refused(s, &body, "sensitive=maybe");
    let (s, body) = post_form(
        &alice,
        "/api/v1/statuses",
        &[
            ("status", "which?"),
            ("poll[options][]", "a"),
            ("poll[options][]", "b"),
            ("poll[expires_in]", "600"),
            ("poll[multiple]", "several"),
        ],
    )
    .await;
    refused(s, &body, "poll[multiple]=several");
    let (s, _, me) = alice.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(s, 200);
    assert_eq!(me["statuses_count"], 0, "nothing was posted: {me}");
    let (s, body) = post_form(
        &alice,
        "/api/v1/statuses",
        &[("status", "hello"), ("sensitive", "yes")],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["sensitive"], true, "{body}");

    // A filter keyword with a bad `whole_word` makes no filter.
    let (s, body) = post_form(
        &alice,
        "/api/v2/filters",
        &[
            ("title", "noise"),
            ("context[]", "home"),
            ("keywords_attributes[][keyword]", "spam"),
            ("keywords_attributes[][whole_word]", "sometimes"),
        ],
    )
    .await;
    refused(s, &body, "whole_word=sometimes");
    let (s, _, filters) = alice.get("/api/v2/filters").await;
    assert_eq!(s, 200);
    assert_eq!(filters, json!([]), "no filter was made");

    // Query parameters: read the same way, refused the same way, naming the parameter.
    let statuses = format!(
        "/api/v1/accounts/{}/statuses?only_media=x",
        me["id"].as_str().expect("id")
    );
    for (path, name) in [
        ("/api/v1/timelines/public?local=maybe", "local"),
        ("/api/v1/directory?local=perhaps", "local"),
        ("/api/v2/search?q=alice&resolve=sure", "resolve"),
        (statuses.as_str(), "only_media"),
    ] {
        let (s, _, body) = alice.get(path).await;
        refused(s, &body, path);
        assert!(
            body["error"].as_str().unwrap_or_default().contains(name),
            "{path}: {body}"
        );
    }
    let (s, _, page) = alice.get("/api/v1/timelines/public?local=YES").await;
    assert_eq!(s, 200, "{page}");
    assert_eq!(page.as_array().map(Vec::len), Some(1), "{page}");
    let (s, _, page) = alice.get("/api/v1/timelines/public?remote=on").await;
    assert_eq!(s, 200, "{page}");
    assert_eq!(page, json!([]), "no remote statuses here");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boolean_parameters() {
    booleans(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boolean_parameters_on_postgres() {
    booleans(Store::Postgres).await;
}

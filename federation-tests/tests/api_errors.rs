//! Errors and documents apps read first, through HTTP: JSON 404/405 for unknown routes and
//! methods, the two OpenAPI conformance fixes (apps, markers) and NodeInfo as megalodon's
//! `detector()` reads it. On SQLite and on PostgreSQL.

use federation_tests::{database_url, free_port, paging::Client, Store, TestNode};
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

async fn errors_apps_markers_nodeinfo(store: Store) {
    let Some(n) = node(store, "errors").await else {
        return;
    };
    let base = n.base();
    let anon = Client::anonymous(&base);
    let http = reqwest::Client::new();

    // Unknown routes under the API and OAuth: JSON 404; a wrong method: JSON 405.
    for path in [
        "/api/v1/no_such_thing",
        "/api/v2/x/y",
        "/oauth/nowhere",
        "/api",
    ] {
        let r = http.get(format!("{base}{path}")).send().await.expect("get");
        assert_eq!(r.status(), 404, "{path}");
        let ctype = r.headers()[CONTENT_TYPE]
            .to_str()
            .expect("ctype")
            .to_string();
        assert!(ctype.starts_with("application/json"), "{path}: {ctype}");
        let body: Value = r.json().await.expect("json");
        assert_eq!(body, json!({"error": "Record not found"}), "{path}");
    }
    for (method, path) in [
        (reqwest::Method::DELETE, "/api/v1/instance"),
        (reqwest::Method::PUT, "/api/v1/timelines/home"),
        (reqwest::Method::GET, "/oauth/token"),
    ] {
        let r = http
            .request(method.clone(), format!("{base}{path}"))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 405, "{method} {path}");
        assert!(r.headers()[CONTENT_TYPE]
            .to_str()
            .expect("ctype")
            .starts_with("application/json"));
        let body: Value = r.json().await.expect("json");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{body}"
        );
    }
    // A page nobody serves, outside the API: an HTML 404, not an empty body.
    let r = http
        .get(format!("{base}/no/such/page"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 404);
    assert!(r.headers()[CONTENT_TYPE]
        .to_str()
        .expect("ctype")
        .starts_with("text/html"));
    assert!(r.text().await.expect("text").contains("Not found"));

    // Apps: a website that is no URI is refused; blank scopes get the default scope.
    for website in ["not a uri", "javascript:alert(1)", "ftp://files.example/"] {
        let (s, v) = anon
            .post(
                "/api/v1/apps",
                json!({"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                       "website": website}),
            )
            .await;
        assert_eq!(s, 422, "{website}: {v}");
        assert!(
            v["error"].as_str().is_some_and(|e| e.contains("Website")),
            "{v}"
        );
    }
    let (s, v) = anon
        .post(
            "/api/v1/apps",
            json!({"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                   "website": "https://app.example/", "scopes": "+"}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["scopes"], json!(["read"]));
    assert_eq!(v["website"], "https://app.example/");
    let r = http
        .post(format!("{base}/api/v1/apps"))
        .form(&[
            ("client_name", "y"),
            ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
            ("scopes", "+"),
            ("website", ""),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["scopes"], json!(["read"]));
    assert_eq!(v["website"], Value::Null);

    // Markers: an empty request sets nothing and answers {}; a set marker is answered alone.
    let alice = Client::login(&base, "alice", PASSWORD).await;
    let (s, v) = alice.post("/api/v1/markers", json!({})).await;
    assert_eq!((s, v), (200, json!({})));
    let (_, _, markers) = alice.get("/api/v1/markers?timeline[]=home").await;
    assert_eq!(markers, json!({}), "nothing was set");
    let post = alice.status(json!({"status": "hello"})).await;
    let (s, v) = alice
        .post("/api/v1/markers", json!({"home": {"last_read_id": post}}))
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["home"]["last_read_id"], json!(post));
    assert!(v.get("notifications").is_none(), "{v}");

    // NodeInfo read as megalodon's detector() does: the first 2.0 or 2.1 link, then the
    // software name, or metadata.upstream.name when the software is not one it knows.
    let (_, _, links) = anon.get("/.well-known/nodeinfo").await;
    let rels: Vec<&str> = links["links"]
        .as_array()
        .expect("links")
        .iter()
        .map(|l| l["rel"].as_str().expect("rel"))
        .collect();
    assert_eq!(
        rels,
        vec![
            "http://nodeinfo.diaspora.software/ns/schema/2.1",
            "http://nodeinfo.diaspora.software/ns/schema/2.0"
        ]
    );
    for l in links["links"].as_array().expect("links") {
        let href = l["href"].as_str().expect("href");
        let (s, headers, doc) = anon.get(href).await;
        assert_eq!(s, 200);
        let version = href.rsplit('/').next().expect("version");
        assert_eq!(doc["version"], version);
        assert!(headers[CONTENT_TYPE]
            .to_str()
            .expect("ctype")
            .contains(&format!("schema/{version}#")));
        let name = doc["software"]["name"].as_str().expect("name");
        let detected = match name {
            "mastodon" | "pleroma" | "misskey" | "friendica" => name,
            _ => doc["metadata"]["upstream"]["name"]
                .as_str()
                .unwrap_or("unknown"),
        };
        assert_eq!(detected, "mastodon", "{doc}");
        assert_eq!(name, "cohort");
        assert_eq!(doc["usage"]["users"]["total"], 4, "admin and three members");
        assert_eq!(doc["protocols"], json!(["activitypub"]));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_routes_apps_markers_and_nodeinfo() {
    errors_apps_markers_nodeinfo(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_routes_apps_markers_and_nodeinfo_on_postgres() {
    errors_apps_markers_nodeinfo(Store::Postgres).await;
}

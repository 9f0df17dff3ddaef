//! The client API as libraries such as masto.js and megalodon use it, through HTTP: `Link` headers
//! that keep every filter and the limit (followed as they are), `max_id`/`min_id`/`since_id` on
//! every paged list, JSON errors for unknown routes and methods, the two OpenAPI conformance
//! fixes (apps, markers) and NodeInfo as megalodon's `detector()` reads it. On SQLite and on
//! PostgreSQL.

use federation_tests::{database_url, free_port, Store, TestNode};
use reqwest::header::{HeaderMap, CONTENT_TYPE, LINK};
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";

struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Client {
    async fn login(base: &str, user: &str) -> Client {
        let api = federation_tests::api::Api::login(base, user, PASSWORD).await;
        Client {
            http: reqwest::Client::new(),
            base: base.into(),
            token: api.token,
        }
    }

    fn anonymous(base: &str) -> Client {
        Client {
            http: reqwest::Client::new(),
            base: base.into(),
            token: None,
        }
    }

    fn req(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        let url = if url.starts_with("http") {
            url.to_string()
        } else {
            format!("{}{url}", self.base)
        };
        let rb = self.http.request(method, url);
        match &self.token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    }

    /// GET a path or a full URL: status, headers, JSON body (`Null` when not JSON).
    async fn get(&self, url: &str) -> (u16, HeaderMap, Value) {
        let r = self
            .req(reqwest::Method::GET, url)
            .send()
            .await
            .expect("get");
        let (status, headers) = (r.status().as_u16(), r.headers().clone());
        (status, headers, r.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .req(reqwest::Method::POST, path)
            .json(&body)
            .send()
            .await
            .expect("post");
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    async fn status(&self, body: Value) -> String {
        let (s, v) = self.post("/api/v1/statuses", body).await;
        assert_eq!(s, 200, "post status: {v}");
        v["id"].as_str().expect("id").to_string()
    }

    /// Follows `Link: rel="next"` from `first` to the end: every page's ids, and the links taken.
    async fn walk(&self, first: &str) -> (Vec<Vec<String>>, Vec<String>) {
        let (mut pages, mut links) = (Vec::new(), Vec::new());
        let mut url = first.to_string();
        for _ in 0..30 {
            let (status, headers, body) = self.get(&url).await;
            assert_eq!(status, 200, "GET {url}: {body}");
            let ids: Vec<String> = body
                .as_array()
                .expect("list")
                .iter()
                .map(|i| i["id"].as_str().expect("id").to_string())
                .collect();
            if ids.is_empty() {
                break;
            }
            pages.push(ids);
            match link(&headers, "next") {
                Some(next) => {
                    links.push(next.clone());
                    url = next;
                }
                None => break,
            }
        }
        (pages, links)
    }
}

/// The URL of a `Link` relation.
fn link(headers: &HeaderMap, rel: &str) -> Option<String> {
    let value = headers.get(LINK)?.to_str().ok()?;
    value.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params.contains(&format!("rel=\"{rel}\"")).then(|| {
            url.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        })
    })
}

/// The decoded query parameters of a URL.
fn params(url: &str) -> Vec<(String, String)> {
    url::Url::parse(url)
        .expect("url")
        .query_pairs()
        .into_owned()
        .collect()
}

fn has(url: &str, key: &str, value: &str) -> bool {
    params(url).iter().any(|(k, v)| k == key && v == value)
}

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
        Client::login(&base, "alice").await,
        Client::login(&base, "bob").await,
        Client::login(&base, "carol").await,
    );
    // Alice: six posts, two tagged, one a reply to her own, one with an image.
    let mut posts = Vec::new();
    for i in 0..4 {
        let text = if i % 2 == 0 {
            format!("Lab note {i} #assays")
        } else {
            format!("Lab note {i}")
        };
        posts.push(alice.status(json!({"status": text})).await);
    }
    let reply = alice
        .status(json!({"status": "and a follow-up", "in_reply_to_id": posts[0]}))
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
    assert_eq!(all.len(), 5, "five posts are no replies: {pages:?}");
    assert!(!all.contains(&reply), "a reply was listed");
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
    // Pinned: Cohort has no pins, so the list is empty rather than every post.
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
    assert_eq!(pages.concat().len(), 6);
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
    assert_eq!(pages.concat().len(), 6);
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
    let alice = Client::login(&base, "alice").await;
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

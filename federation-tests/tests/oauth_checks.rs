//! OAuth checks a client would notice: the code exchange must repeat the authorization request's
//! `redirect_uri`, a code gives one token even when exchanged several times at once, and apps
//! cannot register redirect URIs with browser-dangerous schemes.

use cohort::{
    db::actors::ActorRow,
    domain::scopes::Scopes,
    service::{self, oauth::NewApp},
};
use federation_tests::{database_url, free_port, sqlite_node, Store, TestNode};
use serde_json::{json, Value};

/// The redirect URI the test app registers.
const CB: &str = "https://app.example/callback";

/// An app registered with [`CB`], the member alice, and the scope `read`.
async fn app_and_member(a: &TestNode) -> (NewApp, ActorRow, Scopes) {
    let app = service::oauth::register_app(&a.node_state, "t", vec![CB.into()], "read", None)
        .await
        .expect("app");
    let (alice, _) = service::users::create_user(&a.node_state, "alice", false, None)
        .await
        .expect("alice");
    (app, alice, Scopes::parse("read").expect("scopes"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_exchange_requires_the_same_redirect_uri() {
    let a = sqlite_node("A", free_port().await, Default::default()).await;
    let (app, alice, scopes) = app_and_member(&a).await;
    let http = reqwest::Client::new();
    let exchange = |code: String, redirect_uri: Option<&'static str>| {
        let mut form = json!({
            "grant_type": "authorization_code", "code": code,
            "client_id": app.app.client_id, "client_secret": app.client_secret,
        });
        if let Some(r) = redirect_uri {
            form["redirect_uri"] = json!(r);
        }
        http.post(format!("{}/oauth/token", a.base()))
            .json(&form)
            .send()
    };
    for redirect_uri in [None, Some("https://app.example/other")] {
        let code =
            service::oauth::issue_code(&a.node_state, &app.app, &alice.id, &scopes, CB, None)
                .await
                .expect("code");
        let r = exchange(code, redirect_uri).await.expect("token");
        assert_eq!(r.status(), 400, "redirect_uri {redirect_uri:?}");
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["error"], "invalid_grant", "{body}");
        assert!(body["access_token"].is_null(), "no token issued: {body}");
    }
    let code = service::oauth::issue_code(&a.node_state, &app.app, &alice.id, &scopes, CB, None)
        .await
        .expect("code");
    let r = exchange(code, Some(CB)).await.expect("token");
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.expect("json");
    assert!(body["access_token"].is_string(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apps_cannot_register_browser_dangerous_redirect_uris() {
    let a = sqlite_node("A", free_port().await, Default::default()).await;
    let http = reqwest::Client::new();
    let register = |uris: &str| {
        http.post(format!("{}/api/v1/apps", a.base()))
            .json(&json!({"client_name": "t", "redirect_uris": uris}))
            .send()
    };
    for bad in [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "https://app.example/cb\njavascript:alert(1)",
    ] {
        let r = register(bad).await.expect("apps");
        assert_eq!(r.status(), 422, "{bad}");
        let body: Value = r.json().await.expect("json");
        let msg = body["error"].as_str().unwrap_or_default();
        assert!(msg.contains("scheme"), "a clear error for {bad}: {body}");
        assert!(body["client_id"].is_null(), "no app registered for {bad}");
    }
    for good in [
        "urn:ietf:wg:oauth:2.0:oob",
        "https://app.example/cb",
        "http://127.0.0.1:4000/cb",
        "com.example.app://cb",
    ] {
        let r = register(good).await.expect("apps");
        assert_eq!(r.status(), 200, "{good}");
        let body: Value = r.json().await.expect("json");
        assert!(body["client_id"].is_string(), "{good}: {body}");
    }
}

/// A code taken by several exchanges at once gives one token; the others are told it is used,
/// none fails, on either backend (a take that read the code and then deleted it in a deferred
/// transaction failed on SQLite when another writer held the lock, and two takes on PostgreSQL
/// could both read it before either deleted it).
async fn one_token_per_code(store: Store) {
    let dir = tempfile::tempdir().expect("dir");
    let Some(url) = database_url(store, dir.path(), "oauthrace") else {
        return; // PostgreSQL unavailable outside CI: skipped loudly by the harness.
    };
    let a = TestNode::start("A", free_port().await, url, dir, Default::default()).await;
    let (app, alice, scopes) = app_and_member(&a).await;
    let http = reqwest::Client::new();
    for round in 0..5 {
        let code =
            service::oauth::issue_code(&a.node_state, &app.app, &alice.id, &scopes, CB, None)
                .await
                .expect("code");
        let form = json!({
            "grant_type": "authorization_code", "code": code, "redirect_uri": CB,
            "client_id": app.app.client_id, "client_secret": app.client_secret,
        });
        // All eight are sent before any answer is awaited.
        let tries: Vec<_> = (0..8)
            .map(|_| {
                let (http, form, url) = (
                    http.clone(),
                    form.clone(),
                    format!("{}/oauth/token", a.base()),
                );
                tokio::spawn(async move {
                    let r = http.post(url).json(&form).send().await.expect("answer");
                    let status = r.status().as_u16();
                    (status, r.json::<Value>().await.expect("json"))
                })
            })
            .collect();
        let mut answers = Vec::new();
        for t in tries {
            answers.push(t.await.expect("task"));
        }
        let tokens = answers.iter().filter(|(s, _)| *s == 200).count();
        assert_eq!(tokens, 1, "round {round}: {answers:?}");
        for (s, body) in answers.iter().filter(|(s, _)| *s != 200) {
            assert_eq!(
                (*s, &body["error"]),
                (400, &json!("invalid_grant")),
                "round {round}: {answers:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_per_code_sqlite() {
    one_token_per_code(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_per_code_postgres() {
    one_token_per_code(Store::Postgres).await;
}

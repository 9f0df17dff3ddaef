//! OAuth checks a client would notice: the code exchange must repeat the authorization request's
//! `redirect_uri`, and apps cannot register redirect URIs with browser-dangerous schemes.

use cohort::{domain::scopes::Scopes, service};
use federation_tests::{free_port, sqlite_node};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_exchange_requires_the_same_redirect_uri() {
    let a = sqlite_node("A", free_port().await, Default::default()).await;
    let cb = "https://app.example/callback";
    let app = service::oauth::register_app(&a.node_state, "t", vec![cb.into()], "read", None)
        .await
        .expect("app");
    let (alice, _) = service::users::create_user(&a.node_state, "alice", false, None)
        .await
        .expect("alice");
    let scopes = Scopes::parse("read").expect("scopes");
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
            service::oauth::issue_code(&a.node_state, &app.app, &alice.id, &scopes, cb, None)
                .await
                .expect("code");
        let r = exchange(code, redirect_uri).await.expect("token");
        assert_eq!(r.status(), 400, "redirect_uri {redirect_uri:?}");
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["error"], "invalid_grant", "{body}");
        assert!(body["access_token"].is_null(), "no token issued: {body}");
    }
    let code = service::oauth::issue_code(&a.node_state, &app.app, &alice.id, &scopes, cb, None)
        .await
        .expect("code");
    let r = exchange(code, Some(cb)).await.expect("token");
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

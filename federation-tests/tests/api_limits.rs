//! Client API limits and errors: per-IP and per-token rate limits answer 429 with X-RateLimit-*
//! headers; errors are Mastodon-shaped JSON; the password grant can be switched off.

use federation_tests::{free_port, sqlite_node};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_and_error_bodies() {
    let mut a = sqlite_node("A", free_port().await, Default::default()).await;
    a.stop().await;
    a.config.api.rate_limit_per_5min = 5;
    a.config.api.password_grant = false;
    a.restart().await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/instance", a.base());

    for i in 0..5 {
        let r = http.get(&url).send().await.expect("get");
        assert_eq!(r.status(), 200, "request {i}");
        assert_eq!(r.headers()["x-ratelimit-limit"], "5");
        assert_eq!(
            r.headers()["x-ratelimit-remaining"],
            (4 - i).to_string().as_str()
        );
        assert!(r.headers().contains_key("x-ratelimit-reset"));
    }
    let limited = http.get(&url).send().await.expect("get");
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["x-ratelimit-remaining"], "0");
    let body: Value = limited.json().await.expect("json");
    assert_eq!(body["error"], "Too many requests");

    // Another caller (a token) has its own budget; an unknown token is a 401, not anonymous.
    let bad = http
        .get(format!("{}/api/v1/accounts/verify_credentials", a.base()))
        .bearer_auth("not-a-token")
        .send()
        .await
        .expect("get");
    assert_eq!(bad.status(), 401);
    assert_eq!(
        bad.json::<Value>().await.expect("json")["error"],
        "The access token is invalid"
    );

    // The password grant is off: refused with an OAuth error naming it.
    let app: Value = http
        .post(format!("{}/api/v1/apps", a.base()))
        .bearer_auth("another-caller")
        .json(
            &serde_json::json!({"client_name": "t", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}),
        )
        .send()
        .await
        .expect("apps")
        .json()
        .await
        .expect("json");
    let token = http
        .post(format!("{}/oauth/token", a.base()))
        .header("authorization", "Bearer third-caller")
        .json(&serde_json::json!({
            "grant_type": "password", "username": "admin", "password": "whatever1",
            "client_id": app["client_id"], "client_secret": app["client_secret"], "unknown_extra": 1,
        }))
        .send()
        .await
        .expect("token");
    assert_eq!(token.status(), 400);
    assert_eq!(
        token.json::<Value>().await.expect("json")["error"],
        "unsupported_grant_type"
    );

    // A token that is not valid is refused before anything is looked up.
    let missing = http
        .get(format!(
            "{}/api/v1/statuses/01ARZ3NDEKTSV4RRFFQ69G5FAV",
            a.base()
        ))
        .header("authorization", "Bearer fourth-caller")
        .send()
        .await
        .expect("get");
    assert_eq!(
        missing.status(),
        401,
        "an unknown token is refused before the lookup"
    );
}

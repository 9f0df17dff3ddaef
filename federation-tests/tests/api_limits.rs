//! Client API limits and errors: per-IP and per-token rate limits answer 429 with X-RateLimit-*
//! headers; errors are Mastodon-shaped JSON; the password grant can be switched off.

use federation_tests::{free_port, sqlite_node};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_and_error_bodies() {
    let mut a = sqlite_node("A", free_port().await, Default::default()).await;
    a.stop().await;
    a.config.api.rate_limit_per_5min = 10;
    a.config.api.password_grant = false;
    a.restart().await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/instance", a.base());

    // An unknown token is a 401, not anonymous (and it counts against the IP address).
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

    // Four requests of the ten spent above; the rest count down to 429.
    for i in 0..6 {
        let r = http.get(&url).send().await.expect("get");
        assert_eq!(r.status(), 200, "request {i}");
        assert_eq!(r.headers()["x-ratelimit-limit"], "10");
        assert_eq!(
            r.headers()["x-ratelimit-remaining"],
            (5 - i).to_string().as_str()
        );
        assert!(r.headers().contains_key("x-ratelimit-reset"));
    }
    let limited = http.get(&url).send().await.expect("get");
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["x-ratelimit-remaining"], "0");
    let body: Value = limited.json().await.expect("json");
    assert_eq!(body["error"], "Too many requests");
}

/// Made-up bearer tokens do not buy fresh budgets: the token endpoint counts them against the
/// caller's IP address, while a valid token keeps a budget of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn made_up_tokens_count_against_the_ip_address() {
    let mut a = sqlite_node("A", free_port().await, Default::default()).await;
    a.stop().await;
    a.config.api.rate_limit_per_5min = 3;
    a.restart().await;
    let app = cohort::service::oauth::register_app(
        &a.node_state,
        "t",
        vec!["urn:ietf:wg:oauth:2.0:oob".into()],
        "read",
        None,
    )
    .await
    .expect("app");
    let valid = cohort::service::oauth::client_credentials(&a.node_state, &app.app, None)
        .await
        .expect("token")
        .access_token;
    let http = reqwest::Client::new();
    let guess = |n: u32| {
        http.post(format!("{}/oauth/token", a.base()))
            .bearer_auth(format!("made-up-{n}"))
            .json(&serde_json::json!({
                "grant_type": "password", "username": "admin", "password": format!("guess-{n}"),
                "client_id": app.app.client_id, "client_secret": app.client_secret,
            }))
            .send()
    };
    for n in 0..3 {
        let r = guess(n).await.expect("token");
        assert_eq!(r.status(), 400, "guess {n} is answered");
        assert_eq!(
            r.headers()["x-ratelimit-remaining"],
            (2 - n).to_string().as_str()
        );
        assert!(r.json::<Value>().await.expect("json")["access_token"].is_null());
    }
    let r = guess(3).await.expect("token");
    assert_eq!(
        r.status(),
        429,
        "a fourth made-up token is still the same caller"
    );
    assert!(r.json::<Value>().await.expect("json")["access_token"].is_null());

    // The valid token has its own budget.
    let ok = http
        .get(format!("{}/api/v1/apps/verify_credentials", a.base()))
        .bearer_auth(&valid)
        .send()
        .await
        .expect("verify");
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers()["x-ratelimit-remaining"], "2");
}

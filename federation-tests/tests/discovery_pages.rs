//! What discovery and pages reveal: WebFinger names a group only to whoever may see its actor
//! document (anyone else gets the answer for an unknown name), and HTML pages carry the browser
//! hardening headers.

use cohort::domain::policy::{PeerLevel, Visibility};
use federation_tests::{free_port, group, sqlite_node};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webfinger_hides_groups_their_actor_document_hides() {
    let (pa, pb) = (free_port().await, free_port().await);
    let a = sqlite_node(
        "A",
        pa,
        [(format!("localhost:{pb}"), PeerLevel::Full)].into(),
    )
    .await;
    let b = sqlite_node(
        "B",
        pb,
        [(format!("localhost:{pa}"), PeerLevel::Full)].into(),
    )
    .await;
    for (name, v) in [
        ("open", Visibility::Public),
        ("consortium", Visibility::Consortium),
        ("members", Visibility::Members),
        ("local", Visibility::Local),
    ] {
        group(&a, name, v, false, None).await;
    }
    let http = reqwest::Client::new();
    let lookup = |name: &str| {
        http.get(format!(
            "{}/.well-known/webfinger?resource=acct:{name}@{}",
            a.base(),
            a.domain
        ))
        .send()
    };
    let r = lookup("nobody").await.expect("webfinger");
    assert_eq!(r.status(), 404);
    let unknown: Value = r.json().await.expect("json");
    let unknown_as = |name: &str| {
        Value::String(
            unknown["error"]
                .as_str()
                .expect("error")
                .replace("nobody", name),
        )
    };

    let r = lookup("open").await.expect("webfinger");
    assert_eq!(r.status(), 200, "a public group is found");
    for hidden in ["consortium", "members", "local"] {
        let r = lookup(hidden).await.expect("webfinger");
        assert_eq!(r.status(), 404, "{hidden} is hidden from anonymous lookups");
        let body: Value = r.json().await.expect("json");
        assert_eq!(
            body["error"],
            unknown_as(hidden),
            "same answer as for an unknown name"
        );
    }

    // A full peer (signed lookups) finds what the actor document shows it, and no more.
    for (name, found) in [
        ("open", true),
        ("consortium", true),
        ("members", true),
        ("local", false),
    ] {
        let got = cohort::service::members::resolve_handle(&b.ctx, &a.handle(name)).await;
        assert_eq!(
            got.is_ok(),
            found,
            "{name} for a full peer: {:?}",
            got.err()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_pages_carry_browser_hardening_headers() {
    let a = sqlite_node("A", free_port().await, Default::default()).await;
    group(&a, "wg", Visibility::Public, false, None).await;
    cohort::service::users::create_user(&a.node_state, "alice", false, None)
        .await
        .expect("alice");
    let http = reqwest::Client::new();
    for path in [
        "/",
        "/users/alice",
        "/groups/wg",
        "/tags/samples",
        "/governance",
        "/groups/wg/decisions",
        "/groups/wg/governance",
    ] {
        let r = http
            .get(format!("{}{path}", a.base()))
            .header("accept", "text/html")
            .send()
            .await
            .expect("page");
        assert_eq!(r.status(), 200, "{path}");
        let h = r.headers();
        assert!(
            h["content-type"]
                .to_str()
                .expect("ct")
                .starts_with("text/html"),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        let csp = h["content-security-policy"].to_str().expect("csp");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        let referrer = h["referrer-policy"].to_str().expect("referrer");
        assert!(
            ["same-origin", "no-referrer"].contains(&referrer),
            "{path}: {referrer}"
        );
    }
}

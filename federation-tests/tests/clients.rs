//! Real Mastodon clients (Mastodon.py 2.3.3, toot 0.52.1) against real Cohort nodes. Every JSON
//! response they receive from an endpoint in the Mastodon OpenAPI description is validated against it.

use federation_tests::{client_python, free_port, run_client, sqlite_node};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mastodon_py_logs_in() {
    let Some(python) = client_python() else {
        return;
    };
    let a = sqlite_node("A", free_port().await, Default::default()).await;
    cohort::service::users::create_user(
        &a.node_state,
        "alice",
        false,
        Some("correct horse battery".into()),
    )
    .await
    .expect("alice");
    let base = a.base();
    let run = tokio::task::spawn_blocking(move || {
        run_client(
            &python,
            &["oauth_flows.py", &base, "alice", "correct horse battery"],
            std::slice::from_ref(&base),
            &[],
        )
    })
    .await
    .expect("join");
    assert!(run.ok, "client failed:\n{}", run.output);
    assert!(
        run.spec_failures.is_empty(),
        "responses that do not fit the Mastodon API description:\n{}",
        run.spec_failures.join("\n")
    );
    eprintln!(
        "validated {} responses: {:?}",
        run.checked.len(),
        run.checked
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mastodon_py_follows_a_group_on_another_node() {
    use federation_tests::{full_peers, group};
    let Some(python) = client_python() else {
        return;
    };
    let (pa, pb) = (free_port().await, free_port().await);
    let a = sqlite_node("A", pa, full_peers(&[pb])).await;
    let b = sqlite_node("B", pb, full_peers(&[pa])).await;
    let password = "correct horse battery";
    cohort::service::users::create_user(&a.node_state, "amy", false, Some(password.into()))
        .await
        .expect("amy");
    cohort::service::users::create_user(&b.node_state, "bea", false, Some(password.into()))
        .await
        .expect("bea");
    group(&a, "wg", Default::default(), false, None).await;
    let (base_a, base_b) = (a.base(), b.base());
    let run = tokio::task::spawn_blocking(move || {
        run_client(
            &python,
            &["groups_flow.py", &base_a, &base_b, password],
            &[base_a.clone(), base_b.clone()],
            &[],
        )
    })
    .await
    .expect("join");
    assert!(run.ok, "client failed:\n{}", run.output);
    assert!(
        run.spec_failures.is_empty(),
        "responses that do not fit the Mastodon API description:\n{}",
        run.spec_failures.join("\n")
    );
    eprintln!("validated {} responses", run.checked.len());
}

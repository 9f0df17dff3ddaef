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

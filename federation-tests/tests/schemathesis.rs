//! schemathesis (pinned in `.ci/run`) over every operation docs/clients.md marks as implemented,
//! against a node with a member, a token and some content: no server error and no response that
//! does not fit the Mastodon OpenAPI description, apart from the deviations listed with their
//! reasons in `federation-tests/clients/known_deviations.json`. Bounded in time.

use federation_tests::{
    api::Api, client_python, free_port, group, required_openapi_spec, sqlite_node,
};
use std::{
    process::{Command, Stdio},
    time::{Duration, Instant},
};

/// The whole run, schemathesis included, stays well under this.
const TIME_BOUND: Duration = Duration::from_secs(200);
/// Cases per operation and phase.
const MAX_EXAMPLES: &str = "6";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_or_schema_violation() {
    let started = Instant::now();
    let Some(python) = client_python() else {
        return;
    };
    let Some(spec) = required_openapi_spec("schemathesis") else {
        return;
    };
    let has_schemathesis = Command::new(&python)
        .args(["-c", "import schemathesis"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_schemathesis {
        let (_, required) = cohort::db::test_postgres_admin();
        if required {
            panic!(
                "schemathesis is missing from the client-test venv ({python}); .ci/run installs it"
            );
        }
        eprintln!("\n!!! SKIPPING schemathesis: not installed in {python}\n");
        return;
    }
    let mut a = sqlite_node("A", free_port().await, Default::default()).await;
    a.stop().await;
    a.config.api.rate_limit_per_5min = 1_000_000;
    a.restart().await;
    let password = "correct horse battery";
    cohort::service::users::create_user(&a.node_state, "alice", false, Some(password.into()))
        .await
        .expect("alice");
    group(
        &a,
        "wg",
        cohort::domain::policy::Visibility::Public,
        false,
        Some("alice"),
    )
    .await;
    let alice = Api::login(&a.base(), "alice", password).await;
    for text in ["first #notes", "second, with a poll"] {
        let (s, v) = alice
            .post("/api/v1/statuses", serde_json::json!({"status": text}))
            .await;
        assert_eq!(s, 200, "{v}");
    }
    let token = alice.token.clone().expect("token");
    let clients = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("clients");
    // schemathesis keeps a cache in its working directory: a scratch one, not the source tree.
    let scratch = tempfile::tempdir().expect("scratch dir");
    let script = clients.join("schemathesis_run.py");
    let mut child = Command::new(&python)
        .arg(&script)
        .args([&a.base(), &token, MAX_EXAMPLES])
        .current_dir(scratch.path())
        .env("COHORT_SPEC_PATH", &spec)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run schemathesis");
    let deadline = started + TIME_BOUND;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "schemathesis ran past the time bound of {TIME_BOUND:?}:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let out = child.wait_with_output().expect("output");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{text}");
    assert!(status.success(), "schemathesis found problems:\n{text}");
    eprintln!("schemathesis run took {:?}", started.elapsed());
}

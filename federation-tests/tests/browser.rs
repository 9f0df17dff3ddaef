//! A real browser (headless Chromium driven by Selenium through chromedriver) goes through the OAuth
//! authorization-code flow as GUI Mastodon apps (Elk, Phanpy, Tusky) make their users do: sign-in
//! and consent on Cohort's authorize page, redirect to the app with a code, token exchange.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use federation_tests::{client_python, free_port, run_client, sqlite_node};

/// Chromium and chromedriver (`COHORT_TEST_CHROMIUM`, `COHORT_TEST_CHROMEDRIVER`), or `None` after
/// a loud message outside CI. In CI a missing browser panics: the test must not skip there.
fn browser() -> Option<(String, String)> {
    let path = |var: &str, default: &str| std::env::var(var).unwrap_or_else(|_| default.into());
    let chromium = path("COHORT_TEST_CHROMIUM", "/usr/bin/chromium");
    let driver = path("COHORT_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");
    let missing: Vec<&str> = [&chromium, &driver]
        .into_iter()
        .filter(|p| !std::path::Path::new(p.as_str()).is_file())
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return Some((chromium, driver));
    }
    let why = format!(
        "not found: {} (apt-get install chromium chromium-driver, or set COHORT_TEST_CHROMIUM and COHORT_TEST_CHROMEDRIVER)",
        missing.join(", ")
    );
    if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
        panic!("the browser test must run in CI; {why}");
    }
    eprintln!("\n!!! SKIPPING browser test: {why}\n");
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn browser_signs_in_through_the_authorize_page() {
    let Some(python) = client_python() else {
        return;
    };
    let Some((chromium, driver)) = browser() else {
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
    let started = std::time::Instant::now();
    let run = tokio::task::spawn_blocking(move || {
        run_client(
            &python,
            &[
                "browser_authorize.py",
                &base,
                "alice",
                "correct horse battery",
            ],
            std::slice::from_ref(&base),
            &[
                ("COHORT_TEST_CHROMIUM", &chromium),
                ("COHORT_TEST_CHROMEDRIVER", &driver),
            ],
        )
    })
    .await
    .expect("join");
    assert!(run.ok, "browser flow failed:\n{}", run.output);
    assert!(
        run.spec_failures.is_empty(),
        "responses that do not fit the Mastodon API description:\n{}",
        run.spec_failures.join("\n")
    );
    eprintln!(
        "{}browser flows took {:.1}s; validated {} responses: {:?}",
        run.output,
        started.elapsed().as_secs_f64(),
        run.checked.len(),
        run.checked
    );
}

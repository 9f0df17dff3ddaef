//! Real Mastodon clients (Mastodon.py 2.3.3, toot 0.52.1) against real Cohort nodes. Every JSON
//! response they receive from an endpoint in the Mastodon OpenAPI description is validated against it.

use federation_tests::{
    client_python, database_url, free_port, run_client, sqlite_node, Store, TestNode,
};

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
    two_node_script("groups_flow.py").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn toot_cli_follows_a_group_and_reads_it() {
    use federation_tests::{full_peers, group, text};
    let Some(python) = client_python() else {
        return;
    };
    let toot = std::path::Path::new(&python)
        .with_file_name("toot")
        .to_string_lossy()
        .to_string();
    let (pa, pb) = (free_port().await, free_port().await);
    let a = sqlite_node("A", pa, full_peers(&[pb])).await;
    let b = sqlite_node("B", pb, full_peers(&[pa])).await;
    let password = "correct horse battery";
    cohort::service::users::create_user(&a.node_state, "amy", false, None)
        .await
        .expect("amy");
    cohort::service::users::create_user(&b.node_state, "bea", false, Some(password.into()))
        .await
        .expect("bea");
    group(&a, "wg", Default::default(), false, Some("amy")).await;
    cohort::service::members::post(
        &a.ctx,
        "amy",
        &a.handle("wg"),
        text("Agenda for the biobank call"),
    )
    .await
    .expect("post");
    let config_home = tempfile::tempdir().expect("dir");
    let xdg = config_home.path().to_string_lossy().to_string();
    let bases = vec![a.base(), b.base()];
    let toot_run = |args: Vec<String>| {
        let (toot, bases, xdg) = (toot.clone(), bases.clone(), xdg.clone());
        async move {
            tokio::task::spawn_blocking(move || {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                run_client(&toot, &args, &bases, &[("XDG_CONFIG_HOME", &xdg)])
            })
            .await
            .expect("join")
        }
    };
    let mut validated = 0;
    let mut check = |run: &federation_tests::ClientRun, what: &str| {
        assert!(run.ok, "toot {what} failed:\n{}", run.output);
        assert!(
            run.spec_failures.is_empty(),
            "toot {what}: responses that do not fit the API description:\n{}",
            run.spec_failures.join("\n")
        );
        validated += run.checked.len();
    };
    let login = toot_run(vec![
        "login_cli".into(),
        "--instance".into(),
        b.base(),
        "--email".into(),
        format!("bea@{}", b.domain),
        "--password".into(),
        password.into(),
    ])
    .await;
    check(&login, "login_cli");
    let whoami = toot_run(vec!["whoami".into()]).await;
    check(&whoami, "whoami");
    assert!(whoami.output.contains("@bea"), "{}", whoami.output);
    let follow = toot_run(vec!["follow".into(), format!("wg@{}", a.domain)]).await;
    check(&follow, "follow");
    assert!(
        follow.output.contains("You are now following"),
        "{}",
        follow.output
    );
    let mut seen = false;
    for _ in 0..60 {
        let timeline = toot_run(vec!["timeline".into(), "--once".into()]).await;
        check(&timeline, "timeline");
        if timeline.output.contains("Agenda for the biobank call") {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert!(seen, "the group's post never showed up in `toot timeline`");
    let post = toot_run(vec!["post".into(), format!("Thanks! @wg@{}", a.domain)]).await;
    check(&post, "post");
    assert!(post.output.contains("Toot posted"), "{}", post.output);
    let timeline = toot_run(vec!["timeline".into(), "--once".into()]).await;
    check(&timeline, "timeline");
    assert!(timeline.output.contains("Thanks!"), "{}", timeline.output);
    eprintln!("validated {validated} responses from toot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mastodon_py_favourites_boosts_and_notifications() {
    two_node_script("interactions_flow.py").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mastodon_py_polls_across_nodes() {
    two_node_script("polls_flow.py").await;
}

/// A proposal in `wg` (lead `amy`) voted on from B through its poll, then decided on A.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mastodon_py_votes_on_a_proposal_from_another_node() {
    two_node_script_on(Store::Sqlite, "proposals_flow.py", Some("amy")).await;
}

/// The two-node scripts again with both nodes on PostgreSQL (the queries behind polls,
/// proposals, hashtags, notifications and edits differ per backend).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mastodon_py_scripts_on_postgres() {
    for (script, moderator) in [
        ("groups_flow.py", None),
        ("interactions_flow.py", None),
        ("polls_flow.py", None),
        ("proposals_flow.py", Some("amy")),
    ] {
        eprintln!("{script} on PostgreSQL");
        two_node_script_on(Store::Postgres, script, moderator).await;
    }
}

/// Lists of accounts and groups on another node, conversations across nodes, filters v2 and a
/// locked account's follow requests, through Mastodon.py, on SQLite and on PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mastodon_py_lists_conversations_and_filters() {
    personal_script(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mastodon_py_lists_conversations_and_filters_on_postgres() {
    personal_script(Store::Postgres).await;
}

async fn personal_script(store: Store) {
    use federation_tests::{full_peers, group};
    let Some(python) = client_python() else {
        return;
    };
    let (pa, pb) = (free_port().await, free_port().await);
    let node = |name: &'static str, port: u16, peer: u16| async move {
        let dir = tempfile::tempdir().expect("dir");
        let url = database_url(store, dir.path(), &format!("personal{name}"))?;
        Some(TestNode::start(name, port, url, dir, full_peers(&[peer])).await)
    };
    // PostgreSQL unavailable outside CI: skipped loudly by the harness.
    let (Some(a), Some(b)) = (node("A", pa, pb).await, node("B", pb, pa).await) else {
        return;
    };
    let password = "correct horse battery";
    for (n, name) in [(&a, "amy"), (&b, "bea"), (&b, "cai")] {
        cohort::service::users::create_user(&n.node_state, name, false, Some(password.into()))
            .await
            .expect("user");
    }
    group(&a, "wg", Default::default(), false, None).await;
    let (base_a, base_b) = (a.base(), b.base());
    let run = tokio::task::spawn_blocking(move || {
        run_client(
            &python,
            &["personal_flow.py", &base_a, &base_b, password],
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

/// Mastodon.py's streaming clients (HTTP event stream and WebSocket) on a SQLite node.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mastodon_py_streams_updates_and_notifications() {
    streaming_script(Store::Sqlite).await;
}

/// The same with two processes of one node on PostgreSQL: statuses and notifications produced
/// through the first reach a subscriber of the second, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mastodon_py_streams_across_two_processes_on_postgres() {
    streaming_script(Store::Postgres).await;
}

async fn streaming_script(store: Store) {
    let Some(python) = client_python() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    // PostgreSQL unavailable outside CI: skipped loudly by the harness.
    let Some(url) = database_url(store, dir.path(), "streaming") else {
        return;
    };
    let port = free_port().await;
    let first = TestNode::start("S", port, url, dir, Default::default()).await;
    let password = "correct horse battery";
    for name in ["alice", "fran"] {
        cohort::service::users::create_user(&first.node_state, name, false, Some(password.into()))
            .await
            .expect("user");
    }
    let second = match store {
        Store::Postgres => Some(first.second_process(free_port().await).await),
        Store::Sqlite => None,
    };
    let producer = first.base();
    let subscriber = second.as_ref().map_or(producer.clone(), |s| {
        format!("http://{}", s.config.server.listen)
    });
    let bases = vec![producer.clone(), subscriber.clone()];
    let run = tokio::task::spawn_blocking(move || {
        run_client(
            &python,
            &["streaming_flow.py", &producer, &subscriber, password],
            &bases,
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
    eprintln!("{}", run.output);
}

/// Two nodes (group `wg` and member `amy` on A, member `bea` on B, both with `password`) and one
/// Mastodon.py script run against them; every response validated.
async fn two_node_script(script: &str) {
    two_node_script_on(Store::Sqlite, script, None).await;
}

/// As `two_node_script`, on `store`, with `moderator` (a user on A) as the group's moderator.
async fn two_node_script_on(store: Store, script: &str, moderator: Option<&str>) {
    use federation_tests::{full_peers, group};
    let Some(python) = client_python() else {
        return;
    };
    let (pa, pb) = (free_port().await, free_port().await);
    let node = |name: &'static str, port: u16, peer: u16| async move {
        let dir = tempfile::tempdir().expect("dir");
        let url = database_url(store, dir.path(), &format!("client{name}"))?;
        Some(TestNode::start(name, port, url, dir, full_peers(&[peer])).await)
    };
    // PostgreSQL unavailable outside CI: skipped loudly by the harness.
    let Some(a) = node("A", pa, pb).await else {
        return;
    };
    let Some(b) = node("B", pb, pa).await else {
        return;
    };
    let password = "correct horse battery";
    cohort::service::users::create_user(&a.node_state, "amy", false, Some(password.into()))
        .await
        .expect("amy");
    cohort::service::users::create_user(&b.node_state, "bea", false, Some(password.into()))
        .await
        .expect("bea");
    group(&a, "wg", Default::default(), false, moderator).await;
    let (base_a, base_b, script) = (a.base(), b.base(), script.to_string());
    let run = tokio::task::spawn_blocking(move || {
        run_client(
            &python,
            &[&script, &base_a, &base_b, password],
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

/// Mastodon.py's Web Push (keys, subscription, a decrypted message), grouped notifications,
/// unread counts and scheduled statuses, on one node per backend.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mastodon_py_push_grouped_notifications_and_scheduled_statuses() {
    for store in [Store::Sqlite, Store::Postgres] {
        let Some(python) = client_python() else {
            return;
        };
        let dir = tempfile::tempdir().expect("dir");
        // PostgreSQL unavailable outside CI: skipped loudly by the harness.
        let Some(url) = database_url(store, dir.path(), "clientpush") else {
            return;
        };
        let node = TestNode::start("P", free_port().await, url, dir, Default::default()).await;
        let password = "correct horse battery";
        for name in ["alice", "bob"] {
            cohort::service::users::create_user(
                &node.node_state,
                name,
                false,
                Some(password.into()),
            )
            .await
            .expect("user");
        }
        let base = node.base();
        let run = tokio::task::spawn_blocking(move || {
            run_client(
                &python,
                &["push_flow.py", &base, password],
                std::slice::from_ref(&base),
                &[],
            )
        })
        .await
        .expect("join");
        assert!(run.ok, "client failed on {store:?}:\n{}", run.output);
        assert!(
            run.spec_failures.is_empty(),
            "responses that do not fit the Mastodon API description on {store:?}:\n{}",
            run.spec_failures.join("\n")
        );
        eprintln!(
            "{store:?}: validated {} responses: {:?}",
            run.checked.len(),
            run.checked
        );
    }
}

//! `cohort admin reports` as an operator uses it: the listing (all, or only open reports) and
//! resolving one, on a node of their own (SQLite, outbound intents only recorded).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{
    args::Admin,
    reports::{self, ReportsArgs},
    Cli, Command,
};
use clap::Parser;
use cohort::{config::Config, service, Node};
use std::sync::Arc;

fn parse(args: &str) -> Result<ReportsArgs, String> {
    let mut argv: Vec<String> = ["cohort", "admin", "reports"].map(String::from).into();
    argv.extend(args.split_whitespace().map(String::from));
    match Cli::try_parse_from(argv).map_err(|e| e.to_string())? {
        Cli {
            command: Command::Admin(Admin::Reports(a)),
            ..
        } => Ok(a),
        _ => panic!("parsed as another command"),
    }
}

async fn run(n: &Node, args: &str) -> anyhow::Result<String> {
    reports::run(&n.state, parse(args).map_err(anyhow::Error::msg)?).await
}

#[test]
fn arguments_are_read_or_refused_clearly() {
    assert!(parse("").is_ok_and(|a| !a.unresolved && a.action.is_none()));
    assert!(parse("--unresolved").is_ok_and(|a| a.unresolved));
    let err = parse("resolve").unwrap_err();
    assert!(err.contains("<ID>"), "{err}");
    let err = parse("--limit many").unwrap_err();
    assert!(err.contains("--limit"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_lists_and_resolves_reports() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.instance.domain = "here.example".into();
    config.database.url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    config.storage.data_dir = dir.path().to_path_buf();
    let recorder = Arc::new(service::outbound::Recorder::default());
    let n = Node::build_with(config, recorder).await.expect("node").0;
    for (u, admin) in [
        ("boss", true),
        ("ann", false),
        ("bob", false),
        ("cat", false),
    ] {
        service::users::create_user(&n.state, u, admin, None)
            .await
            .unwrap();
    }
    let actor = |name: &'static str| {
        let s = n.state.clone();
        async move {
            s.db.run(move |c| cohort::db::users::by_username(c, name))
                .await
                .unwrap()
                .unwrap()
                .0
        }
    };
    let (ann, bob, cat) = (actor("ann").await, actor("bob").await, actor("cat").await);
    let empty = run(&n, "").await.unwrap();
    assert_eq!(empty.lines().count(), 1, "only the header: {empty}");
    let report = |me: cohort::db::actors::ActorRow, target: String, comment: &str| {
        let s = n.state.clone();
        let new = service::reports::NewReport {
            account_id: target,
            comment: comment.into(),
            category: Some("spam".into()),
            ..Default::default()
        };
        async move { service::reports::create(&s, &me, new).await.unwrap() }
    };
    let first = report(ann.clone(), bob.id.clone(), "Selling\tpills").await;
    let second = report(cat.clone(), bob.id.clone(), "rude").await;

    let all = run(&n, "").await.unwrap();
    let lines: Vec<&str> = all.lines().collect();
    assert_eq!(lines.len(), 3, "{all}");
    assert!(lines[1].starts_with(&second.id), "newest first: {all}");
    for part in [
        "open",
        "spam",
        "@ann@here.example",
        "@bob@here.example",
        "Selling pills",
    ] {
        assert!(lines[2].contains(part), "{part:?} in {}", lines[2]);
    }

    let resolved = run(&n, &format!("resolve {} --by boss", first.id))
        .await
        .unwrap();
    assert!(
        resolved.starts_with(&format!("resolved {}", first.id)),
        "{resolved}"
    );
    let open = run(&n, "--unresolved").await.unwrap();
    assert_eq!(open.lines().count(), 2, "{open}");
    assert!(!open.contains(&first.id), "{open}");
    let all = run(&n, "").await.unwrap();
    assert!(all.contains("\tresolved "), "{all}");
    for (args, why) in [
        (format!("resolve {}", first.id), "resolved already"),
        (
            "resolve 01HZZZZZZZZZZZZZZZZZZZZZZZ".to_string(),
            "no report",
        ),
        (
            format!("resolve {} --by ann", second.id),
            "no admin named ann",
        ),
    ] {
        let err = run(&n, &args).await.unwrap_err().to_string();
        assert!(err.contains(why), "{args}: {err}");
    }
    assert_eq!(run(&n, "--unresolved").await.unwrap().lines().count(), 2);
}

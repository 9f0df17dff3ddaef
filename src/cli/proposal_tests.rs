//! The proposal commands as a script uses them: arguments read or refused clearly, then
//! `as <user> propose/advance/vote/close` and `proposals`/`proposal` on a node of their own
//! (SQLite, outbound intents only recorded).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{
    act_as::AsCmd,
    args::Admin,
    proposals::{self, ProposalAct},
    Cli, Command,
};
use clap::Parser;
use cohort::{config::Config, service, Node};
use std::sync::Arc;

/// Parses `cohort admin as <user> <args…>` into the proposal act.
fn act(user: &str, args: &str) -> Result<ProposalAct, String> {
    let mut argv: Vec<String> = ["cohort", "admin", "as", user].map(String::from).into();
    argv.extend(words(args));
    match Cli::try_parse_from(argv).map_err(|e| e.to_string())? {
        Cli {
            command:
                Command::Admin(Admin::As {
                    action: AsCmd::Proposal(cmd),
                    ..
                }),
            ..
        } => Ok(cmd),
        _ => panic!("parsed as another command"),
    }
}

/// Splits on spaces, keeping 'quoted text' together, as a shell would.
fn words(args: &str) -> Vec<String> {
    args.split('\'')
        .enumerate()
        .flat_map(|(i, part)| match i % 2 {
            1 => vec![part.to_string()],
            _ => part.split_whitespace().map(String::from).collect(),
        })
        .collect()
}

#[test]
fn proposal_arguments_are_read_or_refused_clearly() {
    let p = act(
        "alice",
        "propose --group wg --title T --answer question=Why?=yes --voting-days 3",
    )
    .unwrap();
    let ProposalAct::Propose(p) = p else {
        panic!("{p:?}")
    };
    let (answers, voting_days) = (p.answers, p.voting_days);
    assert_eq!(answers, vec![("question".into(), "Why?=yes".into())]);
    assert_eq!(voting_days, Some(3));
    for (args, why) in [
        (
            "vote 01X maybe",
            "\"maybe\" is not a choice: approve, object or abstain",
        ),
        ("advance 01X sideways", "\"sideways\" is not a state"),
        ("close 01X", "--reason"),
        (
            "propose --group wg --title T --answer nofield",
            "\"nofield\" is not field=text",
        ),
        ("propose --title T", "--group"),
    ] {
        let err = act("alice", args).unwrap_err();
        assert!(err.contains(why), "{args}: {err}");
    }
}

async fn node(dir: &tempfile::TempDir) -> Node {
    let mut config = Config::default();
    config.instance.domain = "here.example".into();
    config.database.url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    config.storage.data_dir = dir.path().to_path_buf();
    let recorder = Arc::new(service::outbound::Recorder::default());
    Node::build_with(config, recorder).await.expect("node").0
}

async fn run(n: &Node, user: &str, args: &str) -> anyhow::Result<String> {
    proposals::act(&n.ctx(), user, act(user, args).map_err(anyhow::Error::msg)?).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_script_drafts_opens_votes_and_closes() {
    let dir = tempfile::tempdir().unwrap();
    let n = node(&dir).await;
    let ctx = n.ctx();
    for u in ["lead", "alice", "bob", "carol"] {
        service::users::create_user(&n.state, u, false, Some("a-long-password-1".into()))
            .await
            .unwrap();
    }
    let spec = service::groups::NewGroup {
        name: "wg".into(),
        display_name: None,
        summary: None,
        approval_required: false,
        visibility: cohort::domain::policy::Visibility::Public,
        moderator: Some("lead".into()),
    };
    service::groups::create_group(&n.state, spec).await.unwrap();
    for u in ["alice", "bob", "carol"] {
        service::members::follow(&ctx, u, "@wg@here.example")
            .await
            .unwrap();
    }

    let id = run(
        &n,
        "alice",
        "propose --group wg --title Sleep --template research-question --answer question=Q? --answer background=B.",
    )
    .await
    .unwrap();
    let err = run(&n, "bob", &format!("advance {id} open"))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("only the author may move a proposal to open"),
        "{err}"
    );
    run(&n, "alice", &format!("advance {id} open --reason ready"))
        .await
        .unwrap();
    let voting = run(&n, "alice", &format!("advance {id} voting"))
        .await
        .unwrap();
    assert!(
        voting.starts_with(&format!("moved {id}: voting · Sleep")),
        "{voting}"
    );
    run(&n, "alice", &format!("vote {id} approve"))
        .await
        .unwrap();
    run(&n, "bob", &format!("vote {id} approve")).await.unwrap();
    let carol = run(&n, "carol", &format!("vote {id} object --reason unclear"))
        .await
        .unwrap();
    assert!(carol.ends_with("2 approve, 1 object, 0 abstain"), "{carol}");
    let err = run(&n, "alice", &format!("close {id} --reason done"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("only a lead"), "{err}");
    let closed = run(&n, "lead", &format!("close {id} --reason 'Clear support.'"))
        .await
        .unwrap();
    assert!(
        closed.starts_with(&format!("closed {id}: accepted")),
        "{closed}"
    );
    let shown = proposals::show(&ctx, &id, None).await.unwrap();
    for line in [
        "decision accepted: Clear support.",
        "voting → accepted  by @lead@here.example: Clear support.",
        "- → draft  by @alice@here.example: drafted",
    ] {
        assert!(shown.contains(line), "{line:?} in\n{shown}");
    }
    // Under consent a reasoned objection stands: the count decides rejected.
    let q = run(&n, "bob", "propose --group wg --title Protocol --kind protocolReview --rule consent --scope protocols").await.unwrap();
    run(&n, "bob", &format!("advance {q} open")).await.unwrap();
    run(&n, "bob", &format!("advance {q} voting"))
        .await
        .unwrap();
    run(&n, "alice", &format!("vote {q} approve"))
        .await
        .unwrap();
    run(&n, "carol", &format!("vote {q} object --reason unsafe"))
        .await
        .unwrap();
    let during = proposals::show(&ctx, &q, None).await.unwrap();
    assert!(
        during.contains("the count now decides: rejected (ReasonedObjections(1))"),
        "{during}"
    );
    let closed = run(
        &n,
        "lead",
        &format!("close {q} --reason 'The objection stands.'"),
    )
    .await
    .unwrap();
    assert!(
        closed.starts_with(&format!("closed {q}: rejected")),
        "{closed}"
    );
    let listed = proposals::list(&ctx, "wg", None, None).await.unwrap();
    assert_eq!(listed.lines().count(), 2, "{listed}");
}

//! Proposals on one node, on SQLite and PostgreSQL: a proposal made from a template goes through
//! every state; every refused move, vote and draft is a clear 422/403 that changes nothing; the
//! decision fixes the tally, edits the post, notifies voters and takes effect.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{
    db,
    domain::{
        actor::ActorKind,
        proposal::{Choice, ProposalState as S},
    },
    error::AppError,
    service::{
        groups, polls,
        proposals::{
            create::{self, Draft},
            lifecycle::advance,
            read, votes,
        },
    },
    Node,
};
use support::*;

fn is_422(r: &Result<impl std::fmt::Debug, AppError>, needle: &str) -> bool {
    matches!(r, Err(AppError::Unprocessable(m)) if m.contains(needle))
}

async fn post_of(n: &Node, id: &str) -> db::posts::PostRow {
    let id = id.to_string();
    n.state
        .db
        .run(move |c| db::posts::by_id(c, &id))
        .await
        .unwrap()
        .unwrap()
}

async fn state_of(n: &Node, id: &str) -> S {
    let id = id.to_string();
    n.state
        .db
        .run(move |c| db::proposals::by_id(c, &id))
        .await
        .unwrap()
        .unwrap()
        .state
}

async fn scenario(n: Node) {
    let ctx = n.ctx();
    let (alice, bob, carol, lead, outsider) = (
        member(&n, "alice").await,
        member(&n, "bob").await,
        member(&n, "carol").await,
        member(&n, "lead").await,
        member(&n, "outsider").await,
    );
    let rita = remote(&n, "rita", "full.example", ActorKind::Person).await;
    let spec = groups::NewGroup {
        name: "wg".into(),
        display_name: None,
        summary: None,
        approval_required: false,
        visibility: cohort::domain::policy::Visibility::Public,
        moderator: Some("lead".into()),
    };
    let wg = groups::create_group(&n.state, spec).await.expect("group");
    for m in [&alice, &bob, &carol, &rita] {
        accepted_follow(&n, m, &wg).await;
    }
    let draft = |template: Option<&str>, answers: &[(&str, &str)]| Draft {
        group: "wg".into(),
        title: "Study sleep and recovery".into(),
        body: "We should ask this.".into(),
        template: template.map(str::to_string),
        answers: answers
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        ..Draft::default()
    };
    let answers = [
        ("question", "Does sleep help?"),
        ("background", "Prior work."),
    ];

    // Bad drafts: refused, nothing stored.
    let r = create::create(&ctx, &outsider, draft(Some("research-question"), &answers)).await;
    assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");
    let r = create::create(
        &ctx,
        &alice,
        draft(Some("research-question"), &answers[..1]),
    )
    .await;
    assert!(is_422(&r, "needs the field \"background\""), "{r:?}");
    let r = create::create(&ctx, &alice, draft(Some("no-such"), &[])).await;
    assert!(is_422(&r, "has no template \"no-such\""), "{r:?}");
    let mut reserved = draft(None, &[]);
    reserved.kind = Some("documentChange".into());
    reserved.scope = Some("data-access".into());
    let r = create::create(&ctx, &alice, reserved.clone()).await;
    assert!(
        is_422(
            &r,
            "reserved to the organization by the governance document of node"
        ),
        "{r:?}"
    );
    reserved.scope = Some("weather".into());
    let r = create::create(&ctx, &alice, reserved).await;
    assert!(
        is_422(
            &r,
            "\"weather\" is not in the governance document of group wg@here.example (version 1)"
        ),
        "{r:?}"
    );
    let r = create::create(
        &ctx,
        &alice,
        Draft {
            title: " ".into(),
            ..draft(Some("research-question"), &answers)
        },
    )
    .await;
    assert!(is_422(&r, "title"), "{r:?}");
    let wid = wg.id.clone();
    let none = n
        .state
        .db
        .run(move |c| db::proposals::in_group(c, &wid, None, 10))
        .await
        .unwrap();
    assert!(none.is_empty(), "refused drafts stored nothing");

    // A draft from a template: the template's terms, seen by its author only.
    let p = create::create(&ctx, &alice, draft(Some("research-question"), &answers))
        .await
        .expect("draft");
    assert_eq!(
        (p.state, p.template.as_deref(), p.scope.as_str()),
        (S::Draft, Some("research-question"), "research")
    );
    assert!(read::get(&ctx, Some(&alice), &p.id).await.is_ok());
    assert!(matches!(
        read::get(&ctx, None, &p.id).await,
        Err(AppError::NotFound(_))
    ));
    assert!(matches!(
        read::get(&ctx, Some(&bob), &p.id).await,
        Err(AppError::NotFound(_))
    ));

    // Moves: only the author opens; voting cannot start from a draft; votes wait for voting.
    let r = advance(&ctx, &lead, &p.id, S::Open, None).await;
    assert!(
        is_422(&r, "only the author may move a proposal to open"),
        "{r:?}"
    );
    let r = advance(&ctx, &alice, &p.id, S::Voting, None).await;
    assert!(is_422(&r, "cannot go from draft to voting"), "{r:?}");
    assert_eq!(
        state_of(&n, &p.id).await,
        S::Draft,
        "refused moves change nothing"
    );
    let opened = advance(&ctx, &alice, &p.id, S::Open, Some("ready".into()))
        .await
        .expect("open");
    let post_id = opened.post_id.clone().expect("post");
    assert_eq!(post_id, p.id, "the post carries the proposal's id");
    assert!(
        read::get(&ctx, None, &p.id).await.is_ok(),
        "a public group's proposal is public once open"
    );
    let r = votes::vote(&ctx, &bob, &p.id, Choice::Approve, None).await;
    assert!(is_422(&r, "not in voting (it is open)"), "{r:?}");
    let r = create::edit(
        &ctx,
        &alice,
        &p.id,
        Draft {
            title: "New".into(),
            ..Draft::default()
        },
    )
    .await;
    assert!(is_422(&r, "only while it is a draft"), "{r:?}");

    let voting = advance(&ctx, &alice, &p.id, S::Voting, None)
        .await
        .expect("voting");
    assert_eq!(voting.members_at_open, Some(5), "four members and the lead");
    votes::vote(&ctx, &alice, &p.id, Choice::Approve, None)
        .await
        .expect("alice");
    votes::vote(&ctx, &bob, &p.id, Choice::Object, Some("unclear".into()))
        .await
        .expect("bob");
    votes::vote(&ctx, &bob, &p.id, Choice::Approve, None)
        .await
        .expect("bob changes his vote");
    let r = votes::vote(&ctx, &outsider, &p.id, Choice::Object, None).await;
    assert!(
        matches!(r, Err(AppError::Forbidden(_))),
        "a non-member's vote: {r:?}"
    );
    // An app votes through the poll: carol abstains (option 2).
    let post = post_of(&n, &post_id).await;
    polls::vote(&ctx, &carol, &post, &[2])
        .await
        .expect("carol via the poll");
    let r = polls::vote(&ctx, &carol, &post, &[0, 1]).await;
    assert!(is_422(&r, "choose one"), "{r:?}");
    let pr = n
        .state
        .db
        .run({
            let id = p.id.clone();
            move |c| db::proposals::by_id(c, &id)
        })
        .await
        .unwrap()
        .unwrap();
    let r = votes::receive(
        &ctx,
        &rita,
        &pr,
        "maybe",
        "https://full.example/v/1",
        None,
        None,
    )
    .await;
    assert!(is_422(&r, "\"maybe\" is not an option"), "{r:?}");
    votes::receive(
        &ctx,
        &rita,
        &pr,
        "object",
        "https://full.example/v/2",
        None,
        None,
    )
    .await
    .expect("rita");
    // A member on a limited peer, and one on a peer this node does not list, are not counted.
    for (name, host) in [("lim", "limited.example"), ("stray", "unlisted.example")] {
        let voter = remote(&n, name, host, ActorKind::Person).await;
        accepted_follow(&n, &voter, &wg).await;
        let r = votes::receive(
            &ctx,
            &voter,
            &pr,
            "approve",
            &format!("https://{host}/v/1"),
            None,
            None,
        )
        .await;
        assert!(
            matches!(&r, Err(AppError::Forbidden(m)) if m.contains("not a full peer")),
            "{r:?}"
        );
    }
    let r = advance(&ctx, &alice, &p.id, S::Withdrawn, None).await;
    assert!(is_422(&r, "once votes have been cast"), "{r:?}");

    let seen = read::get(&ctx, Some(&bob), &p.id).await.unwrap();
    assert_eq!(
        (
            seen.tally.total.approve,
            seen.tally.total.object,
            seen.tally.total.abstain
        ),
        (2, 1, 1)
    );
    assert_eq!(seen.mine.map(|v| v.choice), Some(Choice::Approve));
    assert_eq!(
        seen.tally.institutions.len(),
        2,
        "here.example and full.example"
    );
    let poll = n
        .state
        .db
        .run({
            let id = post_id.clone();
            move |c| db::polls::tally(c, &id, 3)
        })
        .await
        .unwrap();
    assert_eq!(
        poll,
        (vec![2, 1, 1], 4),
        "the poll mirrors each member's current vote"
    );

    // The decision: a lead's, with a rationale, matching the count in an open scope.
    let r = advance(&ctx, &alice, &p.id, S::Accepted, Some("yes".into())).await;
    assert!(is_422(&r, "only a lead of the group"), "{r:?}");
    let r = advance(&ctx, &lead, &p.id, S::Accepted, None).await;
    assert!(is_422(&r, "only with a written rationale"), "{r:?}");
    let r = advance(&ctx, &lead, &p.id, S::Rejected, Some("no".into())).await;
    assert!(is_422(&r, "the count decides accepted"), "{r:?}");
    assert_eq!(state_of(&n, &p.id).await, S::Voting);
    let done = advance(
        &ctx,
        &lead,
        &p.id,
        S::Accepted,
        Some("Clear support across both nodes.".into()),
    )
    .await
    .expect("accept");
    assert_eq!(
        (done.outcome.as_deref(), done.rationale.as_deref()),
        (Some("accepted"), Some("Clear support across both nodes."))
    );
    let r = votes::vote(&ctx, &carol, &p.id, Choice::Object, None).await;
    assert!(
        is_422(&r, "not in voting (it is accepted)"),
        "a late vote: {r:?}"
    );
    let post = post_of(&n, &post_id).await;
    assert!(
        post.content
            .contains("Decision: accepted (2 approve, 1 object, 1 abstain)"),
        "{}",
        post.content
    );
    let (a, b, o) = (alice.id.clone(), bob.id.clone(), outsider.id.clone());
    let notified = n
        .state
        .db
        .run(move |c| {
            let polls = |c: &mut db::DbConnection, u: &str| {
                db::notifications::list(c, u, None, None, &["poll".to_string()], &[], 40)
                    .map(|l| l.len())
            };
            Ok((polls(c, &a)?, polls(c, &b)?, polls(c, &o)?))
        })
        .await
        .unwrap();
    assert_eq!(
        notified,
        (1, 1, 0),
        "voters and the author hear of the decision, others do not"
    );
    advance(&ctx, &lead, &p.id, S::Implemented, Some("done".into()))
        .await
        .expect("implemented");
    let log = read::log(&ctx, None, &p.id).await.unwrap();
    let moves: Vec<S> = log.iter().map(|l| l.to_state).collect();
    assert_eq!(
        moves,
        vec![S::Draft, S::Open, S::Voting, S::Accepted, S::Implemented]
    );
    assert_eq!(
        log[3].reason.as_deref(),
        Some("Clear support across both nodes.")
    );
    let (_, decisions) = read::in_group(&ctx, None, "wg", read::Listing::Decisions, 20)
        .await
        .unwrap();
    assert_eq!(decisions.len(), 1);

    // Withdrawn before any vote.
    let q = create::create(&ctx, &bob, draft(Some("research-question"), &answers))
        .await
        .unwrap();
    advance(&ctx, &bob, &q.id, S::Withdrawn, Some("duplicate".into()))
        .await
        .expect("withdrawn");
    let r = advance(&ctx, &bob, &q.id, S::Open, None).await;
    assert!(is_422(&r, "cannot go from withdrawn to open"), "{r:?}");
}

/// Accepted proposals take effect: a governance rule replaces the group's document (later
/// proposals are judged by the new version), a lead election makes its candidate a lead for the
/// term; in a shared scope the vote advises and a lead may decide otherwise, with a rationale.
async fn effects(n: Node, rec: Option<std::sync::Arc<cohort::service::outbound::Recorder>>) {
    let ctx = n.ctx();
    let (ann, bob, lead) = (
        member(&n, "ann").await,
        member(&n, "bob").await,
        member(&n, "lead").await,
    );
    let spec = groups::NewGroup {
        name: "wg".into(),
        display_name: None,
        summary: None,
        approval_required: false,
        visibility: cohort::domain::policy::Visibility::Public,
        moderator: Some("lead".into()),
    };
    let wg = groups::create_group(&n.state, spec).await.expect("group");
    for m in [&ann, &bob] {
        accepted_follow(&n, m, &wg).await;
    }
    let decide = |template: &'static str, answers: Vec<(&'static str, String)>, extra: Draft| {
        let ctx = ctx.clone();
        let (ann, bob, lead) = (ann.clone(), bob.clone(), lead.clone());
        async move {
            let d = Draft {
                group: "wg".into(),
                title: format!("From {template}"),
                template: Some(template.into()),
                answers: answers
                    .into_iter()
                    .map(|(a, b)| (a.to_string(), b))
                    .collect(),
                ..extra
            };
            let p = create::create(&ctx, &ann, d).await?;
            advance(&ctx, &ann, &p.id, S::Open, None).await?;
            advance(&ctx, &ann, &p.id, S::Voting, None).await?;
            for m in [&ann, &bob] {
                votes::vote(&ctx, m, &p.id, Choice::Approve, None).await?;
            }
            advance(&ctx, &lead, &p.id, S::Accepted, Some("agreed".into())).await
        }
    };

    // A governance rule: bad documents are refused; an accepted one is version 2.
    let r = decide(
        "governance-rule",
        vec![("document", "not json".into())],
        Draft::default(),
    )
    .await;
    assert!(
        is_422(&r, "the new governance document is not valid"),
        "{r:?}"
    );
    let doc = r#"{"scopes": {"research": "open", "leads": "open", "budget": "shared"}, "text": "Narrower.", "code_of_conduct": "Be kind."}"#;
    decide(
        "governance-rule",
        vec![("document", doc.into())],
        Draft::default(),
    )
    .await
    .expect("accepted");
    let r = create::create(
        &ctx,
        &ann,
        Draft {
            group: "wg".into(),
            title: "t".into(),
            kind: Some("protocolReview".into()),
            scope: Some("protocols".into()),
            ..Draft::default()
        },
    )
    .await;
    assert!(
        is_422(
            &r,
            "is not in the governance document of group wg@here.example (version 2)"
        ),
        "{r:?}"
    );

    // A lead election: the candidate leads for the term.
    let r = decide("lead-election", vec![], Draft::default()).await;
    assert!(is_422(&r, "needs the field \"candidate\""), "{r:?}");
    let before = rec
        .as_ref()
        .map(|r| r.intents.lock().unwrap().len())
        .unwrap_or(0);
    let elected = Draft {
        candidate: Some(format!("@bob@{HERE}")),
        term_days: Some(30),
        ..Draft::default()
    };
    decide(
        "lead-election",
        vec![("candidate", format!("@bob@{HERE}"))],
        elected,
    )
    .await
    .expect("elected");
    let (g, b) = (wg.id.clone(), bob.id.clone());
    assert!(
        n.state
            .db
            .run(move |c| db::actors::is_moderator(c, &g, &b))
            .await
            .unwrap(),
        "bob leads"
    );
    if let Some(rec) = &rec {
        let added = rec.intents.lock().unwrap()[before..].iter().any(|i| matches!(i,
            cohort::service::outbound::Outbound::Moderator { member_id, added: true, .. } if member_id.as_str() == bob.id));
        assert!(added, "the new lead is announced with Add");
    }

    // A shared scope: the count passes, the organization decides otherwise with a rationale.
    let p = create::create(
        &ctx,
        &ann,
        Draft {
            group: "wg".into(),
            title: "Buy a cluster".into(),
            kind: Some("custom-budget".into()),
            scope: Some("budget".into()),
            ..Draft::default()
        },
    )
    .await
    .expect("draft");
    advance(&ctx, &ann, &p.id, S::Open, None).await.unwrap();
    advance(&ctx, &ann, &p.id, S::Voting, None).await.unwrap();
    votes::vote(&ctx, &bob, &p.id, Choice::Approve, None)
        .await
        .unwrap();
    let r = advance(&ctx, &lead, &p.id, S::Rejected, None).await;
    assert!(is_422(&r, "only with a written rationale"), "{r:?}");
    let no = advance(
        &ctx,
        &lead,
        &p.id,
        S::Rejected,
        Some("No budget this year.".into()),
    )
    .await
    .expect("advised, not bound");
    assert_eq!(no.outcome.as_deref(), Some("rejected"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepted_proposals_take_effect_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let (n, rec) = recording_node(&dir).await;
    effects(n, Some(rec)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepted_proposals_take_effect_on_postgres() {
    let Some(url) = db::test_postgres_database("proposal_effects") else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let recorder = std::sync::Arc::new(cohort::service::outbound::Recorder::default());
    effects(
        node(url, &dir, &[], Some(recorder.clone())).await,
        Some(recorder),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proposal_lifecycle_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    let recorder = std::sync::Arc::new(cohort::service::outbound::Recorder::default());
    scenario(node(url, &dir, PEERS, Some(recorder)).await).await;
}

const PEERS: &[(&str, cohort::domain::policy::PeerLevel)] = &[
    ("full.example", cohort::domain::policy::PeerLevel::Full),
    (
        "limited.example",
        cohort::domain::policy::PeerLevel::Limited,
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proposal_lifecycle_on_postgres() {
    let Some(url) = db::test_postgres_database("proposals") else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let recorder = std::sync::Arc::new(cohort::service::outbound::Recorder::default());
    scenario(node(url, &dir, PEERS, Some(recorder)).await).await;
}

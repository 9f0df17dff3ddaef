//! Proposals across three nodes: the group on A, members on A, B and C (and D, which A later
//! blocks). A proposal made on B from the group's template goes through every state; votes from
//! all nodes count once each; a non-member's vote, a blocked peer's, a forged proof, a vote after
//! the close and a proposal in a reserved scope are refused with nothing counted; the decision and
//! its rationale show the same tally everywhere, and a tampered copy is refused; A restarted
//! during voting loses no vote; a double-majority proposal passes by members and fails by
//! institutions.

use cohort::{
    db,
    domain::{
        policy::PeerLevel,
        proposal::{Choice, ProposalState as S},
    },
    service::{
        follows,
        proposals::{create::Draft, lifecycle::advance, votes},
        users,
    },
};
use federation_tests::{
    cohort_calls::{pending_deliveries, set_peer_level},
    database_url, free_port, group,
    proposals::{copy, diagnose, local, receive, receive_document, signed_vote, votes as counted},
    wait_until, Store, TestNode,
};
use std::collections::BTreeMap;

fn peers(others: &[u16]) -> BTreeMap<String, PeerLevel> {
    others
        .iter()
        .map(|p| (format!("localhost:{p}"), PeerLevel::Full))
        .collect()
}

async fn settled(nodes: &[&TestNode]) {
    for n in nodes {
        wait_until(60, &format!("{}'s queue settles", n.name), || async {
            pending_deliveries(n).await == 0
        })
        .await;
    }
}

/// Waits until B and C show the proposal in voting; on a timeout, says what the queues hold.
async fn see_voting(a: &TestNode, b: &TestNode, c: &TestNode, ap: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !(copy(b, ap).await.map(|p| p.state) == Some(S::Voting)
        && copy(c, ap).await.map(|p| p.state) == Some(S::Voting))
    {
        if std::time::Instant::now() > deadline {
            let (da, db_, dc) = (diagnose(a).await, diagnose(b).await, diagnose(c).await);
            let states = (
                copy(b, ap).await.map(|p| p.state),
                copy(c, ap).await.map(|p| p.state),
            );
            panic!("B and C do not see voting {states:?}.\nA:\n{da}\nB:\n{db_}\nC:\n{dc}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn join(n: &TestNode, who: &str, group: &str) {
    users::create_user(&n.node_state, who, false, None)
        .await
        .expect("user");
    follows::follow(&n.ctx, who, group).await.expect("follow");
}

async fn run(store: Store) {
    let dirs: Vec<tempfile::TempDir> = (0..4).map(|_| tempfile::tempdir().expect("dir")).collect();
    let mut urls = Vec::new();
    for (i, d) in dirs.iter().enumerate() {
        match database_url(store, d.path(), &format!("prop{i}")) {
            Some(u) => urls.push(u),
            None => return, // PostgreSQL unavailable outside CI: skipped loudly by the harness.
        }
    }
    let p: Vec<u16> = vec![
        free_port().await,
        free_port().await,
        free_port().await,
        free_port().await,
    ];
    let mut dirs = dirs.into_iter();
    let mut start = |name: &'static str, i: usize| {
        let others: Vec<u16> = p.iter().copied().filter(|x| *x != p[i]).collect();
        TestNode::start(
            name,
            p[i],
            urls[i].clone(),
            dirs.next().expect("dir"),
            peers(&others),
        )
    };
    let mut a = start("A", 0).await;
    let b = start("B", 1).await;
    let c = start("C", 2).await;
    let d = start("D", 3).await;
    users::create_user(&a.node_state, "lead", false, None)
        .await
        .expect("lead");
    let wg = group(&a, "wg", Default::default(), false, Some("lead")).await;
    let handle = a.handle("wg");
    for who in ["ann", "amy", "abe"] {
        join(&a, who, &handle).await;
    }
    join(&b, "bob", &handle).await;
    join(&b, "bea", &handle).await;
    join(&c, "carol", &handle).await;
    join(&c, "cora", &handle).await;
    join(&d, "dan", &handle).await;
    users::create_user(&c.node_state, "cy", false, None)
        .await
        .expect("a non-member");
    wait_until(60, "everyone joined", || async {
        let g = wg.id.clone();
        a.node_state
            .db
            .run(move |c| db::follows::count_followers(c, &g, db::follows::FollowState::Accepted))
            .await
            .expect("n")
            == 9
    })
    .await;

    // bob drafts on B from the group's template (read from A) and opens it.
    let bob = local(&b, "bob").await;
    let draft = Draft {
        group: handle.clone(),
        title: "Sleep and recovery after surgery".into(),
        body: "A question for the consortium.".into(),
        template: Some("research-question".into()),
        answers: vec![
            ("question".into(), "Does sleep speed recovery?".into()),
            ("background".into(), "Two small trials.".into()),
        ],
        ..Draft::default()
    };
    let mut bad = draft.clone();
    bad.template = Some("no-such-template".into());
    let refused = cohort::service::proposals::create::create(&b.ctx, &bob, bad).await;
    let refused = refused.expect_err("an unknown template").to_string();
    assert!(
        refused.contains("has no template \"no-such-template\""),
        "{refused}"
    );
    let on_b = cohort::service::proposals::create::create(&b.ctx, &bob, draft)
        .await
        .expect("draft on B");
    assert_eq!(on_b.template.as_deref(), Some("research-question"));
    let on_b = advance(&b.ctx, &bob, &on_b.id, S::Open, None)
        .await
        .expect("open");
    let ap = on_b.ap_id.clone().expect("ap id");
    wait_until(60, "A and C know the proposal", || async {
        copy(&a, &ap).await.is_some() && copy(&c, &ap).await.is_some()
    })
    .await;
    let on_a = copy(&a, &ap).await.expect("on A");
    assert_eq!(
        (on_a.state, on_a.scope.as_str(), on_a.template.as_deref()),
        (S::Open, "research", Some("research-question"))
    );

    // A proposal in a scope the node reserves is refused by A: nothing stored there.
    let reserved = Draft {
        group: handle.clone(),
        title: "Open the data".into(),
        kind: Some("documentChange".into()),
        scope: Some("data-access".into()),
        ..Draft::default()
    };
    let r = cohort::service::proposals::create::create(&b.ctx, &bob, reserved)
        .await
        .expect("draft");
    let r = advance(&b.ctx, &bob, &r.id, S::Open, None)
        .await
        .expect("opened on B");
    settled(&[&b]).await;
    assert!(
        copy(&a, r.ap_id.as_deref().unwrap_or_default())
            .await
            .is_none(),
        "A refused the reserved scope"
    );

    // bob, on B, asks the group to start the vote (he may not decide it); A moves it and B and C
    // hear it from the group.
    let r = advance(&b.ctx, &bob, &on_b.id, S::Accepted, Some("mine".into())).await;
    assert!(
        format!("{r:?}").contains("cannot go from open to accepted"),
        "{r:?}"
    );
    let asked = advance(
        &b.ctx,
        &bob,
        &on_b.id,
        S::Voting,
        Some("discussion done".into()),
    )
    .await
    .expect("asked");
    assert_eq!(
        asked.state,
        S::Open,
        "B's copy moves when the group says so"
    );
    see_voting(&a, &b, &c, &ap).await;
    for (n, who, choice) in [
        (&a, "ann", Choice::Approve),
        (&b, "bob", Choice::Approve),
        (&b, "bea", Choice::Object),
        (&c, "carol", Choice::Approve),
        (&d, "dan", Choice::Approve),
    ] {
        let me = local(n, who).await;
        let id = copy(n, &ap).await.expect("copy").id;
        votes::vote(&n.ctx, &me, &id, choice, Some("my reason".into()))
            .await
            .expect("vote");
    }
    wait_until(60, "A counts five votes", || async {
        counted(&a, &on_a.id).await.len() == 5
    })
    .await;
    let bea = counted(&a, &on_a.id)
        .await
        .into_iter()
        .find(|v| v.choice == Choice::Object)
        .expect("bea");
    assert!(
        bea.proof
            .as_deref()
            .is_some_and(|p| p.contains("eddsa-jcs-2022")),
        "the signed vote is kept as evidence"
    );
    assert_eq!(bea.reason.as_deref(), Some("my reason"));

    // bob changes his vote: still one vote, now an objection.
    let bob_on_b = copy(&b, &ap).await.expect("copy").id;
    votes::vote(&b.ctx, &bob, &bob_on_b, Choice::Object, None)
        .await
        .expect("change");
    wait_until(60, "A sees bob's change", || async {
        counted(&a, &on_a.id)
            .await
            .iter()
            .filter(|v| v.institution == b.domain && v.choice == Choice::Object)
            .count()
            == 2
    })
    .await;

    // A blocks D: dan's changed vote is refused, his earlier vote stands unchanged.
    set_peer_level(&a, &d.domain, PeerLevel::Blocked).await;
    let (dan, dan_copy) = (
        local(&d, "dan").await,
        copy(&d, &ap).await.expect("copy").id,
    );
    votes::vote(&d.ctx, &dan, &dan_copy, Choice::Object, None)
        .await
        .expect("recorded on D");
    settled(&[&d]).await;
    let dans: Vec<Choice> = counted(&a, &on_a.id)
        .await
        .iter()
        .filter(|v| v.institution == d.domain)
        .map(|v| v.choice)
        .collect();
    assert_eq!(
        dans,
        vec![Choice::Approve],
        "a blocked peer's vote is not counted"
    );

    // A non-member's vote and a forged proof are refused; nothing changes.
    let before = counted(&a, &on_a.id).await.len();
    let cy = local(&c, "cy").await;
    let r = receive(
        &a,
        &cy,
        "Create",
        signed_vote(&cy, &ap, &wg.ap_id, "approve", None),
    )
    .await;
    assert!(
        r.as_ref().is_err_and(|e| e.contains("not a member")),
        "{r:?}"
    );
    let cora = local(&c, "cora").await;
    let r = receive(
        &a,
        &cora,
        "Create",
        signed_vote(&cora, &ap, &wg.ap_id, "object", Some("approve")),
    )
    .await;
    assert!(
        r.as_ref()
            .is_err_and(|e| e.contains("integrity proof refused")),
        "{r:?}"
    );
    assert_eq!(counted(&a, &on_a.id).await.len(), before);

    // A is down while cora votes; her vote waits in C's queue and is counted after the restart.
    a.stop().await;
    let cora_copy = copy(&c, &ap).await.expect("copy").id;
    votes::vote(&c.ctx, &cora, &cora_copy, Choice::Abstain, None)
        .await
        .expect("cora");
    a.restart().await;
    wait_until(60, "A counts cora after its restart", || async {
        counted(&a, &on_a.id).await.len() == before + 1
    })
    .await;

    // The decision: by the count (approve: ann, carol, dan; object: bob, bea; abstain: cora).
    let lead = local(&a, "lead").await;
    let r = advance(&a.ctx, &lead, &on_a.id, S::Rejected, Some("no".into())).await;
    assert!(
        format!("{r:?}").contains("the count decides accepted"),
        "{r:?}"
    );
    let decided = advance(
        &a.ctx,
        &lead,
        &on_a.id,
        S::Accepted,
        Some("A majority across three institutions.".into()),
    )
    .await
    .expect("accept");
    let tally_a: serde_json::Value =
        serde_json::from_str(decided.tally.as_deref().expect("tally")).expect("json");
    assert_eq!(
        (
            tally_a["total"]["approve"].as_i64(),
            tally_a["total"]["object"].as_i64(),
            tally_a["total"]["abstain"].as_i64()
        ),
        (Some(3), Some(2), Some(1))
    );
    for n in [&b, &c] {
        wait_until(60, &format!("{} has the decision", n.name), || async {
            copy(n, &ap).await.and_then(|p| p.outcome) == Some("accepted".into())
        })
        .await;
        let there = copy(n, &ap).await.expect("copy");
        let tally: serde_json::Value =
            serde_json::from_str(there.tally.as_deref().expect("tally")).expect("json");
        assert_eq!(tally, tally_a, "{} shows the same tally", n.name);
        assert_eq!(
            there.rationale.as_deref(),
            Some("A majority across three institutions.")
        );
    }
    // B wrote the post: it now states the outcome.
    let post = b
        .node_state
        .db
        .run({
            let id = bob_on_b.clone();
            move |c| db::posts::by_id(c, &id)
        })
        .await
        .expect("db")
        .expect("post");
    assert!(
        post.content
            .contains("Decision: accepted (3 approve, 2 object, 1 abstain)"),
        "{}",
        post.content
    );

    // A vote after the close is refused; a tampered decision is refused by C.
    let carol = local(&c, "carol").await;
    let r = receive(
        &a,
        &carol,
        "Create",
        signed_vote(&carol, &ap, &wg.ap_id, "object", None),
    )
    .await;
    assert!(
        r.as_ref().is_err_and(|e| e.contains("not in voting")),
        "{r:?}"
    );
    let kept: serde_json::Value = serde_json::from_str(
        copy(&c, &ap)
            .await
            .expect("copy")
            .decision_json
            .as_deref()
            .expect("kept"),
    )
    .expect("json");
    let mut forged = kept.clone();
    forged["object"]["outcome"] = serde_json::json!("rejected");
    forged["id"] = serde_json::json!(format!(
        "{}-forged",
        kept["id"].as_str().unwrap_or_default()
    ));
    let r = receive_document(&c, forged).await;
    assert!(
        r.as_ref()
            .is_err_and(|e| e.contains("integrity proof refused")),
        "{r:?}"
    );
    assert_eq!(
        copy(&c, &ap).await.and_then(|p| p.outcome).as_deref(),
        Some("accepted")
    );

    // Decided, then implemented: every node follows.
    let lead = local(&a, "lead").await;
    advance(
        &a.ctx,
        &lead,
        &on_a.id,
        S::Implemented,
        Some("Pilot started.".into()),
    )
    .await
    .expect("implemented");
    wait_until(60, "B and C see it implemented", || async {
        copy(&b, &ap).await.map(|p| p.state) == Some(S::Implemented)
            && copy(&c, &ap).await.map(|p| p.state) == Some(S::Implemented)
    })
    .await;

    // Consent: carol's objection without a reason does not block; bea's with a reason does.
    let consent = [
        (&a, "ann", Choice::Approve, None),
        (&c, "carol", Choice::Object, None),
        (&b, "bea", Choice::Object, Some("The sample is too small.")),
    ];
    rule_case(&a, &b, &c, &handle, "consent", &consent, S::Rejected).await;
    // Supermajority 2/3: three approvals of four decisive votes pass.
    let two_thirds = [
        (&a, "ann", Choice::Approve, None),
        (&a, "amy", Choice::Approve, None),
        (&b, "bob", Choice::Approve, None),
        (&c, "carol", Choice::Object, None),
        (&c, "cora", Choice::Abstain, None),
    ];
    rule_case(
        &a,
        &b,
        &c,
        &handle,
        "supermajority:2/3",
        &two_thirds,
        S::Accepted,
    )
    .await;
    election(&a, &b, &c, &handle).await;
    double_majority(&a, &b, &c, &handle).await;
}

type Ballot<'a> = (&'a TestNode, &'a str, Choice, Option<&'a str>);

/// A proposal by ann under `rule`, voted on from every node; the count decides `expected`, which
/// the lead records and B and C show with the same tally.
async fn rule_case(
    a: &TestNode,
    b: &TestNode,
    c: &TestNode,
    handle: &str,
    rule: &str,
    ballots: &[Ballot<'_>],
    expected: S,
) {
    let ann = local(a, "ann").await;
    let draft = Draft {
        group: handle.into(),
        title: format!("Decided by {rule}"),
        kind: Some("protocolReview".into()),
        scope: Some("protocols".into()),
        rule: Some(rule.into()),
        ..Draft::default()
    };
    let p = cohort::service::proposals::create::create(&a.ctx, &ann, draft)
        .await
        .expect("draft");
    advance(&a.ctx, &ann, &p.id, S::Open, None)
        .await
        .expect("open");
    let p = advance(&a.ctx, &ann, &p.id, S::Voting, None)
        .await
        .expect("voting");
    let ap = p.ap_id.clone().expect("ap");
    see_voting(a, b, c, &ap).await;
    for (n, who, choice, reason) in ballots {
        let me = local(n, who).await;
        let id = copy(n, &ap).await.expect("copy").id;
        votes::vote(&n.ctx, &me, &id, *choice, reason.map(str::to_string))
            .await
            .expect("vote");
    }
    wait_until(60, "A counts every ballot", || async {
        counted(a, &p.id).await.len() == ballots.len()
    })
    .await;
    let lead = local(a, "lead").await;
    let decided = advance(&a.ctx, &lead, &p.id, expected, Some(format!("By {rule}.")))
        .await
        .expect("decided by the count");
    for n in [b, c] {
        wait_until(
            60,
            &format!("{} has the {rule} decision", n.name),
            || async {
                copy(n, &ap).await.and_then(|p| p.outcome) == Some(expected.as_str().to_string())
            },
        )
        .await;
        assert_eq!(
            copy(n, &ap).await.and_then(|p| p.tally),
            decided.tally,
            "{} shows the same tally",
            n.name
        );
    }
}

/// A lead election proposed on B for carol (on C): accepted on A, she leads, and C hears it.
async fn election(a: &TestNode, b: &TestNode, c: &TestNode, handle: &str) {
    let bob = local(b, "bob").await;
    let draft = Draft {
        group: handle.into(),
        title: "Carol leads the group".into(),
        template: Some("lead-election".into()),
        answers: vec![("candidate".into(), c.handle("carol"))],
        candidate: Some(c.handle("carol")),
        term_days: Some(30),
        ..Draft::default()
    };
    let p = cohort::service::proposals::create::create(&b.ctx, &bob, draft)
        .await
        .expect("draft");
    let p = advance(&b.ctx, &bob, &p.id, S::Open, None)
        .await
        .expect("open");
    let ap = p.ap_id.clone().expect("ap");
    wait_until(60, "A knows the election", || async {
        copy(a, &ap).await.is_some()
    })
    .await;
    let on_a = copy(a, &ap).await.expect("on A");
    assert!(
        on_a.payload.as_deref().is_some_and(|j| j.contains("carol")),
        "{:?}",
        on_a.payload
    );
    let lead = local(a, "lead").await;
    advance(&a.ctx, &lead, &on_a.id, S::Voting, None)
        .await
        .expect("voting");
    for who in ["ann", "amy"] {
        let me = local(a, who).await;
        votes::vote(&a.ctx, &me, &on_a.id, Choice::Approve, None)
            .await
            .expect("vote");
    }
    advance(
        &a.ctx,
        &lead,
        &on_a.id,
        S::Accepted,
        Some("Elected.".into()),
    )
    .await
    .expect("accepted");
    let carol_on_c = local(c, "carol").await;
    let wg_on_c = copy(c, &ap).await.expect("copy").group_id;
    wait_until(60, "C learns carol leads", || async {
        let (g, w) = (wg_on_c.clone(), carol_on_c.id.clone());
        c.node_state
            .db
            .run(move |c| db::actors::is_moderator(c, &g, &w))
            .await
            .expect("db")
    })
    .await;
}

/// Members approve 4 to 2, but only A of three institutions approves: rejected.
async fn double_majority(a: &TestNode, b: &TestNode, c: &TestNode, handle: &str) {
    let ann = local(a, "ann").await;
    let draft = Draft {
        group: handle.into(),
        title: "Adopt the shared protocol".into(),
        kind: Some("protocolReview".into()),
        scope: Some("protocols".into()),
        rule: Some("double-majority".into()),
        ..Draft::default()
    };
    let p = cohort::service::proposals::create::create(&a.ctx, &ann, draft)
        .await
        .expect("draft");
    let p = advance(&a.ctx, &ann, &p.id, S::Open, None)
        .await
        .expect("open");
    let p = advance(&a.ctx, &ann, &p.id, S::Voting, None)
        .await
        .expect("voting");
    let ap = p.ap_id.clone().expect("ap");
    see_voting(a, b, c, &ap).await;
    for (n, who, choice) in [
        (a, "ann", Choice::Approve),
        (a, "amy", Choice::Approve),
        (a, "abe", Choice::Approve),
        (a, "lead", Choice::Approve),
        (b, "bob", Choice::Object),
        (b, "bea", Choice::Abstain),
        (c, "carol", Choice::Object),
    ] {
        let me = local(n, who).await;
        let id = copy(n, &ap).await.expect("copy").id;
        votes::vote(&n.ctx, &me, &id, choice, None)
            .await
            .expect("vote");
    }
    wait_until(60, "A counts seven votes", || async {
        counted(a, &p.id).await.len() == 7
    })
    .await;
    let lead = local(a, "lead").await;
    let r = advance(
        &a.ctx,
        &lead,
        &p.id,
        S::Accepted,
        Some("members agree".into()),
    )
    .await;
    assert!(
        format!("{r:?}").contains("the count decides rejected"),
        "{r:?}"
    );
    // bea, a lead on B, decides it from her node.
    cohort::service::groups::add_moderator(&a.ctx, "wg", &b.handle("bea"), None)
        .await
        .expect("bea leads");
    let bea = local(b, "bea").await;
    let on_b = copy(b, &ap).await.expect("copy");
    wait_until(60, "B knows bea leads", || async {
        let (g, w) = (on_b.group_id.clone(), bea.id.clone());
        b.node_state
            .db
            .run(move |c| db::actors::is_moderator(c, &g, &w))
            .await
            .expect("db")
    })
    .await;
    let why = "Only one institution of three approves.";
    advance(&b.ctx, &bea, &on_b.id, S::Rejected, Some(why.into()))
        .await
        .expect("asked");
    wait_until(60, "A records the rejection", || async {
        copy(a, &ap).await.and_then(|p| p.outcome) == Some("rejected".into())
    })
    .await;
    let done = copy(a, &ap).await.expect("decided");
    assert_eq!(done.rationale.as_deref(), Some(why));
    let tally: serde_json::Value =
        serde_json::from_str(done.tally.as_deref().expect("tally")).expect("json");
    assert_eq!(
        tally["institutions"][&a.domain]["approve"].as_i64(),
        Some(4)
    );
    for n in [b, c] {
        wait_until(60, &format!("{} has the rejection", n.name), || async {
            copy(n, &ap).await.and_then(|p| p.outcome) == Some("rejected".into())
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn proposals_across_three_nodes_on_sqlite() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn proposals_across_three_nodes_on_postgres() {
    run(Store::Postgres).await;
}

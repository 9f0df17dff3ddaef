//! The world of the decision-record tests: node A with a public group `open` and a members-only
//! group `inner`, each with decided proposals; B (a full peer hosting a member of both groups),
//! C (a full peer hosting none), D (limited) and E (blocked).

use crate::{
    follow_state, free_port, group,
    proposal_decisions::{decide, draft, Decision},
    sqlite_node, wait_until, TestNode,
};
use cohort::{
    db::{actors::ActorRow, proposals::ProposalRow},
    domain::{
        policy::{PeerLevel, Visibility},
        proposal::{Choice, ProposalState as S},
    },
    service::{follows, users},
};

/// The nodes and A's decided proposals.
pub struct World {
    pub a: TestNode,
    pub b: TestNode,
    pub c: TestNode,
    pub d: TestNode,
    pub e: TestNode,
    pub open: ActorRow,
    /// In `open`: a research question, rejected under double majority (B's member objects).
    pub question: ProposalRow,
    /// In `open`, decided after the question: a governance rule that adds the scope `outreach`.
    pub rule: ProposalRow,
    /// In `inner`: a document change, accepted.
    pub hidden: ProposalRow,
}

/// The new governance document of `open`.
pub const DOC: &str = r#"{"scopes": {"research": "open", "protocols": "open", "documents": "open",
  "governance": "open", "leads": "open", "budget": "shared", "outreach": "open"},
  "text": "Members decide by vote; outreach too.", "code_of_conduct": "Be kind to reviewers."}"#;

async fn user(n: &TestNode, name: &str) -> ActorRow {
    let made = users::create_user(&n.node_state, name, false, None).await;
    made.expect("user").0
}

fn peer(port: u16, level: PeerLevel) -> (String, PeerLevel) {
    (format!("localhost:{port}"), level)
}

/// Starts the five nodes, joins the members and decides the proposals.
pub async fn build() -> World {
    let mut ports = [0u16; 5];
    for p in &mut ports {
        *p = free_port().await;
    }
    let [pa, pb, pc, pd, pe] = ports;
    let levels = [
        peer(pb, PeerLevel::Full),
        peer(pc, PeerLevel::Full),
        peer(pd, PeerLevel::Limited),
        peer(pe, PeerLevel::Blocked),
    ];
    let a = sqlite_node("A", pa, levels.into()).await;
    let to_a = || [peer(pa, PeerLevel::Full)].into();
    let (b, c) = (
        sqlite_node("B", pb, to_a()).await,
        sqlite_node("C", pc, to_a()).await,
    );
    let (d, e) = (
        sqlite_node("D", pd, to_a()).await,
        sqlite_node("E", pe, to_a()).await,
    );
    let (lead, alice, bob) = (
        user(&a, "lead").await,
        user(&a, "alice").await,
        user(&a, "bob").await,
    );
    let open = group(&a, "open", Visibility::Public, false, Some("lead")).await;
    let inner = group(&a, "inner", Visibility::Members, false, Some("lead")).await;
    user(&b, "bm").await;
    for g in [&open, &inner] {
        for m in ["alice", "bob"] {
            follows::follow(&a.ctx, m, &a.handle(&g.username))
                .await
                .expect("join");
        }
        follows::follow(&b.ctx, "bm", &a.handle(&g.username))
            .await
            .expect("join from B");
        wait_until(20, "B's member joined", || async {
            follow_state(&b, "bm", &g.ap_id).await.as_deref() == Some("accepted")
        })
        .await;
    }
    let bm_id = format!("{}/users/bm", b.base());
    let bm = a
        .node_state
        .db
        .run(move |c| cohort::db::actors::by_ap_id(c, &bm_id))
        .await;
    let bm = bm.expect("db").expect("A knows B's member");

    let answers = [
        ("question", "Does sleep help recovery?"),
        ("background", "Prior work."),
    ];
    let mut asked = draft(
        "open",
        "Study sleep and recovery",
        "research-question",
        &answers,
    );
    asked.rule = Some("double-majority".into());
    let question = decide(
        &a.ctx,
        Decision {
            draft: asked,
            author: &alice,
            votes: vec![
                (&alice, Choice::Approve),
                (&bob, Choice::Object),
                (&bm, Choice::Object),
            ],
            lead: &lead,
            outcome: S::Rejected,
            rationale: "A majority objects.",
        },
    )
    .await;
    let rule = decide(
        &a.ctx,
        Decision {
            draft: draft(
                "open",
                "Open outreach to a vote",
                "governance-rule",
                &[("document", DOC)],
            ),
            author: &bob,
            votes: vec![(&alice, Choice::Approve), (&bob, Choice::Approve)],
            lead: &lead,
            outcome: S::Accepted,
            rationale: "Unanimous among voters.",
        },
    )
    .await;
    let change = [("document", "Protocol v2"), ("change", "Add sites.")];
    let hidden = decide(
        &a.ctx,
        Decision {
            draft: draft(
                "inner",
                "Share the cohort protocol",
                "document-change",
                &change,
            ),
            author: &alice,
            votes: vec![
                (&alice, Choice::Approve),
                (&bob, Choice::Approve),
                (&bm, Choice::Approve),
            ],
            lead: &lead,
            outcome: S::Accepted,
            rationale: "Both institutions agree.",
        },
    )
    .await;
    World {
        a,
        b,
        c,
        d,
        e,
        open,
        question,
        rule,
        hidden,
    }
}

//! Lead terms on one in-process node with a recording outbound port, on SQLite and PostgreSQL:
//! a term ends at the end of its UTC day and peers hear `Remove`; a renewed term keeps the lead;
//! a non-member is refused and nothing changes; bad term lengths are refused.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{
    db::{self, actors::ActorRow},
    domain::{actor::ActorKind, ids::ActorId, lead_term, time::now_ms},
    error::AppError,
    service::{
        groups::{self, moderators::grant_lead, Grant},
        outbound::{commit, Outbound, Recorder},
    },
    Node,
};
use std::sync::Arc;
use support::*;

fn intents(r: &Recorder) -> Vec<Outbound> {
    r.intents.lock().unwrap().clone()
}

async fn grant(n: &Node, group: &ActorRow, who: &ActorRow, end: i64) -> Result<Grant, AppError> {
    let (g, w) = (ActorId(group.id.clone()), ActorId(who.id.clone()));
    commit(&n.state, move |c, out| grant_lead(c, out, &g, &w, end)).await
}

async fn term(n: &Node, group: &ActorRow, who: &ActorRow) -> Option<Option<i64>> {
    let (g, w) = (group.id.clone(), who.id.clone());
    n.state
        .db
        .run(move |c| db::leads::term(c, &g, &w))
        .await
        .expect("term")
}

async fn lead_terms(n: Node, rec: Arc<Recorder>) {
    let ctx = n.ctx();
    let spec = groups::NewGroup {
        name: "wg".into(),
        display_name: None,
        summary: None,
        approval_required: false,
        visibility: cohort::domain::policy::Visibility::Public,
        moderator: None,
    };
    let wg = groups::create_group(&n.state, spec).await.expect("group");
    let (ann, bob, out) = (
        member(&n, "ann").await,
        member(&n, "bob").await,
        member(&n, "out").await,
    );
    accepted_follow(&n, &ann, &wg).await;
    accepted_follow(&n, &bob, &wg).await;

    // Both terms end at 10:00 UTC thirty days from now; the role lasts until the next midnight.
    let today = lead_term::over_if_ended_before(now_ms());
    let end = today + 30 * lead_term::DAY_MS + 10 * 3_600_000;
    let midnight = lead_term::role_ends_at(end);
    assert_eq!(grant(&n, &wg, &ann, end).await.expect("ann"), Grant::Added);
    assert_eq!(grant(&n, &wg, &bob, end).await.expect("bob"), Grant::Added);
    assert_eq!(intents(&rec).len(), 2, "two Add: {:?}", intents(&rec));

    // Re-electing bob extends his term and is not announced again.
    let later = end + 5 * lead_term::DAY_MS;
    assert_eq!(
        grant(&n, &wg, &bob, later).await.expect("renew"),
        Grant::Renewed
    );
    assert_eq!(intents(&rec).len(), 2, "no second Add");
    assert_eq!(term(&n, &wg, &bob).await, Some(Some(later)));

    // Not a member: refused, and nothing is stored or emitted.
    let refused = grant(&n, &wg, &out, end).await;
    assert!(
        matches!(&refused, Err(AppError::Unprocessable(m)) if m.contains("accepted member")),
        "{refused:?}"
    );
    assert_eq!(term(&n, &wg, &out).await, None);
    assert_eq!(intents(&rec).len(), 2);

    // A remote group's copy of its lead list has no term here and never ends here.
    let peer_group = remote(&n, "pg", "full.example", ActorKind::Group).await;
    let peer_lead = remote(&n, "pl", "full.example", ActorKind::Person).await;
    let (pg, pl) = (peer_group.id.clone(), peer_lead.id.clone());
    n.state
        .db
        .run(move |c| db::actors::add_moderator(c, &pg, &pl, 0))
        .await
        .expect("copy");

    // During the term's last day, up to its last millisecond, ann is still a lead.
    for at in [end, midnight - 1] {
        assert_eq!(
            groups::expire_leads(&ctx, at).await.expect("expire"),
            0,
            "at {at}"
        );
    }
    assert!(term(&n, &wg, &ann).await.is_some());

    // At midnight ann's role ends; peers hear Remove. Bob, re-elected, stays.
    assert_eq!(
        groups::expire_leads(&ctx, midnight).await.expect("expire"),
        1
    );
    let removed = &intents(&rec)[2..];
    assert!(
        matches!(removed, [Outbound::Moderator { group_id, member_id, added: false }]
            if group_id.as_str() == wg.id && member_id.as_str() == ann.id),
        "{removed:?}"
    );
    assert_eq!(term(&n, &wg, &ann).await, None);
    assert_eq!(term(&n, &wg, &bob).await, Some(Some(later)));
    assert_eq!(term(&n, &peer_group, &peer_lead).await, Some(None));
    assert_eq!(
        groups::expire_leads(&ctx, midnight + 1)
            .await
            .expect("again"),
        0
    );
    assert_eq!(intents(&rec).len(), 3, "removed once");

    // A term that is already over cannot be granted; a member can be a lead again (a new Add).
    let past = grant(&n, &wg, &ann, today - 1).await;
    assert!(
        matches!(&past, Err(AppError::Unprocessable(m)) if m.contains("already over")),
        "{past:?}"
    );
    assert_eq!(
        grant(&n, &wg, &ann, end).await.expect("again"),
        Grant::Added
    );
    assert!(matches!(
        intents(&rec).last(),
        Some(Outbound::Moderator { added: true, .. })
    ));

    // The command line's use case: the default term from config, bad lengths refused.
    let handle = format!("@bob@{HERE}");
    let year = 365 * lead_term::DAY_MS;
    let before = now_ms();
    let renewed = groups::add_moderator(&ctx, "wg", &handle, None)
        .await
        .expect("default term");
    assert_eq!(renewed.grant, Grant::Renewed);
    assert!((before + year..=now_ms() + year).contains(&renewed.term_ends_at));
    let zero = groups::add_moderator(&ctx, "wg", &handle, Some(0)).await;
    assert!(
        matches!(&zero, Err(AppError::Unprocessable(m)) if m.contains("at least 1 day")),
        "{zero:?}"
    );
    let listed = groups::leads(&n.state, "wg").await.expect("list");
    let names: Vec<_> = listed
        .iter()
        .map(|(a, t)| (a.username.as_str(), t.is_some()))
        .collect();
    assert_eq!(names, [("bob", true), ("ann", true)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lead_terms_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let (n, rec) = recording_node(&dir).await;
    lead_terms(n, rec).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lead_terms_on_postgres() {
    let Some(url) = db::test_postgres_database("leads") else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let rec = Arc::new(Recorder::default());
    let n = node(
        url,
        &dir,
        &[("full.example", cohort::domain::policy::PeerLevel::Full)],
        Some(rec.clone()),
    )
    .await;
    lead_terms(n, rec).await;
}

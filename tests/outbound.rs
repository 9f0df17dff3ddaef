//! The outbound port on one node, without a network: which peers get a delivery row for each kind
//! of content (public, followers-only, direct, group posts with mentions), how it is addressed,
//! and that each refusal is in the audit log. Nothing is sent: no worker runs.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{
    db::{self, actors::ActorRow},
    domain::{actor::ActorKind, policy::PeerLevel, policy::Visibility},
    federation::jsonld::PUBLIC,
    service::{groups, posting},
};
use serde_json::Value;
use std::collections::BTreeSet;
use support::*;

const PEERS: &[(&str, PeerLevel)] = &[
    ("full.example", PeerLevel::Full),
    ("other.example", PeerLevel::Full),
    ("limited.example", PeerLevel::Limited),
    ("blocked.example", PeerLevel::Blocked),
];

/// The peers that got a delivery of the Create of `post`, and that Create's addressing.
async fn sent(n: &cohort::Node, post: &db::posts::PostRow) -> (BTreeSet<String>, Vec<String>) {
    let ap = post.ap_id.clone();
    n.state
        .db
        .run(move |c| {
            let mut peers = BTreeSet::new();
            let mut addressing = Vec::new();
            for (peer, _) in PEERS {
                for payload in db::deliveries::payloads_for_peer(c, peer)? {
                    let v: Value = serde_json::from_str(&payload).expect("json");
                    let object = v["object"]["id"]
                        .as_str()
                        .or(v["object"]["object"]["id"].as_str());
                    if object == Some(ap.as_str()) {
                        peers.insert(peer.to_string());
                        for key in ["to", "cc"] {
                            for a in v[key].as_array().into_iter().flatten() {
                                addressing.extend(a.as_str().map(String::from));
                            }
                        }
                    }
                }
            }
            Ok((peers, addressing))
        })
        .await
        .expect("deliveries")
}

fn set(peers: &[&str]) -> BTreeSet<String> {
    peers.iter().map(|p| p.to_string()).collect()
}

async fn publish(
    n: &cohort::Node,
    me: &ActorRow,
    group: Option<ActorRow>,
    text: &str,
    vis: &str,
) -> db::posts::PostRow {
    posting::publish_post(&n.ctx(), me, group, post(text, vis), vec![], None)
        .await
        .expect("post")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_follow_the_audience_rule() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    let n = node(url, &dir, PEERS, None).await;
    let author = member(&n, "author").await;
    for domain in ["full.example", "limited.example", "blocked.example"] {
        let f = remote(&n, "fan", domain, ActorKind::Person).await;
        accepted_follow(&n, &f, &author).await;
    }
    remote(&n, "pat", "other.example", ActorKind::Person).await;
    remote(&n, "lee", "limited.example", ActorKind::Person).await;
    let mentions = "@pat@other.example @lee@limited.example";

    let p = publish(&n, &author, None, "hello all", "public").await;
    let (peers, to) = sent(&n, &p).await;
    assert_eq!(
        peers,
        set(&["full.example", "limited.example"]),
        "never the blocked peer"
    );
    assert!(to.iter().any(|a| a == PUBLIC));

    let p = publish(&n, &author, None, "followers only", "private").await;
    let (peers, to) = sent(&n, &p).await;
    assert_eq!(
        peers,
        set(&["full.example"]),
        "limited peers get public content only"
    );
    assert!(!to.iter().any(|a| a == PUBLIC), "{to:?}");

    let p = publish(
        &n,
        &author,
        None,
        &format!("just you two {mentions}"),
        "direct",
    )
    .await;
    let (peers, to) = sent(&n, &p).await;
    assert_eq!(
        peers,
        set(&["other.example"]),
        "a DM goes to its addressees only, and never to a limited peer"
    );
    let to: BTreeSet<String> = to.into_iter().collect();
    let addressees = set(&[
        "https://other.example/users/pat",
        "https://limited.example/users/lee",
    ]);
    assert_eq!(to, addressees, "addressed to its addressees alone");

    // Group posts: a mention never widens the group's audience.
    for (name, visibility, expected) in [
        ("cons", Visibility::Consortium, vec!["other.example"]),
        ("mem", Visibility::Members, vec![]),
        ("loc", Visibility::Local, vec![]),
    ] {
        let spec = groups::NewGroup {
            name: name.into(),
            display_name: None,
            summary: None,
            approval_required: false,
            visibility,
            moderator: Some("author".into()),
        };
        let g = groups::create_group(&n.state, spec).await.expect("group");
        let p = publish(
            &n,
            &author,
            Some(g),
            &format!("in {name} {mentions}"),
            "public",
        )
        .await;
        let (peers, to) = sent(&n, &p).await;
        assert_eq!(peers, set(&expected), "group {name}");
        assert!(!to.iter().any(|a| a == PUBLIC), "group {name}: {to:?}");
    }

    // Every refusal was decided and written down.
    let refusals = n
        .state
        .db
        .run(|c| db::audit::recent(c, Some("limited.example"), 100))
        .await
        .expect("audit");
    assert!(
        refusals
            .iter()
            .filter(|r| r.action == "refuse-deliver")
            .count()
            >= 4
    );
}

const MANY: &[(&str, PeerLevel)] = &[
    ("p1.example", PeerLevel::Full),
    ("p2.example", PeerLevel::Full),
    ("p3.example", PeerLevel::Full),
    ("p4.example", PeerLevel::Full),
    ("p5.example", PeerLevel::Full),
    ("p6.example", PeerLevel::Limited),
];

/// What publishing a public post costs when its author's followers live on `peers` of `MANY`.
async fn cost_of_sending(n: &cohort::Node, name: &str, peers: usize) -> u64 {
    let author = member(n, name).await;
    for (domain, _) in &MANY[..peers] {
        let f = remote(n, &format!("{name}-fan"), domain, ActorKind::Person).await;
        accepted_follow(n, &f, &author).await;
    }
    // Live events go out after the use case returns (on PostgreSQL): the post's own are counted,
    // those of the follows before it are not.
    n.state.events.settled().await;
    let before = n.state.db.statements();
    let p = publish(n, &author, None, "to everyone who follows", "public").await;
    n.state.events.settled().await;
    let cost = n.state.db.statements() - before;
    let got = sent_to(n, &p).await;
    assert_eq!(got.len(), peers, "{name}: every peer was sent the post");
    cost
}

/// The peers that got a delivery of `post` among `MANY`.
async fn sent_to(n: &cohort::Node, post: &db::posts::PostRow) -> BTreeSet<String> {
    let ap = post.ap_id.clone();
    n.state
        .db
        .run(move |c| {
            let mut peers = BTreeSet::new();
            for (peer, _) in MANY {
                for payload in db::deliveries::payloads_for_peer(c, peer)? {
                    if payload.contains(&ap) {
                        peers.insert(peer.to_string());
                    }
                }
            }
            Ok(peers)
        })
        .await
        .expect("deliveries")
}

/// Deciding for each receiving peer reads what the audience rule needs once for all of them, and
/// the audit entries and delivery rows are written in one statement each: sending to six peers
/// costs what sending to one does (judging each peer on its own read seven statements more per
/// peer, and writing its rows one by one two more).
async fn sending_to_more_peers_costs_only_their_rows(url: String, dir: &tempfile::TempDir) {
    let n = node(url, dir, MANY, None).await;
    let one = cost_of_sending(&n, "solo", 1).await;
    let six = cost_of_sending(&n, "many", 6).await;
    assert_eq!(
        six, one,
        "one peer: {one} statements, six peers: {six} statements"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_to_more_peers_costs_only_their_rows_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    sending_to_more_peers_costs_only_their_rows(url, &dir).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_to_more_peers_costs_only_their_rows_on_postgres() {
    let Some(url) = db::test_postgres_database("outboundcost") else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    sending_to_more_peers_costs_only_their_rows(url.clone(), &dir).await;
    db::drop_test_database(&url).expect("drop");
}

/// A relay reads one follower per delivery inbox and software, not every follower: followers
/// sharing an inbox collapse to one row, those with inboxes of their own or another software
/// keep theirs, and the host the activity comes from and pending followers are left out. The
/// hosts a relay reaches (left out of a local member's direct sends) are read once each.
async fn relays_read_one_follower_per_inbox(url: String, dir: &tempfile::TempDir) {
    let n = node(url, dir, MANY, None).await;
    let lead = member(&n, "lead").await;
    let follow = |name: &'static str, domain: &'static str| {
        let n = &n;
        async move { remote(n, name, domain, ActorKind::Person).await }
    };
    let store = |row: ActorRow| n.state.db.run(move |c| db::actors::upsert_remote(c, &row));
    let mut shared = vec![];
    for name in ["x1", "x2", "x3"] {
        shared.push(follow(name, "x.example").await);
    }
    let mut lemmy = follow("xl", "x.example").await;
    (lemmy.speaks_cohort, lemmy.speaks_lemmy) = (false, true);
    let lemmy = store(lemmy).await.unwrap();
    // Actors with no shared inbox: stored that way at once (a stored one keeps its shared inbox
    // when a refresh has none).
    let y = follow("y0", "y.example").await;
    let mut own = vec![];
    for name in ["y1", "y2"] {
        let ap_id = format!("https://y.example/users/{name}");
        let row = ActorRow {
            id: cohort::domain::ids::new_id(),
            username: name.into(),
            inbox: format!("{ap_id}/inbox"),
            shared_inbox: None,
            ap_id,
            ..y.clone()
        };
        own.push(store(row).await.unwrap());
    }
    let origin = follow("z1", "z.example").await;
    for f in shared.iter().chain(&own).chain([&lemmy, &origin, &y]) {
        accepted_follow(&n, f, &lead).await;
    }
    let pending = follow("w1", "w.example").await;
    let row = db::follows::FollowRow {
        id: cohort::domain::ids::new_id(),
        follower_id: pending.id.clone(),
        target_id: lead.id.clone(),
        activity_ap_id: format!("{}#follow", pending.ap_id),
        state: db::follows::FollowState::Pending,
        created_at: 0,
        notify: false,
    };
    n.state
        .db
        .run(move |c| db::follows::upsert(c, &row))
        .await
        .unwrap();

    let id = lead.id.clone();
    let (all, per_inbox, mut hosts) = n
        .state
        .db
        .run(move |c| {
            Ok((
                db::follows::remote_followers(c, &id)?,
                db::follows::remote_followers_per_inbox(c, &id, Some("z.example"))?,
                db::follows::remote_follower_hosts(c, &id)?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 8, "every accepted remote follower");
    hosts.sort();
    assert_eq!(
        hosts,
        ["x.example", "y.example", "z.example"],
        "each host once"
    );
    let mut got: Vec<(String, bool)> = per_inbox
        .iter()
        .map(|a| {
            let inbox = a.shared_inbox.clone().unwrap_or_else(|| a.inbox.clone());
            (inbox, a.speaks_lemmy)
        })
        .collect();
    got.sort();
    let mut want = vec![
        ("https://x.example/inbox".to_string(), false),
        ("https://x.example/inbox".to_string(), true),
        ("https://y.example/inbox".to_string(), false),
        (own[0].inbox.clone(), false),
        (own[1].inbox.clone(), false),
    ];
    want.sort();
    assert_eq!(got, want);

    // On PostgreSQL the statement stays prepared: one prepared statement for any number of calls.
    if let db::Backend::Postgres(_) = n.state.db.backend() {
        let id = lead.id.clone();
        let kept = n
            .state
            .db
            .run(move |c| {
                for _ in 0..3 {
                    db::follows::remote_followers_per_inbox(c, &id, None)?;
                }
                Ok(prepared(c, "%AS \"follower\"%").len())
            })
            .await
            .unwrap();
        assert_eq!(kept, 1, "prepared statements of the relay's read");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relays_read_one_follower_per_inbox_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    relays_read_one_follower_per_inbox(url, &dir).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relays_read_one_follower_per_inbox_on_postgres() {
    let Some(url) = db::test_postgres_database("relayinboxes") else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    relays_read_one_follower_per_inbox(url.clone(), &dir).await;
    db::drop_test_database(&url).expect("drop");
}

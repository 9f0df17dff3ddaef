//! What an inbound activity costs in SQL statements, on SQLite and PostgreSQL: a member's `Create`
//! into a local group and another member's `Like` of that post, signed by a peer and POSTed to the
//! shared inbox, each cost a fixed number of statements (the inbox's claim and mark, the peer
//! policy when its level is not held, the post or favourite, notifications, the group's relay and
//! its record). Counted by the pool's own counter on a node that serves HTTP without its
//! background workers, so nothing else runs statements meanwhile. A relay that has no peer to
//! reach queues no delivery (and wakes no delivery worker); one that has, does.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use cohort::domain::policy::PeerLevel;
use cohort::service::posting;
use federation_tests::load::{self, post_expecting};
use federation_tests::{database_url, group_in, text, Store};
use std::sync::atomic::Ordering;

/// Activities of each kind sent (one at a time, so the count per activity is exact).
const N: u64 = 6;

/// POSTs each signed activity to `inbox`; each must be accepted.
async fn post_each(inbox: &str, signed: Vec<load::Signed>) {
    post_expecting(inbox, signed, 202).await;
}

async fn run(store: Store) {
    let dir = tempfile::tempdir().unwrap();
    let Some(url) = database_url(store, dir.path(), "inboundcosts") else {
        return;
    };
    let peers = load::peers(2, 2).await;
    let (node, port) = load::serving_node(url, dir.path(), &peers).await;
    let state = node.state.clone();
    let config = state.config.clone();

    let g = group_in(&state, "wg", Default::default(), false, None).await;
    let inbox = format!("http://localhost:{port}/inbox");
    let (a, b) = (&peers[0].members[0], &peers[0].members[1]);
    let follows = vec![load::follow(a, &g.ap_id), load::follow(b, &g.ap_id)];
    post_each(&inbox, load::sign_all(&inbox, follows).await).await;
    let queued = || state.metrics.deliveries_queued.load(Ordering::Relaxed);
    assert_eq!(queued(), 2, "the group's two Accepts");

    let notes: Vec<String> = (0..N).map(|i| format!("{}/notes/{i}", a.ap_id)).collect();
    let note = |i: u64| notes[i as usize].clone();
    let creates = (0..N)
        .map(|i| load::create_in(a, &note(i), &g.ap_id, &format!("note {i}")))
        .collect();
    let likes = (0..N)
        .map(|i| load::like(b, i as usize, &note(i)))
        .collect();
    let (creates, likes) = (
        load::sign_all(&inbox, creates).await,
        load::sign_all(&inbox, likes).await,
    );

    // Live events go out after each activity's use case (PostgreSQL): each count includes those
    // of its own activities.
    state.events.settled().await;
    let before = state.db.statements();
    post_each(&inbox, creates).await;
    state.events.settled().await;
    let create = (state.db.statements() - before) as f64 / N as f64;
    let before = state.db.statements();
    post_each(&inbox, likes).await;
    state.events.settled().await;
    let like = (state.db.statements() - before) as f64 / N as f64;
    println!("{store:?}: {create:.1} statements per Create, {like:.1} per Like");

    // Every activity did its work.
    let stored = state
        .db
        .run(move |c| {
            let mut favourites = 0;
            for n in &notes {
                let p = cohort::db::posts::by_ap_id(c, n)?.expect("stored");
                favourites += cohort::db::interactions::counts(c, &p.id)?.0;
            }
            Ok(favourites)
        })
        .await
        .unwrap();
    assert_eq!(stored, N as i64, "every post stored and liked once");
    let (max_create, max_like) = match store {
        Store::Sqlite => (MAX_CREATE_SQLITE, MAX_LIKE_SQLITE),
        Store::Postgres => (MAX_CREATE_POSTGRES, MAX_LIKE_POSTGRES),
    };
    assert!(create <= max_create, "a Create ran {create} statements");
    assert!(like <= max_like, "a Like ran {like} statements");

    // Both members live on one peer, where the posts come from: the relays queued nothing. A
    // member of a second peer joins (the group's Accept is one delivery); the next post is
    // relayed there.
    assert_eq!(queued(), 2, "relays with no peer to reach queue nothing");
    let c = &peers[1].members[0];
    post_each(
        &inbox,
        load::sign_all(&inbox, vec![load::follow(c, &g.ap_id)]).await,
    )
    .await;
    assert_eq!(queued(), 3, "the Accept of the second peer's member");
    let late = format!("{}/notes/late", a.ap_id);
    let create = load::create_in(a, &late, &g.ap_id, "for both peers");
    post_each(&inbox, load::sign_all(&inbox, vec![create]).await).await;
    assert_eq!(queued(), 4, "the post relayed to the second peer");

    // A peer's Like of a local member's post notifies her, in a group (where the post is read
    // again with its author and group for the relay) and outside one.
    let ctx = node.ctx();
    let ann = cohort::service::users::create_user(&state, "ann", false, None)
        .await
        .expect("ann")
        .0;
    let domain = &config.instance.domain;
    group_in(&state, "lab", Default::default(), false, Some("ann")).await;
    let in_group = posting::post(&ctx, "ann", &format!("lab@{domain}"), text("in the lab"))
        .await
        .expect("group post");
    let alone = posting::publish_post(&ctx, &ann, None, text("on her own"), vec![], None)
        .await
        .expect("own post");
    let favourites = || {
        let ann = ann.id.clone();
        state.db.run(move |c| {
            let kinds = ["favourite".to_string()];
            Ok(cohort::db::notifications::list(c, &ann, None, None, &kinds, &[], 40)?.len())
        })
    };
    for (n, post) in [(100, &in_group), (101, &alone)] {
        let like = load::like(b, n, &post.ap_id);
        post_each(&inbox, load::sign_all(&inbox, vec![like]).await).await;
    }
    assert_eq!(
        favourites().await.unwrap(),
        2,
        "ann heard of both favourites"
    );

    // The inbox holds the sender's level for a moment (`service::peer_levels`); a block set
    // through this node applies to the very next activity all the same, and so does lifting it.
    let peer = format!("localhost:{}", peers[0].server.port);
    let now = std::time::Instant::now;
    assert_eq!(
        state.peer_levels.get(&peer, now()),
        Some(PeerLevel::Full),
        "the level read for the last Like is held"
    );
    let set = |level| cohort::service::peers::set_level(&state, &peer, level, None);
    set(PeerLevel::Blocked).await.unwrap();
    let again = || load::like(a, 102, &in_group.ap_id);
    post_expecting(&inbox, load::sign_all(&inbox, vec![again()]).await, 403).await;
    assert_eq!(
        favourites().await.unwrap(),
        2,
        "the blocked peer's Like did nothing"
    );
    assert_eq!(
        state.peer_levels.get(&peer, now()),
        Some(PeerLevel::Blocked)
    );
    set(PeerLevel::Full).await.unwrap();
    post_each(&inbox, load::sign_all(&inbox, vec![again()]).await).await;
    assert_eq!(
        favourites().await.unwrap(),
        3,
        "accepted again once allowed"
    );
}

// What each costs today. SQLite writes the inbox's claim and marks in transactions of their own
// (`BEGIN`/`COMMIT` are counted); PostgreSQL writes them as single statements. A post into a local
// group and a favourite write their mark in their own transaction, with no claim before; the
// favourite reads its post with its author and group once, before that transaction. On PostgreSQL
// a new post and its author's counters are one statement.
const MAX_CREATE_SQLITE: f64 = 12.0;
const MAX_LIKE_SQLITE: f64 = 9.0;
const MAX_CREATE_POSTGRES: f64 = 10.0;
const MAX_LIKE_POSTGRES: f64 = 7.0;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inbound_activities_cost_a_fixed_number_of_statements_sqlite() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inbound_activities_cost_a_fixed_number_of_statements_postgres() {
    run(Store::Postgres).await;
}

//! An inbound activity is processed once, however often and however concurrently it arrives.
//! A post into a local group and a favourite are claimed by the transaction that stores them
//! (no claim is written before); other activities, and the paths of a post that write elsewhere,
//! are claimed before they write. Copies of one signed request are sent at the same moment, and
//! again later; a post refused by the group leaves no mark, so that it is taken once allowed.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use federation_tests::load::{self, post_expecting, Signed};
use federation_tests::{database_url, group_in, Store};
use std::sync::atomic::Ordering;

/// Copies of each request sent together.
const COPIES: usize = 4;

/// Sends `COPIES` copies of `signed` at once; each must be accepted.
async fn at_once(inbox: &str, signed: &Signed) {
    let sends = (0..COPIES).map(|_| {
        let copy = Signed {
            body: signed.body.clone(),
            headers: signed.headers.clone(),
        };
        post_expecting(inbox, vec![copy], 202)
    });
    futures::future::join_all(sends).await;
}

async fn run(store: Store) {
    let dir = tempfile::tempdir().unwrap();
    let Some(url) = database_url(store, dir.path(), "inboundonce") else {
        return;
    };
    let peers = load::peers(2, 2).await;
    let (node, port) = load::serving_node(url, dir.path(), &peers).await;
    let state = node.state.clone();
    let g = group_in(&state, "wg", Default::default(), false, None).await;
    let inbox = format!("http://localhost:{port}/inbox");
    let sign = |work| load::sign_all(&inbox, work);
    let (a, b, c) = (
        &peers[0].members[0],
        &peers[0].members[1],
        &peers[1].members[0],
    );
    // `a` and a member of the second peer join: the group relays `a`'s posts to that peer.
    let follows = vec![load::follow(a, &g.ap_id), load::follow(c, &g.ap_id)];
    post_expecting(&inbox, sign(follows).await, 202).await;
    let m = &state.metrics;
    let (queued, duplicates) = (
        || m.deliveries_queued.load(Ordering::Relaxed),
        || m.inbox_duplicates.load(Ordering::Relaxed),
    );
    assert_eq!((queued(), duplicates()), (2, 0), "the two Accepts");

    // A post sent four times at once is stored and relayed once.
    let note = format!("{}/notes/1", a.ap_id);
    let create = sign(vec![load::create_in(a, &note, &g.ap_id, "once")]).await;
    at_once(&inbox, &create[0]).await;
    assert_eq!(duplicates(), COPIES as u64 - 1, "three copies skipped");
    assert_eq!(queued(), 3, "one relay to the second peer");
    let statuses = |ap_id: String| {
        state.db.run(move |c| {
            let actor = cohort::db::actors::by_ap_id(c, &ap_id)?.expect("author");
            Ok(cohort::db::actors::counts(c, &actor.id)?.2)
        })
    };
    assert_eq!(statuses(a.ap_id.clone()).await.unwrap(), 1);
    // Sent again later, it is a duplicate too.
    let again = sign(vec![load::create_in(a, &note, &g.ap_id, "once")]).await;
    post_expecting(&inbox, again, 202).await;
    assert_eq!((duplicates(), queued()), (COPIES as u64, 3));

    // A favourite sent four times at once is counted and relayed once.
    let like = sign(vec![load::like(c, 1, &note)]).await;
    at_once(&inbox, &like[0]).await;
    assert_eq!(duplicates(), 2 * COPIES as u64 - 1);
    assert_eq!(queued(), 4, "one relay, to the first peer");
    let post = state
        .db
        .run(move |c| Ok(cohort::db::posts::by_ap_id(c, &note)?.expect("post")))
        .await
        .unwrap();
    let pid = post.id.clone();
    let favourites = state
        .db
        .run(move |c| Ok(cohort::db::interactions::counts(c, &pid)?.0))
        .await
        .unwrap();
    assert_eq!(favourites, 1);

    // `b` is not a member: the group refuses the post (and its transaction leaves no mark).
    // Once `b` joins, the same activity is taken.
    let late = format!("{}/notes/late", b.ap_id);
    let create = || load::create_in(b, &late, &g.ap_id, "after joining");
    post_expecting(&inbox, sign(vec![create()]).await, 403).await;
    assert_eq!(queued(), 5, "the group's Reject");
    post_expecting(&inbox, sign(vec![load::follow(b, &g.ap_id)]).await, 202).await;
    post_expecting(&inbox, sign(vec![create()]).await, 202).await;
    assert_eq!(
        statuses(b.ap_id.clone()).await.unwrap(),
        1,
        "stored once allowed"
    );
    let skipped = duplicates();

    // A profile update writes outside any post's transaction: it is claimed before it writes,
    // so its copies are skipped all the same.
    let mut doc: serde_json::Value = reqwest::Client::new()
        .get(&a.ap_id)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    doc["name"] = "Ada, renamed".into();
    let update = serde_json::json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/updates/1", a.ap_id), "type": "Update", "actor": a.ap_id,
        "object": doc});
    let update = sign(vec![(a.signer.clone(), update.to_string().into_bytes())]).await;
    at_once(&inbox, &update[0]).await;
    assert_eq!(duplicates(), skipped + COPIES as u64 - 1);
    let aid = a.ap_id.clone();
    let name = state
        .db
        .run(move |c| {
            Ok(cohort::db::actors::by_ap_id(c, &aid)?
                .expect("a")
                .display_name)
        })
        .await
        .unwrap();
    assert_eq!(name, "Ada, renamed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activity_arriving_many_times_is_processed_once_sqlite() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activity_arriving_many_times_is_processed_once_postgres() {
    run(Store::Postgres).await;
}

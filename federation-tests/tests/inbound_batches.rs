//! Members' posts into a local group, and peers' favourites, that arrive together are stored in
//! one transaction (`federation::activities::batch`), with the outcome each would have alone. A
//! post is stored once with its author's count, relayed to the group's other nodes and rung on
//! the bell of a member who asked; a non-member's post leaves the batch and is refused as before.
//! A favourite is counted once per actor and post, relayed, and notifies a local author. A copy
//! of an activity in the same batch is a duplicate. The batches' turn is held while the
//! activities arrive, so that one batch takes them all.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use cohort::service::posting;
use federation_tests::load::{self, post_expecting, Signed};
use federation_tests::{database_url, group_in, text, Store};
use std::sync::atomic::Ordering;

/// POSTs `signed` to `inbox` and answers its status.
async fn status_of(inbox: String, signed: Signed) -> u16 {
    let mut req = reqwest::Client::new().post(inbox).body(signed.body);
    for (k, v) in &signed.headers {
        req = req.header(k, v);
    }
    req.send().await.expect("send").status().as_u16()
}

async fn run(store: Store) {
    let dir = tempfile::tempdir().unwrap();
    let Some(url) = database_url(store, dir.path(), "inboundbatches") else {
        return;
    };
    let peers = load::peers(2, 3).await;
    let (node, port) = load::serving_node(url, dir.path(), &peers).await;
    let state = node.state.clone();
    let g = group_in(&state, "wg", Default::default(), false, None).await;
    let inbox = format!("http://localhost:{port}/inbox");
    let (a, b, x) = (
        &peers[0].members[0],
        &peers[0].members[1],
        &peers[0].members[2],
    );
    let c = &peers[1].members[0];
    let follows = [a, b, c].map(|m| load::follow(m, &g.ap_id)).to_vec();
    post_expecting(&inbox, load::sign_all(&inbox, follows).await, 202).await;
    // ann, a member here, rings the group's bell.
    let ann = cohort::service::users::create_user(&state, "ann", false, None)
        .await
        .expect("ann")
        .0;
    cohort::service::follows::follow_with(&node.ctx(), &ann, &g, Some(true))
        .await
        .expect("ann follows wg");
    let m = &state.metrics;
    let queued = || m.deliveries_queued.load(Ordering::Relaxed);
    let duplicates = || m.inbox_duplicates.load(Ordering::Relaxed);
    assert_eq!(queued(), 3, "the group's Accepts");

    // Six posts each by a and b, three copies of a's first ones, and x's post (not a member):
    // sixteen requests, one per inbox worker, held until all of them wait for the batch.
    let note = |m: &load::Member, i: usize| format!("{}/notes/{i}", m.ap_id);
    let note: &dyn Fn(&load::Member, usize) -> String = &note;
    // Published now: the bell rings for posts newer than the follow.
    let now = cohort::domain::time::to_rfc3339(cohort::domain::time::now_ms());
    let create = |m, id: &str, body: &str| load::create_at(m, id, &g.ap_id, body, &now);
    let mut work: Vec<_> = (0..6)
        .flat_map(|i| [(a, i), (b, i)])
        .map(|(m, i)| create(m, &note(m, i), &format!("post {i}")))
        .collect();
    work.extend((0..3).map(|i| create(a, &note(a, i), &format!("post {i}"))));
    work.push(create(x, &note(x, 0), "not a member"));
    let signed = load::sign_all(&inbox, work).await;
    let held = state.post_batch.hold().await;
    let sends: Vec<_> = signed
        .into_iter()
        .map(|s| tokio::spawn(status_of(inbox.clone(), s)))
        .collect();
    while state.post_batch.waiting() < 16 {
        tokio::task::yield_now().await;
    }
    drop(held);
    let mut statuses = Vec::new();
    for s in sends {
        statuses.push(s.await.unwrap());
    }
    assert_eq!(
        &statuses[..15],
        &[202; 15],
        "the members' posts and the copies"
    );
    assert_eq!(statuses[15], 403, "x is refused: {statuses:?}");
    assert_eq!(
        state.post_batch.counts(),
        (12, 1),
        "one batch stored twelve posts"
    );
    assert_eq!(duplicates(), 3, "the copies were duplicates");
    // Twelve relays to the second peer, and x hears Reject.
    assert_eq!(queued(), 3 + 12 + 1);

    let ids = [a, b, x].map(|m| m.ap_id.clone());
    let seen = state
        .db
        .run(move |c| {
            let mut counts = Vec::new();
            for id in &ids {
                let actor = cohort::db::actors::by_ap_id(c, id)?.expect("known");
                counts.push(cohort::db::actors::counts(c, &actor.id)?.2);
            }
            Ok(counts)
        })
        .await
        .unwrap();
    assert_eq!(seen, vec![6, 6, 0], "statuses counted per author");
    let notes: Vec<String> = (0..6).flat_map(|i| [note(a, i), note(b, i)]).collect();
    let announced = state
        .db
        .run(move |c| {
            let mut n = 0;
            for ap in &notes {
                let post = cohort::db::posts::by_ap_id(c, ap)?.expect("stored");
                n += usize::from(post.group_id.is_some());
            }
            Ok(n)
        })
        .await
        .unwrap();
    assert_eq!(announced, 12, "every post stored in the group");
    let rung = {
        let ann = ann.id.clone();
        state.db.run(move |c| {
            let kinds = ["status".to_string()];
            Ok(cohort::db::notifications::list(c, &ann, None, None, &kinds, &[], 40)?.len())
        })
    };
    assert_eq!(rung.await.unwrap(), 12, "ann's bell rang for each post");

    // Sent as they come, without holding: the next posts are stored all the same.
    let more: Vec<_> = (6..14)
        .map(|i| create(b, &note(b, i), &format!("post {i}")))
        .collect();
    let sends: Vec<_> = load::sign_all(&inbox, more)
        .await
        .into_iter()
        .map(|s| tokio::spawn(status_of(inbox.clone(), s)))
        .collect();
    for s in sends {
        assert_eq!(s.await.unwrap(), 202);
    }
    let (stored, batches) = state.post_batch.counts();
    assert_eq!(stored, 20);
    println!(
        "{store:?}: 8 posts sent at once were stored in {} batches",
        batches - 1
    );
    assert_eq!(queued(), 3 + 12 + 1 + 8);
    likes(&node, &inbox, &peers, &ann, note).await;
}

/// Favourites held until sixteen wait: a's of b's posts, c's of a's posts and of ann's, two
/// copies of one of c's, and a second favourite by a of a post it favourited already.
async fn likes(
    node: &cohort::Node,
    inbox: &str,
    peers: &[load::Peer],
    ann: &cohort::db::actors::ActorRow,
    note: &dyn Fn(&load::Member, usize) -> String,
) {
    let state = node.state.clone();
    let (a, b) = (&peers[0].members[0], &peers[0].members[1]);
    let c = &peers[1].members[0];
    let domain = state.config.instance.domain.clone();
    let anns = posting::post(
        &node.ctx(),
        "ann",
        &format!("wg@{domain}"),
        text("ann's post"),
    )
    .await
    .expect("ann posts");
    let queued = || state.metrics.deliveries_queued.load(Ordering::Relaxed);
    let before = queued();
    let mut work: Vec<_> = (0..6).map(|i| load::like(a, i, &note(b, i))).collect();
    work.extend((0..6).map(|i| load::like(c, i, &note(a, i))));
    work.push(load::like(c, 6, &anns.ap_id));
    work.extend([load::like(c, 0, &note(a, 0)), load::like(c, 0, &note(a, 0))]);
    work.push(load::like(a, 100, &note(b, 0)));
    let signed = load::sign_all(inbox, work).await;
    let held = state.like_batch.hold().await;
    let sends: Vec<_> = signed
        .into_iter()
        .map(|s| tokio::spawn(status_of(inbox.to_string(), s)))
        .collect();
    while state.like_batch.waiting() < 16 {
        tokio::task::yield_now().await;
    }
    drop(held);
    for s in sends {
        assert_eq!(s.await.unwrap(), 202);
    }
    assert_eq!(
        state.like_batch.counts(),
        (14, 1),
        "one batch took all but the copies"
    );
    assert_eq!(state.metrics.inbox_duplicates.load(Ordering::Relaxed), 5);
    // a's six to the second peer; c's seven to the first.
    assert_eq!(queued() - before, 13, "each new favourite relayed once");
    let favourited = [note(b, 0), note(a, 5), anns.ap_id.clone()];
    let counts = state
        .db
        .run(move |c| {
            let mut n = Vec::new();
            for ap in &favourited {
                let post = cohort::db::posts::by_ap_id(c, ap)?.expect("stored");
                n.push(cohort::db::interactions::counts(c, &post.id)?.0);
            }
            Ok(n)
        })
        .await
        .unwrap();
    assert_eq!(
        counts,
        vec![1, 1, 1],
        "a favourite counted once per actor and post"
    );
    let ann_id = ann.id.clone();
    let told = state
        .db
        .run(move |c| {
            let kinds = ["favourite".to_string()];
            Ok(cohort::db::notifications::list(c, &ann_id, None, None, &kinds, &[], 40)?.len())
        })
        .await
        .unwrap();
    assert_eq!(told, 1, "ann heard of c's favourite");
    // The operator reads the same counts at /metrics.
    let port = inbox
        .trim_end_matches("/inbox")
        .rsplit(':')
        .next()
        .unwrap()
        .to_string();
    let text = reqwest::get(format!("http://localhost:{port}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "cohort_inbox_batched_posts_total 20",
        "cohort_inbox_batched_favourites_total 14",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in /metrics");
    }
}

#[tokio::test]
async fn activities_arriving_together_are_stored_together_sqlite() {
    run(Store::Sqlite).await;
}

#[tokio::test]
async fn activities_arriving_together_are_stored_together_postgres() {
    run(Store::Postgres).await;
}

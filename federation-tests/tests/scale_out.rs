//! Two `cohort` processes of one node share a PostgreSQL database and its delivery queue; every
//! delivery reaches the peer exactly once (claims use FOR UPDATE SKIP LOCKED).

use cohort::{
    db,
    domain::policy::PeerLevel,
    service::{self, groups::NewGroup, members::NewPost},
};
use federation_tests::{database_url, free_port, wait_until, Store, TestNode};
use std::sync::atomic::Ordering;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_share_one_queue() {
    let (da, dr) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let Some(pg) = database_url(Store::Postgres, da.path(), "scale") else {
        return;
    };
    let (pa, pa2, pr) = (free_port().await, free_port().await, free_port().await);
    let a = TestNode::start(
        "A",
        pa,
        pg,
        da,
        [(format!("localhost:{pr}"), PeerLevel::Full)].into(),
    )
    .await;
    let a2 = a.second_process(pa2).await;
    let ur = database_url(Store::Sqlite, dr.path(), "r").expect("sqlite");
    let r = TestNode::start(
        "R",
        pr,
        ur,
        dr,
        [(format!("localhost:{pa}"), PeerLevel::Full)].into(),
    )
    .await;

    service::users::create_user(&a.node_state, "alice", false, None)
        .await
        .expect("alice");
    service::groups::create_group(
        &a.node_state,
        NewGroup {
            name: "wg".into(),
            display_name: None,
            summary: None,
            approval_required: false,
            visibility: Default::default(),
            moderator: Some("alice".into()),
        },
    )
    .await
    .expect("group");
    service::users::create_user(&r.node_state, "rita", false, None)
        .await
        .expect("rita");
    service::members::follow(&r.ctx, "rita", &a.handle("wg"))
        .await
        .expect("follow");
    let group_url = format!("{}/groups/wg", a.base());
    wait_until(20, "rita is a member", || async {
        let g = group_url.clone();
        r.node_state
            .db
            .run(move |c| {
                let (me, _) = db::users::by_username(c, "rita")?.ok_or(db::DbError::NotFound)?;
                let Some(group) = db::actors::by_ap_id(c, &g)? else {
                    return Ok(false);
                };
                db::follows::is_accepted(c, &me.id, &group.id)
            })
            .await
            .expect("member")
    })
    .await;

    // Both processes create work; both workers drain the one queue.
    const N: usize = 40;
    for i in 0..N {
        let ctx = if i % 2 == 0 { &a.ctx } else { &a2.ctx };
        service::members::post(
            ctx,
            "alice",
            &a.handle("wg"),
            NewPost {
                text: format!("item {i}"),
                title: None,
                in_reply_to: None,
                sensitive: false,
                content_warning: None,
                visibility: None,
                language: None,
            },
        )
        .await
        .expect("post");
    }
    wait_until(60, "R received every post", || async {
        service::members::timeline(&r.node_state, "rita", 1000)
            .await
            .expect("timeline")
            .len()
            >= N
    })
    .await;
    // Every delivery of the shared queue reaches its final state before anything is counted: a
    // copy sent twice would have arrived by then.
    federation_tests::drained(&[&a]).await;
    let timeline = service::members::timeline(&r.node_state, "rita", 1000)
        .await
        .expect("timeline");
    assert_eq!(timeline.len(), N);
    assert_eq!(
        r.node_state
            .metrics
            .inbox_duplicates
            .load(Ordering::Relaxed),
        0,
        "nothing arrived twice"
    );
    let sent = (
        a.node_state.metrics.deliveries_sent.load(Ordering::Relaxed),
        a2.node_state
            .metrics
            .deliveries_sent
            .load(Ordering::Relaxed),
    );
    eprintln!(
        "deliveries sent by process 1: {}, by process 2: {}",
        sent.0, sent.1
    );
    assert!(sent.0 + sent.1 >= N as u64);
    let statuses = a
        .node_state
        .db
        .run(|c| db::deliveries::count_by_status(c, None))
        .await
        .expect("statuses");
    assert!(statuses.iter().all(|(s, _)| s == "done"), "{statuses:?}");
}

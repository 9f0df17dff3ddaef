//! The delivery worker keeps several deliveries in flight, each on its own: a peer that takes
//! the connection and never answers holds one place, while the queue's other deliveries are sent
//! and recorded; rows claimed ahead of the places follow a block set while they wait. The
//! deliveries are real: signed by a local group and POSTed over loopback.

use cohort::{
    db::{self, deliveries::DeliveryRow},
    domain::{ids::new_id, policy::PeerLevel, time::now_ms},
};
use federation_tests::{
    database_url,
    fake_peer::{self, Answer},
    free_port, full_peers, group, wait_until, Store, TestNode,
};
use std::collections::HashMap;

fn delivery(actor: &str, port: u16, n: usize, at: i64) -> DeliveryRow {
    DeliveryRow {
        id: new_id(),
        peer: format!("localhost:{port}"),
        inbox: format!("http://localhost:{port}/inbox"),
        actor_ap_id: actor.to_string(),
        activity_ap_id: format!("{actor}/activities/{n}"),
        payload: format!(r#"{{"id":"{actor}/activities/{n}","type":"Note"}}"#),
        status: db::deliveries::PENDING.into(),
        attempts: 0,
        next_attempt_at: at,
        locked_until: None,
        last_error: None,
        created_at: at,
        updated_at: at,
        last_status: None,
    }
}

/// Queues `rows` on `node` and wakes its worker.
async fn enqueue(node: &TestNode, rows: Vec<DeliveryRow>) {
    node.node_state
        .db
        .run(move |c| db::deliveries::enqueue(c, &rows))
        .await
        .expect("enqueue");
    node.node_state.delivery_wake.notify_one();
}

/// The one delivery row of `activity` on `node`.
async fn row_of(node: &TestNode, activity: &str) -> DeliveryRow {
    let id = activity.to_string();
    let rows = node
        .node_state
        .db
        .run(move |c| db::deliveries::for_activity(c, &id))
        .await
        .expect("read");
    assert_eq!(rows.len(), 1);
    rows.into_iter().next().expect("row")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_peer_holds_one_place_on_sqlite() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_peer_holds_one_place_on_postgres() {
    run(Store::Postgres).await;
}

/// A peer that takes connections and never answers, until its task is aborted: its port, a
/// message per connection taken, and the task.
async fn silent_peer() -> (
    u16,
    tokio::sync::mpsc::UnboundedReceiver<()>,
    tokio::task::JoinHandle<()>,
) {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = silent.local_addr().expect("addr").port();
    let (seen_tx, seen) = tokio::sync::mpsc::unbounded_channel();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            open.push(socket);
            let _ = seen_tx.send(());
        }
    });
    (port, seen, held)
}

/// A peer that accepts every delivery.
async fn answering_peer() -> fake_peer::FakePeer {
    let accepted = Answer {
        status: 202,
        content_type: "text/plain",
        body: String::new(),
    };
    fake_peer::start(
        free_port().await,
        HashMap::from([("/inbox".to_string(), accepted)]),
    )
    .await
}

/// The deliveries to an answering peer are sent and recorded while the one to a silent peer is
/// still in flight.
async fn run(store: Store) {
    let (silent_port, mut seen, held) = silent_peer().await;
    let fast = answering_peer().await;

    let port = free_port().await;
    let dir = tempfile::tempdir().expect("dir");
    let Some(url) = database_url(store, dir.path(), "flight") else {
        eprintln!("no PostgreSQL: skipped");
        return;
    };
    // Two places (the harness's default), so one held place would stop a batch-at-a-time worker.
    let node = TestNode::start("A", port, url, dir, full_peers(&[silent_port, fast.port])).await;
    assert_eq!(node.config.delivery.workers, 2);
    let g = group(&node, "wg", Default::default(), false, None).await;

    // The silent peer's delivery is due first, so it is claimed first.
    let t = now_ms();
    let mut rows = vec![delivery(&g.ap_id, silent_port, 0, t - 1_000)];
    rows.extend((1..=6).map(|n| delivery(&g.ap_id, fast.port, n, t)));
    let silent_id = rows[0].id.clone();
    enqueue(&node, rows).await;

    seen.recv().await.expect("the silent peer was contacted");
    let done = |n: &TestNode| {
        let db = n.node_state.db.clone();
        async move {
            let counts = db
                .run(|c| db::deliveries::count_by_status(c, None))
                .await
                .expect("count");
            counts
                .iter()
                .find(|(s, _)| s == db::deliveries::DONE)
                .map_or(0, |(_, k)| *k)
        }
    };
    wait_until(30, "the six deliveries to the answering peer", || async {
        done(&node).await == 6
    })
    .await;
    // Meanwhile the silent peer's delivery is still in flight: claimed, not answered, not failed.
    let silent_activity = format!("{}/activities/0", g.ap_id);
    let row = row_of(&node, &silent_activity).await;
    assert_eq!(row.id, silent_id);
    assert_eq!(row.status, db::deliveries::PENDING);
    assert!(row.locked_until.is_some(), "claimed: {row:?}");
    assert_eq!((row.attempts, row.last_error), (1, None));

    // Let the silent peer go: its connections close, the attempt fails and is recorded for a
    // retry (released, with the error kept).
    held.abort();
    wait_until(30, "the silent peer's failure recorded", || async {
        row_of(&node, &silent_activity).await.last_error.is_some()
    })
    .await;
    assert_eq!(
        row_of(&node, &silent_activity).await.status,
        db::deliveries::PENDING
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_block_reaches_claimed_deliveries_still_waiting_on_sqlite() {
    block_while_waiting(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_block_reaches_claimed_deliveries_still_waiting_on_postgres() {
    block_while_waiting(Store::Postgres).await;
}

/// The worker claims rows ahead of its places. Two silent peers hold both places while a
/// delivery to a third peer waits, claimed, for one; that peer is blocked meanwhile. When the
/// places free up the waiting delivery is dropped, not sent: its peer's level is read again.
async fn block_while_waiting(store: Store) {
    let (first, mut seen_first, held_first) = silent_peer().await;
    let (second, mut seen_second, held_second) = silent_peer().await;
    let later = answering_peer().await;
    let port = free_port().await;
    let dir = tempfile::tempdir().expect("dir");
    let Some(url) = database_url(store, dir.path(), "flightblock") else {
        eprintln!("no PostgreSQL: skipped");
        return;
    };
    let peers = full_peers(&[first, second, later.port]);
    let node = TestNode::start("A", port, url, dir, peers).await;
    assert_eq!(node.config.delivery.workers, 2);
    let g = group(&node, "wg", Default::default(), false, None).await;

    // Due in this order, and claimed together: the silent peers take both places.
    let t = now_ms();
    let rows = vec![
        delivery(&g.ap_id, first, 0, t - 2_000),
        delivery(&g.ap_id, second, 1, t - 1_000),
        delivery(&g.ap_id, later.port, 2, t),
    ];
    let waiting = rows[2].activity_ap_id.clone();
    enqueue(&node, rows).await;
    seen_first.recv().await.expect("the first silent peer");
    seen_second.recv().await.expect("the second silent peer");
    let read = || row_of(&node, &waiting);
    let row = read().await;
    assert_eq!(row.status, db::deliveries::PENDING);
    assert!(row.locked_until.is_some(), "claimed ahead: {row:?}");

    let peer = format!("localhost:{}", later.port);
    cohort::service::peers::set_level(&node.node_state, &peer, PeerLevel::Blocked, None)
        .await
        .expect("block");
    held_first.abort();
    held_second.abort();
    wait_until(30, "the waiting delivery ended", || async {
        read().await.status != db::deliveries::PENDING
    })
    .await;
    let row = read().await;
    assert_eq!(row.status, db::deliveries::DROPPED, "{row:?}");
    assert_eq!(row.last_error.as_deref(), Some("peer is blocked"));
}

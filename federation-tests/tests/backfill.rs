//! Joining a remote group imports its recent posts (from the group's outbox, each re-checked at its
//! origin), so a new member's timeline does not start empty.

use cohort::service;
use federation_tests::{free_port, full_peers, group, sees, sqlite_node, text, wait_until};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn joining_a_group_backfills_recent_posts() {
    let (pa, pb, pc) = (free_port().await, free_port().await, free_port().await);
    let a = sqlite_node("A", pa, full_peers(&[pb, pc])).await;
    let b = sqlite_node("B", pb, full_peers(&[pa, pc])).await;
    let c = sqlite_node("C", pc, full_peers(&[pa, pb])).await;
    service::users::create_user(&a.node_state, "amy", false, None)
        .await
        .expect("amy");
    group(&a, "wg", Default::default(), false, Some("amy")).await;
    service::users::create_user(&b.node_state, "bea", false, None)
        .await
        .expect("bea");
    service::users::create_user(&c.node_state, "cal", false, None)
        .await
        .expect("cal");
    // Posts written before bea joins: one by a member on A, one by a member on C (re-fetched from C).
    service::members::follow(&c.ctx, "cal", &a.handle("wg"))
        .await
        .expect("cal joins");
    wait_until(20, "cal is a member", || async {
        federation_tests::follow_state(&c, "cal", &format!("{}/groups/wg", a.base()))
            .await
            .as_deref()
            == Some("accepted")
    })
    .await;
    service::members::post(&a.ctx, "amy", &a.handle("wg"), text("earlier post from A"))
        .await
        .expect("post");
    service::members::post(&c.ctx, "cal", &a.handle("wg"), text("earlier post from C"))
        .await
        .expect("post");
    wait_until(20, "A has both posts", || async {
        sees(&a, "amy", "earlier post from C").await
    })
    .await;

    service::members::follow(&b.ctx, "bea", &a.handle("wg"))
        .await
        .expect("bea joins");
    wait_until(20, "bea's timeline has the earlier posts", || async {
        sees(&b, "bea", "earlier post from A").await && sees(&b, "bea", "earlier post from C").await
    })
    .await;
}

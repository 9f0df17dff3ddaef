//! Group moderators (FEP-1b12): `Add` announces a moderator to followers' nodes; a moderator on
//! another node removes a member's post, and every node — the author's included — believes the
//! relayed deletion because the group vouched for that moderator. Non-moderators cannot.

use cohort::{db, service};
use federation_tests::{
    follow_state, free_port, full_peers, group, sees, sqlite_node, text, wait_until, TestNode,
};

async fn moderators_known(n: &TestNode, group_ap_id: &str) -> Vec<String> {
    let g = group_ap_id.to_string();
    n.node_state
        .db
        .run(move |c| match db::actors::by_ap_id(c, &g)? {
            Some(g) => Ok(db::actors::moderators(c, &g.id)?
                .into_iter()
                .map(|a| a.ap_id)
                .collect()),
            None => Ok(vec![]),
        })
        .await
        .expect("moderators")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn remote_moderator_removes_a_post() {
    let (pa, pb, pc) = (free_port().await, free_port().await, free_port().await);
    let a = sqlite_node("A", pa, full_peers(&[pb, pc])).await;
    let b = sqlite_node("B", pb, full_peers(&[pa, pc])).await;
    let c = sqlite_node("C", pc, full_peers(&[pa, pb])).await;
    let wg_group = group(&a, "wg", Default::default(), false, None).await;
    let (bob, _) = service::users::create_user(&b.node_state, "bob", false, None)
        .await
        .expect("bob");
    service::users::create_user(&c.node_state, "carol", false, None)
        .await
        .expect("carol");
    let wg = a.handle("wg");

    // Only members can be made moderators.
    let early = service::groups::add_moderator(&a.ctx, "wg", &b.handle("bob"), None).await;
    assert!(early.is_err(), "bob is not a member yet");
    for (n, who) in [(&b, "bob"), (&c, "carol")] {
        service::members::follow(&n.ctx, who, &wg)
            .await
            .expect("follow");
    }
    wait_until(20, "both joined", || async {
        let g = wg_group.id.clone();
        a.node_state
            .db
            .run(move |c| db::follows::count_followers(c, &g, db::follows::FollowState::Accepted))
            .await
            .expect("n")
            == 2
    })
    .await;
    service::groups::add_moderator(&a.ctx, "wg", &b.handle("bob"), None)
        .await
        .expect("add moderator");
    wait_until(20, "C learns bob moderates the group", || async {
        moderators_known(&c, &wg_group.ap_id)
            .await
            .contains(&bob.ap_id)
    })
    .await;
    wait_until(20, "B learns it too", || async {
        moderators_known(&b, &wg_group.ap_id)
            .await
            .contains(&bob.ap_id)
    })
    .await;

    // carol posts; bob (on B) removes it; the removal reaches A and carol's own node C.
    let post = service::members::post(&c.ctx, "carol", &wg, text("off-topic advert"))
        .await
        .expect("post");
    let bob_post = service::members::post(&b.ctx, "bob", &wg, text("on-topic question"))
        .await
        .expect("post");
    wait_until(20, "B sees carol's post", || async {
        sees(&b, "bob", "off-topic advert").await
    })
    .await;
    wait_until(20, "C sees bob's post", || async {
        sees(&c, "carol", "on-topic question").await
    })
    .await;

    // A non-moderator cannot delete someone else's post.
    assert!(service::members::delete(&c.ctx, "carol", &bob_post.ap_id)
        .await
        .is_err());

    service::members::delete(&b.ctx, "bob", &post.ap_id)
        .await
        .expect("moderator delete");
    let on_a = |ap: String| {
        let st = a.node_state.clone();
        async move {
            st.db
                .run(move |c| db::posts::by_ap_id(c, &ap))
                .await
                .expect("post")
        }
    };
    wait_until(20, "A removed the post", || async {
        on_a(post.ap_id.clone())
            .await
            .is_some_and(|p| p.deleted_at.is_some())
    })
    .await;
    wait_until(20, "C removed it", || async {
        !sees(&c, "carol", "off-topic advert").await
    })
    .await;
    assert!(
        sees(&c, "carol", "on-topic question").await,
        "other posts stay"
    );

    // Remove: the moderator list shrinks on followers' nodes.
    service::groups::remove_moderator(&a.ctx, "wg", &b.handle("bob"))
        .await
        .expect("remove");
    wait_until(20, "C forgets the moderator", || async {
        moderators_known(&c, &wg_group.ap_id).await.is_empty()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn approval_only_group_waits_for_a_moderator() {
    let (pa, pb) = (free_port().await, free_port().await);
    let a = sqlite_node("A", pa, full_peers(&[pb])).await;
    let b = sqlite_node("B", pb, full_peers(&[pa])).await;
    let wg_group = group(&a, "closed", Default::default(), true, None).await;
    let (bob, _) = service::users::create_user(&b.node_state, "bob", false, None)
        .await
        .expect("bob");
    let (bea, _) = service::users::create_user(&b.node_state, "bea", false, None)
        .await
        .expect("bea");
    for who in ["bob", "bea"] {
        let state = service::members::follow(&b.ctx, who, &a.handle("closed"))
            .await
            .expect("follow");
        assert_eq!(state, "pending");
    }
    wait_until(20, "A lists both requests", || async {
        service::groups::requests(&a.node_state, "closed")
            .await
            .expect("requests")
            .len()
            == 2
    })
    .await;
    // Still pending after the deliveries settled: nobody is let in without a decision.
    federation_tests::drained(&[&a, &b]).await;
    assert_eq!(
        follow_state(&b, "bob", &wg_group.ap_id).await.as_deref(),
        Some("pending")
    );
    assert!(
        service::members::post(&b.ctx, "bob", &a.handle("closed"), text("hi"))
            .await
            .is_ok()
    );
    federation_tests::drained(&[&a, &b]).await;
    let g = wg_group.id.clone();
    let stored = a
        .node_state
        .db
        .run(move |c| db::posts::in_group(c, &g, 10))
        .await
        .expect("posts");
    assert!(
        stored.is_empty(),
        "a pending member's post is refused by the group"
    );
    // The group answers the refused post with Reject; B keeps bob's request pending (a Reject of
    // a post is not a Reject of the follow).
    let peer = b.domain.clone();
    let sent = a
        .node_state
        .db
        .run(move |c| db::deliveries::payloads_for_peer(c, &peer))
        .await
        .expect("payloads");
    assert!(
        sent.iter()
            .filter_map(|p| serde_json::from_str::<serde_json::Value>(p).ok())
            .any(|v| v["type"] == "Reject" && v["object"]["type"] == "Create"),
        "{sent:?}"
    );

    service::groups::decide(&a.ctx, "closed", &bob.ap_id, true)
        .await
        .expect("approve");
    service::groups::decide(&a.ctx, "closed", &bea.ap_id, false)
        .await
        .expect("reject");
    wait_until(20, "bob accepted", || async {
        follow_state(&b, "bob", &wg_group.ap_id).await.as_deref() == Some("accepted")
    })
    .await;
    wait_until(20, "bea's request removed", || async {
        follow_state(&b, "bea", &wg_group.ap_id).await.is_none()
    })
    .await;
    assert!(
        service::groups::decide(&a.ctx, "closed", &bea.ap_id, true)
            .await
            .is_err(),
        "no request left"
    );
}

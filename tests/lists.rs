//! Lists through the client API on one node, on SQLite and on PostgreSQL: what a member sees on a
//! list (accounts and groups they follow, here and on a peer), paging, replies policies,
//! exclusive lists, the list stream, someone else's list, and every refused request changing
//! nothing.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{
    domain::actor::ActorKind,
    service::streams::{Stream, StreamError},
    Node,
};
use serde_json::json;
use support::{http::serve, personal::*, *};

async fn lists(n: Node) {
    let base = serve(&n).await;
    let alice = Member::new(&n, &base, "alice").await;
    let bob = Member::new(&n, &base, "bob").await;
    let carol = Member::new(&n, &base, "carol").await;
    let dave = Member::new(&n, &base, "dave").await;
    let alice_row = db_actor(&n, &alice.id).await;
    let rita = remote(&n, "rita", "full.example", ActorKind::Person).await;
    let guild = remote(&n, "guild", "full.example", ActorKind::Group).await;
    let stranger = remote(&n, "sam", "full.example", ActorKind::Person).await;
    alice
        .ok("POST", &format!("/api/v1/accounts/{}/follow", bob.id), None)
        .await;
    accepted_follow(&n, &alice_row, &rita).await;
    accepted_follow(&n, &alice_row, &guild).await;

    // Bad input is refused and changes nothing.
    alice
        .refused("POST", "/api/v1/lists", Some(json!({"title": "  "})), 422)
        .await;
    let bad_policy = json!({"title": "x", "replies_policy": "everyone"});
    alice
        .refused("POST", "/api/v1/lists", Some(bad_policy), 422)
        .await;
    assert_eq!(alice.ok("GET", "/api/v1/lists", None).await, json!([]));
    let list = alice
        .ok("POST", "/api/v1/lists", Some(json!({"title": "Lab"})))
        .await;
    assert_eq!(list["replies_policy"], "list");
    assert_eq!(list["exclusive"], false);
    let id = list["id"].as_str().unwrap().to_string();
    let accounts = format!("/api/v1/lists/{id}/accounts");
    alice
        .refused(
            "POST",
            &accounts,
            Some(json!({"account_ids": [carol.id]})),
            422,
        )
        .await;
    let with_unknown = json!({"account_ids": [bob.id, "01UNKNOWN"]});
    alice
        .refused("POST", &accounts, Some(with_unknown), 404)
        .await;
    alice
        .refused(
            "POST",
            "/api/v1/lists/01UNKNOWN/accounts",
            Some(json!({"account_ids": [bob.id]})),
            404,
        )
        .await;
    alice
        .refused(
            "PUT",
            &format!("/api/v1/lists/{id}"),
            Some(json!({"title": ""})),
            422,
        )
        .await;
    assert_eq!(alice.ok("GET", &accounts, None).await, json!([]));
    assert_eq!(
        alice.ok("GET", &format!("/api/v1/lists/{id}"), None).await["title"],
        "Lab"
    );

    let members = json!({"account_ids": [bob.id, rita.id, guild.id]});
    alice.ok("POST", &accounts, Some(members)).await;
    let mut on_list = ids(&alice.ok("GET", &accounts, None).await);
    on_list.sort();
    let mut want = vec![bob.id.clone(), rita.id.clone(), guild.id.clone()];
    want.sort();
    assert_eq!(on_list, want);
    let holding = alice
        .ok("GET", &format!("/api/v1/accounts/{}/lists", bob.id), None)
        .await;
    assert_eq!(ids(&holding), std::slice::from_ref(&id));

    // Someone else's list is a missing one, on every path and on the stream.
    for (method, path) in [
        ("GET", format!("/api/v1/lists/{id}")),
        ("PUT", format!("/api/v1/lists/{id}")),
        ("DELETE", format!("/api/v1/lists/{id}")),
        ("GET", accounts.clone()),
        ("GET", format!("/api/v1/timelines/list/{id}")),
    ] {
        dave.refused(method, &path, Some(json!({"title": "mine"})), 404)
            .await;
    }
    dave.refused(
        "POST",
        &accounts,
        Some(json!({"account_ids": [bob.id]})),
        404,
    )
    .await;
    assert!(ids(&dave.ok("GET", "/api/v1/lists", None).await).is_empty());
    let theirs = Stream::List(id.clone());
    assert_eq!(
        theirs.clone().admit(&n.state, Some(dave.id.clone())).await,
        Err(StreamError::NoList)
    );
    assert_eq!(
        theirs.clone().admit(&n.state, Some(alice.id.clone())).await,
        Ok(theirs.clone())
    );
    // Over the WebSocket: another member's list is refused before the upgrade.
    let ws = format!(
        "{}/api/v1/streaming?stream=list&list={id}&access_token=",
        base.replace("http://", "ws://")
    );
    match tokio_tungstenite::connect_async(format!("{ws}{}", dave.token)).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 404),
        other => panic!("dave opened alice's list stream: {:?}", other.map(|_| ())),
    }
    let (mut mine, _) = tokio_tungstenite::connect_async(format!("{ws}{}", alice.token))
        .await
        .unwrap();
    let _ = futures::SinkExt::close(&mut mine).await;

    // The timeline: the list's accounts and groups, as alice may see them, newest first.
    let b1 = bob.post("first from bob", json!({})).await;
    let r1 = remote_post(&n, &rita, None, "from rita").await.id;
    // A request in between: ids of one millisecond are not ordered by creation.
    let _c1 = carol.post("carol is not on the list", json!({})).await;
    let g1 = remote_post(&n, &stranger, Some(&guild), "in the guild")
        .await
        .id;
    let hidden = bob
        .post(
            &format!("@carol@{HERE} just us"),
            json!({"visibility": "direct"}),
        )
        .await;
    let b2 = bob.post("second from bob", json!({})).await;
    let timeline = format!("/api/v1/timelines/list/{id}");
    let all = ids(&alice.ok("GET", &timeline, None).await);
    assert_eq!(all, [b2.clone(), g1.clone(), r1.clone(), b1.clone()]);
    assert!(!all.contains(&hidden));

    // Paging by id, with the page size kept in the links.
    let (_, first, link) = alice
        .call("GET", &format!("{timeline}?limit=2"), None)
        .await;
    assert_eq!(ids(&first), [b2.clone(), g1.clone()]);
    assert!(link.contains(&format!("limit=2&max_id={g1}")), "{link}");
    let next = alice
        .ok("GET", &format!("{timeline}?limit=2&max_id={g1}"), None)
        .await;
    assert_eq!(ids(&next), [r1.clone(), b1.clone()]);
    let newer = alice
        .ok("GET", &format!("{timeline}?min_id={r1}"), None)
        .await;
    assert_eq!(ids(&newer), [b2.clone(), g1.clone()]);

    // The list stream: bob's post reaches it, carol's does not; nothing for another member.
    assert_eq!(heard(&n, &alice.id, theirs.clone(), &b2).await, ["update"]);
    let c2 = carol.post("still not on the list", json!({})).await;
    assert!(heard(&n, &alice.id, theirs.clone(), &c2).await.is_empty());
    assert!(heard(&n, &dave.id, theirs.clone(), &b2).await.is_empty());
    assert!(heard(&n, &alice.id, theirs.clone(), &hidden)
        .await
        .is_empty());

    // Replies: to someone on the list shown, to someone else only by the policy.
    let r1_status = alice
        .ok("GET", &format!("/api/v1/statuses/{r1}"), None)
        .await;
    assert_eq!(r1_status["id"], r1.as_str());
    let to_carol = bob
        .post("replying to carol", json!({"in_reply_to_id": c2}))
        .await;
    let to_bob = bob
        .post("replying to myself", json!({"in_reply_to_id": b2}))
        .await;
    let shown = ids(&alice.ok("GET", &timeline, None).await);
    assert!(
        shown.contains(&to_bob) && !shown.contains(&to_carol),
        "{shown:?}"
    );
    assert!(heard(&n, &alice.id, theirs.clone(), &to_carol)
        .await
        .is_empty());
    alice
        .ok(
            "POST",
            &format!("/api/v1/accounts/{}/follow", carol.id),
            None,
        )
        .await;
    let put = json!({"replies_policy": "followed"});
    let changed = alice
        .ok("PUT", &format!("/api/v1/lists/{id}"), Some(put))
        .await;
    assert_eq!(changed["replies_policy"], "followed");
    assert_eq!(changed["title"], "Lab");
    assert!(ids(&alice.ok("GET", &timeline, None).await).contains(&to_carol));
    alice
        .ok(
            "PUT",
            &format!("/api/v1/lists/{id}"),
            Some(json!({"replies_policy": "none"})),
        )
        .await;
    let shown = ids(&alice.ok("GET", &timeline, None).await);
    assert!(
        shown.contains(&to_bob) && !shown.contains(&to_carol),
        "{shown:?}"
    );

    // Exclusive: the list's accounts leave the home timeline (and the user stream).
    let home = ids(&alice.ok("GET", "/api/v1/timelines/home", None).await);
    assert!(home.contains(&b2) && home.contains(&r1));
    assert_eq!(heard(&n, &alice.id, Stream::User, &b2).await, ["update"]);
    alice
        .ok(
            "PUT",
            &format!("/api/v1/lists/{id}"),
            Some(json!({"exclusive": true})),
        )
        .await;
    let home = ids(&alice.ok("GET", "/api/v1/timelines/home", None).await);
    assert!(
        !home.contains(&b2) && !home.contains(&r1) && !home.contains(&g1),
        "{home:?}"
    );
    assert!(home.contains(&c2), "{home:?}");
    assert!(heard(&n, &alice.id, Stream::User, &b2).await.is_empty());
    assert!(ids(&alice.ok("GET", &timeline, None).await).contains(&b2));

    // Taking accounts off; unfollowing takes an account off every list.
    alice
        .ok("DELETE", &accounts, Some(json!({"account_ids": [rita.id]})))
        .await;
    alice
        .ok(
            "POST",
            &format!("/api/v1/accounts/{}/unfollow", bob.id),
            None,
        )
        .await;
    assert_eq!(
        ids(&alice.ok("GET", &accounts, None).await),
        std::slice::from_ref(&guild.id)
    );
    assert!(ids(&alice
        .ok("GET", &format!("/api/v1/accounts/{}/lists", bob.id), None)
        .await)
    .is_empty());

    alice
        .ok("DELETE", &format!("/api/v1/lists/{id}"), None)
        .await;
    alice
        .refused("GET", &format!("/api/v1/lists/{id}"), None, 404)
        .await;
    alice.refused("GET", &timeline, None, 404).await;
    assert_eq!(
        theirs.admit(&n.state, Some(alice.id.clone())).await,
        Err(StreamError::NoList)
    );
}

both!(lists_on_sqlite, lists_on_postgres, lists, "lists");

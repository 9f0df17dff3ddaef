//! Conversations through the client API on one node, on SQLite and on PostgreSQL: one per thread
//! of direct statuses, only for author and addressees, unread and read, removed, and the same
//! entity on the direct stream.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{db, service::streams::Stream, Node};
use serde_json::json;
use support::{http::serve, personal::*, *};

async fn conversations(n: Node) {
    let base = serve(&n).await;
    let alice = Member::new(&n, &base, "alice").await;
    let bob = Member::new(&n, &base, "bob").await;
    let carol = Member::new(&n, &base, "carol").await;
    let first = alice
        .post(
            &format!("@bob@{HERE} lunch?"),
            json!({"visibility": "direct"}),
        )
        .await;
    alice
        .post("a public post is no conversation", json!({}))
        .await;

    let bobs = bob.ok("GET", "/api/v1/conversations", None).await;
    assert_eq!(bobs.as_array().unwrap().len(), 1, "{bobs}");
    let conv = &bobs[0];
    assert_eq!(conv["unread"], true);
    assert_eq!(conv["last_status"]["id"], first.as_str());
    assert_eq!(conv["accounts"][0]["id"], alice.id.as_str());
    let conv_id = conv["id"].as_str().unwrap().to_string();
    let alices = alice.ok("GET", "/api/v1/conversations", None).await;
    assert_eq!(alices[0]["unread"], false);
    assert_eq!(alices[0]["accounts"][0]["id"], bob.id.as_str());
    // Not an addressee: nothing at all.
    assert_eq!(
        carol.ok("GET", "/api/v1/conversations", None).await,
        json!([])
    );
    carol
        .refused(
            "POST",
            &format!("/api/v1/conversations/{conv_id}/read"),
            None,
            404,
        )
        .await;
    carol
        .refused(
            "DELETE",
            &format!("/api/v1/conversations/{conv_id}"),
            None,
            404,
        )
        .await;

    // A reply continues the same conversation, and the direct stream names it.
    let reply = bob
        .post(
            &format!("@alice@{HERE} yes"),
            json!({"visibility": "direct", "in_reply_to_id": first}),
        )
        .await;
    let bobs = bob.ok("GET", "/api/v1/conversations", None).await;
    assert_eq!(bobs.as_array().unwrap().len(), 1);
    assert_eq!(bobs[0]["id"], conv_id.as_str());
    assert_eq!(bobs[0]["unread"], false, "bob's own reply");
    let alices = alice.ok("GET", "/api/v1/conversations", None).await;
    assert_eq!(alices[0]["last_status"]["id"], reply.as_str());
    assert_eq!(alices[0]["unread"], true);
    assert_eq!(
        heard(&n, &alice.id, Stream::Direct, &reply).await,
        ["conversation"]
    );
    assert!(heard(&n, &carol.id, Stream::Direct, &reply)
        .await
        .is_empty());
    let alice_conv = alices[0]["id"].as_str().unwrap().to_string();
    let (alice_id, post_id) = (alice.id.clone(), reply.clone());
    let streamed = n
        .state
        .db
        .run(move |c| {
            let post = db::posts::by_id(c, &post_id)?.unwrap();
            cohort::service::conversations::of_post(c, &alice_id, &post)
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(streamed.row.id, alice_conv);

    let read = alice
        .ok(
            "POST",
            &format!("/api/v1/conversations/{alice_conv}/read"),
            None,
        )
        .await;
    assert_eq!(read["unread"], false);
    assert_eq!(
        alice.ok("GET", "/api/v1/conversations", None).await[0]["unread"],
        false
    );
    alice
        .refused("POST", "/api/v1/conversations/01UNKNOWN/read", None, 404)
        .await;
    alice
        .ok(
            "DELETE",
            &format!("/api/v1/conversations/{alice_conv}"),
            None,
        )
        .await;
    assert_eq!(
        alice.ok("GET", "/api/v1/conversations", None).await,
        json!([])
    );
    assert_eq!(
        bob.ok("GET", "/api/v1/conversations", None).await[0]["id"],
        conv_id.as_str()
    );
}

both!(
    conversations_on_sqlite,
    conversations_on_postgres,
    conversations,
    "conversations"
);

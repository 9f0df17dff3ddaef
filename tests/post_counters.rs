//! An author's counters (live statuses, last status time) follow every post stored, on both
//! backends: on PostgreSQL the post and its counters are one statement, on SQLite two.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{
    db::{self, posts::PostRow},
    domain::{actor::ActorKind, audience::PostVisibility, ids::new_id},
    Node,
};

fn post(author: &str, ap_id: &str, published: i64, deleted_at: Option<i64>) -> PostRow {
    PostRow {
        id: new_id(),
        ap_id: ap_id.into(),
        kind: "Note".into(),
        author_id: author.into(),
        group_id: None,
        in_reply_to: None,
        name: None,
        summary: Some("a warning".into()),
        content: "<p>hello</p>".into(),
        sensitive: true,
        visibility: PostVisibility::Unlisted,
        local: false,
        published,
        updated: None,
        deleted_at,
        created_at: published,
        language: Some("en".into()),
    }
}

async fn counters(n: Node) {
    let rob = support::remote(&n, "rob", "full.example", ActorKind::Person).await;
    let eve = support::remote(&n, "eve", "full.example", ActorKind::Person).await;
    let db = n.state.db.clone();
    let store = |row: PostRow| {
        let db = db.clone();
        async move {
            db.tx(move |c| db::posts::insert_if_new(c, &row))
                .await
                .expect("insert")
        }
    };
    let of = |id: &str| {
        let (db, id) = (db.clone(), id.to_string());
        async move {
            let (_, _, statuses, last) = db.run(move |c| db::actors::counts(c, &id)).await.unwrap();
            (statuses, last)
        }
    };
    let base = "https://full.example/notes";
    let first = post(&rob.id, &format!("{base}/1"), 2_000, None);
    assert!(store(first.clone()).await, "new");
    assert_eq!(of(&rob.id).await, (1, Some(2_000)));
    // Stored whole, as given.
    let (pid, ap_id) = (first.id.clone(), first.ap_id.clone());
    let stored = db
        .run(move |c| db::posts::by_id(c, &pid))
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(stored.ap_id, ap_id);
    assert_eq!(stored.visibility, PostVisibility::Unlisted);
    assert_eq!(stored.summary.as_deref(), Some("a warning"));
    assert_eq!(stored.language.as_deref(), Some("en"));
    assert!(stored.sensitive && !stored.local && stored.deleted_at.is_none());

    // Known by id or by ActivityPub id: not stored, not counted.
    assert!(!store(first.clone()).await);
    assert!(!store(post(&rob.id, &first.ap_id, 9_000, None)).await);
    assert_eq!(of(&rob.id).await, (1, Some(2_000)));
    // An older post counts without moving the last status time back.
    assert!(store(post(&rob.id, &format!("{base}/0"), 1_000, None)).await);
    assert_eq!(of(&rob.id).await, (2, Some(2_000)));
    // A post stored already deleted (a tombstone) is not a live status.
    assert!(store(post(&rob.id, &format!("{base}/gone"), 3_000, Some(3_500))).await);
    assert_eq!(of(&rob.id).await, (2, Some(2_000)));
    // Another author's post counts for that author only.
    assert!(store(post(&eve.id, &format!("{base}/e1"), 4_000, None)).await);
    assert_eq!(of(&eve.id).await, (1, Some(4_000)));
    assert_eq!(of(&rob.id).await, (2, Some(2_000)));
}

both!(
    counters_follow_posts_on_sqlite,
    counters_follow_posts_on_postgres,
    counters,
    "postcounters"
);

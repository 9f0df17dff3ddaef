//! Same-origin rules for edits (FEP-fe34): a peer's `Update` never rewrites a post that was
//! written on this node, nor one whose id belongs to another origin than the sender's, nor one
//! another author of the sender's own origin wrote.

use cohort::{
    db::{self, actors::ActorRow, posts::PostRow},
    domain::policy::PeerLevel,
    service,
};
use federation_tests::{free_port, signing, signing::Post, signing::Signer, sqlite_node, text};
use serde_json::json;

fn peers(ports: &[u16]) -> std::collections::BTreeMap<String, PeerLevel> {
    ports
        .iter()
        .map(|p| (format!("localhost:{p}"), PeerLevel::Full))
        .collect()
}

async fn local_actor(n: &federation_tests::TestNode, name: &str) -> ActorRow {
    let (a, _) = service::users::create_user(&n.node_state, name, false, None)
        .await
        .expect("user");
    n.node_state
        .db
        .run(move |c| db::actors::by_id(c, &a.id))
        .await
        .expect("row")
        .expect("actor")
}

async fn post_by_ap_id(n: &federation_tests::TestNode, ap_id: &str) -> PostRow {
    let id = ap_id.to_string();
    n.node_state
        .db
        .run(move |c| db::posts::by_ap_id(c, &id))
        .await
        .expect("read")
        .expect("post")
}

/// An `Update` from `bob` that claims the post `post_id` as his and rewrites it.
fn hijack(bob: &ActorRow, post_id: &str, n: u32) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/hijack-{n}", bob.ap_id),
        "type": "Update",
        "actor": bob.ap_id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "id": post_id, "type": "Note", "attributedTo": bob.ap_id,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "content": "<p>rewritten by a peer</p>",
        },
    }))
    .expect("json")
}

/// A post by `name` of the node on `port`, stored on `n` as a peer's post would be (its actor
/// and text copied from `like_actor` and `like_post`).
async fn stored_remote(
    n: &federation_tests::TestNode,
    like_actor: &ActorRow,
    like_post: &PostRow,
    port: u16,
    name: &str,
    post: &str,
) -> PostRow {
    let ap_id = format!("http://localhost:{port}/users/{name}");
    let actor = ActorRow {
        id: cohort::domain::ids::new_id(),
        ap_id: ap_id.clone(),
        username: name.into(),
        inbox: format!("{ap_id}/inbox"),
        shared_inbox: None,
        domain: format!("localhost:{port}"),
        local: false,
        private_key_pem: None,
        ..like_actor.clone()
    };
    let row = PostRow {
        id: cohort::domain::ids::new_id(),
        ap_id: format!("http://localhost:{port}/posts/{post}"),
        local: false,
        content: format!("<p>written by {name}</p>"),
        ..like_post.clone()
    };
    let r = row.clone();
    n.node_state
        .db
        .run(move |c| {
            let actor = db::actors::upsert_remote(c, &actor)?;
            db::posts::insert_if_new(
                c,
                &PostRow {
                    author_id: actor.id,
                    ..r
                },
            )?;
            Ok(())
        })
        .await
        .expect("store a peer's post");
    row
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_updates_cannot_rewrite_posts_of_other_origins() {
    let (pa, pb, pc) = (free_port().await, free_port().await, free_port().await);
    let a = sqlite_node("A", pa, peers(&[pb, pc])).await;
    let b = sqlite_node("B", pb, peers(&[pa])).await;
    let alice = local_actor(&a, "alice").await;
    let bob = local_actor(&b, "bob").await;

    // A post written on A.
    let mine =
        service::members::publish_post(&a.ctx, &alice, None, text("written here"), vec![], None)
            .await
            .expect("post");
    // A post A stored from a third origin (C), and one by dave, another member of bob's own node.
    let theirs = stored_remote(&a, &bob, &mine, pc, "carol", "c1").await;
    let daves = stored_remote(&a, &bob, &mine, pb, "dave", "d1").await;
    let (theirs_id, daves_id) = (theirs.ap_id.clone(), daves.ap_id.clone());

    let inbox = format!("{}/inbox", a.base());
    let targets = [
        (1, mine.ap_id.clone()),
        (2, theirs_id.clone()),
        (3, daves_id.clone()),
    ];
    for (n, target) in targets {
        let body = hijack(&bob, &target, n);
        let (status, e) = signing::post(
            &Signer::of(&bob),
            &Post {
                url: &inbox,
                body: &body,
                content_type: "application/activity+json",
                covered: signing::FULL,
            },
        )
        .await;
        assert!(
            (400..500).contains(&status),
            "refused with a client error: {status} {e}"
        );
        assert!(e["error"].is_string(), "{e}");
    }
    assert_eq!(post_by_ap_id(&a, &mine.ap_id).await.content, mine.content);
    assert_eq!(post_by_ap_id(&a, &theirs_id).await.content, theirs.content);
    assert_eq!(post_by_ap_id(&a, &daves_id).await.content, daves.content);
    let (m, t) = (mine.id.clone(), theirs.id.clone());
    let versions = a
        .node_state
        .db
        .run(move |c| Ok(db::posts::versions(c, &m)?.len() + db::posts::versions(c, &t)?.len()))
        .await
        .expect("versions");
    assert_eq!(versions, 0, "no edit history was written");
}

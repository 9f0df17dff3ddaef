//! Blocks, mutes, notes, pins and featured hashtags on one node, with the federation port (its
//! deliveries stay queued, so what peers would hear is read from the queue), on SQLite and on
//! PostgreSQL. Every refused request changes nothing.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{
    db::{self, actors::ActorRow, DbConnection, DbResult},
    domain::{actor::ActorKind, policy::PeerLevel},
    error::AppError,
    service::{
        follows, pins, posting, reading,
        reading::Window,
        relations::{self, MuteOptions},
        visibility::Viewer,
    },
    Node,
};
use serde_json::Value;
use support::*;

async fn on<T: Send + 'static>(
    n: &Node,
    f: impl FnOnce(&mut DbConnection) -> DbResult<T> + Send + 'static,
) -> T {
    n.state.db.run(f).await.expect("db")
}

fn window() -> Window {
    Window {
        max: None,
        min: None,
        since_only: false,
        limit: 40,
    }
}

async fn home(n: &Node, me: &ActorRow) -> Vec<String> {
    reading::home(&n.state, me.id.clone(), window())
        .await
        .expect("home")
        .into_iter()
        .map(|p| p.content)
        .collect()
}

/// Whether `me`'s home timeline shows a post by `author`.
async fn home_by(n: &Node, me: &ActorRow, author: &ActorRow) -> bool {
    reading::home(&n.state, me.id.clone(), window())
        .await
        .expect("home")
        .iter()
        .any(|p| p.author_id == author.id)
}

async fn public(n: &Node, me: &ActorRow) -> Vec<String> {
    reading::public(
        &n.state,
        Viewer::Local(me.id.clone()),
        None,
        None,
        false,
        window(),
    )
    .await
    .expect("public")
    .into_iter()
    .map(|p| p.content)
    .collect()
}

async fn notified(n: &Node, me: &ActorRow) -> usize {
    let id = me.id.clone();
    on(n, move |c| {
        db::notifications::list(c, &id, None, None, &[], &[], 40)
    })
    .await
    .len()
}

/// How many of `me`'s user and public streams the new post `post_id` reaches.
async fn streamed(n: &Node, me: &ActorRow, post_id: &str) -> usize {
    use cohort::service::{events::Event, streams};
    let (me, event) = (
        me.id.clone(),
        Event::Posted {
            post_id: post_id.to_string(),
        },
    );
    on(n, move |c| {
        let subscribed = [
            streams::Stream::User,
            streams::Stream::Public {
                local: None,
                media: false,
            },
        ];
        streams::route(c, Some(&me), &subscribed, &event)
    })
    .await
    .len()
}

async fn sent_to(n: &Node, domain: &str) -> Vec<Value> {
    let d = domain.to_string();
    on(n, move |c| db::deliveries::payloads_for_peer(c, &d))
        .await
        .into_iter()
        .map(|p| serde_json::from_str(&p).expect("json"))
        .collect()
}

async fn follows(n: &Node, a: &ActorRow, b: &ActorRow) -> bool {
    let (a, b) = (a.id.clone(), b.id.clone());
    on(n, move |c| db::follows::by_pair(c, &a, &b))
        .await
        .is_some()
}

async fn run(db_url: String, dir: tempfile::TempDir) {
    let n = node(db_url, &dir, &[("full.example", PeerLevel::Full)], None).await;
    let ctx = n.ctx();
    let ann = member(&n, "ann").await;
    let ben = member(&n, "ben").await;
    let cat = member(&n, "cat").await;
    let rem = remote(&n, "rem", "full.example", ActorKind::Person).await;
    for (a, b) in [(&ann, &ben), (&ben, &ann), (&cat, &ann), (&cat, &ben)] {
        accepted_follow(&n, a, b).await;
    }
    accepted_follow(&n, &rem, &ann).await;
    accepted_follow(&n, &ann, &rem).await;

    // Blocking yourself is refused and stores nothing.
    let own = relations::block(&n.state, &ann, &ann).await;
    assert!(matches!(own, Err(AppError::Unprocessable(_))), "{own:?}");
    let own = relations::mute(
        &n.state,
        &ann,
        &ann,
        MuteOptions {
            notifications: true,
            duration: None,
        },
    )
    .await;
    assert!(matches!(own, Err(AppError::Unprocessable(_))), "{own:?}");
    let a = ann.id.clone();
    assert!(on(&n, move |c| db::blocks::by_pair(c, &a, &a))
        .await
        .is_none());

    // ben posts; ann sees it. Then ann blocks ben: follows end both ways and ben's posts leave
    // ann's home and public timelines; ann's private posts leave ben's sight.
    posting::publish_post(&ctx, &ben, None, post("ben before", "public"), vec![], None)
        .await
        .expect("post");
    let private = posting::publish_post(
        &ctx,
        &ann,
        None,
        post("ann private", "private"),
        vec![],
        None,
    )
    .await
    .expect("post");
    let open = posting::publish_post(&ctx, &ann, None, post("ann public", "public"), vec![], None)
        .await
        .expect("post");
    assert!(home(&n, &ann)
        .await
        .iter()
        .any(|t| t.contains("ben before")));
    assert!(
        reading::status(&n.state, Viewer::Local(ben.id.clone()), private.id.clone())
            .await
            .is_ok()
    );
    relations::block(&n.state, &ann, &ben).await.expect("block");
    relations::block(&n.state, &ann, &ben)
        .await
        .expect("blocking again changes nothing");
    assert!(!follows(&n, &ann, &ben).await && !follows(&n, &ben, &ann).await);
    assert!(follows(&n, &cat, &ben).await, "other follows stay");
    assert!(!home(&n, &ann).await.iter().any(|t| t.contains("ben")));
    assert!(!public(&n, &ann).await.iter().any(|t| t.contains("ben")));
    let later = posting::publish_post(&ctx, &ben, None, post("ben later", "public"), vec![], None)
        .await
        .expect("post");
    assert_eq!(
        streamed(&n, &ann, &later.id).await,
        0,
        "nothing of ben streamed to ann"
    );
    assert_eq!(
        streamed(&n, &cat, &later.id).await,
        2,
        "cat follows ben: user and public"
    );
    assert!(public(&n, &cat)
        .await
        .iter()
        .any(|t| t.contains("ben before")));
    let hidden = reading::status(&n.state, Viewer::Local(ben.id.clone()), private.id.clone()).await;
    assert!(matches!(hidden, Err(AppError::NotFound(_))), "{hidden:?}");
    assert!(
        reading::status(&n.state, Viewer::Local(ben.id.clone()), open.id.clone())
            .await
            .is_ok(),
        "public posts stay public"
    );

    // ben can no longer follow ann, and his mentions and replies do not notify her.
    let refollow = follows::follow_actor(&ctx, &ben, &ann).await;
    assert!(
        matches!(refollow, Err(AppError::Forbidden(_))),
        "{refollow:?}"
    );
    assert!(!follows(&n, &ben, &ann).await);
    let before = notified(&n, &ann).await;
    let mut reply = post("@ann@here.example hello?", "public");
    reply.in_reply_to = Some(open.ap_id.clone());
    let reply = posting::publish_post(&ctx, &ben, None, reply, vec![], None)
        .await
        .expect("reply");
    assert_eq!(
        notified(&n, &ann).await,
        before,
        "no mention from a blocked account"
    );
    let (_, below) = reading::context(&n.state, Viewer::Local(ann.id.clone()), open.clone())
        .await
        .expect("context");
    assert!(
        below.iter().all(|p| p.id != reply.id),
        "the reply is not in ann's thread"
    );
    let (_, below) = reading::context(&n.state, Viewer::Local(cat.id.clone()), open.clone())
        .await
        .expect("context");
    assert!(
        below.iter().any(|p| p.id == reply.id),
        "others still see it"
    );

    // Unblocking restores sight (not the follows).
    relations::unblock(&n.state, &ann, &ben)
        .await
        .expect("unblock");
    assert!(public(&n, &ann)
        .await
        .iter()
        .any(|t| t.contains("ben before")));
    assert!(!follows(&n, &ann, &ben).await);

    // Blocking a peer's member: Undo(Follow) and Reject(Follow) for the two follows, then Block,
    // all to that node; unblocking sends Undo(Block) naming the same Block.
    relations::block(&n.state, &ann, &rem)
        .await
        .expect("block remote");
    assert!(!follows(&n, &ann, &rem).await && !follows(&n, &rem, &ann).await);
    let sent = sent_to(&n, "full.example").await;
    let kinds: Vec<&str> = sent.iter().filter_map(|a| a["type"].as_str()).collect();
    assert!(
        kinds.contains(&"Undo") && kinds.contains(&"Reject"),
        "{kinds:?}"
    );
    let block = sent
        .iter()
        .find(|a| a["type"] == "Block")
        .expect("Block sent");
    assert_eq!(block["object"], rem.ap_id.as_str());
    assert_eq!(block["actor"], ann.ap_id.as_str());
    relations::unblock(&n.state, &ann, &rem)
        .await
        .expect("unblock remote");
    let sent = sent_to(&n, "full.example").await;
    let undo = sent
        .iter()
        .find(|a| a["type"] == "Undo" && a["object"]["type"] == "Block")
        .expect("Undo(Block) sent");
    assert_eq!(undo["object"]["id"], block["id"]);

    // A peer's member blocks ann: stored, their follow ends, ann's posts no longer go to them.
    accepted_follow(&n, &rem, &ann).await;
    relations::receive_block(&n.state, &rem, &ann, "https://full.example/blocks/1")
        .await
        .expect("inbound block");
    assert!(!follows(&n, &rem, &ann).await);
    let before = sent_to(&n, "full.example").await.len();
    posting::publish_post(
        &ctx,
        &ann,
        None,
        post("after the block", "private"),
        vec![],
        None,
    )
    .await
    .expect("post");
    assert_eq!(
        sent_to(&n, "full.example").await.len(),
        before,
        "nothing for the blocker"
    );
    relations::receive_unblock(&n.state, &rem, "https://full.example/blocks/1", None)
        .await
        .expect("inbound undo");
    let (r, a) = (rem.id.clone(), ann.id.clone());
    assert!(on(&n, move |c| db::blocks::by_pair(c, &r, &a))
        .await
        .is_none());

    // Mutes: a bad duration changes nothing; a mute hides home and public posts and, with
    // notifications, the notifications; an expired mute hides nothing.
    for bad in [-1, i64::MAX] {
        let r = relations::mute(
            &n.state,
            &cat,
            &ann,
            MuteOptions {
                notifications: true,
                duration: Some(bad),
            },
        )
        .await;
        assert!(matches!(r, Err(AppError::Unprocessable(_))), "{r:?}");
    }
    let (c, a) = (cat.id.clone(), ann.id.clone());
    assert!(on(&n, move |x| db::mutes::active(x, &c, &a, 0))
        .await
        .is_none());
    let mention = post("@cat@here.example look", "public");
    posting::publish_post(&ctx, &ann, None, mention, vec![], None)
        .await
        .expect("mention");
    let cat_heard = notified(&n, &cat).await;
    assert!(cat_heard > 0);
    relations::mute(
        &n.state,
        &cat,
        &ann,
        MuteOptions {
            notifications: true,
            duration: Some(3600),
        },
    )
    .await
    .expect("mute");
    assert!(!home_by(&n, &cat, &ann).await);
    let muted = posting::publish_post(
        &ctx,
        &ann,
        None,
        post("while muted", "public"),
        vec![],
        None,
    )
    .await
    .expect("post");
    assert_eq!(
        streamed(&n, &cat, &muted.id).await,
        0,
        "nothing streamed to cat"
    );
    assert_eq!(
        streamed(&n, &ben, &muted.id).await,
        1,
        "the public stream of others has it"
    );
    assert!(!public(&n, &cat)
        .await
        .iter()
        .any(|t| t.contains("ann public")));
    assert!(home_by(&n, &cat, &ben).await);
    assert_eq!(
        notified(&n, &cat).await,
        0,
        "muted notifications are hidden"
    );
    assert!(
        reading::status(&n.state, Viewer::Local(cat.id.clone()), open.id.clone())
            .await
            .is_ok(),
        "a muted account's post is still shown by id"
    );
    relations::mute(
        &n.state,
        &cat,
        &ann,
        MuteOptions {
            notifications: false,
            duration: None,
        },
    )
    .await
    .expect("mute posts only");
    assert_eq!(notified(&n, &cat).await, cat_heard);
    let (c, a) = (cat.id.clone(), ann.id.clone());
    on(&n, move |x| {
        db::mutes::upsert(
            x,
            &db::mutes::MuteRow {
                id: cohort::domain::ids::new_id(),
                actor_id: c,
                target_id: a,
                notifications: true,
                expires_at: Some(cohort::domain::time::now_ms() - 1),
                created_at: 0,
            },
        )
    })
    .await;
    assert!(home_by(&n, &cat, &ann).await, "expired");
    relations::unmute(&n.state, &cat, &ann)
        .await
        .expect("unmute");

    // Notes: set, cleared, and too long refused.
    relations::set_note(&n.state, &cat, &ann, "met at the fair")
        .await
        .expect("note");
    let (c, a) = (cat.id.clone(), ann.id.clone());
    assert_eq!(
        on(&n, move |x| db::mutes::note(x, &c, &a)).await,
        "met at the fair"
    );
    let long = "x".repeat(relations::NOTE_MAX_CHARS + 1);
    let r = relations::set_note(&n.state, &cat, &ann, &long).await;
    assert!(matches!(r, Err(AppError::Unprocessable(_))), "{r:?}");
    let (c, a) = (cat.id.clone(), ann.id.clone());
    assert_eq!(
        on(&n, move |x| db::mutes::note(x, &c, &a)).await,
        "met at the fair"
    );

    // Pins: own public and unlisted posts, up to five; someone else's, private, direct and
    // unknown posts are refused and change nothing.
    let mut mine = Vec::new();
    for i in 0..6 {
        let vis = if i % 2 == 0 { "public" } else { "unlisted" };
        let p = posting::publish_post(
            &ctx,
            &cat,
            None,
            post(&format!("pin {i}"), vis),
            vec![],
            None,
        )
        .await
        .expect("post");
        mine.push(p);
    }
    for p in &mine[..5] {
        pins::pin(&n.state, &cat, &p.id).await.expect("pin");
    }
    pins::pin(&n.state, &cat, &mine[0].id)
        .await
        .expect("pinning again changes nothing");
    let sixth = pins::pin(&n.state, &cat, &mine[5].id).await;
    assert!(
        matches!(sixth, Err(AppError::Unprocessable(_))),
        "{sixth:?}"
    );
    let theirs = pins::pin(&n.state, &cat, &open.id).await;
    assert!(
        matches!(theirs, Err(AppError::Unprocessable(_))),
        "{theirs:?}"
    );
    let dm = posting::publish_post(
        &ctx,
        &cat,
        None,
        post("dm @ann@here.example", "direct"),
        vec![],
        None,
    )
    .await
    .expect("dm");
    let direct = pins::pin(&n.state, &cat, &dm.id).await;
    assert!(
        matches!(direct, Err(AppError::Unprocessable(_))),
        "{direct:?}"
    );
    let unknown = pins::pin(&n.state, &cat, "01HZZZZZZZZZZZZZZZZZZZZZZZ").await;
    assert!(matches!(unknown, Err(AppError::NotFound(_))), "{unknown:?}");
    let shown = pins::pinned(&n.state, Viewer::Anonymous, &cat.id)
        .await
        .expect("pins");
    assert_eq!(shown.len(), 5);
    assert_eq!(shown[0].id, mine[4].id, "newest pin first");
    pins::unpin(&n.state, &cat, &mine[4].id)
        .await
        .expect("unpin");
    pins::pin(&n.state, &cat, &mine[5].id)
        .await
        .expect("room again");

    // Featured hashtags: added once, at most ten, removed by their owner only.
    let t = pins::feature_tag(&n.state, &cat, "#Gardening")
        .await
        .expect("feature");
    assert_eq!(t.0.name, "gardening");
    let again = pins::feature_tag(&n.state, &cat, "gardening").await;
    assert!(
        matches!(again, Err(AppError::Unprocessable(_))),
        "{again:?}"
    );
    let bad = pins::feature_tag(&n.state, &cat, "not a tag!").await;
    assert!(matches!(bad, Err(AppError::Unprocessable(_))), "{bad:?}");
    let foreign = pins::unfeature_tag(&n.state, &ann, &t.0.id).await;
    assert!(matches!(foreign, Err(AppError::NotFound(_))), "{foreign:?}");
    assert_eq!(
        pins::featured_tags(&n.state, &cat.id)
            .await
            .expect("tags")
            .len(),
        1
    );
    pins::unfeature_tag(&n.state, &cat, &t.0.id)
        .await
        .expect("unfeature");
    assert!(pins::featured_tags(&n.state, &cat.id)
        .await
        .expect("tags")
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relations_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    run(url, dir).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relations_on_postgres() {
    let Some(url) = db::test_postgres_database("relations") else {
        return;
    };
    run(url, tempfile::tempdir().expect("dir")).await;
}

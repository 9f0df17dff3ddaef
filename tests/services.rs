//! Use cases on one in-process node with a recording outbound port: what each writes, which
//! intents it emits, and that a refused use case writes nothing and emits nothing. No network.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{
    db::{self, interactions::Interaction},
    domain::{actor::ActorKind, audience::PostVisibility, ids::PostId},
    service::{follows, groups, interactions, outbound::Outbound, posting},
};
use support::*;

fn intents(r: &cohort::service::outbound::Recorder) -> Vec<Outbound> {
    r.intents.lock().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn use_cases_emit_intents_with_their_writes() {
    let dir = tempfile::tempdir().expect("dir");
    let (n, rec) = recording_node(&dir).await;
    let ctx = n.ctx();
    let author = member(&n, "author").await;
    let addressee = member(&n, "addressee").await;
    let other = member(&n, "other").await;
    let fan = remote(&n, "fan", "full.example", ActorKind::Person).await;
    accepted_follow(&n, &fan, &author).await;

    // A direct post: stored as direct, its addressee notified, one CreatePost intent.
    let text = format!("for you @addressee@{HERE}");
    let dm = posting::publish_post(&ctx, &author, None, post(&text, "direct"), vec![], None)
        .await
        .expect("dm");
    assert_eq!(dm.visibility, PostVisibility::Direct);
    let created = matches!(&intents(&rec)[..], [Outbound::CreatePost { post_id }] if *post_id == PostId(dm.id.clone()));
    assert!(created, "{:?}", intents(&rec));
    let (a, o) = (addressee.id.clone(), other.id.clone());
    let (to_addressee, to_other) = n
        .state
        .db
        .run(move |c| {
            let count = |c: &mut db::DbConnection, u: &str| {
                db::notifications::list(c, u, None, None, &[], &[], 40).map(|l| l.len())
            };
            Ok((count(c, &a)?, count(c, &o)?))
        })
        .await
        .expect("notifications");
    assert_eq!((to_addressee, to_other), (1, 0));

    // Posting into a group one is not a member of is refused: nothing stored, nothing emitted.
    let spec = groups::NewGroup {
        name: "wg".into(),
        display_name: None,
        summary: None,
        approval_required: false,
        visibility: cohort::domain::policy::Visibility::Members,
        moderator: Some("author".into()),
    };
    let wg = groups::create_group(&n.state, spec).await.expect("group");
    let before = intents(&rec).len();
    let refused = posting::publish_post(
        &ctx,
        &other,
        Some(wg.clone()),
        post("hi", "public"),
        vec![],
        None,
    )
    .await;
    assert!(
        matches!(refused, Err(cohort::error::AppError::Forbidden(_))),
        "{refused:?}"
    );
    let stored = n.state.db.run(db::posts::count_local).await.expect("count");
    assert_eq!(
        stored, 1,
        "only the direct post is stored: the refused one was not"
    );
    assert_eq!(intents(&rec).len(), before, "and nothing was queued");

    // A favourite: one Interaction intent and one notification; a repeat changes nothing.
    let public = posting::publish_post(&ctx, &author, None, post("hello", "public"), vec![], None)
        .await
        .expect("post");
    let before = intents(&rec).len();
    interactions::add(&ctx, Interaction::Favourite, &other, &public)
        .await
        .expect("fav");
    interactions::add(&ctx, Interaction::Favourite, &other, &public)
        .await
        .expect("again");
    let new: Vec<Outbound> = intents(&rec).split_off(before);
    assert!(
        matches!(
            &new[..],
            [Outbound::Interaction {
                kind: Interaction::Favourite,
                undo: false,
                ..
            }]
        ),
        "{new:?}"
    );

    // A peer's favourite of a deleted post is not counted.
    let gone = posting::publish_post(&ctx, &author, None, post("bye", "public"), vec![], None)
        .await
        .expect("post");
    cohort::service::editing::delete(&ctx, "author", &gone.ap_id)
        .await
        .expect("delete");
    let gone = n
        .state
        .db
        .run({
            let id = gone.id.clone();
            move |c| db::posts::with_actors(c, &id)
        })
        .await
        .expect("read")
        .expect("row");
    interactions::receive(
        &ctx,
        Interaction::Favourite,
        &fan,
        gone.clone(),
        "https://full.example/likes/1",
        None,
    )
    .await
    .expect("receive");
    let (fid, gid) = (fan.id.clone(), gone.0.id.clone());
    let counted = n
        .state
        .db
        .run(move |c| db::interactions::find(c, Interaction::Favourite, &fid, &gid))
        .await
        .expect("find");
    assert!(
        counted.is_none(),
        "a favourite of a deleted post is ignored"
    );

    // Following a peer's actor: a pending follow and one Follow intent.
    let before = intents(&rec).len();
    let state = follows::follow_actor(&ctx, &author, &fan)
        .await
        .expect("follow");
    assert_eq!(state, "pending");
    assert!(matches!(
        &intents(&rec)[before..],
        [Outbound::Follow { .. }]
    ));
}

/// Eight simultaneous votes by one member in a single-choice poll count once.
async fn concurrent_votes(n: cohort::Node) {
    let ctx = n.ctx();
    let author = member(&n, "author").await;
    let voter = member(&n, "voter").await;
    let poll = posting::NewPoll {
        options: vec!["yes".into(), "no".into()],
        expires_in_secs: 3600,
        multiple: false,
    };
    let question = posting::publish_post(
        &ctx,
        &author,
        None,
        post("agree?", "public"),
        vec![],
        Some(poll),
    )
    .await
    .expect("poll");
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (ctx, voter, question) = (n.ctx(), voter.clone(), question.clone());
        tasks.push(tokio::spawn(async move {
            cohort::service::polls::vote(&ctx, &voter, &question, &[i % 2]).await
        }));
    }
    let mut counted = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(()) => counted += 1,
            Err(cohort::error::AppError::Unprocessable(m)) => {
                assert!(m.contains("already voted"), "{m}")
            }
            Err(e) => panic!("unexpected error {e:?}"),
        }
    }
    assert_eq!(counted, 1, "exactly one vote was accepted");
    let pid = question.id.clone();
    let (counts, voters) = n
        .state
        .db
        .run(move |c| db::polls::tally(c, &pid, 2))
        .await
        .expect("tally");
    assert_eq!((counts.iter().sum::<i64>(), voters), (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_votes_count_once_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let (n, _) = recording_node(&dir).await;
    concurrent_votes(n).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_votes_count_once_on_postgres() {
    let Some(url) = db::test_postgres_database("votes") else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let recorder = std::sync::Arc::new(cohort::service::outbound::Recorder::default());
    concurrent_votes(node(url, &dir, &[], Some(recorder)).await).await;
}

//! What a Cohort node sends a Lemmy 0.19 server, captured from a real node and parsed with
//! Lemmy's own shapes (`federation_tests::lemmy_shapes`, written from its protocol structs).
//!
//! Node A hosts the open group `wg` (moderator alice, member bob) and the approval-only group
//! `closed`. A "Lemmy" peer at a closed port holds the person `lu` (who joins `wg`), `lx` (not a
//! member), `lf` (asks to join `closed`) and the community `lc` (which alice joins); their
//! documents name Lemmy's context, so A stores them as Lemmy actors. What Lemmy users do arrives
//! through `federation::activities::dispatch`, the function the inbox calls once a signature is
//! verified. Every activity A queues for the peer is read from the delivery queue as it would be
//! sent (the port is closed, so the queue keeps it) and parsed as Lemmy parses what its inbox
//! receives: each verb must be the `AnnouncableActivities` variant (or follow activity) Lemmy
//! would read it as. The group's actor, its moderators and a member are fetched over HTTP.
//! Runs on SQLite and on PostgreSQL.

use cohort::{
    db::{self, actors::ActorRow, interactions::Interaction},
    domain::{ids::new_id, policy::PeerLevel, time::now_ms},
    service::{self, posting::NewPoll},
};
use federation_tests::{
    database_url, free_port,
    lemmy_shapes::{check, Shape},
    text, Store, TestNode,
};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

struct Peer {
    node: TestNode,
    domain: String,
    seen: BTreeSet<String>,
}

impl Peer {
    /// Activities queued for the Lemmy peer since the last call.
    async fn sent(&mut self) -> Vec<Value> {
        let domain = self.domain.clone();
        let all = self
            .node
            .node_state
            .db
            .run(move |c| db::deliveries::payloads_for_peer(c, &domain))
            .await
            .expect("payloads");
        let mut out = Vec::new();
        for p in all {
            let v: Value = serde_json::from_str(&p).expect("json");
            let id = v["id"].as_str().unwrap_or_default().to_string();
            if self.seen.insert(id) {
                out.push(v);
            }
        }
        out
    }

    async fn dispatch(&self, activity: Value) -> Result<(), String> {
        let raw = serde_json::from_value(activity).expect("activity");
        cohort::federation::activities::dispatch(raw, &self.node.ctx)
            .await
            .map_err(|e| format!("{} {e}", e.status().as_u16()))
    }
}

fn lemmy_actor(base: &str, path: &str, kind: &str, domain: &str, pem: &str) -> ActorRow {
    let ap_id = format!("{base}/{path}");
    let now = now_ms();
    ActorRow {
        id: new_id(),
        ap_id: ap_id.clone(),
        kind: cohort::domain::actor::ActorKind::try_from(kind.to_string()).expect("kind"),
        username: path.rsplit('/').next().unwrap_or_default().into(),
        domain: domain.into(),
        local: false,
        display_name: String::new(),
        summary: String::new(),
        inbox: format!("{ap_id}/inbox"),
        shared_inbox: Some(format!("{base}/inbox")),
        outbox: Some(format!("{ap_id}/outbox")),
        followers_url: Some(format!("{ap_id}/followers")),
        public_key_pem: pem.into(),
        private_key_pem: None,
        ed25519_public: None,
        ed25519_private: None,
        manually_approves: false,
        visibility: "public".into(),
        speaks_cohort: false,
        created_at: now,
        updated_at: now,
        last_refreshed_at: now,
        avatar_url: None,
        header_url: None,
        speaks_lemmy: true,
        discoverable: false,
    }
}

/// The one captured activity that `pick` selects, checked against `shape`.
fn one<'a>(
    sent: &'a [Value],
    what: &str,
    shape: Shape,
    pick: impl Fn(&Value) -> bool,
) -> &'a Value {
    let found: Vec<&Value> = sent.iter().filter(|v| pick(v)).collect();
    assert_eq!(found.len(), 1, "{what}: one activity expected in {sent:#?}");
    if let Err(e) = check(shape, found[0]) {
        panic!(
            "{what}: Lemmy would not read {shape:?}: {e}\n{:#}",
            found[0]
        );
    }
    found[0]
}

fn kind(v: &Value) -> &str {
    v["type"].as_str().unwrap_or_default()
}

fn inner_kind(v: &Value) -> &str {
    v["object"]["type"].as_str().unwrap_or_default()
}

async fn run(store: Store) {
    let dir = tempfile::tempdir().expect("dir");
    let Some(url) = database_url(store, dir.path(), "lemmyout") else {
        return;
    };
    let lemmy_port = free_port().await;
    let domain = format!("localhost:{lemmy_port}");
    let base = format!("http://{domain}");
    let node = TestNode::start_with(
        "A",
        free_port().await,
        url,
        dir,
        [(domain.clone(), PeerLevel::Full)].into(),
        |c| c.federation.mode = cohort::domain::policy::FederationMode::Open,
    )
    .await;
    let state = node.node_state.clone();
    let ctx = node.ctx.clone();
    let (alice, _) = service::users::create_user(&state, "alice", false, None)
        .await
        .expect("alice");
    let (bob, _) = service::users::create_user(&state, "bob", false, None)
        .await
        .expect("bob");
    let wg = federation_tests::group(&node, "wg", Default::default(), false, Some("alice")).await;
    federation_tests::group(&node, "closed", Default::default(), true, Some("alice")).await;
    service::follows::follow(&ctx, "bob", &node.handle("wg"))
        .await
        .expect("bob joins");
    let keys = tokio::task::spawn_blocking(cohort::domain::keys::generate)
        .await
        .expect("join")
        .expect("keys");
    let pem = keys.rsa_public_pem;
    let lu = lemmy_actor(&base, "u/lu", "Person", &domain, &pem);
    let lx = lemmy_actor(&base, "u/lx", "Person", &domain, &pem);
    let lf = lemmy_actor(&base, "u/lf", "Person", &domain, &pem);
    let lc = lemmy_actor(&base, "c/lc", "Group", &domain, &pem);
    for a in [&lu, &lx, &lf, &lc] {
        let a = a.clone();
        state
            .db
            .run(move |c| db::actors::insert(c, &a))
            .await
            .expect("store lemmy actor");
    }
    let mut peer = Peer {
        node,
        domain,
        seen: BTreeSet::new(),
    };
    let a = |path: &str| format!("{base}/activities/{path}");

    // A Lemmy user joins the group: Accept, with the Follow embedded.
    let follow = json!({"id": a("follow/1"), "type": "Follow", "actor": lu.ap_id,
        "object": wg.ap_id, "to": [wg.ap_id]});
    peer.dispatch(follow).await.expect("lu joins wg");
    let sent = peer.sent().await;
    one(&sent, "Accept", Shape::AcceptFollow, |v| {
        kind(v) == "Accept"
    });

    // A member's post with a title, as Lemmy sends one: relayed as Announce(Create(Page)), and
    // no Announce of a bare URL.
    let mut titled = text("Minutes of the call");
    titled.title = Some("Call minutes".into());
    let post = service::posting::post(&ctx, "bob", &peer.node.handle("wg"), titled)
        .await
        .expect("bob posts");
    let sent = peer.sent().await;
    one(
        &sent,
        "relayed post",
        Shape::Announce("CreateOrUpdatePost"),
        |v| kind(v) == "Announce" && inner_kind(v) == "Create",
    );
    assert!(sent.iter().all(|v| v["object"].is_object()), "{sent:#?}");

    // A reply, as Lemmy reads a comment.
    let mut reply = text("Thanks for writing them up");
    reply.in_reply_to = Some(post.ap_id.clone());
    let reply = service::posting::post(&ctx, "alice", &peer.node.handle("wg"), reply)
        .await
        .expect("alice replies");
    let sent = peer.sent().await;
    one(
        &sent,
        "relayed reply",
        Shape::Announce("CreateOrUpdateComment"),
        |v| kind(v) == "Announce",
    );

    // An edit.
    service::editing::edit(&ctx, "bob", &post.ap_id, "Minutes of the call, corrected")
        .await
        .expect("bob edits");
    let sent = peer.sent().await;
    one(
        &sent,
        "relayed edit",
        Shape::Announce("CreateOrUpdatePost"),
        |v| inner_kind(v) == "Update",
    );

    // A moderator removes a member's post: Delete by the moderator with a summary.
    let doomed = service::posting::post(&ctx, "bob", &peer.node.handle("wg"), text("spam"))
        .await
        .expect("bob posts spam");
    peer.sent().await;
    service::editing::delete(&ctx, "alice", &doomed.ap_id)
        .await
        .expect("alice removes it");
    let sent = peer.sent().await;
    let removal = one(
        &sent,
        "moderator's removal",
        Shape::Announce("Delete"),
        |v| inner_kind(v) == "Delete",
    );
    assert_eq!(removal["object"]["actor"], alice.ap_id.as_str());
    assert!(removal["object"]["summary"].is_string(), "{removal:#}");
    assert_eq!(removal["object"]["audience"], wg.ap_id.as_str());
    assert!(removal["object"]["to"]
        .as_array()
        .is_some_and(|t| t.iter().any(|u| u == PUBLIC)));

    // An author deletes their own reply: no summary.
    service::editing::delete(&ctx, "alice", &reply.ap_id)
        .await
        .expect("alice deletes her reply");
    let sent = peer.sent().await;
    let own = one(&sent, "author's deletion", Shape::Announce("Delete"), |v| {
        inner_kind(v) == "Delete"
    });
    assert!(own["object"].get("summary").is_none(), "{own:#}");

    // A Lemmy user's post in the group, liked and unliked by a member: the group relays the vote
    // to every node that follows it, the author's too, and the author's node is not sent a second
    // copy (Lemmy 0.19 refuses a duplicate with 400). The post itself is not relayed back to its
    // own node (Lemmy refuses its own objects from elsewhere: "cant accept local object").
    let lemmy_post = format!("{base}/post/1");
    let create = json!({"id": a("create/1"), "type": "Create", "actor": lu.ap_id,
        "to": [PUBLIC], "cc": [wg.ap_id], "audience": wg.ap_id,
        "object": {"type": "Page", "id": lemmy_post, "attributedTo": lu.ap_id,
            "to": [wg.ap_id, PUBLIC], "name": "From Lemmy", "content": "<p>hello wg</p>",
            "mediaType": "text/html", "audience": wg.ap_id, "published": "2026-12-05T10:00:00Z"}});
    peer.dispatch(create).await.expect("lu posts in wg");
    let sent = peer.sent().await;
    assert!(
        sent.is_empty(),
        "nothing back to the post's own node: {sent:#?}"
    );
    let stored = {
        let p = lemmy_post.clone();
        state
            .db
            .run(move |c| db::posts::by_ap_id(c, &p))
            .await
            .expect("read")
            .expect("stored")
    };
    service::interactions::add(&ctx, Interaction::Favourite, &alice, &stored)
        .await
        .expect("like");
    let sent = peer.sent().await;
    assert_eq!(sent.len(), 1, "the vote once: {sent:#?}");
    one(&sent, "like relayed", Shape::Announce("Vote"), |v| {
        kind(v) == "Announce"
    });
    service::interactions::remove(&ctx, Interaction::Favourite, &alice, &stored)
        .await
        .expect("unlike");
    let sent = peer.sent().await;
    assert_eq!(sent.len(), 1, "the undo once: {sent:#?}");
    one(&sent, "undo relayed", Shape::Announce("UndoVote"), |v| {
        kind(v) == "Announce"
    });

    // A Lemmy member comments there and un-votes with Lemmy's own `Undo`, which writes the vote
    // afresh with a new id: the comment is not relayed back to Lemmy; the favourite of lu is
    // found by voter and post and goes away.
    let comment = json!({"id": a("create/2"), "type": "Create", "actor": lu.ap_id,
        "to": [PUBLIC], "cc": [wg.ap_id], "audience": wg.ap_id,
        "object": {"type": "Note", "id": format!("{base}/comment/2"), "attributedTo": lu.ap_id,
            "to": [PUBLIC], "cc": [wg.ap_id], "inReplyTo": lemmy_post, "content": "<p>me too</p>",
            "mediaType": "text/html", "audience": wg.ap_id, "published": "2026-12-05T10:01:00Z"}});
    peer.dispatch(comment).await.expect("lu comments");
    let sent = peer.sent().await;
    assert!(sent.is_empty(), "the comment is not sent back: {sent:#?}");
    let like = json!({"id": a("like/1"), "type": "Like", "actor": lu.ap_id,
        "object": lemmy_post, "audience": wg.ap_id});
    peer.dispatch(like).await.expect("lu likes its post");
    let favourites = || {
        let id = stored.id.clone();
        let state = state.clone();
        async move {
            state
                .db
                .run(move |c| db::interactions::counts(c, &id))
                .await
                .expect("counts")
                .0
        }
    };
    assert_eq!(favourites().await, 1, "lu's vote counted");
    let undo = json!({"id": a("undo/1"), "type": "Undo", "actor": lu.ap_id, "audience": wg.ap_id,
        "object": {"id": a("like/2"), "type": "Like", "actor": lu.ap_id, "object": lemmy_post,
            "audience": wg.ap_id}});
    peer.dispatch(undo).await.expect("lu takes the vote back");
    assert_eq!(
        favourites().await,
        0,
        "the vote named afresh is found by voter and post"
    );
    let sent = peer.sent().await;
    assert!(
        sent.is_empty(),
        "lu's votes are not sent back to lu's node: {sent:#?}"
    );

    // A moderator removes the Lemmy user's post: the node hears it once, from the group.
    service::editing::delete(&ctx, "alice", &lemmy_post)
        .await
        .expect("alice removes lu's post");
    let sent = peer.sent().await;
    assert_eq!(sent.len(), 1, "the removal once: {sent:#?}");
    let removal = one(&sent, "removal relayed", Shape::Announce("Delete"), |v| {
        kind(v) == "Announce" && inner_kind(v) == "Delete"
    });
    assert!(removal["object"]["summary"].is_string(), "{removal:#}");

    // A member joins a Lemmy community, posts, comments and deletes there, and leaves.
    service::follows::follow_actor(&ctx, &alice, &lc)
        .await
        .expect("alice joins lc");
    let sent = peer.sent().await;
    let join = one(&sent, "Follow", Shape::Follow, |v| kind(v) == "Follow").clone();
    let accept = json!({"id": a("accept/1"), "type": "Accept", "actor": lc.ap_id,
        "to": [alice.ap_id], "object": join});
    peer.dispatch(accept).await.expect("lc accepts");
    let mut titled = text("A question for the community");
    titled.title = Some("Question".into());
    let there =
        service::posting::publish_post(&ctx, &alice, Some(lc.clone()), titled, vec![], None)
            .await
            .expect("alice posts in lc");
    let sent = peer.sent().await;
    let create = one(
        &sent,
        "post into a community",
        Shape::Announcable("CreateOrUpdatePost"),
        |v| kind(v) == "Create",
    );
    assert_eq!(create["audience"], lc.ap_id.as_str());
    let mut comment = text("And a comment");
    comment.in_reply_to = Some(there.ap_id.clone());
    let comment =
        service::posting::publish_post(&ctx, &alice, Some(lc.clone()), comment, vec![], None)
            .await
            .expect("alice comments in lc");
    let sent = peer.sent().await;
    one(
        &sent,
        "comment",
        Shape::Announcable("CreateOrUpdateComment"),
        |v| kind(v) == "Create",
    );
    service::editing::delete(&ctx, "alice", &comment.ap_id)
        .await
        .expect("delete");
    let sent = peer.sent().await;
    let del = one(&sent, "deletion", Shape::Announcable("Delete"), |v| {
        kind(v) == "Delete"
    });
    assert!(del.get("summary").is_none(), "{del:#}");
    service::follows::unfollow_actor(&ctx, &alice, &lc)
        .await
        .expect("alice leaves lc");
    let sent = peer.sent().await;
    one(&sent, "Undo(Follow)", Shape::UndoFollow, |v| {
        kind(v) == "Undo"
    });

    // Moderators appointed and removed, as Lemmy takes them: a person's Add/Remove, announced.
    let bob_handle = peer.node.handle("bob");
    service::groups::add_moderator(&ctx, "wg", &bob_handle, None)
        .await
        .expect("appoint bob");
    let sent = peer.sent().await;
    let add = one(&sent, "Add", Shape::Announce("CollectionAdd"), |v| {
        kind(v) == "Announce"
    });
    assert_eq!(add["object"]["object"], bob.ap_id.as_str());
    assert_eq!(add["object"]["target"], format!("{}/moderators", wg.ap_id));
    service::groups::remove_moderator(&ctx, "wg", &bob_handle)
        .await
        .expect("remove bob");
    let sent = peer.sent().await;
    one(&sent, "Remove", Shape::Announce("CollectionRemove"), |v| {
        kind(v) == "Announce"
    });

    // A poll, as a Lemmy post listing its options.
    let poll = NewPoll {
        options: vec!["Tuesday".into(), "Thursday".into()],
        expires_in_secs: 3600,
        multiple: false,
    };
    service::posting::publish_post(
        &ctx,
        &bob,
        Some(wg.clone()),
        text("When do we meet?"),
        vec![],
        Some(poll),
    )
    .await
    .expect("bob's poll");
    let sent = peer.sent().await;
    let relayed = one(
        &sent,
        "relayed poll",
        Shape::Announce("CreateOrUpdatePost"),
        |v| kind(v) == "Announce" && inner_kind(v) == "Create",
    );
    let page = &relayed["object"]["object"];
    assert_eq!(page["type"], "Page", "{page:#}");
    let content = page["content"].as_str().unwrap_or_default();
    assert!(
        content.contains("<li>Tuesday (0)</li><li>Thursday (0)</li>"),
        "{content}"
    );

    // A non-member's post is refused, and the sender hears Reject.
    let intruder = json!({"id": a("create/2"), "type": "Create", "actor": lx.ap_id,
        "to": [PUBLIC], "cc": [wg.ap_id], "audience": wg.ap_id,
        "object": {"type": "Page", "id": format!("{base}/post/2"), "attributedTo": lx.ap_id,
            "to": [wg.ap_id, PUBLIC], "name": "Not a member", "content": "<p>let me in</p>",
            "audience": wg.ap_id}});
    let refused = peer.dispatch(intruder).await;
    assert!(
        refused.as_ref().is_err_and(|e| e.starts_with("403")),
        "{refused:?}"
    );
    let sent = peer.sent().await;
    let reject = sent
        .iter()
        .find(|v| kind(v) == "Reject")
        .unwrap_or_else(|| panic!("no Reject in {sent:#?}"));
    assert_eq!(reject["actor"], wg.ap_id.as_str());
    assert_eq!(reject["object"]["id"], a("create/2"));
    assert_eq!(reject["object"]["object"], format!("{base}/post/2"));
    assert_eq!(reject["to"], json!([lx.ap_id]));
    let gone = format!("{base}/post/2");
    let kept = state
        .db
        .run(move |c| db::posts::by_ap_id(c, &gone))
        .await
        .expect("read");
    assert!(kept.is_none(), "a refused post is not stored");

    // An approval-only group rejects a Lemmy user's request: Reject with the Follow embedded.
    let ask = json!({"id": a("follow/2"), "type": "Follow", "actor": lf.ap_id,
        "object": format!("{}/groups/closed", peer.node.base())});
    peer.dispatch(ask).await.expect("lf asks");
    service::groups::decide(&ctx, "closed", &lf.ap_id, false)
        .await
        .expect("reject lf");
    let sent = peer.sent().await;
    one(&sent, "Reject(Follow)", Shape::RejectFollow, |v| {
        kind(v) == "Reject"
    });

    // Documents Lemmy fetches: the group (attributedTo = its moderators), the moderators, a member.
    let http = reqwest::Client::new();
    let get = |url: String| {
        let http = http.clone();
        async move {
            let r = http
                .get(&url)
                .header("accept", "application/activity+json")
                .send()
                .await
                .expect("GET");
            assert!(r.status().is_success(), "GET {url}: {}", r.status());
            r.json::<Value>().await.expect("json")
        }
    };
    let group_doc = get(wg.ap_id.clone()).await;
    check(Shape::Group, &group_doc).unwrap_or_else(|e| panic!("group: {e}\n{group_doc:#}"));
    let moderators = format!("{}/moderators", wg.ap_id);
    assert_eq!(group_doc["attributedTo"], moderators.as_str());
    let mods = get(moderators).await;
    check(Shape::GroupModerators, &mods).unwrap_or_else(|e| panic!("moderators: {e}\n{mods:#}"));
    assert_eq!(mods["orderedItems"], json!([alice.ap_id]));
    let person = get(alice.ap_id.clone()).await;
    check(Shape::Person, &person).unwrap_or_else(|e| panic!("person: {e}\n{person:#}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_lemmy_receives_parses_with_its_shapes() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_lemmy_receives_parses_with_its_shapes_on_postgres() {
    run(Store::Postgres).await;
}

/// The shapes themselves, against Lemmy's own JSON (its asset files in the shared fixtures: what
/// Lemmy sends must parse as the variant Lemmy reads it as) and against forms Lemmy refuses.
#[test]
fn the_shapes_read_lemmys_own_json_and_refuse_what_lemmy_refuses() {
    let Some(dir) = federation_tests::fixtures::fixtures_dir() else {
        return;
    };
    let read = |p: &str| -> Value {
        let text = std::fs::read_to_string(dir.join("lemmy").join(p)).expect("fixture");
        serde_json::from_str(&text).expect("json")
    };
    let own = [
        (
            "activities/create_or_update/create_page.json",
            Shape::Announcable("CreateOrUpdatePost"),
        ),
        (
            "activities/create_or_update/update_page.json",
            Shape::Announcable("CreateOrUpdatePost"),
        ),
        (
            "activities/create_or_update/create_comment.json",
            Shape::Announcable("CreateOrUpdateComment"),
        ),
        (
            "activities/voting/like_note.json",
            Shape::Announcable("Vote"),
        ),
        (
            "activities/voting/dislike_page.json",
            Shape::Announcable("Vote"),
        ),
        (
            "activities/voting/undo_like_note.json",
            Shape::Announcable("UndoVote"),
        ),
        (
            "activities/deletion/delete_page.json",
            Shape::Announcable("Delete"),
        ),
        (
            "activities/deletion/remove_note.json",
            Shape::Announcable("Delete"),
        ),
        (
            "activities/community/add_mod.json",
            Shape::Announcable("CollectionAdd"),
        ),
        (
            "activities/community/remove_mod.json",
            Shape::Announcable("CollectionRemove"),
        ),
        (
            "activities/community/announce_create_page.json",
            Shape::Announce("CreateOrUpdatePost"),
        ),
        ("activities/following/follow.json", Shape::Follow),
        ("activities/following/accept.json", Shape::AcceptFollow),
        ("activities/following/undo_follow.json", Shape::UndoFollow),
        ("objects/group.json", Shape::Group),
        ("objects/person.json", Shape::Person),
        ("collections/group_moderators.json", Shape::GroupModerators),
    ];
    for (path, shape) in own {
        if let Err(e) = check(shape, &read(path)) {
            panic!("Lemmy's own {path} does not parse as {shape:?}: {e}");
        }
    }
    // What Lemmy refuses, the shapes refuse.
    let mut page = read("activities/create_or_update/create_page.json");
    page["object"]["attributedTo"] = json!([page["object"]["attributedTo"].clone()]);
    page["object"]["attributedTo"][0] = json!({"id": "https://a.example/u/x"});
    assert!(check(Shape::Announcable("CreateOrUpdatePost"), &page).is_err());
    let mut announce = read("activities/community/announce_create_page.json");
    announce["object"] = json!("https://a.example/post/1");
    assert!(check(Shape::Announce("CreateOrUpdatePost"), &announce).is_err());
    let mut question = read("activities/create_or_update/create_page.json");
    question["object"]["type"] = json!("Question");
    assert!(check(Shape::Announcable("CreateOrUpdatePost"), &question).is_err());
    let mut video = read("activities/create_or_update/create_page.json");
    video["object"]["attachment"] = json!([{"type": "Video", "url": "https://a.example/v.mp4"}]);
    assert!(check(Shape::Announcable("CreateOrUpdatePost"), &video).is_err());
    let mut group = read("objects/group.json");
    group["attributedTo"] = json!([group["attributedTo"].clone()]);
    assert!(check(Shape::Group, &group).is_err());
    let comment = read("activities/create_or_update/create_comment.json");
    assert!(check(Shape::Announcable("CreateOrUpdatePost"), &comment).is_err());
}

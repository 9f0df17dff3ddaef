//! A group's moderators on other nodes change its profile from their own node (`PATCH
//! /api/cohort/v1/groups/{name@host}`): their node sends `Update{Group}` to the group, whose node
//! checks that the sender leads the group and may see it, applies the change and tells every
//! follower. Three real nodes: A holds the groups, B (a full peer) and L (a limited one) have
//! members who lead them. Node A on SQLite and on PostgreSQL.

use cohort::{
    db::{self, actors::ActorRow},
    domain::{ids::ActorId, policy::PeerLevel, policy::Visibility},
    service::{self, groups::RemoteGroupEdit, outbound::Outbound},
};
use federation_tests::{
    cohort_calls::set_peer_level,
    database_url, drained, follow_state, free_port, group,
    group_calls::{patch_group, stored_actor},
    paging::Client,
    sqlite_node, wait_until, Store, TestNode,
};
use serde_json::json;

const PASSWORD: &str = "correct horse battery";

/// The group's row as node `n` stores it.
async fn copy(n: &TestNode, ap_id: &str) -> ActorRow {
    stored_actor(n, ap_id).await.expect("stored")
}

/// The `Update`s node `n` sent as `actor` (its ap_id): each delivery's status and the answer's
/// HTTP status, oldest first.
async fn updates_sent(n: &TestNode, actor: &str) -> Vec<(String, Option<i32>)> {
    use db::schema::deliveries::dsl as d;
    use diesel::prelude::*;
    let actor = actor.to_string();
    n.node_state
        .db
        .run(move |c| {
            Ok(d::deliveries
                .filter(d::actor_ap_id.eq(actor))
                .filter(d::payload.like("%\"type\":\"Update\"%"))
                .order(d::created_at.asc())
                .select((d::status, d::last_status))
                .load(c)?)
        })
        .await
        .expect("deliveries")
}

async fn member(n: &TestNode, name: &str) -> (ActorRow, Client) {
    let (row, _) = service::users::create_user(&n.node_state, name, false, Some(PASSWORD.into()))
        .await
        .expect("user");
    (row, Client::login(&n.base(), name, PASSWORD).await)
}

/// Whether node `n` lists `who` among the moderators of `group` (its own or its copy's list).
async fn leads(n: &TestNode, group: &ActorRow, who: &ActorRow) -> bool {
    let g = copy(n, &group.ap_id).await.id;
    let w = copy(n, &who.ap_id).await.id;
    n.node_state
        .db
        .run(move |c| db::actors::is_moderator(c, &g, &w))
        .await
        .expect("moderators")
}

async fn remote_edits(store: Store) {
    let (pa, pb, pl) = (free_port().await, free_port().await, free_port().await);
    let dom = |p: u16| format!("localhost:{p}");
    let dir = tempfile::tempdir().expect("dir");
    let Some(url) = database_url(store, dir.path(), "groupeditremote") else {
        return;
    };
    let a = TestNode::start(
        "A",
        pa,
        url,
        dir,
        [(dom(pb), PeerLevel::Full), (dom(pl), PeerLevel::Limited)].into(),
    )
    .await;
    let b = sqlite_node("B", pb, [(dom(pa), PeerLevel::Full)].into()).await;
    let l = sqlite_node("L", pl, [(dom(pa), PeerLevel::Full)].into()).await;
    let wg = group(&a, "wg", Visibility::Public, false, None).await;
    let inner = group(&a, "inner", Visibility::Consortium, false, None).await;
    let (bob, bob_api) = member(&b, "bob").await;
    let (carol, carol_api) = member(&b, "carol").await;
    let (lee, lee_api) = member(&l, "lee").await;
    for (n, who, g) in [
        (&b, "bob", &wg),
        (&b, "bob", &inner),
        (&b, "carol", &wg),
        (&l, "lee", &wg),
    ] {
        service::members::follow(&n.ctx, who, &a.handle(&g.username))
            .await
            .expect("follow");
        wait_until(20, "joined", || async {
            follow_state(n, who, &g.ap_id).await.as_deref() == Some("accepted")
        })
        .await;
    }
    for (g, who) in [("wg", &b.handle("bob")), ("inner", &b.handle("bob"))] {
        service::groups::add_moderator(&a.ctx, g, who, None)
            .await
            .expect("bob leads");
    }
    service::groups::add_moderator(&a.ctx, "wg", &l.handle("lee"), None)
        .await
        .expect("lee leads wg");
    wait_until(20, "B and L know their members lead", || async {
        leads(&b, &wg, &bob).await && leads(&b, &inner, &bob).await && leads(&l, &wg, &lee).await
    })
    .await;

    // Refused on the member's own node, and nothing is sent: no token, not a lead, no such
    // group, bad values.
    let anon = Client::anonymous(&b.base());
    let wg_at = a.handle("wg");
    for (who, target, body, want) in [
        (&anon, wg_at.clone(), json!({"display_name": "Taken"}), 401),
        (
            &carol_api,
            wg_at.clone(),
            json!({"display_name": "Taken"}),
            403,
        ),
        (
            &bob_api,
            a.handle("nowhere"),
            json!({"display_name": "Taken"}),
            404,
        ),
        (&bob_api, wg_at.clone(), json!({"display_name": " "}), 422),
        (
            &bob_api,
            wg_at.clone(),
            json!({"summary": "c".repeat(5001)}),
            422,
        ),
        (
            &bob_api,
            wg_at.clone(),
            json!({"discoverable": "maybe"}),
            422,
        ),
    ] {
        let (s, v) = patch_group(who, &target, body.clone()).await;
        assert_eq!(s, want, "{body}: {v}");
        assert!(v["error"].is_string(), "{body}: {v}");
    }
    // A Lemmy community takes no such change from another server (B's copy of wg says Lemmy
    // for this one request).
    let lemmy = |on: bool| {
        let id = wg.ap_id.clone();
        b.node_state.db.run(move |c| {
            use db::schema::actors::dsl as t;
            use diesel::prelude::*;
            diesel::update(t::actors.filter(t::ap_id.eq(id)))
                .set(t::speaks_lemmy.eq(on))
                .execute(c)?;
            Ok(())
        })
    };
    lemmy(true).await.expect("marked");
    let (s, v) = patch_group(&bob_api, &wg_at, json!({"display_name": "Taken"})).await;
    assert_eq!(s, 422, "{v}");
    assert!(v["error"].as_str().unwrap_or("").contains("Lemmy"), "{v}");
    lemmy(false).await.expect("unmarked");
    assert!(
        updates_sent(&b, &bob.ap_id).await.is_empty(),
        "nothing sent"
    );
    assert!(
        updates_sent(&b, &carol.ap_id).await.is_empty(),
        "nothing sent"
    );

    // Bob changes wg from B: B answers 202 with its copy as it stands, A applies the change and
    // every follower's copy follows (a public group's profile reaches the limited peer too).
    let (s, v) = patch_group(
        &bob_api,
        &wg_at,
        json!({"display_name": "Cell biology", "summary": "We study <cells>.\n\nAll welcome.",
               "approval_required": true, "discoverable": "no"}),
    )
    .await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(
        v["display_name"], "wg",
        "B's copy is unchanged until A answers: {v}"
    );
    assert_eq!(v["group"], true, "{v}");
    wait_until(20, "A applies the moderator's change", || async {
        let g = copy(&a, &wg.ap_id).await;
        g.display_name == "Cell biology" && g.manually_approves && !g.discoverable
    })
    .await;
    assert_eq!(
        copy(&a, &wg.ap_id).await.summary,
        "<p>We study &lt;cells&gt;.</p><p>All welcome.</p>",
        "the charter arrives as the text bob wrote"
    );
    for n in [&b, &l] {
        wait_until(20, "the followers' copies follow", || async {
            let g = copy(n, &wg.ap_id).await;
            g.display_name == "Cell biology" && g.manually_approves && !g.discoverable
        })
        .await;
    }
    assert_eq!(updates_sent(&b, &bob.ap_id).await, [("done".into(), None)]);

    // A moderator on a limited peer may change a public group.
    let (s, v) = patch_group(&lee_api, &wg_at, json!({"approval_required": false})).await;
    assert_eq!(s, 202, "{v}");
    wait_until(20, "lee's change applied", || async {
        !copy(&a, &wg.ap_id).await.manually_approves
    })
    .await;

    // A's own checks, whatever B decides: an `Update` from carol, who does not lead wg, is
    // refused (403) and changes nothing.
    let forged = RemoteGroupEdit {
        display_name: Some("Forged".into()),
        ..Default::default()
    };
    let (editor, target) = (carol.id.clone(), copy(&b, &wg.ap_id).await.id);
    service::outbound::commit(&b.node_state, move |_, out| {
        out.emit(Outbound::EditRemoteGroup {
            editor_id: ActorId(editor),
            group_id: ActorId(target),
            edit: forged,
        });
        Ok(())
    })
    .await
    .expect("queued");
    drained(&[&b]).await;
    assert_eq!(
        updates_sent(&b, &carol.ap_id).await,
        [("refused".into(), Some(403))]
    );
    assert_eq!(copy(&a, &wg.ap_id).await.display_name, "Cell biology");

    // Once B is limited, A no longer shows it the consortium group: bob's change of it is refused
    // (404) though bob leads it. Once B is blocked, even the public group refuses it.
    set_peer_level(&a, &dom(pb), PeerLevel::Limited).await;
    let inner_at = a.handle("inner");
    let (s, v) = patch_group(&bob_api, &inner_at, json!({"display_name": "Inner circle"})).await;
    assert_eq!(s, 202, "{v}");
    drained(&[&b]).await;
    let sent = updates_sent(&b, &bob.ap_id).await;
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[1], ("refused".into(), Some(404)), "{sent:?}");
    set_peer_level(&a, &dom(pb), PeerLevel::Blocked).await;
    let (s, v) = patch_group(&bob_api, &wg_at, json!({"display_name": "Blocked"})).await;
    assert_eq!(s, 202, "{v}");
    drained(&[&b]).await;
    let sent = updates_sent(&b, &bob.ap_id).await;
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert_eq!(sent[2], ("refused".into(), Some(403)), "{sent:?}");
    assert_eq!(copy(&a, &inner.ap_id).await.display_name, "inner");
    assert_eq!(copy(&a, &wg.ap_id).await.display_name, "Cell biology");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn moderators_on_other_nodes_edit_a_group() {
    remote_edits(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn moderators_on_other_nodes_edit_a_group_on_postgres() {
    remote_edits(Store::Postgres).await;
}

//! The direct timeline, conversation mutes and deleting uploads, through the client API on one
//! node, on SQLite and on PostgreSQL: what each reader sees (author, addressee, outsider,
//! blocked), paging with `Link` headers, notifications a muted thread no longer raises, and the
//! refusals (404, 422, 401) that change nothing.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::Node;
use serde_json::{json, Value};
use support::{http::serve, personal::*, *};

/// An anonymous request: its status.
async fn anonymous(base: &str, method: &str, path: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .request(method.parse().unwrap(), format!("{base}{path}"))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn direct_timeline(n: Node) {
    let base = serve(&n).await;
    let alice = Member::new(&n, &base, "alice").await;
    let bob = Member::new(&n, &base, "bob").await;
    let carol = Member::new(&n, &base, "carol").await;
    let dm = json!({"visibility": "direct"});
    let first = alice.post(&format!("@bob@{HERE} lunch?"), dm.clone()).await;
    let reply = bob
        .post(
            &format!("@alice@{HERE} yes"),
            json!({"visibility": "direct", "in_reply_to_id": first}),
        )
        .await;
    alice
        .post(&format!("@bob@{HERE} in public"), json!({}))
        .await;
    alice
        .post(
            &format!("@bob@{HERE} followers only"),
            json!({"visibility": "private"}),
        )
        .await;
    let carols = carol.post("a note to myself", dm.clone()).await;

    let path = "/api/v1/timelines/direct";
    for who in [&alice, &bob] {
        let page = who.ok("GET", path, None).await;
        assert_eq!(ids(&page), [reply.clone(), first.clone()], "{page}");
        assert!(page
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["visibility"] == "direct"));
    }
    assert_eq!(
        ids(&carol.ok("GET", path, None).await),
        std::slice::from_ref(&carols)
    );

    // Paging: one a page, with links that keep the limit.
    let (status, page, link) = bob.call("GET", &format!("{path}?limit=1"), None).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&page), std::slice::from_ref(&reply));
    assert!(
        link.contains(&format!("max_id={reply}")) && link.contains("limit=1"),
        "{link}"
    );
    assert!(link.contains(&format!("min_id={reply}")), "{link}");
    let older = bob
        .ok("GET", &format!("{path}?limit=1&max_id={reply}"), None)
        .await;
    assert_eq!(ids(&older), std::slice::from_ref(&first));
    for cursor in ["min_id", "since_id"] {
        let newer = bob
            .ok("GET", &format!("{path}?{cursor}={first}"), None)
            .await;
        assert_eq!(ids(&newer), std::slice::from_ref(&reply), "{cursor}");
    }
    let (_, past_end, _) = bob
        .call("GET", &format!("{path}?max_id={first}"), None)
        .await;
    assert_eq!(past_end, json!([]));

    // Blocking an author hides their direct statuses; being blocked hides the blocker's.
    let to_bob = carol.post(&format!("@bob@{HERE} psst"), dm.clone()).await;
    assert_eq!(ids(&bob.ok("GET", path, None).await)[0], to_bob);
    bob.ok(
        "POST",
        &format!("/api/v1/accounts/{}/block", carol.id),
        None,
    )
    .await;
    assert!(!ids(&bob.ok("GET", path, None).await).contains(&to_bob));
    assert_eq!(ids(&carol.ok("GET", path, None).await)[0], to_bob, "author");
    let to_carol = bob.post(&format!("@carol@{HERE} hm"), dm.clone()).await;
    assert!(!ids(&carol.ok("GET", path, None).await).contains(&to_carol));

    // A deleted status leaves it.
    alice
        .ok("DELETE", &format!("/api/v1/statuses/{first}"), None)
        .await;
    assert!(!ids(&bob.ok("GET", path, None).await).contains(&first));

    // Nobody signed in: 401 with an error.
    let (status, body) = anonymous(&base, "GET", path).await;
    assert_eq!(status, 401, "{body}");
    assert!(body["error"].is_string());
}

both!(
    direct_timeline_on_sqlite,
    direct_timeline_on_postgres,
    direct_timeline,
    "directtl"
);

/// The member's notifications of `kind`.
async fn notified(m: &Member, kind: &str) -> usize {
    let all = m.ok("GET", "/api/v1/notifications?limit=40", None).await;
    all.as_array()
        .unwrap()
        .iter()
        .filter(|n| n["type"] == kind)
        .count()
}

async fn conversation_mutes(n: Node) {
    let base = serve(&n).await;
    let alice = Member::new(&n, &base, "alice").await;
    let bob = Member::new(&n, &base, "bob").await;
    let carol = Member::new(&n, &base, "carol").await;
    let root = alice.post("a question for everyone", json!({})).await;
    let reply = bob
        .post(
            &format!("@alice@{HERE} an answer"),
            json!({"in_reply_to_id": root}),
        )
        .await;
    assert_eq!(notified(&alice, "mention").await, 1);
    let status = alice
        .ok("GET", &format!("/api/v1/statuses/{reply}"), None)
        .await;
    assert_eq!(status["muted"], false);

    // Alice mutes the thread from the reply: the whole thread is muted for her alone.
    let muted = alice
        .ok("POST", &format!("/api/v1/statuses/{reply}/mute"), None)
        .await;
    assert_eq!(muted["id"], reply.as_str());
    assert_eq!(muted["muted"], true);
    let again = alice
        .ok("POST", &format!("/api/v1/statuses/{reply}/mute"), None)
        .await;
    assert_eq!(again["muted"], true, "muting twice is no error");
    for id in [&root, &reply] {
        let s = alice
            .ok("GET", &format!("/api/v1/statuses/{id}"), None)
            .await;
        assert_eq!(s["muted"], true, "{id}");
        let s = bob.ok("GET", &format!("/api/v1/statuses/{id}"), None).await;
        assert_eq!(s["muted"], false, "bob did not mute {id}");
    }
    let home = alice.ok("GET", "/api/v1/timelines/home", None).await;
    let root_there = home
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == root.as_str())
        .unwrap();
    assert_eq!(root_there["muted"], true, "in a timeline too");

    // Replies, favourites and boosts in the thread stay quiet for her.
    let deeper = carol
        .post(
            &format!("@alice@{HERE} @bob@{HERE} me too"),
            json!({"in_reply_to_id": reply}),
        )
        .await;
    bob.ok("POST", &format!("/api/v1/statuses/{root}/favourite"), None)
        .await;
    carol
        .ok("POST", &format!("/api/v1/statuses/{root}/reblog"), None)
        .await;
    assert_eq!(notified(&alice, "mention").await, 1, "no new mention");
    assert_eq!(notified(&alice, "favourite").await, 0);
    assert_eq!(notified(&alice, "reblog").await, 0);
    assert_eq!(notified(&bob, "mention").await, 1, "bob still hears");
    // A status outside the thread is heard as before.
    let elsewhere = alice.post("another topic", json!({})).await;
    bob.ok(
        "POST",
        &format!("/api/v1/statuses/{elsewhere}/favourite"),
        None,
    )
    .await;
    assert_eq!(notified(&alice, "favourite").await, 1);

    // Unmuting: heard again.
    let unmuted = alice
        .ok("POST", &format!("/api/v1/statuses/{deeper}/unmute"), None)
        .await;
    assert_eq!(unmuted["muted"], false);
    let s = alice
        .ok("GET", &format!("/api/v1/statuses/{root}"), None)
        .await;
    assert_eq!(s["muted"], false);
    carol
        .ok("POST", &format!("/api/v1/statuses/{root}/favourite"), None)
        .await;
    assert_eq!(notified(&alice, "favourite").await, 2);

    // Refusals: a thread one takes no part in (422), a status one cannot see or that does not
    // exist (404), no token (401); none of them mutes anything.
    let lone = bob.post("bob alone", json!({})).await;
    alice
        .refused("POST", &format!("/api/v1/statuses/{lone}/mute"), None, 422)
        .await;
    let hidden = bob
        .post(
            &format!("@carol@{HERE} secret"),
            json!({"visibility": "direct"}),
        )
        .await;
    alice
        .refused(
            "POST",
            &format!("/api/v1/statuses/{hidden}/mute"),
            None,
            404,
        )
        .await;
    alice
        .refused("POST", "/api/v1/statuses/01UNKNOWN/mute", None, 404)
        .await;
    let (status, _) = anonymous(&base, "POST", &format!("/api/v1/statuses/{root}/mute")).await;
    assert_eq!(status, 401);
    for id in [&lone, &root] {
        let s = alice
            .ok("GET", &format!("/api/v1/statuses/{id}"), None)
            .await;
        assert_eq!(s["muted"], false, "{id}");
    }
    bob.ok("POST", &format!("/api/v1/statuses/{lone}/favourite"), None)
        .await;
    assert_eq!(notified(&bob, "favourite").await, 0, "own favourite");
    alice
        .ok("POST", &format!("/api/v1/statuses/{lone}/favourite"), None)
        .await;
    assert_eq!(notified(&bob, "favourite").await, 1);
}

both!(
    conversation_mutes_on_sqlite,
    conversation_mutes_on_postgres,
    conversation_mutes,
    "convmutes"
);

/// Uploads the shipped avatar as `m`'s attachment; its id and stored file.
async fn upload(n: &Node, m: &Member) -> (String, std::path::PathBuf) {
    let owner = db_actor(n, &m.id).await;
    let png = include_bytes!("../assets/avatar.png").to_vec();
    let row = cohort::service::media::upload(&n.state, &owner, png, None)
        .await
        .unwrap();
    let file = cohort::service::media::media_dir(&n.state).join(row.file_name.unwrap());
    assert!(file.exists());
    (row.id, file)
}

async fn media_delete(n: Node) {
    let base = serve(&n).await;
    let alice = Member::new(&n, &base, "alice").await;
    let bob = Member::new(&n, &base, "bob").await;
    let (loose, loose_file) = upload(&n, &alice).await;
    let (kept, kept_file) = upload(&n, &alice).await;
    let (used, used_file) = upload(&n, &alice).await;
    alice
        .post("with a picture", json!({"media_ids": [used]}))
        .await;

    // Another member's upload is not theirs to see: 404, and it stays.
    bob.refused("DELETE", &format!("/api/v1/media/{loose}"), None, 404)
        .await;
    assert!(loose_file.exists());
    // Attached to a status: 422, and it stays.
    alice
        .refused("DELETE", &format!("/api/v1/media/{used}"), None, 422)
        .await;
    assert!(used_file.exists());
    alice
        .ok("GET", &format!("/api/v1/media/{used}"), None)
        .await;
    // Unknown: 404. No token: 401.
    alice
        .refused("DELETE", "/api/v1/media/01UNKNOWN", None, 404)
        .await;
    let (status, _) = anonymous(&base, "DELETE", &format!("/api/v1/media/{loose}")).await;
    assert_eq!(status, 401);
    assert!(loose_file.exists());

    // The owner deletes an unattached upload: row and file are gone.
    let gone = alice
        .ok("DELETE", &format!("/api/v1/media/{loose}"), None)
        .await;
    assert_eq!(gone, json!({}));
    assert!(!loose_file.exists());
    alice
        .refused("GET", &format!("/api/v1/media/{loose}"), None, 404)
        .await;
    alice
        .refused("DELETE", &format!("/api/v1/media/{loose}"), None, 404)
        .await;
    // A deleted upload cannot be attached any more; the other one still can.
    let (status, body, _) = alice
        .call(
            "POST",
            "/api/v1/statuses",
            Some(json!({"status": "late", "media_ids": [loose]})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(kept_file.exists());
    alice.post("kept", json!({"media_ids": [kept]})).await;
}

both!(
    media_delete_on_sqlite,
    media_delete_on_postgres,
    media_delete,
    "mediadel"
);

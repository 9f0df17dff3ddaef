//! Lists, conversations and filters through the client API on one node, on SQLite and on
//! PostgreSQL: what a member sees on a list (accounts and groups they follow, here and on a
//! peer), paging, replies policies, exclusive lists, the list stream, someone else's list, and
//! every refused request changing nothing.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{
    db::{self, actors::ActorRow, posts::PostRow},
    domain::{actor::ActorKind, audience::PostVisibility, ids::new_id, time::now_ms},
    service::{
        events::Event,
        streams::{route, Item, Stream, StreamError},
    },
    Node,
};
use serde_json::{json, Value};
use support::{http::serve, *};

const PW: &str = "a-long-password";

/// A signed-in member over HTTP, with raw answers for refusals.
struct Member {
    http: reqwest::Client,
    base: String,
    token: String,
    id: String,
}

impl Member {
    async fn new(n: &Node, base: &str, name: &str) -> Member {
        let (actor, _) =
            cohort::service::users::create_user(&n.state, name, false, Some(PW.into()))
                .await
                .unwrap();
        let token = support::http::Client::login(base, name, PW).await.token;
        Member {
            http: reqwest::Client::new(),
            base: base.into(),
            token,
            id: actor.id,
        }
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value, String) {
        let url = format!("{}{path}", self.base);
        let mut r = self
            .http
            .request(method.parse().unwrap(), url)
            .bearer_auth(&self.token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let r = r.send().await.unwrap();
        let status = r.status().as_u16();
        let link = r
            .headers()
            .get("link")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let v = r.json().await.unwrap_or(Value::Null);
        (status, v, link)
    }

    async fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, v, _) = self.call(method, path, body).await;
        assert_eq!(status, 200, "{method} {path}: {v}");
        v
    }

    /// A refusal: the status, a Mastodon error body.
    async fn refused(&self, method: &str, path: &str, body: Option<Value>, want: u16) {
        let (status, v, _) = self.call(method, path, body).await;
        assert_eq!(status, want, "{method} {path}: {v}");
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{v}");
    }

    async fn post(&self, text: &str, extra: Value) -> String {
        let mut body = json!({ "status": text });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let v = self.ok("POST", "/api/v1/statuses", Some(body)).await;
        v["id"].as_str().unwrap().to_string()
    }
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

/// A post by a peer's account, stored as the inbox stores one.
async fn remote_post(n: &Node, author: &ActorRow, group: Option<&ActorRow>, text: &str) -> PostRow {
    let now = now_ms();
    let row = PostRow {
        id: new_id(),
        ap_id: format!("{}/posts/{}", author.ap_id, new_id()),
        kind: "Note".into(),
        author_id: author.id.clone(),
        group_id: group.map(|g| g.id.clone()),
        in_reply_to: None,
        name: None,
        summary: None,
        content: format!("<p>{text}</p>"),
        sensitive: false,
        visibility: PostVisibility::Public,
        local: false,
        published: now,
        updated: None,
        deleted_at: None,
        created_at: now,
        language: None,
    };
    let stored = row.clone();
    n.state
        .db
        .run(move |c| db::posts::insert_if_new(c, &stored))
        .await
        .unwrap();
    row
}

/// What `who` hears of a new post on `stream`.
async fn heard(n: &Node, who: &str, stream: Stream, post_id: &str) -> Vec<&'static str> {
    let (me, event) = (
        who.to_string(),
        Event::Posted {
            post_id: post_id.into(),
        },
    );
    n.state
        .db
        .run(move |c| route(c, Some(&me), &[stream], &event))
        .await
        .unwrap()
        .into_iter()
        .map(|(_, item)| match item {
            Item::Update(_) => "update",
            Item::Conversation(_) => "conversation",
            _ => "other",
        })
        .collect()
}

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

    // The timeline: the list's accounts and groups, as alice may see them, newest first.
    let b1 = bob.post("first from bob", json!({})).await;
    let r1 = remote_post(&n, &rita, None, "from rita").await.id;
    let g1 = remote_post(&n, &stranger, Some(&guild), "in the guild")
        .await
        .id;
    let _c1 = carol.post("carol is not on the list", json!({})).await;
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

async fn db_actor(n: &Node, id: &str) -> ActorRow {
    let id = id.to_string();
    n.state
        .db
        .run(move |c| db::actors::by_id(c, &id))
        .await
        .unwrap()
        .unwrap()
}

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

async fn filters(n: Node) {
    let base = serve(&n).await;
    let alice = Member::new(&n, &base, "alice").await;
    let bob = Member::new(&n, &base, "bob").await;
    let dave = Member::new(&n, &base, "dave").await;
    alice
        .ok("POST", &format!("/api/v1/accounts/{}/follow", bob.id), None)
        .await;

    // Refusals change nothing.
    for bad in [
        json!({"title": "", "context": ["home"]}),
        json!({"title": "t", "context": ["home", "everywhere"]}),
        json!({"title": "t", "context": []}),
        json!({"title": "t"}),
        json!({"title": "t", "context": ["home"], "filter_action": "explode"}),
        json!({"title": "t", "context": ["home"], "expires_in": -5}),
        json!({"title": "t", "context": ["home"], "keywords_attributes": [{"keyword": " "}]}),
    ] {
        alice
            .refused("POST", "/api/v2/filters", Some(bad), 422)
            .await;
    }
    assert_eq!(alice.ok("GET", "/api/v2/filters", None).await, json!([]));

    let warn = alice
        .ok(
            "POST",
            "/api/v2/filters",
            Some(json!({
                "title": "Spoilers", "context": ["home", "public"], "filter_action": "warn",
                "keywords_attributes": [{"keyword": "finale", "whole_word": true}]
            })),
        )
        .await;
    let warn_id = warn["id"].as_str().unwrap().to_string();
    assert_eq!(warn["keywords"][0]["keyword"], "finale");
    assert_eq!(warn["expires_at"], Value::Null);
    let hide = alice
        .ok("POST", "/api/v2/filters", Some(json!({
            "title": "Noise", "context": ["home", "notifications"], "filter_action": "hide",
            "expires_in": 3600, "keywords_attributes": [{"keyword": "crypto", "whole_word": false}]
        })))
        .await;
    let hide_id = hide["id"].as_str().unwrap().to_string();
    assert!(hide["expires_at"].is_string());

    let spoiler = bob.post("The Finale was great", json!({})).await;
    let near = bob.post("finales are overrated", json!({})).await;
    let noisy = bob.post("buy CRYPTOcoins", json!({})).await;
    let mention = bob
        .post(&format!("@alice@{HERE} crypto for you"), json!({}))
        .await;
    let home = alice.ok("GET", "/api/v1/timelines/home", None).await;
    let shown = ids(&home);
    assert!(
        !shown.contains(&noisy) && !shown.contains(&mention),
        "{shown:?}"
    );
    let warned = home
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == spoiler.as_str())
        .unwrap();
    assert_eq!(warned["filtered"][0]["filter"]["id"], warn_id.as_str());
    assert_eq!(warned["filtered"][0]["keyword_matches"], json!(["finale"]));
    let whole = home
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == near.as_str())
        .unwrap();
    assert!(whole.get("filtered").is_none(), "whole word: {whole}");
    // Not for bob, and not outside the filter's contexts (the account context).
    let bobs_home = bob.ok("GET", "/api/v1/timelines/home", None).await;
    assert!(ids(&bobs_home).contains(&noisy));
    let account = alice
        .ok(
            "GET",
            &format!("/api/v1/accounts/{}/statuses", bob.id),
            None,
        )
        .await;
    assert!(ids(&account).contains(&noisy));
    // Notifications: the hidden mention is left out.
    let notes = alice.ok("GET", "/api/v1/notifications", None).await;
    assert!(
        !notes
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["status"]["id"] == mention.as_str()),
        "{notes}"
    );
    // The streams: the hidden post never reaches the user stream, the warned one carries it.
    let public = alice.ok("GET", "/api/v1/timelines/public", None).await;
    let p = public
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == spoiler.as_str())
        .unwrap();
    assert_eq!(p["filtered"][0]["filter"]["title"], "Spoilers");

    // Keywords and statuses, each only for their owner.
    let kw = alice
        .ok(
            "POST",
            &format!("/api/v2/filters/{warn_id}/keywords"),
            Some(json!({"keyword": "ending", "whole_word": false})),
        )
        .await;
    let kw_id = kw["id"].as_str().unwrap();
    alice
        .refused(
            "POST",
            &format!("/api/v2/filters/{warn_id}/keywords"),
            Some(json!({"keyword": ""})),
            422,
        )
        .await;
    assert_eq!(
        alice
            .ok("GET", &format!("/api/v2/filters/{warn_id}/keywords"), None)
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
    dave.refused(
        "GET",
        &format!("/api/v2/filters/keywords/{kw_id}"),
        None,
        404,
    )
    .await;
    dave.refused("GET", &format!("/api/v2/filters/{warn_id}"), None, 404)
        .await;
    dave.refused("DELETE", &format!("/api/v2/filters/{warn_id}"), None, 404)
        .await;
    let changed = alice
        .ok(
            "PUT",
            &format!("/api/v2/filter_keywords/{kw_id}"),
            Some(json!({"whole_word": true})),
        )
        .await;
    assert_eq!(changed["whole_word"], true);
    alice
        .ok("DELETE", &format!("/api/v2/filters/keywords/{kw_id}"), None)
        .await;
    alice
        .refused(
            "GET",
            &format!("/api/v2/filters/keywords/{kw_id}"),
            None,
            404,
        )
        .await;
    let fs = alice
        .ok(
            "POST",
            &format!("/api/v2/filters/{warn_id}/statuses"),
            Some(json!({"status_id": near})),
        )
        .await;
    assert_eq!(fs["status_id"], near.as_str());
    alice
        .refused(
            "POST",
            &format!("/api/v2/filters/{warn_id}/statuses"),
            Some(json!({"status_id": near})),
            422,
        )
        .await;
    alice
        .refused(
            "POST",
            &format!("/api/v2/filters/{warn_id}/statuses"),
            Some(json!({"status_id": "01UNKNOWN"})),
            404,
        )
        .await;
    let home = alice.ok("GET", "/api/v1/timelines/home", None).await;
    let by_status = home
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == near.as_str())
        .unwrap();
    assert_eq!(by_status["filtered"][0]["status_matches"], json!([near]));
    let fs_id = fs["id"].as_str().unwrap();
    assert_eq!(
        alice
            .ok("GET", &format!("/api/v2/filter_statuses/{fs_id}"), None)
            .await["status_id"],
        near.as_str()
    );
    alice
        .ok("DELETE", &format!("/api/v2/filters/statuses/{fs_id}"), None)
        .await;

    // v1 shape of the keywords; changing and deleting a filter.
    let v1 = alice.ok("GET", "/api/v1/filters", None).await;
    assert!(
        v1.as_array()
            .unwrap()
            .iter()
            .any(|f| f["phrase"] == "crypto" && f["irreversible"] == true),
        "{v1}"
    );
    alice
        .refused(
            "PUT",
            &format!("/api/v2/filters/{hide_id}"),
            Some(json!({"context": ["nowhere"]})),
            422,
        )
        .await;
    alice
        .refused(
            "PUT",
            &format!("/api/v2/filters/{hide_id}"),
            Some(json!({"filter_action": "bogus"})),
            422,
        )
        .await;
    assert_eq!(
        alice
            .ok("GET", &format!("/api/v2/filters/{hide_id}"), None)
            .await["filter_action"],
        "hide"
    );
    alice
        .ok(
            "PUT",
            &format!("/api/v2/filters/{hide_id}"),
            Some(json!({"filter_action": "warn"})),
        )
        .await;
    let home = ids(&alice.ok("GET", "/api/v1/timelines/home", None).await);
    assert!(home.contains(&noisy));
    alice
        .ok("DELETE", &format!("/api/v2/filters/{hide_id}"), None)
        .await;
    alice
        .refused("GET", &format!("/api/v2/filters/{hide_id}"), None, 404)
        .await;
    assert_eq!(
        ids(&alice.ok("GET", "/api/v2/filters", None).await),
        [warn_id]
    );
}

fn sqlite(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("t.sqlite3").display())
}

async fn on(url: String, dir: &tempfile::TempDir) -> Node {
    let recorder = std::sync::Arc::new(cohort::service::outbound::Recorder::default());
    node(
        url,
        dir,
        &[("full.example", cohort::domain::policy::PeerLevel::Full)],
        Some(recorder),
    )
    .await
}

macro_rules! both {
    ($sqlite:ident, $postgres:ident, $scenario:ident, $label:literal) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $sqlite() {
            let dir = tempfile::tempdir().unwrap();
            $scenario(on(sqlite(&dir), &dir).await).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $postgres() {
            let Some(url) = db::test_postgres_database($label) else {
                return;
            };
            let dir = tempfile::tempdir().unwrap();
            $scenario(on(url, &dir).await).await;
        }
    };
}

both!(lists_on_sqlite, lists_on_postgres, lists, "lists");
both!(
    conversations_on_sqlite,
    conversations_on_postgres,
    conversations,
    "conversations"
);
both!(filters_on_sqlite, filters_on_postgres, filters, "filters");

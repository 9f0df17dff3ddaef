//! Live events: who hears of what (the audience rule on every stream), and what apps receive on
//! the wire (Mastodon's WebSocket messages, the event streams, the health check and the URL the
//! instance advertises). One node on SQLite, events through its in-process hub.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{
    db::actors::ActorRow,
    domain::policy::Visibility,
    service::{
        events::Event,
        groups, posting,
        streams::{route, Item, Stream},
    },
    Node,
};
use futures::{SinkExt, StreamExt};
use support::{
    http::{serve, Client},
    *,
};
use tokio::sync::broadcast::Receiver;

/// The next event the hub hands out (the use case has committed when it returns).
async fn next(rx: &mut Receiver<Event>) -> Event {
    tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
        .await
        .expect("an event within 10 s")
        .expect("event")
}

/// The next event about a post.
async fn next_post(rx: &mut Receiver<Event>) -> Event {
    loop {
        let e = next(rx).await;
        if !matches!(e, Event::Notified { .. }) {
            return e;
        }
    }
}

/// What `who` receives of `event` on `stream`, as event names.
async fn heard(n: &Node, who: Option<&ActorRow>, stream: Stream, event: &Event) -> Vec<String> {
    let (me, event) = (who.map(|a| a.id.clone()), event.clone());
    n.state
        .db
        .run(move |c| route(c, me.as_deref(), &[stream], &event))
        .await
        .unwrap()
        .into_iter()
        .map(|(_, item)| {
            match item {
                Item::Update(_) => "update",
                Item::StatusUpdate(_) => "status.update",
                Item::Delete(_) => "delete",
                Item::Notification(_) => "notification",
                Item::Conversation(_) => "conversation",
            }
            .to_string()
        })
        .collect()
}

fn public() -> Stream {
    Stream::Public {
        local: None,
        media: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_obey_the_audience_rule() {
    let dir = tempfile::tempdir().unwrap();
    let (n, _rec) = recording_node(&dir).await;
    let ctx = n.ctx();
    let alice = member(&n, "alice").await;
    let fran = member(&n, "fran").await;
    let bob = member(&n, "bob").await;
    let mia = member(&n, "mia").await;
    accepted_follow(&n, &fran, &alice).await;
    accepted_follow(&n, &bob, &mia).await;
    let spec = groups::NewGroup {
        name: "closed".into(),
        display_name: None,
        summary: None,
        approval_required: false,
        visibility: Visibility::Members,
        moderator: None,
    };
    let closed = groups::create_group(&n.state, spec).await.unwrap();
    accepted_follow(&n, &mia, &closed).await;
    let mut rx = n.state.hub.subscribe();

    // A public post: anonymous subscribers of the public stream see it, so do followers at home.
    let p = posting::publish_post(
        &ctx,
        &alice,
        None,
        post("hello #biobank", "public"),
        vec![],
        None,
    )
    .await
    .unwrap();
    let e = next_post(&mut rx).await;
    assert_eq!(
        e,
        Event::Posted {
            post_id: p.id.clone()
        }
    );
    assert_eq!(heard(&n, None, public(), &e).await, ["update"]);
    let tag = Stream::Hashtag {
        tag: "biobank".into(),
        local: true,
    };
    assert_eq!(heard(&n, None, tag, &e).await, ["update"]);
    assert_eq!(heard(&n, Some(&fran), Stream::User, &e).await, ["update"]);
    assert!(heard(&n, Some(&bob), Stream::User, &e).await.is_empty());

    // Followers-only: the follower at home; nobody on the public stream.
    posting::publish_post(
        &ctx,
        &alice,
        None,
        post("for followers", "private"),
        vec![],
        None,
    )
    .await
    .unwrap();
    let e = next_post(&mut rx).await;
    assert_eq!(heard(&n, Some(&fran), Stream::User, &e).await, ["update"]);
    assert!(heard(&n, Some(&fran), public(), &e).await.is_empty());
    assert!(heard(&n, None, public(), &e).await.is_empty());
    assert!(heard(&n, Some(&bob), Stream::User, &e).await.is_empty());

    // A members-only group's post: its members; not bob, though he follows its author.
    posting::publish_post(
        &ctx,
        &mia,
        Some(closed.clone()),
        post("minutes", "public"),
        vec![],
        None,
    )
    .await
    .unwrap();
    let e = next_post(&mut rx).await;
    assert_eq!(heard(&n, Some(&mia), Stream::User, &e).await, ["update"]);
    assert!(heard(&n, Some(&bob), Stream::User, &e).await.is_empty());
    assert!(heard(&n, None, public(), &e).await.is_empty());

    // Direct: its addressee only, not the author's follower.
    let dm = format!("just you @bob@{HERE}");
    let d = posting::publish_post(&ctx, &alice, None, post(&dm, "direct"), vec![], None)
        .await
        .unwrap();
    let e = next_post(&mut rx).await;
    assert_eq!(
        heard(&n, Some(&bob), Stream::Direct, &e).await,
        ["conversation"]
    );
    assert!(heard(&n, Some(&fran), Stream::User, &e).await.is_empty());
    assert!(heard(&n, Some(&fran), Stream::Direct, &e).await.is_empty());
    assert!(heard(&n, None, public(), &e).await.is_empty());

    // Its deletion reaches who could see it, nobody else.
    cohort::service::editing::delete(&ctx, "alice", &d.ap_id)
        .await
        .unwrap();
    let e = next_post(&mut rx).await;
    assert_eq!(
        e,
        Event::Deleted {
            post_id: d.id.clone()
        }
    );
    assert_eq!(heard(&n, Some(&bob), Stream::Direct, &e).await, ["delete"]);
    assert!(heard(&n, Some(&fran), Stream::User, &e).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_reach_only_their_member() {
    let dir = tempfile::tempdir().unwrap();
    let (n, _rec) = recording_node(&dir).await;
    let alice = member(&n, "alice").await;
    let fran = member(&n, "fran").await;
    let mut rx = n.state.hub.subscribe();
    let text = format!("hello @fran@{HERE}");
    posting::publish_post(&n.ctx(), &alice, None, post(&text, "public"), vec![], None)
        .await
        .unwrap();
    let notified = loop {
        let e = next(&mut rx).await;
        if matches!(e, Event::Notified { .. }) {
            break e;
        }
    };
    assert_eq!(
        heard(&n, Some(&fran), Stream::User, &notified).await,
        ["notification"]
    );
    let only = Stream::UserNotification;
    assert_eq!(
        heard(&n, Some(&fran), only.clone(), &notified).await,
        ["notification"]
    );
    assert!(heard(&n, Some(&alice), only, &notified).await.is_empty());
    assert!(heard(&n, None, public(), &notified).await.is_empty());
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next text message on a socket, as JSON.
async fn message(ws: &mut Socket) -> serde_json::Value {
    loop {
        let m = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .expect("a message within 10 s")
            .expect("open")
            .expect("message");
        if let tokio_tungstenite::tungstenite::Message::Text(t) = m {
            return serde_json::from_str(&t).unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_messages_have_mastodons_shape() {
    let dir = tempfile::tempdir().unwrap();
    let (n, _rec) = recording_node(&dir).await;
    let pw = "a-long-password";
    let (alice, _) = cohort::service::users::create_user(&n.state, "alice", false, Some(pw.into()))
        .await
        .unwrap();
    let base = serve(&n).await;
    let http = reqwest::Client::new();
    let health = http
        .get(format!("{base}/api/v1/streaming/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.text().await.unwrap(), "OK");
    let ws_base = base.replace("http://", "ws://");
    let v1: serde_json::Value = http
        .get(format!("{base}/api/v1/instance"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let v2: serde_json::Value = http
        .get(format!("{base}/api/v2/instance"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // The test node serves https in production mode: its streams are advertised as wss.
    let advertised = format!("wss://{HERE}");
    assert_eq!(v1["urls"]["streaming_api"], advertised);
    assert_eq!(v2["configuration"]["urls"]["streaming"], advertised);

    // Anonymous, public from the query, then a hashtag through a subscribe message; a refused
    // subscription is answered with an error.
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("{ws_base}/api/v1/streaming?stream=public"))
            .await
            .unwrap();
    let send =
        |v: serde_json::Value| tokio_tungstenite::tungstenite::Message::Text(v.to_string().into());
    ws.send(send(
        serde_json::json!({"type": "subscribe", "stream": "user"}),
    ))
    .await
    .unwrap();
    let refused = message(&mut ws).await;
    assert_eq!(refused["status"], 401, "{refused}");
    ws.send(send(
        serde_json::json!({"type": "subscribe", "stream": "hashtag", "tag": "Biobank"}),
    ))
    .await
    .unwrap();
    // Subscriptions are applied in order: once the answer to a later bad one arrives, the
    // hashtag subscription is in place.
    ws.send(send(
        serde_json::json!({"type": "subscribe", "stream": "nonsense"}),
    ))
    .await
    .unwrap();
    assert_eq!(message(&mut ws).await["status"], 400);

    // The token as the WebSocket protocol, for the member's own streams.
    let token = Client::login(&base, "alice", pw).await.token;
    let mut req = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
        format!("{ws_base}/api/v1/streaming?stream=user"),
    )
    .unwrap();
    req.headers_mut()
        .insert("Sec-WebSocket-Protocol", token.parse().unwrap());
    let (mut mine, answer) = tokio_tungstenite::connect_async(req).await.unwrap();
    assert_eq!(answer.headers()["sec-websocket-protocol"], token.as_str());

    let p = posting::publish_post(
        &n.ctx(),
        &alice,
        None,
        post("news #biobank", "public"),
        vec![],
        None,
    )
    .await
    .unwrap();
    let mut seen = vec![message(&mut ws).await, message(&mut ws).await];
    seen.sort_by_key(|m| m["stream"].to_string());
    assert_eq!(seen[0]["stream"], serde_json::json!(["hashtag", "biobank"]));
    assert_eq!(seen[1]["stream"], serde_json::json!(["public"]));
    for m in &seen {
        assert_eq!(m["event"], "update");
        let status: serde_json::Value =
            serde_json::from_str(m["payload"].as_str().expect("a JSON string")).unwrap();
        assert_eq!(status["id"], p.id.as_str());
        assert_eq!(status["account"]["username"], "alice");
    }
    let home = message(&mut mine).await;
    assert_eq!(home["stream"], serde_json::json!(["user"]));
    assert_eq!(home["event"], "update");

    cohort::service::editing::edit(&n.ctx(), "alice", &p.ap_id, "news, corrected #biobank")
        .await
        .unwrap();
    let edited = message(&mut mine).await;
    assert_eq!(edited["event"], "status.update");
    let status: serde_json::Value =
        serde_json::from_str(edited["payload"].as_str().unwrap()).unwrap();
    assert!(
        status["content"].as_str().unwrap().contains("corrected"),
        "{status}"
    );

    cohort::service::editing::delete(&n.ctx(), "alice", &p.ap_id)
        .await
        .unwrap();
    let deleted = message(&mut mine).await;
    assert_eq!(deleted["event"], "delete");
    assert_eq!(deleted["payload"], p.id.as_str());
}

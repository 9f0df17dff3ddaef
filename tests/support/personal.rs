//! Shared by the lists, conversations and filters tests: members signed in over HTTP (with raw
//! answers for refusals), a peer's post stored as the inbox stores one, and the both-backends
//! test macro.

#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use super::node;
use cohort::{
    db::{self, actors::ActorRow, posts::PostRow},
    domain::{audience::PostVisibility, ids::new_id, time::now_ms},
    service::{
        events::Event,
        streams::{route, Item, Stream},
    },
    Node,
};
use serde_json::{json, Value};

const PW: &str = "a-long-password";

/// A signed-in member over HTTP, with raw answers for refusals.
pub struct Member {
    http: reqwest::Client,
    base: String,
    pub token: String,
    pub id: String,
}

impl Member {
    pub async fn new(n: &Node, base: &str, name: &str) -> Member {
        let (actor, _) =
            cohort::service::users::create_user(&n.state, name, false, Some(PW.into()))
                .await
                .unwrap();
        let token = super::http::Client::login(base, name, PW).await.token;
        Member {
            http: reqwest::Client::new(),
            base: base.into(),
            token,
            id: actor.id,
        }
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value, String) {
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

    pub async fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, v, _) = self.call(method, path, body).await;
        assert_eq!(status, 200, "{method} {path}: {v}");
        v
    }

    /// A refusal: the status, a Mastodon error body.
    pub async fn refused(&self, method: &str, path: &str, body: Option<Value>, want: u16) {
        let (status, v, _) = self.call(method, path, body).await;
        assert_eq!(status, want, "{method} {path}: {v}");
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{v}");
    }

    pub async fn post(&self, text: &str, extra: Value) -> String {
        let mut body = json!({ "status": text });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let v = self.ok("POST", "/api/v1/statuses", Some(body)).await;
        v["id"].as_str().unwrap().to_string()
    }
}

pub fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

/// A post by a peer's account, stored as the inbox stores one.
pub async fn remote_post(
    n: &Node,
    author: &ActorRow,
    group: Option<&ActorRow>,
    text: &str,
) -> PostRow {
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
pub async fn heard(n: &Node, who: &str, stream: Stream, post_id: &str) -> Vec<&'static str> {
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

pub async fn db_actor(n: &Node, id: &str) -> ActorRow {
    let id = id.to_string();
    n.state
        .db
        .run(move |c| db::actors::by_id(c, &id))
        .await
        .unwrap()
        .unwrap()
}

pub fn sqlite(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("t.sqlite3").display())
}

pub async fn on(url: String, dir: &tempfile::TempDir) -> Node {
    let recorder = std::sync::Arc::new(cohort::service::outbound::Recorder::default());
    node(
        url,
        dir,
        &[("full.example", cohort::domain::policy::PeerLevel::Full)],
        Some(recorder),
    )
    .await
}

#[macro_export]
macro_rules! both {
    ($sqlite:ident, $postgres:ident, $scenario:ident, $label:literal) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $sqlite() {
            let dir = tempfile::tempdir().unwrap();
            $scenario(support::personal::on(support::personal::sqlite(&dir), &dir).await).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $postgres() {
            let Some(url) = cohort::db::test_postgres_database($label) else {
                return;
            };
            let dir = tempfile::tempdir().unwrap();
            $scenario(support::personal::on(url, &dir).await).await;
        }
    };
}

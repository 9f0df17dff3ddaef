//! A stand-in peer on loopback that serves fixed documents, to see how a node handles peers that
//! answer with broken or dishonest actor documents.

use axum::{
    http::{header, StatusCode, Uri},
    response::{IntoResponse, Response},
};
use std::{collections::HashMap, sync::Arc};

/// One canned answer.
#[derive(Clone)]
pub struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

impl Answer {
    /// A 200 with an ActivityPub JSON document.
    pub fn json(v: &serde_json::Value) -> Answer {
        Answer {
            status: 200,
            content_type: "application/activity+json",
            body: v.to_string(),
        }
    }
}

/// A running fake peer; answers 404 for paths it was not given.
pub struct FakePeer {
    pub port: u16,
    pub base: String,
    _task: tokio::task::JoinHandle<()>,
}

/// Starts a fake peer on `port` with `answers` by path.
pub async fn start(port: u16, answers: HashMap<String, Answer>) -> FakePeer {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind fake peer");
    serve(listener, answers)
}

/// A fake peer on a listener bound already (its port held meanwhile, so no other test takes it).
pub fn serve(listener: tokio::net::TcpListener, answers: HashMap<String, Answer>) -> FakePeer {
    let port = listener.local_addr().expect("addr").port();
    let answers = Arc::new(answers);
    let app = axum::Router::new().fallback(move |uri: Uri| {
        let answers = answers.clone();
        async move { reply(answers.get(uri.path())) }
    });
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    FakePeer {
        port,
        base: format!("http://localhost:{port}"),
        _task: task,
    }
}

fn reply(answer: Option<&Answer>) -> Response {
    match answer {
        Some(a) => (
            StatusCode::from_u16(a.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            [(header::CONTENT_TYPE, a.content_type)],
            a.body.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A well-formed `Person` document at `base/users/name` with `public_pem` as its key.
pub fn person(base: &str, name: &str, public_pem: &str) -> serde_json::Value {
    let id = format!("{base}/users/{name}");
    serde_json::json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id,
        "type": "Person",
        "preferredUsername": name,
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "endpoints": {"sharedInbox": format!("{base}/inbox")},
        "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": public_pem},
    })
}

//! `/api/v1/streaming` over WebSocket: the stream named in the query, and any others the client
//! adds or removes with `{"type": "subscribe" | "unsubscribe", "stream": …, "tag": …, "list": …}`.
//! Every event is one text message `{"stream": […], "event": …, "payload": "…"}`; a refused
//! subscription is answered with `{"error": …, "status": …}`.

use super::{open, session::Session, StreamAuth, StreamQuery};
use crate::{
    error::{AppError, AppResult},
    service::streams::{Stream, StreamError},
    state::{AppState, Ctx},
};
use axum::{
    extract::{
        ws::rejection::WebSocketUpgradeRejection,
        ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade},
        Query,
    },
    response::Response,
};
use serde::Deserialize;
use tokio::sync::broadcast::{error::RecvError, Receiver};

/// A client's request to change its subscriptions.
#[derive(Deserialize)]
struct Command {
    #[serde(rename = "type")]
    kind: String,
    stream: String,
    tag: Option<String>,
    list: Option<String>,
}

/// GET /api/v1/streaming (WebSocket upgrade)
pub async fn connect(
    ctx: Ctx,
    auth: StreamAuth,
    Query(q): Query<StreamQuery>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> AppResult<Response> {
    let upgrade = upgrade.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let mut session = Session {
        me: auth.who.as_ref().and_then(|a| a.user.clone()).map(|u| u.0),
        streams: vec![],
    };
    if let Some(name) = q.stream.as_deref() {
        session.subscribe(open(ctx.app_data(), &auth, name, &q).await?);
    }
    let state = ctx.app_data().clone();
    // Listening starts before the answer, so nothing published after it is missed.
    let events = state.hub.subscribe();
    let upgrade = match auth.protocol.clone() {
        Some(p) => upgrade.protocols([p]),
        None => upgrade,
    };
    let signed_in = auth.member();
    Ok(upgrade.on_upgrade(move |socket| run(socket, state, session, events, signed_in)))
}

async fn run(
    mut socket: WebSocket,
    state: AppState,
    mut session: Session,
    mut events: Receiver<crate::service::events::Event>,
    signed_in: bool,
) {
    loop {
        tokio::select! {
            _ = state.hub.closing() => break,
            event = events.recv() => match event {
                Ok(e) => {
                    for m in session.messages(&state, e).await {
                        let text = serde_json::to_string(&m).unwrap_or_default();
                        if socket.send(Message::Text(Utf8Bytes::from(text))).await.is_err() {
                            return;
                        }
                    }
                }
                Err(RecvError::Lagged(n)) => tracing::warn!(missed = n, "a stream fell behind"),
                Err(RecvError::Closed) => break,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(t))) => {
                    if let Some(answer) = command(&state, &mut session, t.as_str(), signed_in).await {
                        if socket.send(Message::Text(Utf8Bytes::from(answer))).await.is_err() {
                            return;
                        }
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}

/// Applies one client message; answers an error message when it is refused.
async fn command(
    state: &AppState,
    session: &mut Session,
    text: &str,
    signed_in: bool,
) -> Option<String> {
    let refuse = |error: String, status: u16| {
        Some(serde_json::json!({ "error": error, "status": status }).to_string())
    };
    let Ok(c) = serde_json::from_str::<Command>(text) else {
        return refuse("Malformed message".into(), 400);
    };
    let me = session.me.as_ref().map(|m| m.id.clone());
    let parsed = Stream::parse(&c.stream, c.tag.as_deref(), c.list.as_deref(), signed_in);
    let stream = match parsed {
        Ok(s) if c.kind == "subscribe" => s.admit(state, me).await,
        other => other,
    };
    let stream = match stream {
        Ok(s) => s,
        Err(e) => {
            let status = match e {
                StreamError::NeedsToken => 401,
                StreamError::NoList => 404,
                _ => 400,
            };
            return refuse(e.to_string(), status);
        }
    };
    match c.kind.as_str() {
        "subscribe" => session.subscribe(stream),
        "unsubscribe" => session.unsubscribe(&stream),
        _ => return refuse("Unknown message type".into(), 400),
    }
    None
}

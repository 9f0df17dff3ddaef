//! The HTTP event streams (`text/event-stream`): one stream per request, each event as
//! `event: update` / `data: <payload>`, with a `:thump` comment every 15 seconds to keep the
//! connection open through proxies.

use super::{open, session::Session, StreamAuth, StreamQuery};
use crate::{error::AppResult, service::events::Event, state::Ctx};
use axum::{
    extract::Query,
    response::{
        sse::{Event as SseEvent, KeepAlive, Sse},
        IntoResponse, Response,
    },
};
use futures::stream::{self, StreamExt};
use std::{convert::Infallible, time::Duration};
use tokio::sync::broadcast::error::RecvError;

/// Opens the stream `name` for the request.
async fn serve(ctx: Ctx, auth: StreamAuth, q: StreamQuery, name: &str) -> AppResult<Response> {
    let session = Session {
        me: auth.who.as_ref().and_then(|a| a.user.clone()).map(|u| u.0),
        streams: vec![open(ctx.app_data(), &auth, name, &q).await?],
    };
    let state = ctx.app_data().clone();
    // Listening starts before the answer, so nothing published after it is missed.
    let rx = state.hub.subscribe();
    let events = stream::unfold(
        (rx, state, session),
        |(mut rx, state, session)| async move {
            loop {
                let event: Event = tokio::select! {
                    _ = state.hub.closing() => return None,
                    e = rx.recv() => match e {
                        Ok(e) => e,
                        Err(RecvError::Lagged(n)) => {
                            tracing::warn!(missed = n, "a stream fell behind");
                            continue;
                        }
                        Err(RecvError::Closed) => return None,
                    },
                };
                let messages = session.messages(&state, event).await;
                if !messages.is_empty() {
                    return Some((messages, (rx, state, session)));
                }
            }
        },
    )
    .flat_map(|messages| {
        stream::iter(
            messages
                .into_iter()
                .map(|m| Ok::<_, Infallible>(SseEvent::default().event(m.event).data(m.payload))),
        )
    });
    let keep_alive = KeepAlive::new()
        .interval(Duration::from_secs(15))
        .text("thump");
    Ok(Sse::new(events).keep_alive(keep_alive).into_response())
}

macro_rules! endpoint {
    ($(#[$doc:meta])* $fn:ident, $name:literal) => {
        $(#[$doc])*
        pub async fn $fn(ctx: Ctx, auth: StreamAuth, Query(q): Query<StreamQuery>) -> AppResult<Response> {
            serve(ctx, auth, q, $name).await
        }
    };
}

endpoint!(
    /// GET /api/v1/streaming/user
    user,
    "user"
);
endpoint!(
    /// GET /api/v1/streaming/user/notification
    notification,
    "user:notification"
);
endpoint!(
    /// GET /api/v1/streaming/public
    public,
    "public"
);
endpoint!(
    /// GET /api/v1/streaming/public/local
    public_local,
    "public:local"
);
endpoint!(
    /// GET /api/v1/streaming/public/remote
    public_remote,
    "public:remote"
);
endpoint!(
    /// GET /api/v1/streaming/hashtag?tag=…
    hashtag,
    "hashtag"
);
endpoint!(
    /// GET /api/v1/streaming/hashtag/local?tag=…
    hashtag_local,
    "hashtag:local"
);
endpoint!(
    /// GET /api/v1/streaming/list?list=…
    list,
    "list"
);
endpoint!(
    /// GET /api/v1/streaming/direct
    direct,
    "direct"
);

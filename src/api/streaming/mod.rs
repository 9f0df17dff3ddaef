//! The Mastodon streaming API: `/api/v1/streaming` over WebSocket (one stream from the query, or
//! several through `subscribe`/`unsubscribe` messages), the HTTP event streams
//! (`/api/v1/streaming/user`, `/public`, …, `text/event-stream`) and `/api/v1/streaming/health`.
//!
//! Each open stream listens to this process's hub (`service::events::Hub`); every event is routed
//! by the audience rule (`service::streams::route`) for the subscriber and rendered with the same
//! views as the REST reads (`session.rs`).

mod session;
mod sse;
mod ws;

use crate::{
    error::{AppError, AppResult},
    service::{
        oauth::{self, Authenticated},
        streams::{Stream, StreamError},
    },
    state::{AppState, Ctx},
};
use axum::{
    extract::{FromRequestParts, Query},
    http::{header, request::Parts},
    routing::get,
    Router,
};
use serde::Deserialize;

/// The streaming routes (outside the request rate limit: a stream is one long request).
pub fn router() -> Router {
    Router::new()
        .route("/api/v1/streaming", get(ws::connect))
        .route("/api/v1/streaming/health", get(health))
        .route("/api/v1/streaming/user", get(sse::user))
        .route(
            "/api/v1/streaming/user/notification",
            get(sse::notification),
        )
        .route("/api/v1/streaming/public", get(sse::public))
        .route("/api/v1/streaming/public/local", get(sse::public_local))
        .route("/api/v1/streaming/public/remote", get(sse::public_remote))
        .route("/api/v1/streaming/hashtag", get(sse::hashtag))
        .route("/api/v1/streaming/hashtag/local", get(sse::hashtag_local))
        .route("/api/v1/streaming/list", get(sse::list))
        .route("/api/v1/streaming/direct", get(sse::direct))
}

/// GET /api/v1/streaming/health
async fn health() -> &'static str {
    "OK"
}

/// What a stream request may say in its query.
#[derive(Debug, Default, Deserialize)]
pub struct StreamQuery {
    pub stream: Option<String>,
    pub tag: Option<String>,
    pub list: Option<String>,
    pub only_media: Option<String>,
    pub access_token: Option<String>,
}

/// The subscriber: a member's token from `Authorization: Bearer`, the `access_token` parameter
/// or `Sec-WebSocket-Protocol` (browsers cannot set headers on a WebSocket); none is anonymous,
/// an invalid one is a 401.
pub struct StreamAuth {
    pub who: Option<Authenticated>,
    /// The token when it came as the WebSocket protocol (the answer must name it again).
    pub protocol: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for StreamAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let q: Query<StreamQuery> = Query::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|_| Query(StreamQuery::default()));
        let header = |name| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let bearer = header(header::AUTHORIZATION).and_then(|v| {
            let (scheme, token) = v.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_string())
        });
        let protocol = header(header::SEC_WEBSOCKET_PROTOCOL);
        let Some(token) = bearer.or(q.0.access_token).or_else(|| protocol.clone()) else {
            return Ok(StreamAuth {
                who: None,
                protocol: None,
            });
        };
        let ctx = Ctx::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::internal("federation middleware missing"))?;
        match oauth::authenticate(ctx.app_data(), &token).await? {
            Some(a)
                if a.scopes.allows("read:statuses") || a.scopes.allows("read:notifications") =>
            {
                let protocol = protocol.filter(|p| *p == token);
                Ok(StreamAuth {
                    who: Some(a),
                    protocol,
                })
            }
            Some(_) => Err(AppError::Forbidden(
                "This action is outside the authorized scopes".into(),
            )),
            None => Err(AppError::Unauthorized("The access token is invalid".into())),
        }
    }
}

impl StreamAuth {
    /// Whether a member (not only an app) is signed in.
    pub fn member(&self) -> bool {
        self.who.as_ref().is_some_and(|a| a.user.is_some())
    }

    /// The signed-in member's actor id.
    pub fn member_id(&self) -> Option<String> {
        self.who
            .as_ref()
            .and_then(|a| a.user.as_ref())
            .map(|u| u.0.id.clone())
    }
}

/// A stream the request names, or the error Mastodon answers for it.
pub async fn open(
    state: &AppState,
    auth: &StreamAuth,
    name: &str,
    q: &StreamQuery,
) -> AppResult<Stream> {
    let media = crate::api::form::truthy("only_media", &q.only_media)?;
    let name = match (name, media) {
        ("public" | "public:local" | "public:remote", true) => {
            format!("{name}:media")
        }
        _ => name.to_string(),
    };
    Stream::parse(&name, q.tag.as_deref(), q.list.as_deref(), auth.member())
        .map_err(refusal)?
        .admit(state, auth.member_id())
        .await
        .map_err(refusal)
}

/// A refused stream as an HTTP error.
pub fn refusal(e: StreamError) -> AppError {
    match e {
        StreamError::NeedsToken => AppError::Unauthorized(e.to_string()),
        StreamError::NoList => AppError::NotFound(e.to_string()),
        StreamError::Unknown | StreamError::NoTag => AppError::BadRequest(e.to_string()),
    }
}

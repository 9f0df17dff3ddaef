//! The application error: one type that every HTTP-facing layer returns, mapped to a status code
//! and a client-safe `{"error": "…"}` body once, here. Internal causes are logged, never shown.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};

/// An error with the status it deserves. Messages of client errors are safe to show.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("gone")]
    Gone,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("{0}")]
    Unprocessable(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    BadGateway(String),
    #[error("Too many requests")]
    TooManyRequests,
    /// The node is too busy right now; the client may try again after `retry_after` seconds.
    #[error("{message}")]
    Unavailable { message: String, retry_after: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// Whether the database aborted the transaction for a conflict with a concurrent one
    /// (PostgreSQL's deadlock or serialization failure): trying again may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, AppError::Internal(m)
            if m.contains("deadlock detected") || m.contains("could not serialize access"))
    }

    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Gone => StatusCode::GONE,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::BadGateway(_) => StatusCode::BAD_GATEWAY,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Shorthand for an internal error from any displayable cause.
    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            AppError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                "internal error".to_string()
            }
            other => other.to_string(),
        };
        // A 422 is Mastodon's validation error, which also carries `details` (per field; none
        // here, the message names the field).
        let body = if status == StatusCode::UNPROCESSABLE_ENTITY {
            serde_json::json!({ "error": message, "details": {} })
        } else {
            serde_json::json!({ "error": message })
        };
        let mut response = (status, Json(body)).into_response();
        if let AppError::Unavailable { retry_after, .. } = self {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, retry_after.into());
        }
        response
    }
}

impl From<crate::db::DbError> for AppError {
    fn from(e: crate::db::DbError) -> Self {
        match e {
            crate::db::DbError::NotFound => AppError::NotFound("not found".into()),
            crate::db::DbError::Conflict(what) => {
                AppError::Conflict(format!("{what} already exists"))
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<activitypub_federation::error::Error> for AppError {
    fn from(e: activitypub_federation::error::Error) -> Self {
        use activitypub_federation::error::Error as E;
        match e {
            E::ActivitySignatureInvalid => AppError::Unauthorized("invalid HTTP signature".into()),
            E::ActivityBodyDigestInvalid => {
                AppError::Unauthorized("missing or invalid Digest header or HTTP signature".into())
            }
            E::ParseReceivedActivity { err, .. } => {
                AppError::BadRequest(format!("malformed activity: {err}"))
            }
            E::UrlVerificationError(reason) => AppError::Forbidden(format!("rejected: {reason}")),
            E::NotFound => AppError::NotFound("object not found".into()),
            E::ObjectDeleted(url) => AppError::NotFound(format!("{url} was deleted")),
            E::DomainResolveError(d) | E::ResolveInternalIpError(d, _) => {
                AppError::Forbidden(format!("{d} resolves to a private address"))
            }
            E::WebfingerResolveFailed(err) => AppError::NotFound(format!("webfinger: {err}")),
            E::RequestLimit | E::ResponseBodyLimit => {
                AppError::BadGateway("remote fetch limit reached".into())
            }
            // The peer answered, with a document that is not what it claims: the sender's
            // fault, not an upstream failure (5xx answers fail earlier, in `upstream`).
            E::ParseFetchedObject(err, url, _) => {
                AppError::Unprocessable(format!("invalid document at {url}: {err}"))
            }
            E::FetchInvalidContentType(url) => {
                AppError::Unprocessable(format!("{url} did not answer with ActivityPub JSON"))
            }
            E::FetchWrongId(url) => AppError::Unprocessable(format!(
                "the document at {url} has another id than its URL"
            )),
            E::Reqwest(err) => AppError::BadGateway(format!("fetch failed: {err}")),
            E::ReqwestMiddleware(err) => AppError::BadGateway(format!("fetch failed: {err}")),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        AppError::Internal(format!("json: {e}"))
    }
}

impl From<url::ParseError> for AppError {
    fn from(e: url::ParseError) -> Self {
        AppError::BadRequest(format!("invalid URL: {e}"))
    }
}

/// Result alias for every layer above `db`.
pub type AppResult<T> = Result<T, AppError>;

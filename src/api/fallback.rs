//! Answers for requests no route serves: a Mastodon-shaped JSON error (`{"error": "…"}`,
//! `application/json`) for the client API, OAuth and the machine-readable documents, so clients
//! see "not found" rather than an empty body they read as a server that is down; a small HTML
//! page for the pages people visit.

use crate::error::AppError;
use axum::{
    http::{header, Method, StatusCode, Uri},
    response::{Html, IntoResponse, Response},
};

/// Marks (in the response's extensions, never sent) an answer no route gave, so tests can tell
/// "no such route" from a route's own 404.
#[derive(Debug, Clone, Copy)]
pub struct Unrouted;

fn unrouted(mut response: Response) -> Response {
    response.extensions_mut().insert(Unrouted);
    response
}

/// Paths whose callers are programs, which expect JSON errors.
fn wants_json(path: &str) -> bool {
    ["/api/", "/oauth/", "/.well-known/", "/nodeinfo/"]
        .iter()
        .any(|p| path.starts_with(p))
        || matches!(path, "/api" | "/oauth")
}

/// No route has this path: 404.
pub async fn not_found(uri: Uri) -> Response {
    if wants_json(uri.path()) {
        return unrouted(AppError::NotFound("Record not found".into()).into_response());
    }
    unrouted((
        StatusCode::NOT_FOUND,
        [(header::CACHE_CONTROL, "no-store")],
        Html("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\
              <body><h1>Not found</h1><p>There is no page at this address.</p></body></html>"),
    )
        .into_response())
}

/// The path exists but not for this method: 405 with a JSON error.
pub async fn method_not_allowed(method: Method) -> Response {
    let body = serde_json::json!({
        "error": format!("The {method} method is not allowed here"),
    });
    unrouted((StatusCode::METHOD_NOT_ALLOWED, axum::Json(body)).into_response())
}

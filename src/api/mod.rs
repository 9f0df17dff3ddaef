//! HTTP endpoints outside federation: operator endpoints and the Mastodon-compatible client API.
//! Handlers are thin: extract, call one service, shape the response.

pub mod auth;
pub mod form;
pub mod oauth;
pub mod ops;

use axum::{
    middleware,
    routing::{get, post},
    Router,
};

/// The client API and OAuth routes (rate limited).
pub fn router() -> Router {
    Router::new()
        .route("/api/v1/apps", post(oauth::create_app))
        .route("/api/v1/apps/verify_credentials", get(oauth::verify_app))
        .route(
            "/oauth/authorize",
            get(oauth::authorize_page).post(oauth::authorize_submit),
        )
        .route("/oauth/token", post(oauth::token))
        .route("/oauth/revoke", post(oauth::revoke))
        .route(
            "/.well-known/oauth-authorization-server",
            get(oauth::metadata),
        )
        .layer(middleware::from_fn(auth::rate_limit))
}

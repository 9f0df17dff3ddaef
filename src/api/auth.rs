//! Bearer-token authentication, scope checks and per-token/per-IP rate limits for the client API.

use crate::{
    error::AppError,
    service::oauth::{self, Authenticated},
    state::{AppState, Ctx},
};
use axum::{
    extract::{ConnectInfo, FromRequestParts, Request},
    http::{header, request::Parts, HeaderMap, HeaderValue},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::net::SocketAddr;

/// The caller's token, if one was sent. An invalid token is a 401, never anonymous.
pub struct MaybeAuth(pub Option<Authenticated>);

/// A caller with a valid token.
pub struct Auth(pub Authenticated);

/// The token of this request as the rate limit found it valid (read once per request).
#[derive(Clone)]
struct Checked(Authenticated);

fn bearer(parts: &Parts) -> Option<String> {
    bearer_of(&parts.headers)
}

/// The bearer token a request carries, as sent (a push subscription keeps it for its messages).
pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    bearer_of(headers)
}

fn bearer_of(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

async fn ctx_of<S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<Ctx, AppError> {
    Ctx::from_request_parts(parts, state)
        .await
        .map_err(|_| AppError::internal("federation middleware missing"))
}

impl<S: Send + Sync> FromRequestParts<S> for MaybeAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Some(token) = bearer(parts) else {
            return Ok(MaybeAuth(None));
        };
        // The rate limit already checked this request's token: reuse what it found.
        if let Some(Checked(a)) = parts.extensions.get::<Checked>() {
            return Ok(MaybeAuth(Some(a.clone())));
        }
        let ctx = ctx_of(parts, state).await?;
        match oauth::authenticate(ctx.app_data(), &token).await? {
            Some(a) => Ok(MaybeAuth(Some(a))),
            None => Err(AppError::Unauthorized("The access token is invalid".into())),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match MaybeAuth::from_request_parts(parts, state).await?.0 {
            Some(a) => Ok(Auth(a)),
            None => Err(AppError::Unauthorized("The access token is invalid".into())),
        }
    }
}

impl Auth {
    /// Fails with 403 unless the token grants `scope`.
    pub fn require(&self, scope: &str) -> Result<&Self, AppError> {
        if self.0.scopes.allows(scope) {
            Ok(self)
        } else {
            Err(AppError::Forbidden(
                "This action is outside the authorized scopes".into(),
            ))
        }
    }

    /// The member behind the token (422 for app-only tokens, as Mastodon answers).
    pub fn user(
        &self,
    ) -> Result<&(crate::db::actors::ActorRow, crate::db::users::UserRow), AppError> {
        self.0.user.as_ref().ok_or_else(|| {
            AppError::Unprocessable("This method requires an authenticated user".into())
        })
    }
}

/// Window of the client API's rate limit.
const WINDOW_MS: i64 = 5 * 60 * 1000;

/// Middleware: counts each client API request against its token (or IP address) and answers 429
/// past the configured limit; every response carries `X-RateLimit-*` headers. Only a valid token
/// has a budget of its own: anything else in `Authorization` (made-up tokens, client credentials)
/// counts against the caller's IP address, so inventing tokens cannot buy fresh budgets.
pub async fn rate_limit(ctx: Ctx, request: Request, next: Next) -> Response {
    let state: &AppState = ctx.app_data();
    let mut request = request;
    let token = match bearer_of(request.headers()) {
        Some(t) => match oauth::authenticate(state, &t).await {
            Ok(Some(a)) => {
                request.extensions_mut().insert(Checked(a));
                Some(t)
            }
            _ => None,
        },
        None => None,
    };
    let key = match token {
        Some(t) => format!("t:{}", oauth::hash_secret(&t)),
        None => {
            let ip = request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_else(|| "unknown".into());
            format!("ip:{ip}")
        }
    };
    let now = crate::domain::time::now_ms();
    let decision =
        state
            .rate_limiter
            .hit(&key, state.config.api.rate_limit_per_5min, WINDOW_MS, now);
    let mut response = if decision.allowed {
        next.run(request).await
    } else {
        AppError::TooManyRequests.into_response()
    };
    let headers = response.headers_mut();
    let reset = crate::domain::time::to_rfc3339(decision.reset_at);
    for (name, value) in [
        ("x-ratelimit-limit", decision.limit.to_string()),
        ("x-ratelimit-remaining", decision.remaining.to_string()),
        ("x-ratelimit-reset", reset),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    }
    response
}

//! OAuth 2 for Mastodon-compatible apps: app registration, authorization codes (with PKCE),
//! the token grants, revocation and token authentication.

use crate::{
    db::{
        self,
        actors::ActorRow,
        oauth::{AppRow, CodeRow, TokenRow},
        users::UserRow,
    },
    domain::{ids::new_id, scopes::Scopes, time::now_ms},
    error::{AppError, AppResult},
    service::users,
    state::AppState,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The redirect URI that shows the code on a page instead of redirecting.
pub const OOB: &str = crate::domain::redirect_uri::OOB;
/// Codes expire after ten minutes.
const CODE_TTL_MS: i64 = 10 * 60 * 1000;

/// A random secret (256 bits, URL-safe).
pub fn random_secret() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

/// The stored form of a secret.
pub fn hash_secret(s: &str) -> String {
    crate::domain::keys::hex_encode(&Sha256::digest(s.as_bytes()))
}

/// A newly registered app with its one-time visible secret.
pub struct NewApp {
    pub app: AppRow,
    pub client_secret: String,
}

/// Registers an app. `redirect_uris` are absolute URIs (or the out-of-band URN).
pub async fn register_app(
    state: &AppState,
    name: &str,
    redirect_uris: Vec<String>,
    scopes: &str,
    website: Option<String>,
) -> AppResult<NewApp> {
    let name = name.trim();
    if name.is_empty() || name.len() > 200 {
        return Err(AppError::Unprocessable(
            "client_name must be 1-200 characters".into(),
        ));
    }
    if redirect_uris.is_empty() {
        return Err(AppError::Unprocessable("redirect_uris is required".into()));
    }
    for uri in &redirect_uris {
        crate::domain::redirect_uri::check(uri).map_err(AppError::Unprocessable)?;
    }
    // Blank scopes (nothing but separators, say `+`) get the default scope, as when none is given.
    let mut scopes = Scopes::parse(scopes).map_err(AppError::Unprocessable)?;
    if scopes.to_string().is_empty() {
        scopes = Scopes::parse("read").map_err(AppError::Unprocessable)?;
    }
    let website = website.filter(|w| !w.trim().is_empty());
    if let Some(w) = &website {
        // Like Mastodon: an app's website is an absolute http(s) URL with a host.
        let ok = url::Url::parse(w.trim())
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if !ok || w.len() > 2000 {
            return Err(AppError::Unprocessable(
                "Validation failed: Website is invalid".into(),
            ));
        }
    }
    let client_secret = random_secret();
    let app = AppRow {
        id: new_id(),
        name: name.to_string(),
        website: website.map(|w| w.trim().to_string()),
        redirect_uris: redirect_uris.join("\n"),
        scopes: scopes.to_string(),
        client_id: random_secret(),
        client_secret_hash: hash_secret(&client_secret),
        created_at: now_ms(),
    };
    let a = app.clone();
    state.db.run(move |c| db::oauth::insert_app(c, &a)).await?;
    Ok(NewApp { app, client_secret })
}

/// OAuth errors as RFC 6749 names them, mapped to HTTP statuses by the API layer.
#[derive(Debug)]
pub struct OAuthError {
    pub error: &'static str,
    pub description: String,
}

impl OAuthError {
    fn new(error: &'static str, description: impl Into<String>) -> OAuthError {
        OAuthError {
            error,
            description: description.into(),
        }
    }
}

impl From<AppError> for OAuthError {
    fn from(e: AppError) -> Self {
        OAuthError::new("server_error", e.to_string())
    }
}

/// The app for `client_id`, optionally checking its secret.
pub async fn client(
    state: &AppState,
    client_id: &str,
    secret: Option<&str>,
) -> Result<AppRow, OAuthError> {
    let id = client_id.to_string();
    let app = state
        .db
        .run(move |c| db::oauth::app_by_client_id(c, &id))
        .await
        .map_err(AppError::from)?
        .ok_or_else(|| OAuthError::new("invalid_client", "unknown client_id"))?;
    if let Some(secret) = secret {
        if hash_secret(secret) != app.client_secret_hash {
            return Err(OAuthError::new(
                "invalid_client",
                "client authentication failed",
            ));
        }
    }
    Ok(app)
}

/// Checks a redirect URI against the app's registered ones.
pub fn check_redirect(app: &AppRow, redirect_uri: &str) -> Result<(), OAuthError> {
    if app.redirect_uris.lines().any(|u| u == redirect_uri) {
        Ok(())
    } else {
        Err(OAuthError::new(
            "invalid_request",
            "redirect_uri is not registered for this app",
        ))
    }
}

/// Requested scopes (default: the app's) after checking they are within the app's.
pub fn requested_scopes(app: &AppRow, requested: Option<&str>) -> Result<Scopes, OAuthError> {
    let registered = Scopes::parse(&app.scopes).unwrap_or_default();
    let scopes = match requested.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Scopes::parse(s).map_err(|e| OAuthError::new("invalid_scope", e))?,
        None => registered.clone(),
    };
    if !scopes.within(&registered) {
        return Err(OAuthError::new(
            "invalid_scope",
            "requested scopes exceed the app's registered scopes",
        ));
    }
    Ok(scopes)
}

/// Checks a member's credentials (username, or `username@this-domain`).
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
) -> Result<(ActorRow, UserRow), OAuthError> {
    let name = username
        .trim()
        .trim_start_matches('@')
        .split('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let found = state
        .db
        .run(move |c| db::users::by_username(c, &name))
        .await
        .map_err(AppError::from)?;
    match found {
        Some((actor, user)) if users::verify_password(&user.password_hash, password) => {
            Ok((actor, user))
        }
        _ => Err(OAuthError::new(
            "invalid_grant",
            "invalid username or password",
        )),
    }
}

/// Issues an authorization code for a member who approved the app.
pub async fn issue_code(
    state: &AppState,
    app: &AppRow,
    user_id: &str,
    scopes: &Scopes,
    redirect_uri: &str,
    code_challenge: Option<String>,
) -> AppResult<String> {
    let code = random_secret();
    let now = now_ms();
    let row = CodeRow {
        code_hash: hash_secret(&code),
        app_id: app.id.clone(),
        user_id: user_id.to_string(),
        scopes: scopes.to_string(),
        redirect_uri: redirect_uri.to_string(),
        code_challenge,
        expires_at: now + CODE_TTL_MS,
        created_at: now,
    };
    state
        .db
        .run(move |c| db::oauth::insert_code(c, &row))
        .await?;
    Ok(code)
}

/// A token as the token endpoint returns it.
pub struct IssuedToken {
    pub access_token: String,
    pub scopes: Scopes,
    pub created_at: i64,
}

async fn issue_token(
    state: &AppState,
    app: &AppRow,
    user_id: Option<String>,
    scopes: Scopes,
) -> AppResult<IssuedToken> {
    let token = random_secret();
    let now = now_ms();
    let row = TokenRow {
        id: new_id(),
        token_hash: hash_secret(&token),
        app_id: app.id.clone(),
        user_id,
        scopes: scopes.to_string(),
        created_at: now,
        last_used_at: None,
        revoked_at: None,
    };
    // A token issued to a member is a sign-in: counted once per member and week.
    state
        .db
        .tx(move |c| {
            db::oauth::insert_token(c, &row)?;
            if let Some(user) = &row.user_id {
                db::weekly::login(c, user, now)?;
            }
            Ok::<_, db::DbError>(())
        })
        .await?;
    Ok(IssuedToken {
        access_token: token,
        scopes,
        created_at: now,
    })
}

/// `grant_type=authorization_code`: exchanges a single-use code (PKCE S256 verified when used).
pub async fn exchange_code(
    state: &AppState,
    app: &AppRow,
    code: &str,
    redirect_uri: Option<&str>,
    code_verifier: Option<&str>,
) -> Result<IssuedToken, OAuthError> {
    let h = hash_secret(code);
    let row = state
        .db
        .tx(move |c| db::oauth::take_code(c, &h))
        .await
        .map_err(AppError::from)?
        .ok_or_else(|| OAuthError::new("invalid_grant", "unknown or used authorization code"))?;
    if row.app_id != app.id || row.expires_at < now_ms() {
        return Err(OAuthError::new(
            "invalid_grant",
            "authorization code expired or issued to another app",
        ));
    }
    // Required when the authorization request had one (it always has here; RFC 6749 §4.1.3).
    if redirect_uri != Some(row.redirect_uri.as_str()) {
        return Err(OAuthError::new(
            "invalid_grant",
            "redirect_uri does not match the authorization request",
        ));
    }
    if let Some(challenge) = &row.code_challenge {
        let verifier = code_verifier
            .ok_or_else(|| OAuthError::new("invalid_grant", "code_verifier required"))?;
        if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != *challenge {
            return Err(OAuthError::new(
                "invalid_grant",
                "code_verifier does not match",
            ));
        }
    }
    let scopes = Scopes::parse(&row.scopes).unwrap_or_default();
    Ok(issue_token(state, app, Some(row.user_id), scopes).await?)
}

/// `grant_type=password` (when enabled in config).
pub async fn password_grant(
    state: &AppState,
    app: &AppRow,
    username: &str,
    password: &str,
    scope: Option<&str>,
) -> Result<IssuedToken, OAuthError> {
    if !state.config.api.password_grant {
        return Err(OAuthError::new(
            "unsupported_grant_type",
            "the password grant is disabled on this server",
        ));
    }
    let scopes = requested_scopes(app, scope)?;
    let (actor, _) = login(state, username, password).await?;
    Ok(issue_token(state, app, Some(actor.id), scopes).await?)
}

/// `grant_type=client_credentials`: an app-only token.
pub async fn client_credentials(
    state: &AppState,
    app: &AppRow,
    scope: Option<&str>,
) -> Result<IssuedToken, OAuthError> {
    let scopes = requested_scopes(app, scope)?;
    Ok(issue_token(state, app, None, scopes).await?)
}

/// Revokes a token issued to `app`. Unknown tokens are not an error (RFC 7009).
pub async fn revoke(state: &AppState, app: &AppRow, token: &str) -> AppResult<()> {
    let (h, a) = (hash_secret(token), app.id.clone());
    state
        .db
        .run(move |c| db::oauth::revoke(c, &h, &a, now_ms()))
        .await?;
    Ok(())
}

/// Who a bearer token belongs to.
#[derive(Clone)]
pub struct Authenticated {
    pub token_id: String,
    pub app: AppRow,
    /// `None` for app-only (client_credentials) tokens.
    pub user: Option<(ActorRow, UserRow)>,
    pub scopes: Scopes,
}

/// A member's token used for the first time this week counts as a sign-in of the week (with a
/// token issued, the `logins` of `/api/v1/instance/activity`); the token's `last_used_at`
/// notes it, so later uses in the week write nothing.
async fn signed_in(state: &AppState, token_id: String, user_id: String) -> AppResult<()> {
    let now = now_ms();
    state
        .db
        .tx(move |c| {
            db::oauth::touch(c, &token_id, now)?;
            db::weekly::login(c, &user_id, now)?;
            Ok::<_, db::DbError>(())
        })
        .await?;
    Ok(())
}

/// Resolves a bearer token; `None` when unknown or revoked.
pub async fn authenticate(state: &AppState, token: &str) -> AppResult<Option<Authenticated>> {
    let h = hash_secret(token);
    let found = state
        .db
        .run(move |c| {
            // The token, its app and its member's account, in one statement.
            let Some((t, app, user)) = db::oauth::live_token_with_app(c, &h)? else {
                return Ok(None);
            };
            if t.user_id.is_some() && user.is_none() {
                return Ok(None);
            }
            let week = db::weekly::week_of(now_ms());
            let first_this_week = t
                .last_used_at
                .is_none_or(|at| db::weekly::week_of(at) != week);
            let sign_in = t.user_id.clone().filter(|_| first_this_week);
            let found = Authenticated {
                token_id: t.id,
                app,
                user,
                scopes: Scopes::parse(&t.scopes).unwrap_or_default(),
            };
            Ok(Some((found, sign_in)))
        })
        .await?;
    let Some((found, sign_in)) = found else {
        return Ok(None);
    };
    if let Some(user) = sign_in {
        signed_in(state, found.token_id.clone(), user).await?;
    }
    Ok(Some(found))
}

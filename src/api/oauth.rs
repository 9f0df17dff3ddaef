//! OAuth 2 endpoints: app registration, the browser authorize page, the token endpoint (code,
//! password, client credentials), revocation and server metadata.

use super::{
    auth::Auth,
    form::{de, Flex},
};
use crate::{
    domain::sanitize::escape,
    error::{AppError, AppResult},
    service::oauth::{self, OAuthError, OOB},
    state::Ctx,
};
use axum::{
    extract::Query,
    http::{header, HeaderMap, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
    Form, Json,
};
use base64::{engine::general_purpose::STANDARD, Engine};
use serde::Deserialize;
use serde_json::json;

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let status = match self.error {
            "invalid_client" => StatusCode::UNAUTHORIZED,
            "server_error" => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        };
        (
            status,
            Json(json!({"error": self.error, "error_description": self.description})),
        )
            .into_response()
    }
}

/// POST /api/v1/apps
#[derive(Deserialize)]
pub struct AppForm {
    client_name: Option<String>,
    #[serde(default, deserialize_with = "de::string_or_vec")]
    redirect_uris: Vec<String>,
    #[serde(default, deserialize_with = "de::string_or_vec")]
    scopes: Vec<String>,
    website: Option<String>,
}

fn app_json(app: &crate::db::oauth::AppRow, vapid_key: String) -> serde_json::Value {
    let uris: Vec<&str> = app.redirect_uris.lines().collect();
    json!({
        "id": app.id,
        "name": app.name,
        "website": app.website,
        "scopes": app.scopes.split(' ').collect::<Vec<_>>(),
        "redirect_uri": uris.join("\n"),
        "redirect_uris": uris,
        "vapid_key": vapid_key,
    })
}

/// Registers an app (`client_id`/`client_secret` are shown only now).
pub async fn create_app(ctx: Ctx, Flex(form): Flex<AppForm>) -> AppResult<Json<serde_json::Value>> {
    let name = form
        .client_name
        .ok_or_else(|| AppError::Unprocessable("client_name is required".into()))?;
    let created = oauth::register_app(
        ctx.app_data(),
        &name,
        form.redirect_uris,
        &form.scopes.join(" "),
        form.website,
    )
    .await?;
    let vapid = crate::service::push::ensure_vapid_key(ctx.app_data()).await?;
    let mut v = app_json(&created.app, vapid);
    v["client_id"] = json!(created.app.client_id);
    v["client_secret"] = json!(created.client_secret);
    v["client_secret_expires_at"] = json!(0);
    Ok(Json(v))
}

/// GET /api/v1/apps/verify_credentials
pub async fn verify_app(ctx: Ctx, auth: Auth) -> AppResult<Json<serde_json::Value>> {
    let vapid = crate::service::push::ensure_vapid_key(ctx.app_data()).await?;
    Ok(Json(app_json(&auth.0.app, vapid)))
}

/// Parameters of the authorize page (query on GET, form on POST).
#[derive(Deserialize, Default)]
pub struct AuthorizeParams {
    #[serde(default)]
    response_type: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    redirect_uri: String,
    scope: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    username: Option<String>,
    password: Option<String>,
    decision: Option<String>,
}

/// An HTML page of the sign-in flow. It may not be framed by other sites (clickjacking) nor
/// cached (it can show a code).
fn page(status: StatusCode, title: &str, body: &str) -> Response {
    (
        status,
        [
            (header::X_FRAME_OPTIONS, "DENY"),
            (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"),
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        Html(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
             content=\"width=device-width, initial-scale=1\"><title>{t}</title></head><body><main>\
             <h1>{t}</h1>{body}</main></body></html>",
            t = escape(title)
        )),
    )
        .into_response()
}

fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
        escape(value)
    )
}

/// Validates the request parts that must be right before anything is shown or redirected.
async fn check_request(
    ctx: &Ctx,
    p: &AuthorizeParams,
) -> Result<(crate::db::oauth::AppRow, crate::domain::scopes::Scopes), OAuthError> {
    if p.response_type != "code" {
        return Err(OAuthError {
            error: "unsupported_response_type",
            description: "response_type must be code".into(),
        });
    }
    let app = oauth::client(ctx.app_data(), &p.client_id, None).await?;
    oauth::check_redirect(&app, &p.redirect_uri)?;
    let challenge = p.code_challenge.as_deref().filter(|c| !c.is_empty());
    let method = p.code_challenge_method.as_deref().filter(|m| !m.is_empty());
    if challenge.is_some() && method.unwrap_or("plain") != "S256" {
        return Err(OAuthError {
            error: "invalid_request",
            description: "only code_challenge_method=S256 is supported".into(),
        });
    }
    let scopes = oauth::requested_scopes(&app, p.scope.as_deref())?;
    Ok((app, scopes))
}

fn consent_form(
    ctx: &Ctx,
    p: &AuthorizeParams,
    app_name: &str,
    scopes: &str,
    error: Option<&str>,
    username: &str,
) -> String {
    let err = error
        .map(|e| format!("<p role=\"alert\"><strong>{}</strong></p>", escape(e)))
        .unwrap_or_default();
    format!(
        "<p><strong>{app}</strong> asks to use your account on {node} with these permissions: \
         <code>{scopes}</code>.</p>{err}\
         <form method=\"post\" action=\"/oauth/authorize\">{h}\
         <p><label>Username <input name=\"username\" autocomplete=\"username\" value=\"{user}\" required></label></p>\
         <p><label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label></p>\
         <p><button name=\"decision\" value=\"approve\">Authorize</button> \
         <button name=\"decision\" value=\"deny\" formnovalidate>Deny</button></p></form>",
        app = escape(app_name),
        node = escape(&ctx.config.instance.name),
        scopes = escape(scopes),
        user = escape(username),
        h = [
            hidden("response_type", &p.response_type),
            hidden("client_id", &p.client_id),
            hidden("redirect_uri", &p.redirect_uri),
            hidden("scope", p.scope.as_deref().unwrap_or("")),
            hidden("state", p.state.as_deref().unwrap_or("")),
            hidden("code_challenge", p.code_challenge.as_deref().unwrap_or("")),
            hidden("code_challenge_method", p.code_challenge_method.as_deref().unwrap_or("")),
        ]
        .concat()
    )
}

/// GET /oauth/authorize — the sign-in and consent page.
pub async fn authorize_page(ctx: Ctx, Query(p): Query<AuthorizeParams>) -> Response {
    match check_request(&ctx, &p).await {
        Ok((app, scopes)) => page(
            StatusCode::OK,
            "Authorize app",
            &consent_form(&ctx, &p, &app.name, &scopes.to_string(), None, ""),
        ),
        Err(e) => page(
            StatusCode::BAD_REQUEST,
            "Authorization failed",
            &format!("<p>{}</p>", escape(&e.description)),
        ),
    }
}

fn redirect_with(uri: &str, params: &[(&str, &str)]) -> Response {
    let mut url = match url::Url::parse(uri) {
        Ok(u) => u,
        Err(_) => {
            return page(
                StatusCode::BAD_REQUEST,
                "Authorization failed",
                "<p>invalid redirect_uri</p>",
            )
        }
    };
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
            q.append_pair(k, v);
        }
    }
    Redirect::to(url.as_str()).into_response()
}

/// POST /oauth/authorize — signs in, then issues a code (redirect, or shown for the OOB URI).
pub async fn authorize_submit(ctx: Ctx, Form(mut p): Form<AuthorizeParams>) -> Response {
    let (app, scopes) = match check_request(&ctx, &p).await {
        Ok(v) => v,
        Err(e) => {
            return page(
                StatusCode::BAD_REQUEST,
                "Authorization failed",
                &format!("<p>{}</p>", escape(&e.description)),
            )
        }
    };
    let state = p.state.clone().unwrap_or_default();
    if p.decision.as_deref() == Some("deny") {
        if p.redirect_uri == OOB {
            return page(
                StatusCode::OK,
                "Authorization denied",
                "<p>You denied the request. You can close this page.</p>",
            );
        }
        return redirect_with(
            &p.redirect_uri,
            &[("error", "access_denied"), ("state", &state)],
        );
    }
    let (username, password) = (
        p.username.take().unwrap_or_default(),
        p.password.take().unwrap_or_default(),
    );
    let (actor, _) = match oauth::login(ctx.app_data(), &username, &password).await {
        Ok(u) => u,
        Err(_) => {
            let form = consent_form(
                &ctx,
                &p,
                &app.name,
                &scopes.to_string(),
                Some("Invalid username or password."),
                &username,
            );
            return page(StatusCode::UNPROCESSABLE_ENTITY, "Authorize app", &form);
        }
    };
    let challenge = p.code_challenge.clone().filter(|c| !c.is_empty());
    let code = match oauth::issue_code(
        ctx.app_data(),
        &app,
        &actor.id,
        &scopes,
        &p.redirect_uri,
        challenge,
    )
    .await
    {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    if p.redirect_uri == OOB {
        return page(
            StatusCode::OK,
            "Authorization code",
            &format!(
                "<p>Copy this code into {}:</p><p><code id=\"code\">{}</code></p>",
                escape(&app.name),
                escape(&code)
            ),
        );
    }
    redirect_with(&p.redirect_uri, &[("code", &code), ("state", &state)])
}

/// POST /oauth/token
#[derive(Deserialize)]
pub struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    username: Option<String>,
    password: Option<String>,
    scope: Option<String>,
    code_verifier: Option<String>,
}

/// `client_secret_basic`: client credentials in an HTTP Basic header.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = v
        .strip_prefix("Basic ")
        .or_else(|| v.strip_prefix("basic "))?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// Exchanges a grant for an access token.
pub async fn token(
    ctx: Ctx,
    headers: HeaderMap,
    Flex(f): Flex<TokenForm>,
) -> Result<Json<serde_json::Value>, OAuthError> {
    let (client_id, client_secret) = match basic_credentials(&headers) {
        Some(pair) => pair,
        None => (
            f.client_id.clone().unwrap_or_default(),
            f.client_secret.clone().unwrap_or_default(),
        ),
    };
    let missing = |what: &str| OAuthError {
        error: "invalid_request",
        description: format!("{what} is required"),
    };
    if client_id.is_empty() {
        return Err(missing("client_id"));
    }
    let state = ctx.app_data();
    let app = oauth::client(state, &client_id, Some(&client_secret)).await?;
    let issued = match f.grant_type.as_deref() {
        Some("authorization_code") => {
            let code = f.code.as_deref().ok_or_else(|| missing("code"))?;
            oauth::exchange_code(
                state,
                &app,
                code,
                f.redirect_uri.as_deref(),
                f.code_verifier.as_deref(),
            )
            .await?
        }
        Some("password") => {
            let user = f.username.as_deref().ok_or_else(|| missing("username"))?;
            let pass = f.password.as_deref().ok_or_else(|| missing("password"))?;
            oauth::password_grant(state, &app, user, pass, f.scope.as_deref()).await?
        }
        Some("client_credentials") => {
            oauth::client_credentials(state, &app, f.scope.as_deref()).await?
        }
        Some(other) => {
            return Err(OAuthError {
                error: "unsupported_grant_type",
                description: format!("grant_type {other:?} is not supported"),
            })
        }
        None => return Err(missing("grant_type")),
    };
    Ok(Json(json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "scope": issued.scopes.to_string(),
        "created_at": issued.created_at / 1000,
    })))
}

/// POST /oauth/revoke
#[derive(Deserialize)]
pub struct RevokeForm {
    client_id: Option<String>,
    client_secret: Option<String>,
    token: Option<String>,
}

/// Revokes a token (an unknown token is not an error).
pub async fn revoke(
    ctx: Ctx,
    headers: HeaderMap,
    Flex(f): Flex<RevokeForm>,
) -> Result<Json<serde_json::Value>, OAuthError> {
    let (id, secret) = basic_credentials(&headers).unwrap_or((
        f.client_id.unwrap_or_default(),
        f.client_secret.unwrap_or_default(),
    ));
    let app = oauth::client(ctx.app_data(), &id, Some(&secret)).await?;
    let token = f.token.ok_or(OAuthError {
        error: "invalid_request",
        description: "token is required".into(),
    })?;
    oauth::revoke(ctx.app_data(), &app, &token).await?;
    Ok(Json(json!({})))
}

/// GET /.well-known/oauth-authorization-server (RFC 8414)
pub async fn metadata(ctx: Ctx) -> Json<serde_json::Value> {
    let base = ctx.config.base_url();
    let mut grants = vec!["authorization_code", "client_credentials"];
    if ctx.config.api.password_grant {
        grants.push("password");
    }
    Json(json!({
        "issuer": format!("{base}/"),
        "service_documentation": format!("{base}/"),
        "authorization_endpoint": format!("{base}/oauth/authorize"),
        "token_endpoint": format!("{base}/oauth/token"),
        "revocation_endpoint": format!("{base}/oauth/revoke"),
        "userinfo_endpoint": format!("{base}/oauth/userinfo"),
        "app_registration_endpoint": format!("{base}/api/v1/apps"),
        "scopes_supported": ["read", "write", "follow", "push", "profile", "read:accounts", "read:blocks",
            "read:bookmarks", "read:favourites", "read:filters", "read:follows", "read:lists", "read:mutes",
            "read:notifications", "read:search", "read:statuses", "write:accounts", "write:blocks",
            "write:bookmarks", "write:conversations", "write:favourites", "write:filters", "write:follows",
            "write:lists", "write:media", "write:mutes", "write:notifications", "write:reports", "write:statuses"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": grants,
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }))
}

/// GET /oauth/userinfo — OIDC claims about the signed-in member (`profile` or `read:accounts`).
pub async fn userinfo(ctx: Ctx, auth: Auth) -> AppResult<Json<serde_json::Value>> {
    if !auth.0.scopes.allows("profile") && !auth.0.scopes.allows("read:accounts") {
        return Err(AppError::Forbidden(
            "This action is outside the authorized scopes".into(),
        ));
    }
    let (actor, _) = auth.user()?;
    Ok(Json(json!({
        "iss": format!("{}/", ctx.config.base_url()),
        "sub": actor.ap_id,
        "name": if actor.display_name.is_empty() { &actor.username } else { &actor.display_name },
        "preferred_username": actor.username,
        "profile": actor.ap_id,
        "picture": format!("{}/static/avatar.png", ctx.config.base_url()),
    })))
}

//! OAuth 2 storage: registered apps, short-lived authorization codes and access tokens.
//! Secrets, codes and tokens are stored only as SHA-256 hashes.

use super::{
    actors::ActorRow,
    schema::{oauth_apps, oauth_codes, oauth_tokens},
    users::UserRow,
    DbConnection, DbError, DbResult,
};
use diesel::prelude::*;

/// A member's actor and account.
pub type Member = (ActorRow, UserRow);

/// A registered client application.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_apps)]
pub struct AppRow {
    pub id: String,
    pub name: String,
    pub website: Option<String>,
    /// Newline-separated.
    pub redirect_uris: String,
    /// Space-separated.
    pub scopes: String,
    pub client_id: String,
    pub client_secret_hash: String,
    pub created_at: i64,
}

/// An authorization code waiting to be exchanged.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_codes)]
pub struct CodeRow {
    pub code_hash: String,
    pub app_id: String,
    pub user_id: String,
    pub scopes: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub expires_at: i64,
    pub created_at: i64,
}

/// An access token (user token, or app-only token when `user_id` is empty).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_tokens)]
pub struct TokenRow {
    pub id: String,
    pub token_hash: String,
    pub app_id: String,
    pub user_id: Option<String>,
    pub scopes: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Registers an app.
pub fn insert_app(conn: &mut DbConnection, row: &AppRow) -> DbResult<()> {
    diesel::insert_into(oauth_apps::table)
        .values(row)
        .execute(conn)
        .map_err(|e| DbError::from_insert(e, "app"))?;
    Ok(())
}

/// An app by its public client id.
pub fn app_by_client_id(conn: &mut DbConnection, client_id: &str) -> DbResult<Option<AppRow>> {
    Ok(oauth_apps::table
        .filter(oauth_apps::client_id.eq(client_id))
        .select(AppRow::as_select())
        .first(conn)
        .optional()?)
}

/// An app by id.
pub fn app_by_id(conn: &mut DbConnection, id: &str) -> DbResult<Option<AppRow>> {
    Ok(oauth_apps::table
        .find(id)
        .select(AppRow::as_select())
        .first(conn)
        .optional()?)
}

/// Stores a new authorization code.
pub fn insert_code(conn: &mut DbConnection, row: &CodeRow) -> DbResult<()> {
    diesel::insert_into(oauth_codes::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Takes a code out (codes are single-use): returns it when this call deleted it. Run inside the
/// caller's transaction (`Db::tx`). Of two concurrent takes of one code, the second deletes
/// nothing and gets `None`.
pub fn take_code(conn: &mut DbConnection, code_hash: &str) -> DbResult<Option<CodeRow>> {
    let Some(row) = oauth_codes::table
        .find(code_hash)
        .select(CodeRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let deleted = diesel::delete(oauth_codes::table.find(code_hash)).execute(conn)?;
    Ok((deleted == 1).then_some(row))
}

/// Stores a new token.
pub fn insert_token(conn: &mut DbConnection, row: &TokenRow) -> DbResult<()> {
    diesel::insert_into(oauth_tokens::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A live token with its app and, for a member's token, their actor and account: one statement,
/// read by every signed-in request.
pub fn live_token_with_app(
    conn: &mut DbConnection,
    token_hash: &str,
) -> DbResult<Option<(TokenRow, AppRow, Option<Member>)>> {
    use super::schema::{actors, users};
    let found: Option<(TokenRow, AppRow, Option<ActorRow>, Option<UserRow>)> =
        super::direct!(conn, |c| oauth_tokens::table
            .inner_join(oauth_apps::table)
            .left_join(users::table.on(oauth_tokens::user_id.eq(users::id.nullable())))
            .left_join(actors::table.on(actors::id.nullable().eq(users::id.nullable())))
            .filter(oauth_tokens::token_hash.eq(token_hash))
            .filter(oauth_tokens::revoked_at.is_null())
            .select((
                TokenRow::as_select(),
                AppRow::as_select(),
                Option::<ActorRow>::as_select(),
                Option::<UserRow>::as_select(),
            ))
            .first(c)
            .optional())?;
    Ok(found.map(|(t, app, actor, user)| (t, app, actor.zip(user))))
}

/// Revokes a token of an app; returns whether one was revoked.
pub fn revoke(conn: &mut DbConnection, token_hash: &str, app_id: &str, now: i64) -> DbResult<bool> {
    Ok(diesel::update(
        oauth_tokens::table
            .filter(oauth_tokens::token_hash.eq(token_hash))
            .filter(oauth_tokens::app_id.eq(app_id))
            .filter(oauth_tokens::revoked_at.is_null()),
    )
    .set(oauth_tokens::revoked_at.eq(Some(now)))
    .execute(conn)?
        > 0)
}

/// Records use (coarsely, for the account's security page later).
pub fn touch(conn: &mut DbConnection, id: &str, now: i64) -> DbResult<()> {
    super::direct!(conn, |c| super::Kept(
        diesel::update(oauth_tokens::table.find(id)).set(oauth_tokens::last_used_at.eq(Some(now)))
    )
    .execute(c))?;
    Ok(())
}

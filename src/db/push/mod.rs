//! Web Push: members' subscriptions (one per access token) and the push queue.

pub mod queue;

use super::{
    schema::{oauth_tokens, push_subscriptions},
    DbConnection, DbResult,
};
use diesel::prelude::*;

/// One Web Push subscription.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = push_subscriptions)]
pub struct SubscriptionRow {
    pub id: String,
    pub token_id: String,
    pub user_id: String,
    /// The access token it was made with: every push message carries it (as Mastodon's do).
    pub access_token: String,
    pub endpoint: String,
    /// The browser's P-256 public key (uncompressed point, base64url).
    pub p256dh: String,
    /// The browser's authentication secret (16 bytes, base64url).
    pub auth: String,
    /// The notification types the member wants pushed, comma-separated.
    pub alerts: String,
    /// Whose notifications are pushed: `all`, `followed`, `follower` or `none`.
    pub policy: String,
    pub standard: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Stores the subscription of a token, replacing the token's previous one (as Mastodon does).
pub fn replace(conn: &mut DbConnection, row: &SubscriptionRow) -> DbResult<()> {
    diesel::delete(
        push_subscriptions::table.filter(push_subscriptions::token_id.eq(&row.token_id)),
    )
    .execute(conn)?;
    diesel::insert_into(push_subscriptions::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// The subscription made with a token.
pub fn of_token(conn: &mut DbConnection, token_id: &str) -> DbResult<Option<SubscriptionRow>> {
    Ok(push_subscriptions::table
        .filter(push_subscriptions::token_id.eq(token_id))
        .select(SubscriptionRow::as_select())
        .first(conn)
        .optional()?)
}

/// One subscription by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> DbResult<Option<SubscriptionRow>> {
    Ok(push_subscriptions::table
        .find(id)
        .select(SubscriptionRow::as_select())
        .first(conn)
        .optional()?)
}

/// A member's subscriptions whose token is still live.
pub fn live_of_user(conn: &mut DbConnection, user_id: &str) -> DbResult<Vec<SubscriptionRow>> {
    Ok(push_subscriptions::table
        .inner_join(oauth_tokens::table.on(oauth_tokens::id.eq(push_subscriptions::token_id)))
        .filter(push_subscriptions::user_id.eq(user_id))
        .filter(oauth_tokens::revoked_at.is_null())
        .select(SubscriptionRow::as_select())
        .load(conn)?)
}

/// Whether the token a subscription was made with is still live.
pub fn token_live(conn: &mut DbConnection, token_id: &str) -> DbResult<bool> {
    Ok(oauth_tokens::table
        .find(token_id)
        .filter(oauth_tokens::revoked_at.is_null())
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// Changes a subscription's alerts and policy; returns whether it existed.
pub fn update_alerts(
    conn: &mut DbConnection,
    token_id: &str,
    alerts: &str,
    policy: &str,
    now: i64,
) -> DbResult<bool> {
    Ok(
        diesel::update(push_subscriptions::table.filter(push_subscriptions::token_id.eq(token_id)))
            .set((
                push_subscriptions::alerts.eq(alerts),
                push_subscriptions::policy.eq(policy),
                push_subscriptions::updated_at.eq(now),
            ))
            .execute(conn)?
            > 0,
    )
}

/// Removes the subscription of a token (its queued messages go with it).
pub fn delete_of_token(conn: &mut DbConnection, token_id: &str) -> DbResult<()> {
    diesel::delete(push_subscriptions::table.filter(push_subscriptions::token_id.eq(token_id)))
        .execute(conn)?;
    Ok(())
}

/// Removes a subscription the push service no longer knows (404/410), with its queue.
pub fn delete(conn: &mut DbConnection, id: &str) -> DbResult<()> {
    diesel::delete(push_subscriptions::table.find(id)).execute(conn)?;
    Ok(())
}

//! Web Push subscriptions (`/api/v1/push/subscription`): one per access token, with the alerts
//! and the policy the member chose. Notifications are queued for them where they are raised
//! (`queue.rs`) and sent by the push worker (`worker.rs`); `message.rs` writes what they say.

pub mod message;
pub mod queue;
pub mod worker;

use crate::{
    db::{self, push::SubscriptionRow, DbConnection, DbResult},
    domain::{
        ids::new_id,
        push::{check_endpoint, check_keys, Alerts, Policy},
        time::now_ms,
        webpush::VapidKey,
    },
    error::{AppError, AppResult},
    state::AppState,
};

/// The settings key of the node's VAPID secret.
const VAPID_SETTING: &str = "vapid_private_key";

pub use queue::queue_for;

/// The node's VAPID key, made at first start (the first process to store one wins).
pub fn vapid_key(conn: &mut DbConnection) -> DbResult<VapidKey> {
    if let Some(stored) = db::settings::get(conn, VAPID_SETTING)? {
        if let Ok(key) = VapidKey::from_stored(&stored) {
            return Ok(key);
        }
        tracing::error!("the stored VAPID key is unreadable; push messages cannot be signed");
    }
    db::settings::set_if_absent(conn, VAPID_SETTING, &VapidKey::generate().stored())?;
    let stored = db::settings::get(conn, VAPID_SETTING)?.unwrap_or_default();
    VapidKey::from_stored(&stored).map_err(db::DbError::Task)
}

/// Makes sure the node has a VAPID key (first start).
pub async fn ensure_vapid_key(state: &AppState) -> AppResult<String> {
    Ok(state
        .db
        .run(|c| vapid_key(c).map(|k| k.public_key()))
        .await?)
}

/// What an app asks for when it subscribes (or changes its subscription's data).
pub struct Subscribe {
    pub endpoint: Option<String>,
    pub p256dh: Option<String>,
    pub auth: Option<String>,
    /// `None` when not given: none on a new subscription, unchanged on an update.
    pub alerts: Option<Vec<(String, bool)>>,
    pub policy: Option<String>,
    pub standard: Option<bool>,
}

/// A subscription as apps see it, with the node's public VAPID key.
pub struct Subscription {
    pub row: SubscriptionRow,
    pub server_key: String,
}

fn unprocessable(m: impl std::fmt::Display) -> AppError {
    AppError::Unprocessable(format!("Validation failed: {m}"))
}

/// The alerts and policy asked for; what is not given is `None`.
fn alerts_and_policy(s: &Subscribe) -> AppResult<(Option<Alerts>, Option<Policy>)> {
    let alerts = match &s.alerts {
        Some(pairs) => Some(
            Alerts::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), *v)))
                .map_err(unprocessable)?,
        ),
        None => None,
    };
    let policy = match s.policy.as_deref() {
        None | Some("") => None,
        Some(p) => Some(Policy::parse(p).ok_or_else(|| {
            unprocessable(format!(
                "policy {p:?} is not one of all, followed, follower, none"
            ))
        })?),
    };
    Ok((alerts, policy))
}

/// Subscribes the token `token_id` (plain `access_token`) of member `user_id`, replacing the
/// token's previous subscription. Bad input stores nothing.
pub async fn subscribe(
    state: &AppState,
    user_id: &str,
    token_id: &str,
    access_token: &str,
    s: Subscribe,
) -> AppResult<Subscription> {
    let endpoint =
        check_endpoint(s.endpoint.as_deref().unwrap_or_default()).map_err(unprocessable)?;
    let (p256dh, auth) = check_keys(
        s.p256dh.as_deref().unwrap_or_default(),
        s.auth.as_deref().unwrap_or_default(),
    )
    .map_err(unprocessable)?;
    let (alerts, policy) = alerts_and_policy(&s)?;
    let now = now_ms();
    let row = SubscriptionRow {
        id: new_id(),
        token_id: token_id.to_string(),
        user_id: user_id.to_string(),
        access_token: access_token.to_string(),
        endpoint,
        p256dh,
        auth,
        alerts: alerts.unwrap_or_default().stored(),
        policy: policy.unwrap_or(Policy::All).as_str().to_string(),
        standard: s.standard.unwrap_or(true),
        created_at: now,
        updated_at: now,
    };
    let r = row.clone();
    let server_key = state
        .db
        .tx(move |c| {
            db::push::replace(c, &r)?;
            vapid_key(c).map(|k| k.public_key())
        })
        .await?;
    Ok(Subscription { row, server_key })
}

/// The token's subscription; 404 when it has none.
pub async fn current(state: &AppState, token_id: &str) -> AppResult<Subscription> {
    let t = token_id.to_string();
    let (row, server_key) = state
        .db
        .run(move |c| {
            Ok::<_, db::DbError>((db::push::of_token(c, &t)?, vapid_key(c)?.public_key()))
        })
        .await?;
    let row = row.ok_or_else(|| AppError::NotFound("Record not found".into()))?;
    Ok(Subscription { row, server_key })
}

/// Changes the alerts and policy of the token's subscription; 404 when it has none.
pub async fn update(state: &AppState, token_id: &str, s: Subscribe) -> AppResult<Subscription> {
    let (alerts, policy) = alerts_and_policy(&s)?;
    let was = current(state, token_id).await?.row;
    let alerts = alerts.map_or(was.alerts, |a| a.stored());
    let policy = policy.map_or(was.policy, |p| p.as_str().to_string());
    let t = token_id.to_string();
    let found = state
        .db
        .run(move |c| db::push::update_alerts(c, &t, &alerts, &policy, now_ms()))
        .await?;
    if !found {
        return Err(AppError::NotFound("Record not found".into()));
    }
    current(state, token_id).await
}

/// Removes the token's subscription (nothing to remove is fine, as in Mastodon).
pub async fn unsubscribe(state: &AppState, token_id: &str) -> AppResult<()> {
    let t = token_id.to_string();
    state
        .db
        .run(move |c| db::push::delete_of_token(c, &t))
        .await?;
    Ok(())
}

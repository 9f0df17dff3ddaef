//! Queues push messages for a notification, in the transaction that raises it: one per live
//! subscription of the member whose alerts include the notification's type and whose policy
//! admits the account that caused it.

use crate::{
    db::{
        self,
        notifications::NotificationRow,
        push::queue::{PushRow, PENDING},
        DbConnection, DbResult,
    },
    domain::{
        ids::new_id,
        push::{Alerts, Policy},
        time::now_ms,
    },
};

/// Whether a subscription's policy admits a notification caused by `from`.
fn admitted(conn: &mut DbConnection, policy: &str, user: &str, from: &str) -> DbResult<bool> {
    Ok(match Policy::parse(policy).unwrap_or(Policy::All) {
        Policy::All => true,
        Policy::None => false,
        Policy::Followed => db::follows::is_accepted(conn, user, from)?,
        Policy::Follower => db::follows::is_accepted(conn, from, user)?,
    })
}

/// Queues the push messages a new notification calls for; returns how many.
pub fn queue_for(conn: &mut DbConnection, n: &NotificationRow) -> DbResult<usize> {
    let mut queued = 0;
    for sub in db::push::live_of_user(conn, &n.user_id)? {
        if !Alerts::from_stored(&sub.alerts).wants(n.kind.as_str())
            || !admitted(conn, &sub.policy, &n.user_id, &n.from_actor_id)?
        {
            continue;
        }
        let now = now_ms();
        queued += db::push::queue::enqueue(
            conn,
            &PushRow {
                id: new_id(),
                subscription_id: sub.id,
                notification_id: n.id.clone(),
                status: PENDING.into(),
                attempts: 0,
                next_attempt_at: now,
                locked_until: None,
                last_status: None,
                last_error: None,
                created_at: now,
                updated_at: now,
            },
        )?;
    }
    Ok(queued)
}

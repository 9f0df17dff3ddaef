//! The relationship entity: the follow rows between the viewer and another account, and the
//! viewer's blocks, mutes and note about it.

use crate::db::{self, DbConnection, DbResult};

/// The viewer's standing with another account beyond follows.
#[derive(Debug, Default)]
pub struct Standing {
    pub blocking: bool,
    pub blocked_by: bool,
    pub mute: Option<db::mutes::MuteRow>,
    pub note: String,
}

impl Standing {
    /// Reads `me`'s blocks (both ways), mute and note about `target`.
    pub fn load(conn: &mut DbConnection, me: &str, target: &str) -> DbResult<Standing> {
        let now = crate::domain::time::now_ms();
        Ok(Standing {
            blocking: db::blocks::by_pair(conn, me, target)?.is_some(),
            blocked_by: db::blocks::by_pair(conn, target, me)?.is_some(),
            mute: db::mutes::active(conn, me, target, now)?,
            note: db::mutes::note(conn, me, target)?,
        })
    }
}

/// The relationship entity from the two follow rows between the viewer and `target_id`, and the
/// viewer's standing with it.
pub fn relationship(
    target_id: &str,
    out: Option<&db::follows::FollowRow>,
    back: Option<&db::follows::FollowRow>,
    standing: Standing,
) -> crate::api::entities::Relationship {
    let accepted = |f: Option<&db::follows::FollowRow>| {
        f.is_some_and(|f| f.state == db::follows::FollowState::Accepted)
    };
    crate::api::entities::Relationship {
        id: target_id.to_string(),
        following: accepted(out),
        showing_reblogs: accepted(out),
        notifying: out.is_some_and(|f| f.notify),
        languages: None,
        followed_by: accepted(back),
        blocking: standing.blocking,
        blocked_by: standing.blocked_by,
        muting: standing.mute.is_some(),
        muting_notifications: standing.mute.as_ref().is_some_and(|m| m.notifications),
        muting_expires_at: standing
            .mute
            .as_ref()
            .and_then(|m| m.expires_at)
            .map(super::datetime),
        requested: out.is_some_and(|f| f.state == db::follows::FollowState::Pending),
        requested_by: back.is_some_and(|f| f.state == db::follows::FollowState::Pending),
        domain_blocking: false,
        endorsed: false,
        note: standing.note,
    }
}

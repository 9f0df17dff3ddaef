//! The relationship entity: the follow rows between the viewer and another account.

use crate::db;

/// The relationship entity from the two follow rows between the viewer and `target_id`.
pub fn relationship(
    target_id: &str,
    out: Option<&db::follows::FollowRow>,
    back: Option<&db::follows::FollowRow>,
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
        blocking: false,
        blocked_by: false,
        muting: false,
        muting_notifications: false,
        muting_expires_at: None,
        requested: out.is_some_and(|f| f.state == db::follows::FollowState::Pending),
        requested_by: back.is_some_and(|f| f.state == db::follows::FollowState::Pending),
        domain_blocking: false,
        endorsed: false,
        note: String::new(),
    }
}

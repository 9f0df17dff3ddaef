//! The kinds of notification a member gets (Mastodon's names).

use std::fmt;

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    /// Someone followed the member.
    Follow,
    /// Someone asks to follow the member, or to join a group the member moderates.
    FollowRequest,
    /// A post addresses the member.
    Mention,
    /// Someone boosted the member's post.
    Reblog,
    /// Someone favourited the member's post.
    Favourite,
    /// A poll the member voted in (or made) ended.
    Poll,
    /// Someone the member asked to hear from posted.
    Status,
}

impl NotificationKind {
    /// Every kind, in the order the API documents them.
    pub const ALL: [NotificationKind; 7] = [
        NotificationKind::Follow,
        NotificationKind::FollowRequest,
        NotificationKind::Mention,
        NotificationKind::Reblog,
        NotificationKind::Favourite,
        NotificationKind::Poll,
        NotificationKind::Status,
    ];

    /// The stored (and Mastodon API) name.
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Follow => "follow",
            NotificationKind::FollowRequest => "follow_request",
            NotificationKind::Mention => "mention",
            NotificationKind::Reblog => "reblog",
            NotificationKind::Favourite => "favourite",
            NotificationKind::Poll => "poll",
            NotificationKind::Status => "status",
        }
    }
}

impl TryFrom<String> for NotificationKind {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        NotificationKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown notification kind {s:?}"))
    }
}

impl From<NotificationKind> for String {
    fn from(k: NotificationKind) -> String {
        k.as_str().to_string()
    }
}

impl fmt::Display for NotificationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for k in NotificationKind::ALL {
            assert_eq!(NotificationKind::try_from(k.as_str().to_string()), Ok(k));
        }
        assert!(NotificationKind::try_from("admin.sign_up".to_string()).is_err());
    }
}

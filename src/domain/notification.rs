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
    /// An account was reported to the member as an admin of the node or a moderator of the group
    /// the reported statuses were posted in.
    AdminReport,
}

impl NotificationKind {
    /// Every kind, in the order the API documents them.
    pub const ALL: [NotificationKind; 8] = [
        NotificationKind::Follow,
        NotificationKind::FollowRequest,
        NotificationKind::Mention,
        NotificationKind::Reblog,
        NotificationKind::Favourite,
        NotificationKind::Poll,
        NotificationKind::Status,
        NotificationKind::AdminReport,
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
            NotificationKind::AdminReport => "admin.report",
        }
    }
}

/// The kinds Mastodon groups by default in grouped notifications (API v2).
pub const GROUPED_BY_DEFAULT: [NotificationKind; 3] = [
    NotificationKind::Favourite,
    NotificationKind::Reblog,
    NotificationKind::Follow,
];

/// Every type name Mastodon 4.3 knows, including those this node never raises (`update`,
/// `admin.sign_up`, …): apps may name them in filters and push alerts.
pub const MASTODON_TYPES: [&str; 13] = [
    "mention",
    "status",
    "reblog",
    "follow",
    "follow_request",
    "favourite",
    "poll",
    "update",
    "admin.sign_up",
    "admin.report",
    "severed_relationships",
    "moderation_warning",
    "annual_report",
];

/// The group a notification belongs to (grouped notifications, API v2): favourites and boosts
/// of one post, follows of one UTC day; any other notification is a group of its own. The
/// migration that added the column computes the same keys for older rows.
pub fn group_key(
    kind: NotificationKind,
    post_id: Option<&str>,
    created_at: i64,
    id: &str,
) -> String {
    match (kind, post_id) {
        (NotificationKind::Favourite | NotificationKind::Reblog, Some(p)) => format!("{kind}-{p}"),
        (NotificationKind::Follow, _) => format!("follow-{}", created_at / 86_400_000),
        _ => format!("ungrouped-{id}"),
    }
}

/// Whether a notification kind is one `grouped_types` may name.
pub fn groupable(kind: &str) -> bool {
    matches!(kind, "favourite" | "reblog" | "follow")
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

    #[test]
    fn favourites_of_one_post_and_follows_of_one_day_share_a_group() {
        let day = 20_000 * 86_400_000;
        let fav = |id| group_key(NotificationKind::Favourite, Some("P1"), day, id);
        assert_eq!(fav("a"), fav("b"));
        assert_ne!(
            fav("a"),
            group_key(NotificationKind::Reblog, Some("P1"), day, "a")
        );
        assert_ne!(
            fav("a"),
            group_key(NotificationKind::Favourite, Some("P2"), day, "a")
        );
        let follow = |at, id| group_key(NotificationKind::Follow, None, at, id);
        assert_eq!(follow(day, "a"), follow(day + 1000, "b"));
        assert_ne!(follow(day, "a"), follow(day + 86_400_000, "b"));
        let mention = |id| group_key(NotificationKind::Mention, Some("P1"), day, id);
        assert_ne!(mention("a"), mention("b"));
    }
}

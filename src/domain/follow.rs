//! Where a follow (a membership, for a group) stands.

use std::fmt;

/// A follow waits for the target's approval, or is accepted. A refused follow is not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowState {
    Pending,
    Accepted,
}

impl FollowState {
    /// The stored (and Mastodon API) text form.
    pub const fn as_str(self) -> &'static str {
        match self {
            FollowState::Pending => "pending",
            FollowState::Accepted => "accepted",
        }
    }
}

impl TryFrom<String> for FollowState {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        match s.as_str() {
            "pending" => Ok(FollowState::Pending),
            "accepted" => Ok(FollowState::Accepted),
            other => Err(format!("unknown follow state {other:?}")),
        }
    }
}

impl From<FollowState> for String {
    fn from(s: FollowState) -> String {
        s.as_str().to_string()
    }
}

impl fmt::Display for FollowState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

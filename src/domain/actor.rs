//! What kind of actor an account is (ActivityStreams actor types).

use std::fmt;

/// A member (`Person`), a working group (`Group`), a node's own `Organization`, or a peer's
/// automated account (`Service`, `Application`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ActorKind {
    Person,
    Group,
    Organization,
    Service,
    Application,
}

impl ActorKind {
    /// Every kind this node stores.
    pub const ALL: [ActorKind; 5] = [
        ActorKind::Person,
        ActorKind::Group,
        ActorKind::Organization,
        ActorKind::Service,
        ActorKind::Application,
    ];

    /// The ActivityStreams type name (also the stored form).
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Person => "Person",
            ActorKind::Group => "Group",
            ActorKind::Organization => "Organization",
            ActorKind::Service => "Service",
            ActorKind::Application => "Application",
        }
    }
}

impl TryFrom<String> for ActorKind {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        ActorKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("{s:?} is not an actor type"))
    }
}

impl From<ActorKind> for String {
    fn from(k: ActorKind) -> String {
        k.as_str().to_string()
    }
}

impl PartialEq<&str> for ActorKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for ActorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

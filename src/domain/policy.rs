//! Organization control vocabulary: federation modes, per-peer levels and group visibility.
//!
//! Who may see what is decided by `domain::audience`; this module holds the levels and modes.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// How this node treats peers it has no explicit entry for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FederationMode {
    /// Only listed peers (full or limited) federate: the consortium default.
    #[default]
    Allowlist,
    /// Every peer federates unless blocked.
    Open,
}

/// What a peer may receive from and send to this node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeerLevel {
    /// Everything its members are entitled to.
    Full,
    /// Public content only.
    Limited,
    /// Nothing in either direction.
    Blocked,
}

impl PeerLevel {
    /// The stored text form.
    pub fn as_str(self) -> &'static str {
        match self {
            PeerLevel::Full => "full",
            PeerLevel::Limited => "limited",
            PeerLevel::Blocked => "blocked",
        }
    }
}

impl fmt::Display for PeerLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PeerLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "full" => Ok(PeerLevel::Full),
            "limited" => Ok(PeerLevel::Limited),
            "blocked" => Ok(PeerLevel::Blocked),
            other => Err(format!(
                "unknown peer level {other:?} (full, limited, blocked)"
            )),
        }
    }
}

/// Who may see a group and its posts beyond this node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Anyone, including limited peers.
    #[default]
    Public,
    /// Full peers only.
    Consortium,
    /// Only nodes that host members (followers) of the group.
    Members,
    /// Never leaves this node.
    Local,
}

impl Visibility {
    /// The stored text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Consortium => "consortium",
            Visibility::Members => "members",
            Visibility::Local => "local",
        }
    }
}

impl FromStr for Visibility {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "public" => Ok(Visibility::Public),
            "consortium" => Ok(Visibility::Consortium),
            "members" => Ok(Visibility::Members),
            "local" => Ok(Visibility::Local),
            other => Err(format!(
                "unknown visibility {other:?} (public, consortium, members, local)"
            )),
        }
    }
}

/// Which level applies to a peer, given the mode and its explicit entry (if any).
pub fn effective_level(mode: FederationMode, explicit: Option<PeerLevel>) -> PeerLevel {
    match (explicit, mode) {
        (Some(level), _) => level,
        (None, FederationMode::Allowlist) => PeerLevel::Blocked,
        (None, FederationMode::Open) => PeerLevel::Full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowlist_blocks_unknown_open_allows() {
        assert_eq!(
            effective_level(FederationMode::Allowlist, None),
            PeerLevel::Blocked
        );
        assert_eq!(effective_level(FederationMode::Open, None), PeerLevel::Full);
        assert_eq!(
            effective_level(FederationMode::Open, Some(PeerLevel::Blocked)),
            PeerLevel::Blocked
        );
    }

    #[test]
    fn parse_levels() {
        assert_eq!("limited".parse::<PeerLevel>(), Ok(PeerLevel::Limited));
        assert!("friendly".parse::<PeerLevel>().is_err());
    }
}

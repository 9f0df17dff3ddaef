//! Who may see a piece of content: the one rule behind every read (client API, pages, ActivityPub
//! documents, collections) and every send (addressing and receiving inboxes).
//!
//! The [`Audience`] is derived from the content alone: the post's visibility, its group's visibility
//! and admission, and its labels. The [`Reader`] says who asks and how they relate to the content.
//! [`may_see`] combines the two; nothing else in Cohort decides who sees what. Proposals, votes,
//! endorsements, reports and badges describe themselves with the same `Audience`.
//! Imports nothing outside `domain`.

pub use super::policy::{PeerLevel, Visibility};
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// How widely the author meant a post to go (Mastodon's four levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PostVisibility {
    /// Anyone, listed on public timelines.
    #[default]
    Public,
    /// Anyone with the link, kept off public timelines.
    Unlisted,
    /// The author's followers (in a group: its members) and those it addresses.
    Private,
    /// Only those it addresses.
    Direct,
}

impl PostVisibility {
    /// The stored (and Mastodon API) text form.
    pub fn as_str(self) -> &'static str {
        match self {
            PostVisibility::Public => "public",
            PostVisibility::Unlisted => "unlisted",
            PostVisibility::Private => "private",
            PostVisibility::Direct => "direct",
        }
    }

    /// Reads a stored value; anything unknown is treated as the narrowest level, never wider.
    pub fn from_stored(s: &str) -> PostVisibility {
        s.parse().unwrap_or(PostVisibility::Direct)
    }
}

impl From<String> for PostVisibility {
    fn from(s: String) -> PostVisibility {
        PostVisibility::from_stored(&s)
    }
}

impl From<PostVisibility> for String {
    fn from(v: PostVisibility) -> String {
        v.as_str().to_string()
    }
}

impl fmt::Display for PostVisibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PostVisibility {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "public" => Ok(PostVisibility::Public),
            "unlisted" => Ok(PostVisibility::Unlisted),
            "private" => Ok(PostVisibility::Private),
            "direct" => Ok(PostVisibility::Direct),
            other => Err(format!(
                "visibility {other:?} is not valid (public, unlisted, private, direct)"
            )),
        }
    }
}

/// A confidentiality label: labelled content never leaves this node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Confidential,
    Embargoed,
}

/// What the rule needs to know of the group a piece of content belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupScope {
    pub visibility: Visibility,
    /// Joining needs a moderator's approval: the group's content is for its members only.
    pub approval_required: bool,
}

/// Who a piece of content is for, derived from the content alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience {
    pub visibility: PostVisibility,
    pub group: Option<GroupScope>,
    pub labels: Vec<Label>,
}

impl Audience {
    /// A post's audience: its own visibility, inside its group's if it has one.
    pub fn of_post(visibility: PostVisibility, group: Option<GroupScope>) -> Audience {
        Audience {
            visibility,
            group,
            labels: Vec::new(),
        }
    }

    /// Public content outside any group (profiles, the node's own documents).
    pub fn public() -> Audience {
        Audience::of_post(PostVisibility::Public, None)
    }

    /// May the content be addressed to `as:Public` and shown to anyone? False as soon as the
    /// group, the labels or the post's own visibility narrow it.
    pub fn is_public(&self) -> bool {
        may_see(self, &Reader::anonymous())
    }

    /// May it be listed on the public and hashtag timelines (public, not unlisted)?
    pub fn is_listed(&self) -> bool {
        self.visibility == PostVisibility::Public && self.is_public()
    }
}

/// Who is reading (or receiving).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReaderKind {
    /// Nobody signed in; an unsigned fetch.
    Anonymous,
    /// A signed-in account of this node.
    Local,
    /// Another node, at the level this node gives it.
    Peer(PeerLevel),
}

/// A reader and how it relates to one piece of content. For a peer, each relation means "the
/// peer hosts such an actor" (a follower of the author, a member of the group, an addressee).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    pub kind: ReaderKind,
    /// Wrote it (for a peer: the content comes from that peer).
    pub author: bool,
    /// Follows the author (accepted).
    pub follower: bool,
    /// Belongs to the content's group (accepted follow).
    pub member: bool,
    /// Moderates the content's group.
    pub moderator: bool,
    /// Is addressed by the content (mentioned, or a direct recipient).
    pub addressee: bool,
    /// The author blocks this reader: they see no more than an anonymous visitor would.
    pub blocked: bool,
    /// This reader blocks the author: the author's content no longer reaches them.
    pub blocking: bool,
}

impl Reader {
    fn of(kind: ReaderKind) -> Reader {
        Reader {
            kind,
            author: false,
            follower: false,
            member: false,
            moderator: false,
            addressee: false,
            blocked: false,
            blocking: false,
        }
    }

    /// An anonymous visitor or unsigned fetch.
    pub fn anonymous() -> Reader {
        Reader::of(ReaderKind::Anonymous)
    }

    /// A signed-in local account, with no relation to the content yet.
    pub fn local() -> Reader {
        Reader::of(ReaderKind::Local)
    }

    /// A peer node at `level`, with no relation to the content yet.
    pub fn peer(level: PeerLevel) -> Reader {
        Reader::of(ReaderKind::Peer(level))
    }
}

/// May `reader` see (or receive) content with `audience`? The one rule.
pub fn may_see(audience: &Audience, reader: &Reader) -> bool {
    let limited = reader.kind == ReaderKind::Peer(PeerLevel::Limited);
    if reader.kind == ReaderKind::Peer(PeerLevel::Blocked) {
        return false;
    }
    if reader.author {
        return true;
    }
    if reader.blocking {
        return false;
    }
    if reader.blocked {
        return may_see(audience, &Reader::anonymous());
    }
    if !audience.labels.is_empty() && reader.kind != ReaderKind::Local {
        return false;
    }
    if let Some(group) = audience.group {
        if !group_admits(group, reader) {
            return false;
        }
    }
    match audience.visibility {
        PostVisibility::Public | PostVisibility::Unlisted => true,
        PostVisibility::Private => {
            let circle = match audience.group {
                Some(_) => reader.member || reader.moderator,
                None => reader.follower,
            };
            !limited && (circle || reader.addressee)
        }
        PostVisibility::Direct => !limited && reader.addressee,
    }
}

/// The group's half of the rule: its visibility beyond this node, and admission.
fn group_admits(group: GroupScope, reader: &Reader) -> bool {
    let insider = reader.member || reader.moderator;
    let by_visibility = match (group.visibility, reader.kind) {
        (Visibility::Public, _) => true,
        (_, ReaderKind::Anonymous) => false,
        (_, ReaderKind::Peer(PeerLevel::Limited | PeerLevel::Blocked)) => false,
        (Visibility::Local, ReaderKind::Peer(_)) => false,
        (Visibility::Local | Visibility::Consortium, _) => true,
        (Visibility::Members, _) => insider,
    };
    by_visibility && (!group.approval_required || insider)
}

/// May a protocol message that carries no content (Follow, Accept, Reject, their Undo) go to a
/// peer? Only to the party it is about, and never to a blocked peer.
pub fn may_exchange(level: PeerLevel, hosts_party: bool) -> bool {
    hosts_party && level != PeerLevel::Blocked
}

#[cfg(test)]
#[path = "audience_tests.rs"]
mod tests;

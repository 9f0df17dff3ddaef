//! The privacy matrix's own statement of who may see what, written from the documented rule
//! (BRIEF "Organization control", `docs/architecture.md`, the doc comments of the audience rule),
//! deliberately NOT by calling `cohort::domain::audience`: the test must not trust the code it
//! checks.

/// A post's own visibility (Mastodon's four levels).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vis {
    Public,
    Unlisted,
    Private,
    Direct,
}

impl Vis {
    pub const ALL: [Vis; 4] = [Vis::Public, Vis::Unlisted, Vis::Private, Vis::Direct];
    pub fn api(self) -> &'static str {
        match self {
            Vis::Public => "public",
            Vis::Unlisted => "unlisted",
            Vis::Private => "private",
            Vis::Direct => "direct",
        }
    }
}

/// A group's visibility beyond its node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupVis {
    /// Anyone.
    Public,
    /// Allowed (full) peers and local accounts.
    Consortium,
    /// Only members (and the nodes that host them).
    Members,
    /// Never leaves the node; local accounts only.
    Local,
}

/// A group as the rule sees it.
#[derive(Clone, Debug)]
pub struct GroupSpec {
    pub name: String,
    pub vis: GroupVis,
    /// Joining needs approval: content is for members only.
    pub approval: bool,
}

/// One piece of content of the matrix.
#[derive(Clone, Debug)]
pub struct Content {
    /// Short unique key, also the text marker `mxq-{key}-qxm`.
    pub key: String,
    pub vis: Vis,
    pub group: Option<GroupSpec>,
    /// The key of the post this one replies to.
    pub parent: Option<String>,
    /// Does it mention the addressees (local `mentioned`, B's, D's and E's users)?
    pub addressed: bool,
    /// Who wrote it: A's `author`, or B's `b_member` (a remote member posting into A's group).
    pub author: &'static str,
}

impl Content {
    pub fn marker(&self) -> String {
        format!("mxq-{}-qxm", self.key)
    }
}

/// Who reads: an anonymous visitor, a signed-in account of the origin node, or a peer node at the
/// level the origin gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Anonymous,
    Local,
    Full,
    Limited,
    Blocked,
}

/// How a reader relates to one piece of content. For a peer node: it hosts such an account.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rel {
    /// Wrote it (for a peer: the content comes from that peer).
    pub author: bool,
    /// Follows the author (accepted).
    pub follower: bool,
    /// Belongs to the content's group (accepted).
    pub member: bool,
    /// Is mentioned by the content.
    pub addressee: bool,
}

/// May a reader of `kind` with relations `rel` see `c`?
pub fn may_see(c: &Content, kind: Kind, rel: Rel) -> bool {
    // A blocked peer gets nothing, whatever it hosts.
    if kind == Kind::Blocked {
        return false;
    }
    // The author's own node has it anyway.
    if rel.author {
        return true;
    }
    let limited = kind == Kind::Limited;
    if let Some(g) = &c.group {
        // The group's visibility: public for anyone; consortium for local accounts and full
        // peers; members-only for members (a mention does not make one a member); local for
        // local accounts only. Approval-required groups are members-only on top.
        let by_group = match g.vis {
            GroupVis::Public => true,
            GroupVis::Consortium => matches!(kind, Kind::Local | Kind::Full),
            GroupVis::Members => matches!(kind, Kind::Local | Kind::Full) && rel.member,
            GroupVis::Local => kind == Kind::Local,
        };
        if !by_group || (g.approval && !rel.member) {
            return false;
        }
    }
    match c.vis {
        Vis::Public | Vis::Unlisted => true,
        // Followers-only: the author's followers, or in a group its members; and addressees.
        // Limited peers get public content only.
        Vis::Private => {
            let circle = if c.group.is_some() {
                rel.member
            } else {
                rel.follower
            };
            !limited && (circle || rel.addressee)
        }
        Vis::Direct => !limited && rel.addressee,
    }
}

/// Listed on the public timeline: public, and visible to anyone.
pub fn listed(c: &Content) -> bool {
    c.vis == Vis::Public && may_see(c, Kind::Anonymous, Rel::default())
}

/// What a cell expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Must be visible / delivered.
    Yes,
    /// Must not be visible / delivered.
    No,
    /// Either is acceptable (visible in principle, but nothing obliges it to be there).
    Any,
}

impl Expect {
    pub fn of(b: bool) -> Expect {
        if b {
            Expect::Yes
        } else {
            Expect::No
        }
    }

    /// `No` when not allowed; `Yes` when allowed and owed (a subscriber, an addressee); else `Any`.
    pub fn owed(allowed: bool, owed: bool) -> Expect {
        match (allowed, owed) {
            (false, _) => Expect::No,
            (true, true) => Expect::Yes,
            (true, false) => Expect::Any,
        }
    }
}

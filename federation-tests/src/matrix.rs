//! The privacy matrix's own statement of who may see what, written from the documented rule
//! (BRIEF "Organization control", `docs/architecture.md`, the doc comments of the audience rule),
//! deliberately NOT by calling `cohort::domain::audience`: the test must not trust the code it
//! checks. Also the cell collector that prints every mismatch at once.

use std::fmt::Write as _;

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
    /// Follows the author (accepted).
    pub follower: bool,
    /// Belongs to the content's group (accepted).
    pub member: bool,
    /// Is mentioned by the content.
    pub addressee: bool,
}

/// May a reader of `kind` with relations `rel` see `c`? (The author always may; the matrix never
/// reads as the author.)
pub fn may_see(c: &Content, kind: Kind, rel: Rel) -> bool {
    // A blocked peer gets nothing, whatever it hosts.
    if kind == Kind::Blocked {
        return false;
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

/// One checked cell.
#[derive(Clone, Debug)]
pub struct Cell {
    pub path: String,
    pub content: String,
    pub reader: String,
    pub expect: Expect,
    pub got: bool,
    pub note: String,
}

impl Cell {
    pub fn failed(&self) -> bool {
        matches!(
            (self.expect, self.got),
            (Expect::Yes, false) | (Expect::No, true)
        )
    }
}

/// Every cell of one run.
#[derive(Default)]
pub struct Matrix {
    pub cells: Vec<Cell>,
}

impl Matrix {
    pub fn check(&mut self, path: &str, content: &str, reader: &str, expect: Expect, got: bool) {
        self.note(path, content, reader, expect, got, "");
    }

    pub fn note(
        &mut self,
        path: &str,
        content: &str,
        reader: &str,
        expect: Expect,
        got: bool,
        note: &str,
    ) {
        self.cells.push(Cell {
            path: path.into(),
            content: content.into(),
            reader: reader.into(),
            expect,
            got,
            note: note.into(),
        });
    }

    /// Writes every cell (`path content reader expected got note`, tab-separated) to the file
    /// named by `MATRIX_DUMP`, if set: for looking at what passed as well as what failed.
    pub fn dump(&self) {
        let Ok(file) = std::env::var("MATRIX_DUMP") else {
            return;
        };
        let lines: Vec<String> = self
            .cells
            .iter()
            .map(|c| {
                let e = format!("{:?}", c.expect);
                format!(
                    "{}\t{}\t{}\t{e}\t{}\t{}",
                    c.path, c.content, c.reader, c.got, c.note
                )
            })
            .collect();
        std::fs::write(file, lines.join("\n")).expect("write MATRIX_DUMP");
    }

    /// The mismatches, grouped by path and content, as a printable table.
    pub fn report(&self) -> (usize, String) {
        let mut bad: Vec<&Cell> = self.cells.iter().filter(|c| c.failed()).collect();
        bad.sort_by(|a, b| (&a.path, &a.content, &a.reader).cmp(&(&b.path, &b.content, &b.reader)));
        let mut out = String::new();
        let _ = writeln!(
            out,
            "privacy matrix: {} cells ({} definite), {} mismatches",
            self.cells.len(),
            self.cells
                .iter()
                .filter(|c| c.expect != Expect::Any)
                .count(),
            bad.len()
        );
        let _ = writeln!(
            out,
            "{:<12} {:<20} {:<30} {:<8} {:<8} note",
            "path", "content", "readers", "expected", "got"
        );
        // One line per (path, content, expected, got): the readers it concerns.
        let mut i = 0;
        while i < bad.len() {
            let c = bad[i];
            let mut readers = vec![c.reader.clone()];
            let mut j = i + 1;
            while j < bad.len()
                && (&bad[j].path, &bad[j].content, bad[j].expect) == (&c.path, &c.content, c.expect)
            {
                readers.push(bad[j].reader.clone());
                j += 1;
            }
            let exp = if c.expect == Expect::Yes {
                "visible"
            } else {
                "hidden"
            };
            let got = if c.got { "visible" } else { "hidden" };
            let _ = writeln!(
                out,
                "{:<12} {:<20} {:<30} {:<8} {:<8} {}",
                c.path,
                c.content,
                readers.join(","),
                exp,
                got,
                c.note
            );
            i = j;
        }
        (bad.len(), out)
    }
}

//! Real-server fixtures through the inbound path: what a fixture must do (`Expect`), what the node
//! must hold before it arrives (`Prep`), and how a file becomes an activity (`activity_of`). The
//! node and its storage are in `fixtures_world`; the per-fixture tables in `fixtures_table*`.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// What the node must do with one fixture.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    /// Dispatch succeeds and this is stored.
    Stored(Check),
    /// Dispatch fails with a 4xx-class error whose message contains this text; nothing changes.
    Refused(&'static str),
    /// Refused like `Refused`, and the sender is answered with `Reject`: only the delivery queue
    /// changes (a local group refusing a post).
    Rejected(&'static str),
    /// Dispatch succeeds and nothing changes (the reason says why that is right).
    Ignored(&'static str),
    /// Not fed at all: the file is not something an inbox receives (the reason says what it is).
    NotInbound(&'static str),
}

/// What a stored outcome must look like. URLs are the fixture's (local rewrites are resolved).
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// A post with this id whose text or title contains `text`, with this visibility, in this group.
    Post {
        id: &'static str,
        text: &'static str,
        visibility: &'static str,
        group: Option<&'static str>,
    },
    /// A direct message whose text contains `text`, which the local member `alice` can read
    /// (she is among the post's stored mentions, which the audience rule checks for it).
    Message {
        id: &'static str,
        text: &'static str,
    },
    /// The post's text or title now contains `text`.
    Edited {
        id: &'static str,
        text: &'static str,
    },
    /// The post is marked deleted.
    Deleted(&'static str),
    /// `by` favourited `post` (`Like`).
    Favourite {
        post: &'static str,
        by: &'static str,
    },
    /// `by` no longer favourites `post`.
    Unfavourited {
        post: &'static str,
        by: &'static str,
    },
    /// A follow in this state (`pending` / `accepted`).
    Follow {
        follower: &'static str,
        target: &'static str,
        state: &'static str,
    },
    /// No follow between the two any more.
    Unfollowed {
        follower: &'static str,
        target: &'static str,
    },
    /// `actor` is (or is not) a moderator of the stored copy of `group`.
    Moderator {
        group: &'static str,
        actor: &'static str,
        is: bool,
    },
    /// The stored actor has this display name and kind.
    Profile {
        actor: &'static str,
        name: &'static str,
        kind: &'static str,
    },
}

/// Which local actor a fixture URL is rewritten to.
#[derive(Debug, Clone, Copy)]
pub enum Local {
    /// The local group `wg`.
    Group,
    /// The local member `alice`.
    Member,
}

/// What the node holds before the fixture arrives (remote actors named as `actor` or
/// `attributedTo` are always stored first, from the server's `objects/` when it has them).
#[derive(Debug, Clone, Copy)]
pub enum Prep {
    /// Dispatch this fixture first (with its own preparation); it must succeed.
    Fixture(&'static str),
    /// Every occurrence of this URL in the fixture becomes the id of a local actor.
    Rewrite(&'static str, Local),
    /// A remote group (from `objects/` when it is there, else synthesized).
    Group(&'static str),
    /// A remote group that `alice` follows (accepted), so the node keeps its posts.
    FollowedGroup(&'static str),
    /// `alice` follows this remote actor (accepted).
    Follows(&'static str),
    /// A stored remote post by `author`, in `group` when given.
    HasPost {
        id: &'static str,
        author: &'static str,
        group: Option<&'static str>,
    },
    /// `actor` is a moderator of the stored remote `group`.
    HasModerator {
        group: &'static str,
        actor: &'static str,
    },
    /// A pending follow, under activity id `id` (a fresh local id when `None`).
    Pending {
        follower: &'static str,
        target: &'static str,
        id: Option<&'static str>,
    },
    /// `by` favourited `post`, with the `Like` id `id`.
    HasFavourite {
        post: &'static str,
        by: &'static str,
        id: &'static str,
    },
}

/// One row of the expectation table.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub path: &'static str,
    pub prep: &'static [Prep],
    pub expect: Expect,
}

/// Kinds read as actors.
pub const ACTOR_KINDS: &[&str] = &["Person", "Group", "Organization", "Application", "Service"];

/// The shared fixture folder. Missing: a loud skip outside CI, a failure in CI.
pub fn fixtures_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/activitypub");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} not found; CI must have the fixtures", dir.display());
    }
    eprintln!(
        "SKIPPED: {} not found (the shared fixtures exist only in CI and on the team's machines)",
        dir.display()
    );
    None
}

/// Every `.json` under `dir`, as paths relative to it, sorted.
pub fn fixture_files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if p.extension().is_some_and(|x| x == "json") {
                let rel = p.strip_prefix(root).expect("under root");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The first URL of a string / `{id}` / array value.
pub fn first_url(v: &Value) -> Option<String> {
    cohort::federation::protocol::urls_of(v)
        .first()
        .map(|u| u.to_string())
}

/// The activity a fixture arrives as. Activities as they are; an actor as an `Update` of itself;
/// any other object as the object of a `Create` from its first `attributedTo`; a `Tombstone` as a
/// `Delete` from an actor of its origin. `None` for files an inbox never receives (collections,
/// objects without an author).
pub fn activity_of(doc: &Value) -> Option<Value> {
    let kind = cohort::federation::protocol::type_of(doc).unwrap_or("");
    // Pleroma puts `actor` on its objects (and `attributedTo` on its activities): an activity has
    // an actor, and an object or no author.
    let has = |k: &str| doc.get(k).is_some();
    if has("actor") && (has("object") || !has("attributedTo")) {
        return Some(doc.clone());
    }
    let id = doc.get("id")?.as_str()?;
    let mut wrapper = if ACTOR_KINDS.contains(&kind) {
        json!({"type": "Update", "id": format!("{id}#fixture-update"), "actor": id})
    } else if kind == "Tombstone" {
        let url = url::Url::parse(id).ok()?;
        let actor = format!("{}/fixture-deleter", url.origin().ascii_serialization());
        json!({"type": "Delete", "id": format!("{id}#fixture-delete"), "actor": actor})
    } else if kind.ends_with("Collection") || kind.ends_with("CollectionPage") {
        return None;
    } else {
        let author = first_url(doc.get("attributedTo")?)?;
        json!({"type": "Create", "id": format!("{id}#fixture-create"), "actor": author})
    };
    for k in ["to", "cc", "audience", "@context"] {
        if let Some(v) = doc.get(k) {
            wrapper[k] = v.clone();
        }
    }
    wrapper["object"] = doc.clone();
    Some(wrapper)
}

/// The fixture's remote actors, which the signature check would have fetched: the activity's
/// actor, an inner activity's actor, and the authors of embedded objects.
pub fn actors_named(activity: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |v: Option<&Value>| {
        if let Some(u) = v.and_then(first_url) {
            if !out.contains(&u) {
                out.push(u);
            }
        }
    };
    add(activity.get("actor"));
    let object = activity.get("object");
    add(object.and_then(|o| o.get("actor")));
    let object_kind = object.and_then(cohort::federation::protocol::type_of);
    if !object_kind.is_some_and(|k| ACTOR_KINDS.contains(&k)) {
        add(object.and_then(|o| o.get("attributedTo")));
    }
    let inner = object.and_then(|o| o.get("object"));
    add(inner.and_then(|o| o.get("attributedTo")));
    out
}

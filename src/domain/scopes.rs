//! OAuth scopes as Mastodon defines them: `read`, `write`, `follow`, `push`, `profile`, their
//! `read:…`/`write:…` sub-scopes, and `admin:read`/`admin:write` with theirs.

use std::collections::BTreeSet;

const READ: &[&str] = &[
    "accounts",
    "blocks",
    "bookmarks",
    "favourites",
    "filters",
    "follows",
    "lists",
    "mutes",
    "notifications",
    "search",
    "statuses",
];
const WRITE: &[&str] = &[
    "accounts",
    "blocks",
    "bookmarks",
    "conversations",
    "favourites",
    "filters",
    "follows",
    "lists",
    "media",
    "mutes",
    "notifications",
    "reports",
    "statuses",
];
const ADMIN: &[&str] = &[
    "accounts",
    "reports",
    "domain_allows",
    "domain_blocks",
    "ip_blocks",
    "email_domain_blocks",
    "canonical_email_blocks",
];
/// The legacy `follow` scope covers these.
const FOLLOW: &[&str] = &[
    "read:follows",
    "write:follows",
    "read:blocks",
    "write:blocks",
    "read:mutes",
    "write:mutes",
];

/// Whether `s` is a scope this server knows.
pub fn is_known(s: &str) -> bool {
    match s.split_once(':') {
        None => matches!(s, "read" | "write" | "follow" | "push" | "profile"),
        Some(("read", sub)) => READ.contains(&sub),
        Some(("write", sub)) => WRITE.contains(&sub),
        Some(("admin", rest)) => match rest.split_once(':') {
            None => matches!(rest, "read" | "write"),
            Some((rw, sub)) => matches!(rw, "read" | "write") && ADMIN.contains(&sub),
        },
        _ => false,
    }
}

/// A set of granted scopes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scopes(BTreeSet<String>);

impl Scopes {
    /// Parses a space-separated (or `+`-separated) scope string; an unknown scope is an error naming it.
    pub fn parse(s: &str) -> Result<Scopes, String> {
        let mut set = BTreeSet::new();
        for part in s.split([' ', '+', ',']).filter(|p| !p.is_empty()) {
            if !is_known(part) {
                return Err(format!("unknown scope {part:?}"));
            }
            set.insert(part.to_string());
        }
        Ok(Scopes(set))
    }

    /// Whether this set grants `required` (a sub-scope is granted by its parent).
    pub fn allows(&self, required: &str) -> bool {
        if self.0.contains(required) {
            return true;
        }
        if let Some((parent, _)) = required.rsplit_once(':') {
            if self.allows(parent) {
                return true;
            }
        }
        self.0.contains("follow") && FOLLOW.contains(&required)
    }

    /// Whether every scope of `self` is granted by `other` (requested ⊆ registered).
    pub fn within(&self, other: &Scopes) -> bool {
        self.0.iter().all(|s| other.allows(s))
    }

    /// Whether no scope is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The scopes, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl std::fmt::Display for Scopes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.iter().cloned().collect::<Vec<_>>().join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_grant_children() {
        let s = Scopes::parse("read write:statuses follow").unwrap();
        assert!(s.allows("read:accounts"));
        assert!(s.allows("write:statuses"));
        assert!(!s.allows("write:media"));
        assert!(s.allows("write:follows"));
        assert!(!s.allows("push"));
    }

    #[test]
    fn unknown_scopes_are_errors() {
        assert!(Scopes::parse("read bogus").unwrap_err().contains("bogus"));
        assert!(Scopes::parse("read:nothing").is_err());
        assert!(Scopes::parse("admin:read:accounts").is_ok());
    }

    #[test]
    fn subset() {
        let app = Scopes::parse("read write").unwrap();
        assert!(Scopes::parse("read:accounts write").unwrap().within(&app));
        assert!(!Scopes::parse("follow").unwrap().within(&app));
        assert_eq!(app.to_string(), "read write");
    }
}

//! ULID text identifiers, generated in Rust so inserts never need `RETURNING`.

/// A new sortable, unique id (26 characters, Crockford base32).
pub fn new_id() -> String {
    ulid::Ulid::new().to_string()
}

/// Whether `s` is a well-formed ULID, so path parameters can be rejected before a query.
pub fn is_id(s: &str) -> bool {
    ulid::Ulid::from_string(s).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_unique_and_valid() {
        let a = super::new_id();
        let b = super::new_id();
        assert_ne!(a, b);
        assert!(super::is_id(&a));
        assert!(!super::is_id("not-an-id"));
    }
}

/// Declares a typed id: a local row id that cannot be mistaken for another kind's.
macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub String);

        impl $name {
            /// The id as stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }

        impl From<&String> for $name {
            fn from(s: &String) -> Self {
                $name(s.clone())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

typed_id!(
    /// The local id of an actor (member, group, organization, or a peer's actor known here).
    ActorId
);
typed_id!(
    /// The local id of a post.
    PostId
);

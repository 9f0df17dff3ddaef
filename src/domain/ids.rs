//! ULID text identifiers, generated in Rust so inserts never need `RETURNING`.

/// A new sortable, unique id (26 characters, Crockford base32).
pub fn new_id() -> String {
    ulid::Ulid::new().to_string()
}

/// A new id greater than every id this process made with it before, even within one
/// millisecond: for rows whose id is their order (a member's pins, listed newest first). Only
/// for rows that are no capability: neighbouring ids differ by one, so never name a file or
/// anything served without the audience rule by one.
pub fn new_ordered_id() -> String {
    static IDS: std::sync::Mutex<ulid::Generator> = std::sync::Mutex::new(ulid::Generator::new());
    let mut ids = IDS.lock().unwrap_or_else(|e| e.into_inner());
    // The generator fails only past 2^80 ids in one millisecond.
    ids.generate()
        .unwrap_or_else(|_| ulid::Ulid::new())
        .to_string()
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

    #[test]
    fn ordered_ids_made_in_one_millisecond_keep_their_order() {
        // Thousands of ids share a millisecond here; random ULIDs would not stay in order.
        let ids: Vec<String> = (0..10_000).map(|_| super::new_ordered_id()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert!(super::is_id(&ids[0]));
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

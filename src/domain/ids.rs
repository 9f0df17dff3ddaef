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

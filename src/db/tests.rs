//! Unit tests of the storage set-up: backend selection and matching migration versions.

use super::*;

#[test]
fn backend_from_url() {
    assert_eq!(
        Backend::from_url("sqlite://data/x.db").unwrap(),
        Backend::Sqlite("data/x.db".into())
    );
    assert!(matches!(
        Backend::from_url("postgresql://postgres@127.0.0.1/test"),
        Ok(Backend::Postgres(_))
    ));
    // A mistyped PostgreSQL URL must not silently become a SQLite file.
    assert!(Backend::from_url("postgress://x").is_err());
    assert!(Backend::from_url("data/x.db").is_err());
    assert!(Backend::from_url("sqlite://").is_err());
}

#[test]
fn migration_versions_match_between_backends() {
    let names = |dir: &str| {
        let mut v: Vec<String> =
            std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
        v.sort();
        v
    };
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("postgres"));
}

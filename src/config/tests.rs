//! Unit tests of config loading: defaults, the shipped file, env overrides and named errors.

use super::*;
use crate::domain::policy::{FederationMode, PeerLevel};

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn defaults_are_valid() {
    let c = Config::from_toml_and_env("", env(&[])).unwrap();
    assert_eq!(c.instance.domain, "localhost:8080");
    assert_eq!(c.federation.mode, FederationMode::Allowlist);
}

#[test]
fn shipped_config_file_parses() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/config/cohort.toml");
    let c = Config::load(Some(std::path::Path::new(path)), env(&[])).unwrap();
    assert_eq!(c.server.listen, "127.0.0.1:8080");
}

#[test]
fn unknown_key_is_named() {
    let err = Config::from_toml_and_env("[instance]\ndomian = \"x.org\"\n", env(&[]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("domian"), "{err}");
    let err = Config::from_toml_and_env("[nope]\n", env(&[]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("nope"), "{err}");
}

#[test]
fn env_overrides_file() {
    let c = Config::from_toml_and_env(
        "[instance]\ndomain = \"a.example\"\n",
        env(&[
            ("COHORT_INSTANCE_DOMAIN", "b.example:9000"),
            ("COHORT_DELIVERY_WORKERS", "2"),
            ("COHORT_FEDERATION_PEERS", "{ \"c.example\" = \"limited\" }"),
            ("PATH", "/bin"),
        ]),
    )
    .unwrap();
    assert_eq!(c.instance.domain, "b.example:9000");
    assert_eq!(c.delivery.workers, 2);
    assert_eq!(
        c.federation.peers.get("c.example"),
        Some(&PeerLevel::Limited)
    );
}

#[test]
fn unknown_env_is_named() {
    let err = Config::from_toml_and_env("", env(&[("COHORT_INSTANCE_DOMIAN", "x")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("COHORT_INSTANCE_DOMIAN"), "{err}");
}

#[test]
fn bad_values_are_named() {
    for (toml, key) in [
        ("[server]\nlisten = \"nowhere\"\n", "server.listen"),
        ("[database]\nurl = \"mysql://x\"\n", "database.url"),
        ("[instance]\ndomain = \"bad domain\"\n", "instance.domain"),
        ("[federation]\nmode = \"sometimes\"\n", "sometimes"),
        ("[federation.peers]\n\"x.org\" = \"friendly\"\n", "friendly"),
        ("[delivery]\nworkers = 0\n", "delivery.workers"),
        ("[server]\nmax_body_bytes = \"big\"\n", "big"),
    ] {
        let err = Config::from_toml_and_env(toml, env(&[]))
            .unwrap_err()
            .to_string();
        assert!(err.contains(key), "{toml}: {err}");
    }
}

#[test]
fn lead_terms_default_override_and_refuse_bad_values() {
    let c = Config::from_toml_and_env("", env(&[])).unwrap();
    assert_eq!(c.groups.lead_term_days(), 365);
    assert_eq!(c.groups.lead_expiry_interval_secs, 3600);
    let c = Config::from_toml_and_env(
        "[groups]\nlead_term_days = 30\n",
        env(&[("COHORT_GROUPS_LEAD_EXPIRY_INTERVAL_SECS", "60")]),
    )
    .unwrap();
    assert_eq!(
        (
            c.groups.lead_term_days(),
            c.groups.lead_expiry_interval_secs
        ),
        (30, 60)
    );
    let c = Config::from_toml_and_env("", env(&[("COHORT_GROUPS_LEAD_TERM_DAYS", "90")])).unwrap();
    assert_eq!(c.groups.lead_term_days(), 90);
    for (toml, needle) in [
        (
            "[groups]\nlead_term_days = 0\n",
            "groups.lead_term_days: a term must be at least 1 day",
        ),
        (
            "[groups]\nlead_term_days = -7\n",
            "groups.lead_term_days: a term must be at least 1 day",
        ),
        (
            "[groups]\nlead_term_days = 99999\n",
            "groups.lead_term_days: a term may be at most",
        ),
        ("[groups]\nlead_term_days = \"a year\"\n", "a year"),
        (
            "[groups]\nlead_expiry_interval_secs = 0\n",
            "groups.lead_expiry_interval_secs",
        ),
    ] {
        let err = Config::from_toml_and_env(toml, env(&[]))
            .unwrap_err()
            .to_string();
        assert!(err.contains(needle), "{toml}: {err}");
    }
    let err = Config::from_toml_and_env("", env(&[("COHORT_GROUPS_LEAD_TERM_DAYS", "soon")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("soon"), "{err}");
}

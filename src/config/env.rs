//! `COHORT_<SECTION>_<KEY>` environment variables: which names are config keys, and how their values
//! are read as TOML.

use super::{
    ApiConfig, DatabaseConfig, DeliveryConfig, FederationConfig, GroupsConfig, InstanceConfig,
    LoggingConfig, PollsConfig, ServerConfig, StorageConfig,
};
use serde::Serialize;

/// The sections and keys that may be set from the environment.
fn known_keys() -> Vec<(&'static str, Vec<String>)> {
    fn keys<T: Serialize + Default>() -> Vec<String> {
        match toml::Value::try_from(T::default()) {
            Ok(toml::Value::Table(t)) => t.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
    let mut federation = keys::<FederationConfig>();
    if !federation.iter().any(|k| k == "peers") {
        federation.push("peers".into());
    }
    vec![
        ("instance", keys::<InstanceConfig>()),
        ("server", keys::<ServerConfig>()),
        ("database", keys::<DatabaseConfig>()),
        ("storage", keys::<StorageConfig>()),
        ("federation", federation),
        ("delivery", keys::<DeliveryConfig>()),
        ("logging", keys::<LoggingConfig>()),
        ("api", keys::<ApiConfig>()),
        ("polls", keys::<PollsConfig>()),
        ("groups", keys::<GroupsConfig>()),
    ]
}

/// Maps `INSTANCE_DOMAIN` to `("instance", "domain")` when that key exists.
pub(super) fn env_key(rest: &str) -> Option<(&'static str, String)> {
    let lower = rest.to_ascii_lowercase();
    for (section, keys) in known_keys() {
        if let Some(key) = lower
            .strip_prefix(section)
            .and_then(|k| k.strip_prefix('_'))
        {
            if keys.iter().any(|k| k == key) {
                return Some((section, key.to_string()));
            }
        }
    }
    None
}

/// Environment values are TOML literals when they parse as one (`true`, `8`, `{a="full"}`), strings otherwise.
pub(super) fn env_value(raw: &str) -> toml::Value {
    let doc = format!("v = {raw}");
    match doc.parse::<toml::Table>() {
        Ok(mut t) => t
            .remove("v")
            .unwrap_or_else(|| toml::Value::String(raw.into())),
        Err(_) => toml::Value::String(raw.into()),
    }
}

//! Typed node configuration: a TOML file, then `COHORT_<SECTION>_<KEY>` environment overrides.
//!
//! Owns parsing and validation only; nothing here touches the database or the network. Unknown keys
//! (in the file or as `COHORT_…` variables) are errors that name the key, so a typo never silently
//! falls back to a default.

use crate::domain::policy::{FederationMode, PeerLevel};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, net::SocketAddr, path::PathBuf};

/// Errors raised while loading configuration; each names the offending key or file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid config: {0}")]
    Parse(String),
    #[error("unknown environment variable {0}: no such config key")]
    UnknownEnv(String),
    #[error("invalid value for {key}: {reason}")]
    Invalid { key: String, reason: String },
}

/// The whole configuration of one node. Every key is documented in `config/cohort.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub instance: InstanceConfig,
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub storage: StorageConfig,
    pub federation: FederationConfig,
    pub delivery: DeliveryConfig,
    pub logging: LoggingConfig,
    pub api: ApiConfig,
    pub polls: PollsConfig,
}

/// Polls (the options of proposals).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PollsConfig {
    /// Shortest allowed poll, in seconds.
    pub min_expiration_secs: i64,
    /// Longest allowed poll, in seconds.
    pub max_expiration_secs: i64,
    /// How often changed results of local polls are sent to peers (`Update(Question)`) and ended
    /// polls are closed (final results sent, voters notified).
    pub results_interval_secs: u64,
}

impl Default for PollsConfig {
    fn default() -> Self {
        Self {
            min_expiration_secs: 300,
            max_expiration_secs: 2_629_746,
            results_interval_secs: 60,
        }
    }
}

/// The Mastodon-compatible client API.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiConfig {
    /// Allow OAuth's password grant (apps that log in without a browser, such as scripts).
    pub password_grant: bool,
    /// Requests per token (or per IP address without a token) in each 5-minute window.
    pub rate_limit_per_5min: u32,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            password_grant: true,
            rate_limit_per_5min: 3000,
        }
    }
}

/// Who this node is on the network.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InstanceConfig {
    /// Public host name (with `:port` when not the default) that appears in every actor id.
    pub domain: String,
    pub name: String,
    pub description: String,
    pub contact_email: String,
    /// Where this node's source code can be had (AGPL); shown to apps as `source_url`.
    pub source_url: String,
    /// The node's rules, shown on the about page and to apps.
    pub rules: Vec<String>,
}

impl Default for InstanceConfig {
    fn default() -> Self {
        Self {
            domain: "localhost:8080".into(),
            name: "Cohort".into(),
            description: "A Cohort node".into(),
            contact_email: String::new(),
            source_url: String::new(),
            rules: Vec::new(),
        }
    }
}

/// HTTP listener settings and request bounds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    pub listen: String,
    pub max_body_bytes: usize,
    pub max_json_depth: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            max_body_bytes: 256 * 1024,
            max_json_depth: 32,
        }
    }
}

/// Database selection: SQLite (default, under the data dir) or PostgreSQL by URL.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://PATH`, `postgres://…`; empty means `<data_dir>/cohort.sqlite3`.
    pub url: String,
    pub pool_size: u32,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: String::new(),
            pool_size: 8,
        }
    }
}

/// Where files (SQLite database, media) live.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    pub data_dir: PathBuf,
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./data"),
        }
    }
}

/// Federation policy and protocol bounds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FederationConfig {
    pub mode: FederationMode,
    /// Development mode: http:// URLs, explicit ports and loopback peers are allowed.
    pub debug: bool,
    pub max_clock_skew_secs: u64,
    pub request_timeout_secs: u64,
    /// Peers and their levels, applied to the peer table at every start.
    pub peers: BTreeMap<String, PeerLevel>,
}

impl Default for FederationConfig {
    fn default() -> Self {
        Self {
            mode: FederationMode::Allowlist,
            debug: false,
            max_clock_skew_secs: 300,
            request_timeout_secs: 10,
            peers: BTreeMap::new(),
        }
    }
}

/// The persistent outbound queue's pacing.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeliveryConfig {
    pub workers: usize,
    pub poll_interval_ms: u64,
    pub retry_base_secs: u64,
    pub max_backoff_secs: u64,
    pub dead_after_failures: u32,
    pub dead_retry_secs: u64,
    pub give_up_after_secs: u64,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            workers: 4,
            poll_interval_ms: 500,
            retry_base_secs: 10,
            max_backoff_secs: 3600,
            dead_after_failures: 8,
            dead_retry_secs: 3600,
            give_up_after_secs: 7 * 24 * 3600,
        }
    }
}

/// Log output.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoggingConfig {
    pub level: String,
    pub json: bool,
}

impl Default for LoggingConfig {
    fn default() -> Self {
        Self {
            level: "info".into(),
            json: false,
        }
    }
}

/// Environment variables that start with `COHORT_` but are not config keys.
const RESERVED_ENV: &[&str] = &["COHORT_CONFIG"];
/// Prefixes of `COHORT_` variables used by the test suites, not by the node.
const RESERVED_ENV_PREFIXES: &[&str] = &["COHORT_TEST_"];

impl Config {
    /// Load from an optional file, then apply `COHORT_…` variables from `env`.
    pub fn load(
        path: Option<&std::path::Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let text = match path {
            Some(p) => std::fs::read_to_string(p).map_err(|source| ConfigError::Read {
                path: p.display().to_string(),
                source,
            })?,
            None => String::new(),
        };
        Self::from_toml_and_env(&text, env)
    }

    /// Parse TOML text and apply environment overrides; validates the result.
    pub fn from_toml_and_env(
        text: &str,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| ConfigError::Parse(e.to_string()))?;
        for (name, value) in env {
            let Some(rest) = name.strip_prefix("COHORT_") else {
                continue;
            };
            if RESERVED_ENV.contains(&name.as_str())
                || RESERVED_ENV_PREFIXES.iter().any(|p| name.starts_with(p))
            {
                continue;
            }
            let (section, key) =
                env_key(rest).ok_or_else(|| ConfigError::UnknownEnv(name.clone()))?;
            let entry = table
                .entry(section.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            let toml::Value::Table(section_table) = entry else {
                return Err(ConfigError::Invalid {
                    key: section.into(),
                    reason: "must be a table".into(),
                });
            };
            section_table.insert(key.to_string(), env_value(&value));
        }
        let text = toml::to_string(&table).map_err(|e| ConfigError::Parse(e.to_string()))?;
        let config: Config =
            toml::from_str(&text).map_err(|e| ConfigError::Parse(e.message().to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks values that types alone cannot.
    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key: &str, reason: &str| ConfigError::Invalid {
            key: key.into(),
            reason: reason.into(),
        };
        if !crate::domain::names::is_valid_authority(&self.instance.domain) {
            return Err(invalid(
                "instance.domain",
                "must be a host name with an optional :port, like cohort.example.org",
            ));
        }
        self.listen_addr()?;
        self.database_backend()?;
        if self.database.pool_size == 0 {
            return Err(invalid("database.pool_size", "must be at least 1"));
        }
        if self.server.max_body_bytes < 1024 {
            return Err(invalid("server.max_body_bytes", "must be at least 1024"));
        }
        if self.server.max_json_depth < 4 {
            return Err(invalid("server.max_json_depth", "must be at least 4"));
        }
        if self.delivery.workers == 0 {
            return Err(invalid("delivery.workers", "must be at least 1"));
        }
        if self.api.rate_limit_per_5min == 0 {
            return Err(invalid("api.rate_limit_per_5min", "must be at least 1"));
        }
        if self.polls.min_expiration_secs < 1 {
            return Err(invalid("polls.min_expiration_secs", "must be at least 1"));
        }
        if self.polls.max_expiration_secs < self.polls.min_expiration_secs {
            return Err(invalid(
                "polls.max_expiration_secs",
                "must not be below polls.min_expiration_secs",
            ));
        }
        if self.polls.results_interval_secs == 0 {
            return Err(invalid("polls.results_interval_secs", "must be at least 1"));
        }
        if self.delivery.retry_base_secs == 0 {
            return Err(invalid("delivery.retry_base_secs", "must be at least 1"));
        }
        for peer in self.federation.peers.keys() {
            if !crate::domain::names::is_valid_authority(peer) {
                return Err(invalid(
                    &format!("federation.peers.{peer}"),
                    "not a host name with optional :port",
                ));
            }
        }
        if self
            .logging
            .level
            .parse::<tracing_subscriber::filter::EnvFilter>()
            .is_err()
        {
            return Err(invalid(
                "logging.level",
                "not a tracing filter such as info or cohort=debug",
            ));
        }
        Ok(())
    }

    /// The socket address to bind.
    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.server
            .listen
            .parse()
            .map_err(|_| ConfigError::Invalid {
                key: "server.listen".into(),
                reason: format!(
                    "{:?} is not an address like 127.0.0.1:8080",
                    self.server.listen
                ),
            })
    }

    /// The database backend and its connection string, chosen from the URL scheme.
    pub fn database_backend(&self) -> Result<crate::db::Backend, ConfigError> {
        let url = if self.database.url.is_empty() {
            format!(
                "sqlite://{}",
                self.storage.data_dir.join("cohort.sqlite3").display()
            )
        } else {
            self.database.url.clone()
        };
        crate::db::Backend::from_url(&url).map_err(|reason| ConfigError::Invalid {
            key: "database.url".into(),
            reason,
        })
    }

    /// `http` in debug mode, `https` otherwise: every URL this node mints uses it.
    pub fn scheme(&self) -> &'static str {
        if self.federation.debug {
            "http"
        } else {
            "https"
        }
    }

    /// The node's base URL, such as `https://cohort.example.org`.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme(), self.instance.domain)
    }
}

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
    ]
}

/// Maps `INSTANCE_DOMAIN` to `("instance", "domain")` when that key exists.
fn env_key(rest: &str) -> Option<(&'static str, String)> {
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
fn env_value(raw: &str) -> toml::Value {
    let doc = format!("v = {raw}");
    match doc.parse::<toml::Table>() {
        Ok(mut t) => t
            .remove("v")
            .unwrap_or_else(|| toml::Value::String(raw.into())),
        Err(_) => toml::Value::String(raw.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

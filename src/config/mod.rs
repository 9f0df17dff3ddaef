//! Typed node configuration: a TOML file, then `COHORT_<SECTION>_<KEY>` environment overrides.
//!
//! Owns parsing and validation only; nothing here touches the database or the network. Unknown keys
//! (in the file or as `COHORT_…` variables) are errors that name the key, so a typo never silently
//! falls back to a default.
//!
//! The section types are in `node.rs` (where the node is and keeps its data), `network.rs` (how it
//! deals with peers and apps) and `groups.rs` (the terms of group leads); reading a file and the
//! environment is `load.rs` and `env.rs`, and the checks that types alone cannot make are
//! `validate.rs`.

mod env;
mod groups;
mod load;
mod network;
mod node;
mod validate;

pub use groups::GroupsConfig;
pub use network::{ApiConfig, DeliveryConfig, FederationConfig, PollsConfig};
pub use node::{DatabaseConfig, InstanceConfig, LoggingConfig, ServerConfig, StorageConfig};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

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
    pub groups: GroupsConfig,
}

impl Config {
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

#[cfg(test)]
mod tests;

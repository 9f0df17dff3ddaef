//! The config sections that say where this node is and keeps its data: `[instance]`, `[server]`,
//! `[database]`, `[storage]` and `[logging]`.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

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
    /// A longer description (plain text; blank lines separate paragraphs) for apps' about pages.
    pub extended_description: String,
    /// The node's privacy policy (plain text; blank lines separate paragraphs).
    pub privacy_policy: String,
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
            extended_description: String::new(),
            privacy_policy: String::new(),
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

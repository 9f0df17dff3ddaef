//! Which backend a URL names (SQLite or PostgreSQL), decided from its scheme alone.

use std::path::PathBuf;

/// Which database to open, decided from the URL's scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Backend {
    /// `sqlite://path` (or `sqlite:path`) and `postgres://`/`postgresql://` URLs; anything else is an error.
    pub fn from_url(url: &str) -> Result<Backend, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Backend::Postgres(url.to_string()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("sqlite URL has no file path".into());
            }
            return Ok(Backend::Sqlite(PathBuf::from(path)));
        }
        Err(format!(
            "{url:?} has an unsupported scheme; use sqlite://PATH or postgres://USER@HOST/DB"
        ))
    }

    /// A short name for logs and metrics.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgresql",
        }
    }
}

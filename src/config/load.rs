//! Loading: read the TOML file, merge the `COHORT_…` environment overrides into it, deserialize
//! (unknown keys are errors) and validate.

use super::{
    env::{env_key, env_value},
    Config, ConfigError,
};

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
}

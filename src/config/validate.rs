//! The checks on config values that types alone cannot make; each error names its key.

use super::{Config, ConfigError};

impl Config {
    /// Checks values that types alone cannot.
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
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
        let f = &self.federation;
        if f.inbox_workers == 0 || f.inbox_workers > 1024 {
            return Err(invalid(
                "federation.inbox_workers",
                "must be from 1 to 1024",
            ));
        }
        if f.inbox_queue > 100_000 {
            return Err(invalid("federation.inbox_queue", "must be at most 100000"));
        }
        if f.inbox_retry_after_secs == 0 || f.inbox_retry_after_secs > 3600 {
            return Err(invalid(
                "federation.inbox_retry_after_secs",
                "must be from 1 to 3600",
            ));
        }
        if f.key_cache_entries == 0 {
            return Err(invalid(
                "federation.key_cache_entries",
                "must be at least 1",
            ));
        }
        if self.api.scheduled_interval_secs == 0 {
            return Err(invalid("api.scheduled_interval_secs", "must be at least 1"));
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
        if let Err(reason) = crate::domain::lead_term::check_term_days(self.groups.lead_term_days) {
            return Err(invalid("groups.lead_term_days", &reason));
        }
        if self.groups.lead_expiry_interval_secs == 0 {
            return Err(invalid(
                "groups.lead_expiry_interval_secs",
                "must be at least 1",
            ));
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
}

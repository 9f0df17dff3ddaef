//! The `[groups]` config section: the terms of group leads (moderators).

use serde::{Deserialize, Serialize};

/// Working groups and their leads.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GroupsConfig {
    /// The term of a lead appointed without an explicit one, in days (1 to 36500). Signed, so
    /// that a negative value is reported as out of range rather than as a type error.
    pub lead_term_days: i64,
    /// How often leads whose term has ended lose the role (and peers hear `Remove`), in seconds.
    pub lead_expiry_interval_secs: u64,
}

impl Default for GroupsConfig {
    fn default() -> Self {
        Self {
            lead_term_days: 365,
            lead_expiry_interval_secs: 3600,
        }
    }
}

impl GroupsConfig {
    /// The default term in days; `validate` has checked it, so the fallback is never used.
    pub fn lead_term_days(&self) -> u32 {
        crate::domain::lead_term::check_term_days(self.lead_term_days).unwrap_or(365)
    }
}

//! What the node tells clients about itself: GET /api/v1/instance, GET /api/v2/instance and its rules.

//!
//! The v1 document is `v1.rs`, the v2 document `v2.rs` with its `configuration.rs`; the parts both
//! share (registrations, API versions, contact, rules) are here.

mod configuration;
mod v1;
mod v2;

use crate::api::entities::account::Account;
pub use configuration::{
    AccountLimits, ConfigurationUrls, InstanceConfiguration, MediaLimits, PollLimits, StatusLimits,
    TranslationConfiguration, VapidConfiguration,
};
use serde::{Deserialize, Serialize};
pub use v1::{
    InstanceV1, InstanceV1AccountLimits, InstanceV1Configuration, InstanceV1Stats, InstanceV1Urls,
};
pub use v2::{
    InstanceIcon, InstanceThumbnail, InstanceUsage, InstanceUsageUsers, InstanceV2,
    ThumbnailVersions,
};

/// How sign-up works on this node.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceRegistrations {
    pub enabled: bool,
    pub approval_required: bool,
    /// HTML shown when sign-ups are closed.
    pub message: Option<String>,
    /// An external sign-up page.
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_required: Option<bool>,
}

/// API revision numbers, so clients can detect features.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiVersions {
    pub mastodon: i64,
}

/// Who runs the node.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceContact {
    /// Must be a valid e-mail address.
    pub email: String,
    pub account: Option<Account>,
}

/// A rule of the node (GET /api/v1/instance/rules and both instance documents).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    pub text: String,
    /// Longer explanation; empty when none.
    pub hint: String,
}

/// Example values for the tests in `mod.rs`.
#[cfg(test)]
pub(super) mod examples;
/// The v2 example, apart for its size.
#[cfg(test)]
mod examples_v2;

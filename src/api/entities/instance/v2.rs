//! The current instance document (GET /api/v2/instance) and its usage, banner and icons.

use super::{ApiVersions, InstanceConfiguration, InstanceContact, InstanceRegistrations, Rule};
use serde::{Deserialize, Serialize};

/// The current instance document (GET /api/v2/instance).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceV2 {
    /// The domain name (no scheme).
    pub domain: String,
    pub title: String,
    /// Mastodon-compatible version string, e.g. `4.3.0 (compatible; Cohort 0.1.0)`.
    pub version: String,
    /// Where the running code's source is (AGPL).
    pub source_url: String,
    pub description: String,
    pub usage: InstanceUsage,
    pub thumbnail: InstanceThumbnail,
    /// Favicons in several sizes; may be empty.
    pub icon: Vec<InstanceIcon>,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    pub configuration: InstanceConfiguration,
    pub registrations: InstanceRegistrations,
    pub api_versions: ApiVersions,
    pub contact: InstanceContact,
    pub rules: Vec<Rule>,
}

/// Activity numbers in the v2 instance document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceUsage {
    pub users: InstanceUsageUsers,
}

/// User activity in the v2 instance document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceUsageUsers {
    /// Users active in the last 30 days.
    pub active_month: i64,
}

/// The banner image in the v2 instance document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceThumbnail {
    /// Absolute URL.
    pub url: String,
    pub blurhash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions: Option<ThumbnailVersions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Banner image URLs by pixel density.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ThumbnailVersions {
    #[serde(rename = "@1x", default, skip_serializing_if = "Option::is_none")]
    pub at_1x: Option<String>,
    #[serde(rename = "@2x", default, skip_serializing_if = "Option::is_none")]
    pub at_2x: Option<String>,
}

/// One favicon size.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceIcon {
    /// URL of the image.
    pub src: String,
    /// `WIDTHxHEIGHT`, e.g. `48x48`.
    pub size: String,
}

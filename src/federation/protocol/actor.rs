//! Actor documents: `Person`, `Group`, `Organization` (and the `Service`/`Application` kinds others send).

use super::urls;
use activitypub_federation::protocol::public_key::PublicKey;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// Actor kinds this node stores.
pub const ACTOR_KINDS: &[&str] = &["Person", "Group", "Organization", "Service", "Application"];

/// An actor as it travels.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApubActor {
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub inbox: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKey,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "multikeys"
    )]
    pub assertion_method: Vec<Multikey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manually_approves_followers: Option<bool>,
    /// Whether the account may be listed in directories and suggestions (Mastodon's
    /// `toot:discoverable`); absent means no.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_bool"
    )]
    pub discoverable: Option<bool>,
    /// For groups: the moderators collection (FEP-1b12), written as one id: Lemmy reads a
    /// community's `attributedTo` as the URL of its moderators collection and skips an array.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "urls",
        serialize_with = "super::one_or_many_urls"
    )]
    pub attributed_to: Vec<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderators: Option<Url>,
    /// For Cohort groups: the decision log, an `OrderedCollection` of decided proposals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decisions: Option<Url>,
    /// For Cohort groups: the page of the group's governance document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub governance: Option<Url>,
    /// A member's pinned posts (Mastodon's `toot:featured`), an `OrderedCollection`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub featured: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    /// Profile picture (`Image`, or a bare URL as some servers send).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Value>,
    /// Header image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Value>,
}

/// The `http(s)` URL of an `icon`/`image`: a string, an `Image` with `url` (string, `Link` or a
/// list of them), or a list of images (the first usable one).
pub fn image_url(v: &Value) -> Option<Url> {
    let url = match v {
        Value::String(s) => Url::parse(s).ok(),
        Value::Array(items) => items.iter().find_map(image_url),
        Value::Object(o) => o.get("url").or_else(|| o.get("href")).and_then(image_url),
        _ => None,
    }?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

/// An `Image` object for a local image URL.
pub fn image_json(url: &str) -> Value {
    let media_type = match url.rsplit('.').next() {
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        _ => "image/jpeg",
    };
    serde_json::json!({"type": "Image", "mediaType": media_type, "url": url})
}

/// `endpoints.sharedInbox`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_inbox: Option<Url>,
}

/// A FEP-521a Multikey in `assertionMethod`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Multikey {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub controller: Url,
    pub public_key_multibase: String,
}

/// Keeps the well-formed Multikeys of an `assertionMethod` (one or many), skipping other shapes.
fn multikeys<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Multikey>, D::Error> {
    let v = Option::<Value>::deserialize(d)?.unwrap_or(Value::Null);
    let items = match v {
        Value::Array(a) => a,
        Value::Null => vec![],
        other => vec![other],
    };
    Ok(items
        .into_iter()
        .filter_map(|i| serde_json::from_value::<Multikey>(i).ok())
        .filter(|k| k.kind == "Multikey")
        .collect())
}

/// A boolean property that some servers send as `null` or in another shape: anything but a JSON
/// boolean reads as absent rather than refusing the whole document.
fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| v.as_bool()))
}

//! Media attached to a status: the attachment, its type, and what its file's metadata says.

use serde::{Deserialize, Serialize};

/// An uploaded or remote media file attached to a status.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MediaAttachment {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: MediaType,
    /// Absolute URL of the file; `null` while still processing.
    pub url: Option<String>,
    pub preview_url: Option<String>,
    /// The original URL, for remote media.
    pub remote_url: Option<String>,
    pub meta: Option<MediaMeta>,
    /// Alt text.
    pub description: Option<String>,
    pub blurhash: Option<String>,
}

/// The kind of a media attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    Unknown,
    Image,
    Gifv,
    Video,
    Audio,
}

/// Dimensions and focal point of a media attachment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MediaMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<MetaDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small: Option<MetaDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<MediaFocus>,
}

/// Size details of one rendition of a media file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MetaDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect: Option<f64>,
    /// Seconds, for audio and video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// A string such as `"30/1"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_rate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<i64>,
}

/// Focal point for cropping, each coordinate in -1.0..=1.0.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MediaFocus {
    pub x: Option<f64>,
    pub y: Option<f64>,
}

//! The media attachment entity.

use crate::db;

/// The media attachment entity.
pub fn media_attachment(
    m: &db::media::MediaRow,
    base_url: &str,
) -> crate::api::entities::MediaAttachment {
    use crate::api::entities::{MediaAttachment, MediaMeta, MediaType, MetaDetails};
    let url = match (&m.file_name, &m.remote_url) {
        (Some(f), _) => Some(format!("{base_url}/media/{f}")),
        (None, Some(r)) => Some(r.clone()),
        _ => None,
    };
    let kind = match m.kind.as_str() {
        "image" => MediaType::Image,
        "video" => MediaType::Video,
        "audio" => MediaType::Audio,
        _ => MediaType::Unknown,
    };
    let pixels = match (m.width, m.height) {
        (Some(w), Some(h)) if w > 0 && h > 0 => Some((w as i64, h as i64)),
        _ => None,
    };
    let duration = m.duration_ms.map(|d| d as f64 / 1000.0);
    let meta = (pixels.is_some() || duration.is_some()).then(|| MediaMeta {
        original: Some(MetaDetails {
            width: pixels.map(|p| p.0),
            height: pixels.map(|p| p.1),
            aspect: pixels.map(|(w, h)| w as f64 / h as f64),
            duration,
            frame_rate: None,
            bitrate: None,
        }),
        small: None,
        focus: None,
    });
    // Images are their own preview; video and audio have no still image here.
    let preview_url = if m.kind == "image" { url.clone() } else { None };
    MediaAttachment {
        id: m.id.clone(),
        kind,
        preview_url,
        remote_url: m.remote_url.clone(),
        url,
        meta,
        description: m.description.clone(),
        blurhash: None,
    }
}

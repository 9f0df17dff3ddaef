//! Recognizing an upload from its first bytes (never from what the client claims): its type, kind,
//! and the pixel size or length when the header tells it.

use super::{
    container::{jpeg_size, mp4_info},
    MAX_AV_BYTES, MAX_IMAGE_BYTES,
};

/// What a file's bytes say it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Sniffed {
    pub mime: &'static str,
    pub ext: &'static str,
    /// `image`, `video` or `audio`.
    pub kind: &'static str,
    /// Pixel size, when the header tells it.
    pub size: Option<(u32, u32)>,
    /// Length in milliseconds (MP4 family), when the header tells it.
    pub duration_ms: Option<i64>,
}

impl Sniffed {
    fn new(mime: &'static str, ext: &'static str, kind: &'static str) -> Sniffed {
        Sniffed {
            mime,
            ext,
            kind,
            size: None,
            duration_ms: None,
        }
    }

    fn sized(mut self, size: Option<(u32, u32)>) -> Sniffed {
        self.size = size;
        self
    }

    /// The largest file of this kind that is accepted.
    pub fn max_bytes(&self) -> usize {
        if self.kind == "image" {
            MAX_IMAGE_BYTES
        } else {
            MAX_AV_BYTES
        }
    }
}

/// Recognizes PNG, GIF, WebP and JPEG images, MP4/QuickTime and WebM video, and MP4 (M4A), MP3,
/// Ogg, WAV and FLAC audio from their first bytes.
pub fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    if bytes.len() >= 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let size = Some((be32(&bytes[16..20]), be32(&bytes[20..24])));
        return Some(Sniffed::new("image/png", "png", "image").sized(size));
    }
    if bytes.len() >= 10 && (bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) {
        let w = u16::from_le_bytes([bytes[6], bytes[7]]) as u32;
        let h = u16::from_le_bytes([bytes[8], bytes[9]]) as u32;
        return Some(Sniffed::new("image/gif", "gif", "image").sized(Some((w, h))));
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" {
        return match &bytes[8..12] {
            b"WEBP" => Some(Sniffed::new("image/webp", "webp", "image")),
            b"WAVE" => Some(Sniffed::new("audio/wav", "wav", "audio")),
            _ => None,
        };
    }
    if bytes.len() >= 4 && bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(Sniffed::new("image/jpeg", "jpg", "image").sized(jpeg_size(bytes)));
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        let mut s = if brand == b"M4A " || brand == b"M4B " {
            Sniffed::new("audio/mp4", "m4a", "audio")
        } else if brand == b"qt  " {
            Sniffed::new("video/quicktime", "mov", "video")
        } else {
            Sniffed::new("video/mp4", "mp4", "video")
        };
        let info = mp4_info(bytes);
        s.duration_ms = info.duration_ms;
        if s.kind == "video" {
            s.size = info.size;
            if info.size.is_none() && info.has_tracks {
                // An MP4 without a visual track is audio.
                s = Sniffed {
                    duration_ms: s.duration_ms,
                    ..Sniffed::new("audio/mp4", "m4a", "audio")
                };
            }
        }
        return Some(s);
    }
    if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return Some(Sniffed::new("video/webm", "webm", "video"));
    }
    if bytes.starts_with(b"OggS") {
        return Some(Sniffed::new("audio/ogg", "ogg", "audio"));
    }
    if bytes.starts_with(b"fLaC") {
        return Some(Sniffed::new("audio/flac", "flac", "audio"));
    }
    if bytes.starts_with(b"ID3")
        || (bytes.len() >= 2 && bytes[0] == 0xFF && matches!(bytes[1], 0xFB | 0xF3 | 0xF2))
    {
        return Some(Sniffed::new("audio/mpeg", "mp3", "audio"));
    }
    None
}

//! Media uploads: type sniffed from the bytes (never trusted from the client), size limited, files
//! stored under `<data_dir>/media`.

use crate::{
    db::{self, actors::ActorRow, media::MediaRow},
    domain::{ids::new_id, time::now_ms},
    error::{AppError, AppResult},
    state::AppState,
};
use std::path::PathBuf;

/// Largest accepted image, in bytes.
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;
/// Largest accepted video or audio file, in bytes.
pub const MAX_AV_BYTES: usize = 40 * 1024 * 1024;
/// Largest accepted upload of any kind, in bytes.
pub const MAX_BYTES: usize = MAX_AV_BYTES;
/// Most attachments per post.
pub const MAX_PER_POST: usize = 4;
/// The types accepted for upload (also listed in the instance configuration).
pub const MEDIA_TYPES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "video/mp4",
    "video/quicktime",
    "video/webm",
    "audio/mp4",
    "audio/mpeg",
    "audio/ogg",
    "audio/wav",
    "audio/flac",
];

/// The type of a stored file, from the extension `sniff` gave it.
pub fn mime_for_ext(ext: &str) -> Option<&'static str> {
    Some(match ext {
        "png" => "image/png",
        "jpg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "webm" => "video/webm",
        "m4a" => "audio/mp4",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        _ => return None,
    })
}

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

/// What the `moov` box of an MP4-family file tells.
#[derive(Debug, Default)]
struct Mp4Info {
    duration_ms: Option<i64>,
    size: Option<(u32, u32)>,
    has_tracks: bool,
}

/// The boxes directly inside `data`: `(type, body)`.
fn mp4_boxes(data: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut out = Vec::new();
    let mut i = 0usize;
    while i + 8 <= data.len() {
        let size32 = u32::from_be_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]) as usize;
        let kind = &data[i + 4..i + 8];
        let (header, size) = match size32 {
            0 => (8, data.len() - i),
            1 if i + 16 <= data.len() => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&data[i + 8..i + 16]);
                (
                    16,
                    usize::try_from(u64::from_be_bytes(b)).unwrap_or(usize::MAX),
                )
            }
            n => (8, n),
        };
        if size < header || i.saturating_add(size) > data.len() {
            break;
        }
        out.push((kind, &data[i + header..i + size]));
        i += size;
    }
    out
}

/// Duration (from `mvhd`) and the pixel size of the first visual track (from `tkhd`).
fn mp4_info(bytes: &[u8]) -> Mp4Info {
    let mut info = Mp4Info::default();
    let Some((_, moov)) = mp4_boxes(bytes).into_iter().find(|(k, _)| *k == b"moov") else {
        return info;
    };
    let be32 = |b: &[u8], at: usize| -> Option<u64> {
        b.get(at..at + 4)
            .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as u64)
    };
    let be64 = |b: &[u8], at: usize| -> Option<u64> {
        b.get(at..at + 8).map(|s| {
            let mut a = [0u8; 8];
            a.copy_from_slice(s);
            u64::from_be_bytes(a)
        })
    };
    for (kind, body) in mp4_boxes(moov) {
        if kind == b"mvhd" {
            let v1 = body.first() == Some(&1);
            let (scale, duration) = if v1 {
                (be32(body, 20), be64(body, 24))
            } else {
                (be32(body, 12), be32(body, 16))
            };
            if let (Some(scale), Some(duration)) = (scale, duration) {
                info.duration_ms = duration
                    .saturating_mul(1000)
                    .checked_div(scale)
                    .and_then(|ms| i64::try_from(ms).ok());
            }
        }
        if kind == b"trak" {
            info.has_tracks = true;
            if let Some((_, tkhd)) = mp4_boxes(body).into_iter().find(|(k, _)| *k == b"tkhd") {
                // Width and height are the last two 16.16 fixed-point fields.
                let at = if tkhd.first() == Some(&1) { 88 } else { 76 };
                if let (Some(w), Some(h)) = (be32(tkhd, at), be32(tkhd, at + 4)) {
                    let (w, h) = ((w >> 16) as u32, (h >> 16) as u32);
                    if w > 0 && h > 0 && info.size.is_none() {
                        info.size = Some((w, h));
                    }
                }
            }
        }
    }
    info
}

/// Width and height from a JPEG's start-of-frame marker.
fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 9 < b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let h = u16::from_be_bytes([b[i + 5], b[i + 6]]) as u32;
            let w = u16::from_be_bytes([b[i + 7], b[i + 8]]) as u32;
            return Some((w, h));
        }
        i += 2 + len;
    }
    None
}

/// The directory uploads live in.
pub fn media_dir(state: &AppState) -> PathBuf {
    state.config.storage.data_dir.join("media")
}

/// Stores an upload for `owner`.
pub async fn upload(
    state: &AppState,
    owner: &ActorRow,
    bytes: Vec<u8>,
    description: Option<String>,
) -> AppResult<MediaRow> {
    if bytes.is_empty() {
        return Err(AppError::Unprocessable(
            "Validation failed: File is missing".into(),
        ));
    }
    if bytes.len() > MAX_BYTES {
        return Err(AppError::PayloadTooLarge);
    }
    let sniffed = sniff(&bytes).ok_or_else(|| {
        AppError::Unprocessable("Validation failed: File content type is invalid (PNG, JPEG, GIF and WebP images, MP4, QuickTime and WebM video, MP3, M4A, Ogg, WAV and FLAC audio are accepted)".into())
    })?;
    if bytes.len() > sniffed.max_bytes() {
        return Err(AppError::PayloadTooLarge);
    }
    let (mime, ext, size) = (sniffed.mime, sniffed.ext, sniffed.size);
    if description
        .as_deref()
        .is_some_and(|d| d.chars().count() > 1500)
    {
        return Err(AppError::Unprocessable(
            "Validation failed: Description is too long (maximum is 1500 characters)".into(),
        ));
    }
    let id = new_id();
    let file_name = store_file(state, &id, ext, &bytes).await?;
    let row = MediaRow {
        id,
        owner_id: Some(owner.id.clone()),
        post_id: None,
        kind: sniffed.kind.into(),
        mime: mime.into(),
        file_name: Some(file_name),
        remote_url: None,
        size: bytes.len() as i64,
        width: size.map(|s| s.0 as i32),
        height: size.map(|s| s.1 as i32),
        description: description
            .map(|d| crate::domain::sanitize::plain_long(&d))
            .filter(|d| !d.is_empty()),
        created_at: now_ms(),
        duration_ms: sniffed.duration_ms,
    };
    let r = row.clone();
    state.db.run(move |c| db::media::insert(c, &r)).await?;
    Ok(row)
}

/// Writes a file under the media directory; returns its name.
async fn store_file(state: &AppState, id: &str, ext: &str, bytes: &[u8]) -> AppResult<String> {
    let file_name = format!("{id}.{ext}");
    let dir = media_dir(state);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(AppError::internal)?;
    tokio::fs::write(dir.join(&file_name), bytes)
        .await
        .map_err(AppError::internal)?;
    Ok(file_name)
}

/// Largest profile picture or header image, in bytes.
pub const MAX_PROFILE_IMAGE_BYTES: usize = 2 * 1024 * 1024;

/// Checks a profile picture or header image (`what` names it in errors); returns its extension.
pub fn check_profile_image(what: &str, bytes: &[u8]) -> AppResult<&'static str> {
    if bytes.is_empty() {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: {what} is empty"
        )));
    }
    if bytes.len() > MAX_PROFILE_IMAGE_BYTES {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: {what} must be smaller than 2 MB"
        )));
    }
    match sniff(bytes) {
        Some(s) if s.kind == "image" => Ok(s.ext),
        _ => Err(AppError::Unprocessable(format!(
            "Validation failed: {what} must be a PNG, JPEG, GIF or WebP image"
        ))),
    }
}

/// Stores a profile picture or header image that `check_profile_image` accepted (as `ext`);
/// returns its URL.
pub async fn store_profile_image(state: &AppState, ext: &str, bytes: &[u8]) -> AppResult<String> {
    let file_name = store_file(state, &new_id(), ext, bytes).await?;
    Ok(format!("{}/media/{file_name}", state.config.base_url()))
}

/// The member's unattached uploads named by `ids`, in that order, or a 422 naming the problem.
pub async fn for_new_post(
    state: &AppState,
    owner: &ActorRow,
    ids: Vec<String>,
) -> AppResult<Vec<MediaRow>> {
    if ids.len() > MAX_PER_POST {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: at most {MAX_PER_POST} attachments"
        )));
    }
    let owner_id = owner.id.clone();
    state
        .db
        .run(move |c| {
            let mut out = Vec::new();
            for id in &ids {
                match db::media::get(c, id)? {
                    Some(m) if m.owner_id.as_deref() == Some(&owner_id) && m.post_id.is_none() => {
                        out.push(m)
                    }
                    _ => return Ok(Err(id.clone())),
                }
            }
            Ok(Ok(out))
        })
        .await?
        .map_err(|id| {
            AppError::Unprocessable(format!("Validation failed: media {id} cannot be attached"))
        })
}

/// Changes the description (alternative text) of an upload.
pub async fn describe(
    state: &AppState,
    media_id: &str,
    description: Option<String>,
) -> AppResult<()> {
    let id = media_id.to_string();
    state
        .db
        .run(move |c| db::media::describe(c, &id, description.as_deref()))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn sniffs_images_and_refuses_others() {
        let png = include_bytes!("../../assets/avatar.png");
        let sniffed = super::sniff(png).expect("png");
        assert_eq!(
            (sniffed.mime, sniffed.ext, sniffed.kind, sniffed.size),
            ("image/png", "png", "image", Some((48, 48)))
        );
        assert_eq!(
            super::sniff(b"GIF89a\x10\x00\x08\x00rest").map(|s| s.size),
            Some(Some((16, 8)))
        );
        assert!(super::sniff(b"<svg onload=alert(1)>").is_none());
        assert!(super::sniff(b"").is_none());
    }

    /// A minimal MP4: `ftyp`, then `moov` with `mvhd` (timescale 1000, 2.5 s) and one video
    /// track whose `tkhd` says 320×240.
    pub fn tiny_mp4(with_video: bool) -> Vec<u8> {
        fn boxed(kind: &[u8], body: &[u8]) -> Vec<u8> {
            let mut out = ((body.len() + 8) as u32).to_be_bytes().to_vec();
            out.extend_from_slice(kind);
            out.extend_from_slice(body);
            out
        }
        let mut mvhd = vec![0u8; 100];
        mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
        mvhd[16..20].copy_from_slice(&2500u32.to_be_bytes());
        let mut tkhd = vec![0u8; 84];
        if with_video {
            tkhd[76..80].copy_from_slice(&(320u32 << 16).to_be_bytes());
            tkhd[80..84].copy_from_slice(&(240u32 << 16).to_be_bytes());
        }
        let trak = boxed(b"trak", &boxed(b"tkhd", &tkhd));
        let moov = boxed(b"moov", &[boxed(b"mvhd", &mvhd), trak].concat());
        [
            boxed(b"ftyp", b"isom\0\0\x02\0isomiso2mp41"),
            boxed(b"free", b""),
            moov,
        ]
        .concat()
    }

    #[test]
    fn sniffs_video_and_audio() {
        let video = super::sniff(&tiny_mp4(true)).expect("mp4");
        assert_eq!(
            (video.mime, video.kind, video.size, video.duration_ms),
            ("video/mp4", "video", Some((320, 240)), Some(2500))
        );
        let audio = super::sniff(&tiny_mp4(false)).expect("m4a");
        assert_eq!(
            (audio.mime, audio.kind, audio.duration_ms),
            ("audio/mp4", "audio", Some(2500))
        );
        assert_eq!(
            super::sniff(b"ID3\x04\0\0\0\0\0\0").map(|s| s.mime),
            Some("audio/mpeg")
        );
        assert_eq!(super::sniff(b"OggS\0\x02").map(|s| s.kind), Some("audio"));
        assert_eq!(
            super::sniff(b"\x1a\x45\xdf\xa3\x9f").map(|s| s.mime),
            Some("video/webm")
        );
        assert_eq!(
            super::sniff(b"RIFF\0\0\0\0WAVEfmt ").map(|s| s.mime),
            Some("audio/wav")
        );
        // A truncated or hostile box tree yields no facts, not a panic.
        let mut broken = tiny_mp4(true);
        broken.truncate(40);
        assert_eq!(super::sniff(&broken).map(|s| s.size), Some(None));
        let mut huge = tiny_mp4(true);
        huge[32..36].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(super::sniff(&huge).is_some());
    }
}

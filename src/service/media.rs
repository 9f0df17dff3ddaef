//! Media uploads: type sniffed from the bytes (never trusted from the client), size limited, files
//! stored under `<data_dir>/media`.

use crate::{
    db::{self, actors::ActorRow, media::MediaRow},
    domain::{ids::new_id, time::now_ms},
    error::{AppError, AppResult},
    state::AppState,
};
use std::path::PathBuf;

/// Largest accepted upload, in bytes.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Most attachments per post.
pub const MAX_PER_POST: usize = 4;

/// What a file's bytes say it is: MIME type, file extension, and pixel size when the header tells it.
pub type Sniffed = (&'static str, &'static str, Option<(u32, u32)>);

/// Recognizes PNG, GIF, WebP and JPEG from their first bytes.
pub fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    if bytes.len() >= 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some((
            "image/png",
            "png",
            Some((be32(&bytes[16..20]), be32(&bytes[20..24]))),
        ));
    }
    if bytes.len() >= 10 && (bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) {
        let w = u16::from_le_bytes([bytes[6], bytes[7]]) as u32;
        let h = u16::from_le_bytes([bytes[8], bytes[9]]) as u32;
        return Some(("image/gif", "gif", Some((w, h))));
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(("image/webp", "webp", None));
    }
    if bytes.len() >= 4 && bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(("image/jpeg", "jpg", jpeg_size(bytes)));
    }
    None
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
    let (mime, ext, size) = sniff(&bytes).ok_or_else(|| {
        AppError::Unprocessable("Validation failed: File content type is invalid (PNG, JPEG, GIF and WebP images are accepted)".into())
    })?;
    if description
        .as_deref()
        .is_some_and(|d| d.chars().count() > 1500)
    {
        return Err(AppError::Unprocessable(
            "Validation failed: Description is too long (maximum is 1500 characters)".into(),
        ));
    }
    let id = new_id();
    let file_name = format!("{id}.{ext}");
    let dir = media_dir(state);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(AppError::internal)?;
    tokio::fs::write(dir.join(&file_name), &bytes)
        .await
        .map_err(AppError::internal)?;
    let row = MediaRow {
        id,
        owner_id: Some(owner.id.clone()),
        post_id: None,
        kind: "image".into(),
        mime: mime.into(),
        file_name: Some(file_name),
        remote_url: None,
        size: bytes.len() as i64,
        width: size.map(|s| s.0 as i32),
        height: size.map(|s| s.1 as i32),
        description: description
            .map(|d| crate::federation::sanitize::plain_long(&d))
            .filter(|d| !d.is_empty()),
        created_at: now_ms(),
    };
    let r = row.clone();
    state.db.run(move |c| db::media::insert(c, &r)).await?;
    Ok(row)
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

#[cfg(test)]
mod tests {
    #[test]
    fn sniffs_images_and_refuses_others() {
        let png = include_bytes!("../../assets/avatar.png");
        assert_eq!(
            super::sniff(png),
            Some(("image/png", "png", Some((48, 48))))
        );
        assert_eq!(
            super::sniff(b"GIF89a\x10\x00\x08\x00rest").map(|s| s.2),
            Some(Some((16, 8)))
        );
        assert!(super::sniff(b"<svg onload=alert(1)>").is_none());
        assert!(super::sniff(b"").is_none());
    }
}

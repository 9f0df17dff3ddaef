//! Media uploads: type sniffed from the bytes (never trusted from the client), size limited, files
//! stored under `<data_dir>/media`.
//!
//! This file holds the limits and accepted types; `sniff.rs` recognizes files from their bytes (with
//! `container.rs` reading sizes and durations inside JPEG and MP4 headers), `upload.rs` stores
//! uploads, `profile.rs` profile pictures and headers, `attach.rs` attaching uploads to posts, `delete.rs` deleting unattached uploads.

mod attach;
mod container;
mod delete;
mod profile;
mod sniff;
mod upload;

pub use attach::{describe, for_new_post};
pub use delete::delete;
pub use profile::{check_profile_image, store_profile_image, MAX_PROFILE_IMAGE_BYTES};
pub use sniff::{sniff, Sniffed};
pub use upload::{media_dir, upload};

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

#[cfg(test)]
mod tests;

//! Profile pictures and header images: smaller limits, images only, stored like uploads but not
//! recorded as media.

use super::{sniff, upload::store_file};
use crate::{
    domain::ids::new_id,
    error::{AppError, AppResult},
    state::AppState,
};

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

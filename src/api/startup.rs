//! Endpoints apps call at start for features Cohort does not have (filters, lists, custom emojis,
//! trends, announcements…): valid, empty answers rather than 404s, so apps work. Preferences are real
//! defaults.

use super::{
    auth::Auth,
    entities::{ExpandMedia, Preferences, StatusVisibility},
};
use crate::error::AppResult;
use axum::Json;
use serde_json::{json, Value};

/// An empty list for signed-in callers (filters, lists, followed tags, announcements, blocks…).
pub async fn empty_for_user(auth: Auth) -> AppResult<Json<Value>> {
    auth.user()?;
    Ok(Json(json!([])))
}

/// An empty public list (custom emojis, trends).
pub async fn empty() -> Json<Value> {
    Json(json!([]))
}

/// GET /api/v1/preferences
pub async fn preferences(auth: Auth) -> AppResult<Json<Preferences>> {
    auth.require("read:accounts")?;
    auth.user()?;
    Ok(Json(Preferences {
        posting_default_visibility: StatusVisibility::Public,
        posting_default_sensitive: false,
        posting_default_language: None,
        reading_expand_media: ExpandMedia::Default,
        reading_expand_spoilers: false,
    }))
}

//! The Cohort API for proposals, under `/api/cohort/v1/`: drafting and editing (`write.rs`),
//! moving and voting (`act.rs`), reading proposals, their logs and a group's lists (`read.rs`),
//! and what groups and the node publish: templates and governance documents (`published.rs`).
//! Same tokens, scopes and `{"error": …}` bodies as the Mastodon API; bodies as JSON or forms.
//! The JSON shapes are in `entities.rs`, built from service results by `views.rs`.

mod act;
pub mod entities;
mod published;
mod read;
pub mod views;
mod write;

use super::auth::{Auth, MaybeAuth};
use crate::{db::actors::ActorRow, error::AppResult};
use axum::{
    routing::{get, post},
    Router,
};

/// The proposal routes.
pub fn router() -> Router {
    let v1 = |p: &str| format!("/api/cohort/v1{p}");
    Router::new()
        .route(&v1("/proposals"), post(write::create))
        .route(&v1("/proposals/{id}"), get(read::get).patch(write::edit))
        .route(&v1("/proposals/{id}/transition"), post(act::transition))
        .route(&v1("/proposals/{id}/votes"), post(act::vote))
        .route(&v1("/proposals/{id}/log"), get(read::log))
        .route(&v1("/groups/{group}/proposals"), get(read::in_group))
        .route(&v1("/groups/{group}/decisions"), get(read::decisions))
        .route(&v1("/groups/{group}/templates"), get(published::templates))
        .route(&v1("/groups/{group}/governance"), get(published::group))
        .route(&v1("/governance"), get(published::node))
}

/// The reader: anonymous, or the member behind a token that may read.
fn reader(auth: &MaybeAuth) -> AppResult<Option<ActorRow>> {
    match &auth.0 {
        None => Ok(None),
        Some(a) => {
            if !a.scopes.allows("read:statuses") {
                return Err(crate::error::AppError::Forbidden(
                    "This action is outside the authorized scopes".into(),
                ));
            }
            Ok(a.user.as_ref().map(|(me, _)| me.clone()))
        }
    }
}

/// The member behind a token that may write.
fn writer(auth: &Auth) -> AppResult<ActorRow> {
    auth.require("write:statuses")?;
    Ok(auth.user()?.0.clone())
}

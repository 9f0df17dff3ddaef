//! Removing a profile picture or header image (back to the default).

use crate::api::{auth::Auth, entities::CredentialAccount, views};
use crate::{
    error::{AppError, AppResult},
    service::members,
    state::Ctx,
};
use axum::{extract::Path, Json};

/// DELETE /api/v1/profile/avatar and /api/v1/profile/header — back to the default image.
pub async fn delete_profile_image(
    ctx: Ctx,
    auth: Auth,
    Path(image): Path<String>,
) -> AppResult<Json<CredentialAccount>> {
    auth.require("write:accounts")?;
    let (me, user) = auth.user()?.clone();
    let mut profile = members::Profile::of(&me);
    match image.as_str() {
        "avatar" => profile.avatar_url = None,
        "header" => profile.header_url = None,
        _ => return Err(AppError::NotFound("Record not found".into())),
    }
    let updated = members::update_profile(&ctx, &me, profile).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| views::credential_account(c, &updated, &user.role, &base))
            .await?,
    ))
}

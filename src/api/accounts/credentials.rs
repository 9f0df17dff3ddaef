//! The signed-in member's own account: reading it and updating the profile (name, note, images).

use crate::api::{auth::Auth, entities::CredentialAccount, views};
use crate::{
    error::{AppError, AppResult},
    service::members,
    state::Ctx,
};
use axum::Json;
use serde::Deserialize;

/// GET /api/v1/accounts/verify_credentials
pub async fn verify_credentials(ctx: Ctx, auth: Auth) -> AppResult<Json<CredentialAccount>> {
    if !auth.0.scopes.allows("read:accounts") && !auth.0.scopes.allows("profile") {
        return Err(AppError::Forbidden(
            "This action is outside the authorized scopes".into(),
        ));
    }
    let (actor, user) = auth.user()?.clone();
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| views::credential_account(c, &actor, &user.role, &base))
            .await?,
    ))
}

/// PATCH /api/v1/accounts/update_credentials (display name, note, locked, discoverable, images).
#[derive(Deserialize)]
pub struct CredentialsForm {
    display_name: Option<String>,
    note: Option<String>,
    #[serde(default, deserialize_with = "crate::api::form::de::opt_bool")]
    locked: Option<bool>,
    /// Listed in directories and follow suggestions (here and on peers).
    #[serde(default, deserialize_with = "crate::api::form::de::opt_bool")]
    discoverable: Option<bool>,
}

/// Updates the signed-in member's profile and tells their followers (Update(Person)). `avatar`
/// and `header` are image files of a multipart body.
pub async fn update_credentials(
    ctx: Ctx,
    auth: Auth,
    crate::api::form::FlexWithFiles { form: f, files }: crate::api::form::FlexWithFiles<
        CredentialsForm,
    >,
) -> AppResult<Json<CredentialAccount>> {
    auth.require("write:accounts")?;
    let (me, user) = auth.user()?.clone();
    // Images are checked before anything changes; stored only when the whole request is valid.
    let mut images_sent = Vec::new();
    for field in ["avatar", "header"] {
        if let Some(bytes) = files.get(field) {
            let ext = crate::service::media::check_profile_image(field, bytes)?;
            images_sent.push((field, ext, bytes));
        }
    }
    let display_name = f
        .display_name
        .map(|d| crate::domain::sanitize::plain(&d))
        .unwrap_or(me.display_name.clone());
    if display_name.chars().count() > 30 {
        return Err(AppError::Unprocessable(
            "Validation failed: display name is too long (maximum is 30 characters)".into(),
        ));
    }
    let note = match f.note {
        Some(n) if n.chars().count() > 500 => {
            return Err(AppError::Unprocessable(
                "Validation failed: note is too long (maximum is 500 characters)".into(),
            ))
        }
        Some(n) => members::text_to_html(&n, &crate::urls::Urls::new(&ctx.config)),
        None => me.summary.clone(),
    };
    let mut profile = members::Profile {
        display_name,
        summary: note,
        manually_approves: f.locked.unwrap_or(me.manually_approves),
        discoverable: f.discoverable.unwrap_or(me.discoverable),
        ..members::Profile::of(&me)
    };
    for (field, ext, bytes) in images_sent {
        let url = crate::service::media::store_profile_image(ctx.app_data(), ext, bytes).await?;
        match field {
            "avatar" => profile.avatar_url = Some(url),
            _ => profile.header_url = Some(url),
        }
    }
    let updated = members::update_profile(&ctx, &me, profile).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| views::credential_account(c, &updated, &user.role, &base))
            .await?,
    ))
}

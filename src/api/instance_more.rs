//! More about the instance for apps: its peers, extended description, privacy policy,
//! translation languages (none: Cohort does not translate) and weekly activity.

use super::{
    auth::MaybeAuth,
    entities::{InstanceText, WeeklyActivity},
    views,
};
use crate::{
    error::AppResult,
    service::{activity, instance_texts, peers},
    state::Ctx,
};
use axum::Json;
use serde_json::{json, Value};

/// GET /api/v1/instance/peers — domains this node federates with (see `service::peers::shown`).
pub async fn peers(ctx: Ctx, auth: MaybeAuth) -> AppResult<Json<Vec<String>>> {
    let signed_in = auth.0.as_ref().is_some_and(|a| a.user.is_some());
    Ok(Json(peers::shown(ctx.app_data(), signed_in).await?))
}

async fn text(ctx: Ctx, which: instance_texts::Text) -> AppResult<Json<InstanceText>> {
    let (content, updated_at) = instance_texts::html(ctx.app_data(), which).await?;
    Ok(Json(InstanceText {
        updated_at: views::datetime(updated_at),
        content,
    }))
}

/// GET /api/v1/instance/extended_description
pub async fn extended_description(ctx: Ctx) -> AppResult<Json<InstanceText>> {
    text(ctx, instance_texts::Text::ExtendedDescription).await
}

/// GET /api/v1/instance/privacy_policy
pub async fn privacy_policy(ctx: Ctx) -> AppResult<Json<InstanceText>> {
    text(ctx, instance_texts::Text::PrivacyPolicy).await
}

/// GET /api/v1/instance/translation_languages — no pairs: this node translates nothing.
pub async fn translation_languages() -> Json<Value> {
    Json(json!({}))
}

/// GET /api/v1/instance/activity — twelve weeks of statuses, logins and registrations, newest
/// first (see `service::activity`).
pub async fn activity(ctx: Ctx, auth: MaybeAuth) -> AppResult<Json<Vec<WeeklyActivity>>> {
    let signed_in = auth.0.as_ref().is_some_and(|a| a.user.is_some());
    let weeks = activity::weeks(ctx.app_data(), signed_in).await?;
    Ok(Json(
        weeks
            .into_iter()
            .map(|w| WeeklyActivity {
                week: w.week.to_string(),
                statuses: w.statuses.to_string(),
                logins: w.logins.to_string(),
                registrations: w.registrations.to_string(),
            })
            .collect(),
    ))
}

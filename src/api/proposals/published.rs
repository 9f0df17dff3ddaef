//! What groups and the node publish: templates and governance documents with their history.

use super::{
    entities::{Governance, Template},
    reader, views,
};
use crate::{
    api::auth::MaybeAuth,
    error::{AppError, AppResult},
    service::{
        proposals::{published, templates},
        visibility::Viewer,
    },
    state::Ctx,
};
use axum::{extract::Path, Json};

fn shown(g: &published::Governance) -> AppResult<Json<Governance>> {
    views::governance(g)
        .map(Json)
        .ok_or_else(|| AppError::internal("governance document without a version"))
}

/// GET /api/cohort/v1/groups/{group}/templates
pub async fn templates(
    ctx: Ctx,
    auth: MaybeAuth,
    Path(group): Path<String>,
) -> AppResult<Json<Vec<Template>>> {
    reader(&auth)?;
    let (_, list) = templates::for_group(&ctx, &group).await?;
    Ok(Json(list.iter().map(views::template).collect()))
}

/// GET /api/cohort/v1/groups/{group}/governance
pub async fn group(
    ctx: Ctx,
    auth: MaybeAuth,
    Path(group): Path<String>,
) -> AppResult<Json<Governance>> {
    let me = reader(&auth)?;
    shown(&published::group_governance(&ctx, Viewer::of(me.as_ref()), &group).await?)
}

/// GET /api/cohort/v1/governance: the node's document.
pub async fn node(ctx: Ctx, auth: MaybeAuth) -> AppResult<Json<Governance>> {
    let me = reader(&auth)?;
    shown(&published::governance(&ctx, Viewer::of(me.as_ref()), None).await?)
}

//! An account's posts, newest first, as the viewer may see them.

use super::target_account;
use crate::api::{auth::MaybeAuth, views};
use crate::{error::AppResult, state::Ctx};
use axum::extract::{Path, Query};

/// GET /api/v1/accounts/{id}/statuses — an account's posts, newest first.
pub async fn statuses(
    ctx: Ctx,
    auth: MaybeAuth,
    Path(id): Path<String>,
    Query(page): Query<crate::api::timelines::Page>,
) -> AppResult<axum::response::Response> {
    let viewer = auth
        .0
        .as_ref()
        .and_then(|a| a.user.as_ref())
        .map(|(a, _)| a.clone());
    let target = target_account(&ctx, id.clone()).await?;
    let base = ctx.config.base_url();
    let limit = page.limit();
    let max = page.max_id.clone();
    let rows = crate::service::reading::by_author(
        ctx.app_data(),
        crate::service::visibility::Viewer::of(viewer.as_ref()),
        target.id.clone(),
        max,
        limit,
    )
    .await?;
    let b = base.clone();
    let list: Vec<crate::api::entities::Status> = ctx
        .db
        .run(move |c| {
            views::screened(
                c,
                &rows,
                viewer.as_ref(),
                &b,
                crate::domain::filter::FilterContext::Account,
            )
        })
        .await?;
    let ids = (
        list.first().map(|s| s.id.clone()),
        list.last().map(|s| s.id.clone()),
    );
    Ok(crate::api::timelines::paged(
        list,
        ids,
        &format!("/api/v1/accounts/{id}/statuses"),
        &base,
    ))
}

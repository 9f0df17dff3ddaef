//! An account's posts, newest first, as the viewer may see them.

use super::target_account;
use crate::api::{
    auth::MaybeAuth,
    form::truthy,
    timelines::{ends, paged, Page},
    views,
};
use crate::{db::posts::AuthorFilter, error::AppResult, state::Ctx};
use axum::{
    extract::{OriginalUri, Path, Query},
    response::IntoResponse,
};
use serde::Deserialize;

/// Filters and paging of an account's statuses.
#[derive(Deserialize, Default)]
pub struct StatusesQuery {
    only_media: Option<String>,
    exclude_replies: Option<String>,
    pinned: Option<String>,
    tagged: Option<String>,
    #[serde(flatten)]
    page: Page,
}

/// GET /api/v1/accounts/{id}/statuses — an account's posts, newest first (`only_media`,
/// `exclude_replies`, `tagged`, `pinned`: its pinned posts, newest pin first; boosts are not statuses of the account here, so
/// `exclude_reblogs` changes nothing).
pub async fn statuses(
    ctx: Ctx,
    auth: MaybeAuth,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    Query(q): Query<StatusesQuery>,
) -> AppResult<axum::response::Response> {
    let viewer = auth
        .0
        .as_ref()
        .and_then(|a| a.user.as_ref())
        .map(|(a, _)| a.clone());
    let target = target_account(&ctx, id.clone()).await?;
    if truthy("pinned", &q.pinned)? {
        let who = crate::service::visibility::Viewer::of(viewer.as_ref());
        let rows = crate::service::pins::pinned(ctx.app_data(), who, &target.id).await?;
        let b = ctx.config.base_url();
        let list: Vec<crate::api::entities::Status> = ctx
            .db
            .run(move |c| views::statuses(c, &rows, viewer.as_ref(), &b))
            .await?;
        // At most a few pins: one page, no links.
        return Ok(axum::Json(list).into_response());
    }
    let base = ctx.config.base_url();
    let filter = AuthorFilter {
        only_media: truthy("only_media", &q.only_media)?,
        exclude_replies: truthy("exclude_replies", &q.exclude_replies)?,
        // A name that is no hashtag matches no post (rather than being ignored).
        tagged: q
            .tagged
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(|t| {
                crate::domain::names::normalize_hashtag(t).unwrap_or_else(|| t.to_lowercase())
            }),
    };
    let rows = crate::service::reading::by_author(
        ctx.app_data(),
        crate::service::visibility::Viewer::of(viewer.as_ref()),
        target.id.clone(),
        filter,
        q.page.window(),
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
    let ids = ends(&list, |s| &s.id);
    Ok(paged(list, ids, &uri, &base))
}

//! Reading one status and its thread (context), through the audience rule.

use super::{viewer, visible_post};
use crate::api::{
    auth::MaybeAuth,
    entities::{Context, Status},
    views,
};
use crate::{
    db::posts::PostRow,
    error::AppResult,
    service::{reading, visibility::Viewer},
    state::Ctx,
};
use crate::{domain::filter::FilterContext, service::filters::Screen};
use axum::{extract::Path, Json};

/// GET /api/v1/statuses/{id}
pub async fn get(ctx: Ctx, auth: MaybeAuth, Path(id): Path<String>) -> AppResult<Json<Status>> {
    let me = viewer(&auth);
    let base = ctx.config.base_url();
    // The audience rule and the rendering share one connection and one trip to it.
    let view = ctx
        .db
        .run(move |c| {
            let viewer = Viewer::of(me.as_ref());
            match reading::status_in(c, viewer, &id)? {
                Some(post) => views::status(c, &post, me.as_ref(), &base).map(Some),
                None => Ok(None),
            }
        })
        .await?;
    view.map(Json).ok_or_else(reading::not_found)
}

/// GET /api/v1/statuses?id[]=… — the statuses the caller may see, in the order asked (at most
/// 20; unknown and hidden ids are left out).
pub async fn many(
    ctx: Ctx,
    auth: MaybeAuth,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> AppResult<Json<Vec<Status>>> {
    let me = viewer(&auth);
    let ids = crate::api::form::query_list(q.as_deref(), "id");
    if ids.len() > 20 {
        return Err(crate::error::AppError::Unprocessable(
            "At most 20 ids may be asked for at once".into(),
        ));
    }
    let rows = reading::by_ids(ctx.app_data(), Viewer::of(me.as_ref()), ids).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| views::statuses(c, &rows, me.as_ref(), &base))
            .await?,
    ))
}

/// GET /api/v1/statuses/{id}/context — ancestors and descendants known here.
pub async fn context(
    ctx: Ctx,
    auth: MaybeAuth,
    Path(id): Path<String>,
) -> AppResult<Json<Context>> {
    let me = viewer(&auth);
    let post = visible_post(&ctx, id, me.as_ref()).await?;
    let (ancestors, descendants) =
        reading::context(ctx.app_data(), Viewer::of(me.as_ref()), post).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| {
                // One page of facts for the whole thread, as the reader's thread filters leave it.
                let screen =
                    Screen::load(c, me.as_ref().map(|m| m.id.as_str()), FilterContext::Thread)?;
                let (above, below) = (screen.apply(ancestors), screen.apply(descendants));
                let split = above.len();
                let (thread, matches): (Vec<PostRow>, Vec<_>) =
                    above.into_iter().chain(below).unzip();
                let mut ancestors = views::statuses(c, &thread, me.as_ref(), &base)?;
                for (s, m) in ancestors.iter_mut().zip(&matches) {
                    s.filtered = views::results(m);
                }
                let descendants = ancestors.split_off(split);
                Ok(Context {
                    ancestors,
                    descendants,
                })
            })
            .await?,
    ))
}

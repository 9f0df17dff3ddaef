//! Search v2 (and the accounts part of it): extracts the query, calls `service::search`, renders.

use super::{
    auth::MaybeAuth,
    entities::{Account, Search, Status, Tag},
    views,
};
use crate::{
    error::{AppError, AppResult},
    service::search,
    state::Ctx,
};
use axum::{extract::Query, Json};
use serde::Deserialize;

/// Query parameters.
#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    resolve: Option<String>,
    limit: Option<String>,
}

/// GET /api/v1/accounts/search — the accounts part of search (`q`, `resolve`, `limit`).
pub async fn accounts(
    ctx: Ctx,
    auth: MaybeAuth,
    Query(mut p): Query<SearchQuery>,
) -> AppResult<Json<Vec<Account>>> {
    p.kind = Some("accounts".into());
    Ok(Json(search(ctx, auth, Query(p)).await?.0.accounts))
}

/// GET /api/v2/search
pub async fn search(
    ctx: Ctx,
    auth: MaybeAuth,
    Query(p): Query<SearchQuery>,
) -> AppResult<Json<Search>> {
    if let Some(a) = &auth.0 {
        if !a.scopes.allows("read:search") {
            return Err(AppError::Forbidden(
                "This action is outside the authorized scopes".into(),
            ));
        }
    }
    let viewer = auth
        .0
        .as_ref()
        .and_then(|a| a.user.as_ref())
        .map(|(a, _)| a.clone());
    let query = search::Query {
        q: p.q.unwrap_or_default(),
        kind: p.kind,
        resolve: super::form::truthy("resolve", &p.resolve)?,
        limit: (p.limit.and_then(|l| l.parse::<i64>().ok()))
            .unwrap_or(20)
            .clamp(1, 40),
    };
    let found = search::search(&ctx, viewer.as_ref(), query).await?;
    let base = ctx.config.base_url();
    let (accounts, statuses, hashtags): (Vec<Account>, Vec<Status>, Vec<Tag>) = ctx
        .db
        .run(move |c| {
            let hashtags = (found.hashtags.iter())
                .map(|name| views::tag(c, name, viewer.as_ref().map(|v| v.id.as_str()), &base))
                .collect::<Result<Vec<_>, _>>()?;
            let accounts = (found.actors.iter())
                .map(|a| views::account(c, a, &base))
                .collect::<Result<Vec<_>, _>>()?;
            let statuses = views::statuses(c, &found.posts, viewer.as_ref(), &base)?;
            Ok((accounts, statuses, hashtags))
        })
        .await?;
    Ok(Json(Search {
        accounts,
        statuses,
        hashtags,
    }))
}

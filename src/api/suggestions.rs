//! Follow suggestions: `GET /api/v2/suggestions` (with why), `GET /api/v1/suggestions` (the
//! accounts alone) and `DELETE /api/v1/suggestions/{account_id}` (never suggest it again).

use super::{
    auth::Auth,
    entities::{Account, Suggestion},
    views,
};
use crate::{error::AppResult, service::suggestions, state::Ctx};
use axum::{
    extract::{Path, Query},
    Json,
};
use serde::Deserialize;

/// `limit`: 40 by default; as Mastodon, clamped to 1…80 (a value that is no number is the
/// default).
#[derive(Deserialize, Default)]
pub struct SuggestionsQuery {
    limit: Option<String>,
}

impl SuggestionsQuery {
    fn limit(&self) -> i64 {
        self.limit
            .as_deref()
            .and_then(|l| l.trim().parse::<i64>().ok())
            .unwrap_or(40)
            .clamp(1, 80)
    }
}

async fn found(
    ctx: &Ctx,
    auth: &Auth,
    q: &SuggestionsQuery,
) -> AppResult<Vec<suggestions::Suggestion>> {
    auth.require("read:accounts")?;
    let (me, _) = auth.user()?.clone();
    suggestions::suggestions(ctx.app_data(), me.id, q.limit()).await
}

/// GET /api/v2/suggestions
pub async fn v2(
    ctx: Ctx,
    auth: Auth,
    Query(q): Query<SuggestionsQuery>,
) -> AppResult<Json<Vec<Suggestion>>> {
    let found = found(&ctx, &auth, &q).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| {
                found
                    .iter()
                    .map(|s| {
                        Ok(Suggestion {
                            source: s.sources.first().map_or("global", |x| x.legacy()).into(),
                            sources: s.sources.iter().map(|x| x.as_str().into()).collect(),
                            account: views::account(c, &s.account, &base)?,
                        })
                    })
                    .collect::<Result<Vec<_>, crate::db::DbError>>()
            })
            .await?,
    ))
}

/// GET /api/v1/suggestions (deprecated by Mastodon, still called by apps).
pub async fn v1(
    ctx: Ctx,
    auth: Auth,
    Query(q): Query<SuggestionsQuery>,
) -> AppResult<Json<Vec<Account>>> {
    let found = found(&ctx, &auth, &q).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| {
                found
                    .iter()
                    .map(|s| views::account(c, &s.account, &base))
                    .collect::<Result<Vec<_>, _>>()
            })
            .await?,
    ))
}

/// DELETE /api/v1/suggestions/{account_id} — answers `{}`.
pub async fn dismiss(
    ctx: Ctx,
    auth: Auth,
    Path(account_id): Path<String>,
) -> AppResult<Json<serde_json::Value>> {
    auth.require("read:accounts")?;
    let (me, _) = auth.user()?.clone();
    suggestions::dismiss(ctx.app_data(), me.id, account_id).await?;
    Ok(Json(serde_json::json!({})))
}

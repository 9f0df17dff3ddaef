//! Reading proposals: one, its lifecycle log, and a group's proposals and decisions. What a
//! reader may not see answers 404, like what does not exist.

use super::{
    entities::{LogEntry, Proposal},
    reader, views,
};
use crate::{
    api::auth::MaybeAuth,
    db,
    domain::proposal::ProposalState,
    error::{AppError, AppResult},
    service::proposals::read::{self, Listing},
    state::Ctx,
};
use axum::{
    extract::{Path, Query},
    Json,
};
use serde::Deserialize;

/// `?state=…&limit=…`
#[derive(Deserialize, Default)]
pub struct ListQuery {
    state: Option<String>,
    limit: Option<String>,
}

impl ListQuery {
    fn limit(&self) -> AppResult<i64> {
        match self
            .limit
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            None => Ok(20),
            Some(l) => l
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=200).contains(n))
                .ok_or_else(|| {
                    AppError::Unprocessable(format!(
                        "Validation failed: limit {l:?} is not a number from 1 to 200"
                    ))
                }),
        }
    }

    fn state(&self) -> AppResult<Option<ProposalState>> {
        match self
            .state
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(None),
            Some(s) => s.parse().map(Some).map_err(|_| {
                AppError::Unprocessable(format!(
                    "Validation failed: unknown state {s:?} (draft, open, voting, accepted, \
                     rejected, withdrawn or implemented)"
                ))
            }),
        }
    }
}

/// GET /api/cohort/v1/proposals/{id}
pub async fn get(ctx: Ctx, auth: MaybeAuth, Path(id): Path<String>) -> AppResult<Json<Proposal>> {
    let me = reader(&auth)?;
    let v = read::get(&ctx, me.as_ref(), &id).await?;
    Ok(Json(views::proposal(&v)))
}

/// GET /api/cohort/v1/proposals/{id}/log, oldest move first.
pub async fn log(
    ctx: Ctx,
    auth: MaybeAuth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<LogEntry>>> {
    let me = reader(&auth)?;
    let rows = read::log(&ctx, me.as_ref(), &id).await?;
    let entries = ctx
        .db
        .run(move |c| {
            rows.iter()
                .map(|l| {
                    Ok(views::log_entry(
                        l,
                        db::actors::by_id(c, &l.actor_id)?.as_ref(),
                    ))
                })
                .collect::<db::DbResult<Vec<_>>>()
        })
        .await?;
    Ok(Json(entries))
}

async fn list(
    ctx: &Ctx,
    auth: &MaybeAuth,
    group: &str,
    listing: Listing,
    limit: i64,
) -> AppResult<Json<Vec<Proposal>>> {
    let me = reader(auth)?;
    let (_, views_) = read::in_group(ctx, me.as_ref(), group, listing, limit).await?;
    Ok(Json(views_.iter().map(views::proposal).collect()))
}

/// GET /api/cohort/v1/groups/{group}/proposals, newest first.
pub async fn in_group(
    ctx: Ctx,
    auth: MaybeAuth,
    Path(group): Path<String>,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Vec<Proposal>>> {
    let (state, limit) = (q.state()?, q.limit()?);
    list(&ctx, &auth, &group, Listing::All(state), limit).await
}

/// GET /api/cohort/v1/groups/{group}/decisions: the decision log, newest decision first.
pub async fn decisions(
    ctx: Ctx,
    auth: MaybeAuth,
    Path(group): Path<String>,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Vec<Proposal>>> {
    let limit = q.limit()?;
    list(&ctx, &auth, &group, Listing::Decisions, limit).await
}

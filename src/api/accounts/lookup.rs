//! Finding an account: by `acct` (`name` or `name@host`) and by id.

use crate::api::{auth::MaybeAuth, entities::Account, views};
use crate::{
    db,
    error::{AppError, AppResult},
    state::Ctx,
};
use axum::{
    extract::{Path, Query},
    Json,
};
use serde::Deserialize;

/// `?acct=`
#[derive(Deserialize)]
pub struct LookupQuery {
    acct: String,
}

/// GET /api/v1/accounts/lookup — a known account by `name` or `name@host`.
pub async fn lookup(
    ctx: Ctx,
    _auth: MaybeAuth,
    Query(q): Query<LookupQuery>,
) -> AppResult<Json<Account>> {
    let acct = q.acct.trim().trim_start_matches('@').to_string();
    let (name, host) = match acct.split_once('@') {
        Some((n, h)) => (n.to_string(), Some(h.to_ascii_lowercase())),
        None => (acct.clone(), None),
    };
    let local_domain = ctx.config.instance.domain.to_ascii_lowercase();
    let base = ctx.config.base_url();
    let found = ctx
        .db
        .run(move |c| {
            let actor = match host {
                Some(h) if h != local_domain => db::actors::remote_by_handle(c, &name, &h)?,
                _ => db::actors::local_by_username(c, &name)?,
            };
            actor
                .filter(|a| a.kind != "Organization")
                .map(|a| views::account(c, &a, &base))
                .transpose()
        })
        .await?;
    found
        .map(Json)
        .ok_or_else(|| AppError::NotFound("Record not found".into()))
}

/// GET /api/v1/accounts/{id}
pub async fn get(ctx: Ctx, _auth: MaybeAuth, Path(id): Path<String>) -> AppResult<Json<Account>> {
    let base = ctx.config.base_url();
    let found = ctx
        .db
        .run(move |c| {
            db::actors::by_id(c, &id)?
                .filter(|a| a.kind != "Organization")
                .map(|a| views::account(c, &a, &base))
                .transpose()
        })
        .await?;
    found
        .map(Json)
        .ok_or_else(|| AppError::NotFound("Record not found".into()))
}

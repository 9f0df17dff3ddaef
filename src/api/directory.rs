//! The profile directory and familiar followers.

use super::{
    auth::{Auth, MaybeAuth},
    entities::{Account, FamiliarFollowers},
    form::query_list,
    views,
};
use crate::{
    error::{AppError, AppResult},
    service::{
        directory::{self, Order},
        visibility::Viewer,
    },
    state::Ctx,
};
use axum::{
    extract::{Query, RawQuery},
    Json,
};
use serde::Deserialize;

/// `order`, `offset`, `limit` and `local` (only this node's accounts) of the directory.
#[derive(Deserialize, Default)]
pub struct DirectoryQuery {
    order: Option<String>,
    local: Option<String>,
    offset: Option<String>,
    limit: Option<String>,
}

/// GET /api/v1/directory — discoverable accounts of this node and of others (see
/// `service::directory::directory`).
pub async fn directory(
    ctx: Ctx,
    auth: MaybeAuth,
    Query(q): Query<DirectoryQuery>,
) -> AppResult<Json<Vec<Account>>> {
    let order = match q.order.as_deref() {
        None | Some("") | Some("active") => Order::Active,
        Some("new") => Order::New,
        Some(_) => {
            return Err(AppError::Unprocessable(
                "order must be active or new".into(),
            ))
        }
    };
    let number = |v: &Option<String>, default: i64, name: &str| match v.as_deref() {
        None | Some("") => Ok(default),
        Some(s) => s
            .parse::<i64>()
            .map_err(|_| AppError::Unprocessable(format!("{name} must be a number"))),
    };
    let limit = number(&q.limit, 40, "limit")?.clamp(1, 80);
    let offset = number(&q.offset, 0, "offset")?.max(0);
    let local_only = super::form::truthy("local", &q.local)?;
    let viewer = auth
        .0
        .as_ref()
        .and_then(|a| a.user.as_ref())
        .map(|(a, _)| a.clone());
    let rows = directory::directory(
        ctx.app_data(),
        Viewer::of(viewer.as_ref()),
        order,
        local_only,
        offset,
        limit,
    )
    .await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| {
                rows.iter()
                    .map(|a| views::account(c, a, &base))
                    .collect::<Result<Vec<_>, _>>()
            })
            .await?,
    ))
}

/// GET /api/v1/accounts/familiar_followers?id[]=… — for each account, the accounts the user
/// follows that follow it.
pub async fn familiar_followers(
    ctx: Ctx,
    auth: Auth,
    RawQuery(q): RawQuery,
) -> AppResult<Json<Vec<FamiliarFollowers>>> {
    auth.require("read:follows")?;
    let (me, _) = auth.user()?.clone();
    let mut ids = query_list(q.as_deref(), "id");
    ids.dedup();
    ids.truncate(40);
    let found = directory::familiar_followers(ctx.app_data(), me.id.clone(), ids).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| {
                found
                    .iter()
                    .map(|(id, accounts)| {
                        Ok(FamiliarFollowers {
                            id: id.clone(),
                            accounts: accounts
                                .iter()
                                .map(|a| views::account(c, a, &base))
                                .collect::<Result<Vec<_>, _>>()?,
                        })
                    })
                    .collect::<Result<Vec<_>, crate::db::DbError>>()
            })
            .await?,
    ))
}

//! Lists: `/api/v1/lists`, their accounts, the lists holding an account and the list timeline.

use super::{
    auth::Auth,
    entities::{Account, List, Status},
    form::{de, Flex},
    timelines::Page,
    views,
};
use crate::{
    db::lists::ListRow,
    error::AppResult,
    service::{
        lists::{self, ListInput},
        reading::Window,
    },
    state::Ctx,
};
use axum::{
    extract::{Path, Query},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;

/// The list entity of a row.
pub fn entity(row: ListRow) -> List {
    List {
        id: row.id,
        title: row.title,
        replies_policy: row.replies_policy,
        exclusive: row.exclusive,
    }
}

/// What a client sends to create or change a list.
#[derive(Deserialize)]
pub struct ListForm {
    title: Option<String>,
    replies_policy: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    exclusive: Option<bool>,
}

impl From<ListForm> for ListInput {
    fn from(f: ListForm) -> ListInput {
        ListInput {
            title: f.title,
            replies_policy: f.replies_policy,
            exclusive: f.exclusive,
        }
    }
}

/// `account_ids[]` of the list accounts endpoints.
#[derive(Deserialize)]
pub struct AccountIds {
    #[serde(default, deserialize_with = "de::string_or_vec")]
    account_ids: Vec<String>,
}

fn member(auth: &Auth, scope: &str) -> AppResult<String> {
    auth.require(scope)?;
    Ok(auth.user()?.0.id.clone())
}

/// GET /api/v1/lists
pub async fn all(ctx: Ctx, auth: Auth) -> AppResult<Json<Vec<List>>> {
    let me = member(&auth, "read:lists")?;
    let rows = lists::all(ctx.app_data(), me).await?;
    Ok(Json(rows.into_iter().map(entity).collect()))
}

/// POST /api/v1/lists
pub async fn create(ctx: Ctx, auth: Auth, Flex(form): Flex<ListForm>) -> AppResult<Json<List>> {
    let me = member(&auth, "write:lists")?;
    Ok(Json(entity(
        lists::create(ctx.app_data(), me, form.into()).await?,
    )))
}

/// GET /api/v1/lists/{id}
pub async fn get(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<List>> {
    let me = member(&auth, "read:lists")?;
    Ok(Json(entity(lists::get(ctx.app_data(), me, id).await?)))
}

/// PUT /api/v1/lists/{id}
pub async fn update(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Flex(form): Flex<ListForm>,
) -> AppResult<Json<List>> {
    let me = member(&auth, "write:lists")?;
    Ok(Json(entity(
        lists::update(ctx.app_data(), me, id, form.into()).await?,
    )))
}

/// DELETE /api/v1/lists/{id}
pub async fn delete(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<serde_json::Value>> {
    let me = member(&auth, "write:lists")?;
    lists::delete(ctx.app_data(), me, id).await?;
    Ok(Json(serde_json::json!({})))
}

/// GET /api/v1/lists/{id}/accounts (`limit=0` lists them all)
pub async fn accounts(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Query(page): Query<Page>,
) -> AppResult<Response> {
    let me = member(&auth, "read:lists")?;
    let limit = match page.limit.as_deref() {
        Some("0") => 0,
        _ => page.limit(),
    };
    let min = page.min_id.clone().or(page.since_id.clone());
    let rows = lists::accounts(ctx.app_data(), me, id.clone(), page.max_id, min, limit).await?;
    let base = ctx.config.base_url();
    let b = base.clone();
    let accounts: Vec<Account> = ctx
        .db
        .run(move |c| rows.iter().map(|a| views::account(c, a, &b)).collect())
        .await?;
    let ends = (
        accounts.first().map(|a| a.id.clone()),
        accounts.last().map(|a| a.id.clone()),
    );
    let path = format!("/api/v1/lists/{id}/accounts");
    Ok(with_links(
        Json(accounts).into_response(),
        ends,
        &path,
        &base,
        limit,
    ))
}

/// POST /api/v1/lists/{id}/accounts
pub async fn add(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Flex(form): Flex<AccountIds>,
) -> AppResult<Json<serde_json::Value>> {
    let me = member(&auth, "write:lists")?;
    lists::add(ctx.app_data(), me, id, form.account_ids).await?;
    Ok(Json(serde_json::json!({})))
}

/// DELETE /api/v1/lists/{id}/accounts
pub async fn remove(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Flex(form): Flex<AccountIds>,
) -> AppResult<Json<serde_json::Value>> {
    let me = member(&auth, "write:lists")?;
    lists::remove(ctx.app_data(), me, id, form.account_ids).await?;
    Ok(Json(serde_json::json!({})))
}

/// GET /api/v1/accounts/{id}/lists
pub async fn of_account(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<List>>> {
    let me = member(&auth, "read:lists")?;
    let rows = lists::holding(ctx.app_data(), me, id).await?;
    Ok(Json(rows.into_iter().map(entity).collect()))
}

/// GET /api/v1/timelines/list/{id}
pub async fn timeline(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Query(page): Query<Page>,
) -> AppResult<Response> {
    auth.require("read:lists")?;
    let (me, _) = auth.user()?.clone();
    let limit = page.limit();
    let window = Window {
        max: page.max_id.clone(),
        min: page.min_id.clone().or(page.since_id.clone()),
        since_only: page.min_id.is_none() && page.since_id.is_some(),
        limit,
    };
    let rows = lists::timeline(ctx.app_data(), me.id.clone(), id.clone(), window).await?;
    let base = ctx.config.base_url();
    let b = base.clone();
    let statuses: Vec<Status> = ctx
        .db
        .run(move |c| {
            views::screened(
                c,
                &rows,
                Some(&me),
                &b,
                crate::domain::filter::FilterContext::Home,
            )
        })
        .await?;
    let ends = (
        statuses.first().map(|s| s.id.clone()),
        statuses.last().map(|s| s.id.clone()),
    );
    let path = format!("/api/v1/timelines/list/{id}");
    Ok(with_links(
        Json(statuses).into_response(),
        ends,
        &path,
        &base,
        limit,
    ))
}

/// `Link` headers for the next (older) and previous (newer) page, keeping the page size.
fn with_links(
    mut response: Response,
    (newest, oldest): (Option<String>, Option<String>),
    path: &str,
    base: &str,
    limit: i64,
) -> Response {
    let mut links = Vec::new();
    if let Some(oldest) = oldest {
        links.push(format!(
            "<{base}{path}?limit={limit}&max_id={oldest}>; rel=\"next\""
        ));
    }
    if let Some(newest) = newest {
        links.push(format!(
            "<{base}{path}?limit={limit}&min_id={newest}>; rel=\"prev\""
        ));
    }
    if let Ok(v) = HeaderValue::from_str(&links.join(", ")) {
        if !links.is_empty() {
            response.headers_mut().insert(header::LINK, v);
        }
    }
    response
}

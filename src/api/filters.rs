//! Filters v2 (`/api/v2/filters`, their keywords and statuses) and the v1 view of their keywords.

use super::{
    auth::Auth,
    entities::{Filter, FilterKeyword, FilterStatus, V1Filter},
    form::{de, named_boolean, Flex},
    views,
};
use crate::{
    error::{AppError, AppResult},
    service::filters::{self, FilterInput, KeywordChange},
    state::Ctx,
};
use axum::{extract::Path, Json};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Keeps a key that is present, even as `null` (`expires_in: null` clears an expiry).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// What a client sends to create or change a filter.
#[derive(Deserialize)]
pub struct FilterForm {
    title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    context: Option<Value>,
    filter_action: Option<String>,
    #[serde(default, deserialize_with = "present")]
    expires_in: Option<Value>,
    #[serde(default)]
    keywords_attributes: Option<Value>,
}

fn strings(v: Value) -> Vec<String> {
    match v {
        Value::String(s) => s
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        _ => vec![],
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// `keywords_attributes` as a JSON array or a form's indexed map (`[0][keyword]=…`).
fn keyword_changes(v: Option<Value>) -> AppResult<Vec<KeywordChange>> {
    let items: Vec<Value> = match v {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(a)) => a,
        Some(Value::Object(m)) => m.into_iter().map(|(_, v)| v).collect(),
        Some(_) => {
            return Err(AppError::Unprocessable(
                "keywords_attributes must be a list".into(),
            ))
        }
    };
    items
        .into_iter()
        .map(|item| {
            let Value::Object(m) = item else {
                return Err(AppError::Unprocessable(
                    "keywords_attributes must hold objects".into(),
                ));
            };
            Ok(KeywordChange {
                id: text(m.get("id")),
                keyword: text(m.get("keyword")),
                whole_word: named_boolean("whole_word", m.get("whole_word"))?,
                destroy: named_boolean("_destroy", m.get("_destroy"))?.unwrap_or(false),
            })
        })
        .collect()
}

impl FilterForm {
    fn input(self) -> AppResult<FilterInput> {
        let expires_in = match self.expires_in {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) if s.is_empty() => Some(None),
            Some(v) => Some(Some(
                text(Some(&v))
                    .and_then(|s| s.parse::<i64>().ok())
                    .ok_or_else(|| {
                        AppError::Unprocessable("expires_in must be a number of seconds".into())
                    })?,
            )),
        };
        Ok(FilterInput {
            title: self.title,
            context: self.context.map(strings),
            filter_action: self.filter_action,
            expires_in,
            keywords: keyword_changes(self.keywords_attributes)?,
        })
    }
}

/// A keyword as a client sends it.
#[derive(Deserialize)]
pub struct KeywordForm {
    keyword: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    whole_word: Option<bool>,
}

/// A status to filter.
#[derive(Deserialize)]
pub struct StatusForm {
    status_id: Option<String>,
}

fn member(auth: &Auth, scope: &str) -> AppResult<String> {
    auth.require(scope)?;
    Ok(auth.user()?.0.id.clone())
}

fn done() -> Json<Value> {
    Json(serde_json::json!({}))
}

/// GET /api/v2/filters
pub async fn all(ctx: Ctx, auth: Auth) -> AppResult<Json<Vec<Filter>>> {
    let me = member(&auth, "read:filters")?;
    let rows = filters::all(ctx.app_data(), me).await?;
    Ok(Json(rows.iter().map(|f| views::filter(f, true)).collect()))
}

/// POST /api/v2/filters
pub async fn create(ctx: Ctx, auth: Auth, Flex(form): Flex<FilterForm>) -> AppResult<Json<Filter>> {
    let me = member(&auth, "write:filters")?;
    let f = filters::create(ctx.app_data(), me, form.input()?).await?;
    Ok(Json(views::filter(&f, true)))
}

/// GET /api/v2/filters/{id}
pub async fn one(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Filter>> {
    let me = member(&auth, "read:filters")?;
    Ok(Json(views::filter(
        &filters::get(ctx.app_data(), me, id).await?,
        true,
    )))
}

/// PUT /api/v2/filters/{id}
pub async fn update(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Flex(form): Flex<FilterForm>,
) -> AppResult<Json<Filter>> {
    let me = member(&auth, "write:filters")?;
    let f = filters::update(ctx.app_data(), me, id, form.input()?).await?;
    Ok(Json(views::filter(&f, true)))
}

/// DELETE /api/v2/filters/{id}
pub async fn delete(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Value>> {
    let me = member(&auth, "write:filters")?;
    filters::delete(ctx.app_data(), me, id).await?;
    Ok(done())
}

/// GET /api/v2/filters/{id}/keywords
pub async fn keywords(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<FilterKeyword>>> {
    let me = member(&auth, "read:filters")?;
    let f = filters::get(ctx.app_data(), me, id).await?;
    Ok(Json(f.keywords.iter().map(views::filter_keyword).collect()))
}

/// POST /api/v2/filters/{id}/keywords
pub async fn add_keyword(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Flex(form): Flex<KeywordForm>,
) -> AppResult<Json<FilterKeyword>> {
    let me = member(&auth, "write:filters")?;
    let k = filters::add_keyword(ctx.app_data(), me, id, form.keyword, form.whole_word).await?;
    Ok(Json(views::filter_keyword(&k)))
}

/// GET /api/v2/filters/keywords/{id}
pub async fn keyword(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<FilterKeyword>> {
    let me = member(&auth, "read:filters")?;
    Ok(Json(views::filter_keyword(
        &filters::keyword(ctx.app_data(), me, id).await?,
    )))
}

/// PUT /api/v2/filters/keywords/{id}
pub async fn change_keyword(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Flex(form): Flex<KeywordForm>,
) -> AppResult<Json<FilterKeyword>> {
    let me = member(&auth, "write:filters")?;
    let k = filters::change_keyword(ctx.app_data(), me, id, form.keyword, form.whole_word).await?;
    Ok(Json(views::filter_keyword(&k)))
}

/// DELETE /api/v2/filters/keywords/{id}
pub async fn remove_keyword(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let me = member(&auth, "write:filters")?;
    filters::remove_keyword(ctx.app_data(), me, id).await?;
    Ok(done())
}

/// GET /api/v2/filters/{id}/statuses
pub async fn statuses(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<FilterStatus>>> {
    let me = member(&auth, "read:filters")?;
    let f = filters::get(ctx.app_data(), me, id).await?;
    Ok(Json(f.statuses.iter().map(views::filter_status).collect()))
}

/// POST /api/v2/filters/{id}/statuses
pub async fn add_status(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    Flex(form): Flex<StatusForm>,
) -> AppResult<Json<FilterStatus>> {
    let me = member(&auth, "write:filters")?;
    let s = filters::add_status(ctx.app_data(), me, id, form.status_id).await?;
    Ok(Json(views::filter_status(&s)))
}

/// GET /api/v2/filters/statuses/{id}
pub async fn status(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<FilterStatus>> {
    let me = member(&auth, "read:filters")?;
    Ok(Json(views::filter_status(
        &filters::status(ctx.app_data(), me, id).await?,
    )))
}

/// DELETE /api/v2/filters/statuses/{id}
pub async fn remove_status(ctx: Ctx, auth: Auth, Path(id): Path<String>) -> AppResult<Json<Value>> {
    let me = member(&auth, "write:filters")?;
    filters::remove_status(ctx.app_data(), me, id).await?;
    Ok(done())
}

/// GET /api/v1/filters: every keyword of the member's filters in the v1 shape.
pub async fn v1_all(ctx: Ctx, auth: Auth) -> AppResult<Json<Vec<V1Filter>>> {
    let me = member(&auth, "read:filters")?;
    let rows = filters::all(ctx.app_data(), me).await?;
    Ok(Json(rows.iter().flat_map(views::v1_filters).collect()))
}

/// The filter routes.
pub fn router() -> axum::Router {
    use axum::routing::get;
    let keyword_one = || get(keyword).put(change_keyword).delete(remove_keyword);
    let status_one = || get(status).delete(remove_status);
    axum::Router::new()
        .route("/api/v1/filters", get(v1_all))
        .route("/api/v2/filters", get(all).post(create))
        .route("/api/v2/filters/{id}", get(one).put(update).delete(delete))
        .route(
            "/api/v2/filters/{id}/keywords",
            get(keywords).post(add_keyword),
        )
        .route(
            "/api/v2/filters/{id}/statuses",
            get(statuses).post(add_status),
        )
        .route("/api/v2/filters/keywords/{id}", keyword_one())
        .route("/api/v2/filter_keywords/{id}", keyword_one())
        .route("/api/v2/filters/statuses/{id}", status_one())
        .route("/api/v2/filter_statuses/{id}", status_one())
}

//! Reporting an account (and some of its statuses) to the node's admins and the moderators of
//! the groups concerned.

use crate::api::{
    auth::Auth,
    entities::Report,
    form::{de, Flex},
    views,
};
use crate::{
    error::{AppError, AppResult},
    service::reports::{self, NewReport},
    state::Ctx,
};
use axum::Json;
use serde::Deserialize;

/// The parameters of `POST /api/v1/reports` (`forward_to_domains[]` is accepted and ignored: a
/// forwarded report goes to the reported account's node, and every report to the nodes of the
/// remote groups its statuses were posted in).
#[derive(Deserialize, Default)]
pub struct ReportForm {
    account_id: Option<String>,
    #[serde(default, deserialize_with = "de::string_or_vec")]
    status_ids: Vec<String>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    forward: Option<bool>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default, deserialize_with = "ids")]
    rule_ids: Vec<String>,
}

/// Rule ids, as strings or (as some apps send them) numbers.
fn ids<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    use serde_json::Value;
    let one = |v: Value| match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Array(items)) => items.into_iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    })
}

/// POST /api/v1/reports
pub async fn create(ctx: Ctx, auth: Auth, Flex(f): Flex<ReportForm>) -> AppResult<Json<Report>> {
    auth.require("write:reports")?;
    let (me, _) = auth.user()?.clone();
    let account_id = f.account_id.filter(|a| !a.is_empty()).ok_or_else(|| {
        AppError::Unprocessable("Validation failed: account_id is missing".into())
    })?;
    let new = NewReport {
        account_id,
        status_ids: f.status_ids,
        comment: f.comment.unwrap_or_default(),
        forward: f.forward.unwrap_or(false),
        category: f.category,
        rule_ids: f.rule_ids,
    };
    let row = reports::create(ctx.app_data(), &me, new).await?;
    let base = ctx.config.base_url();
    let mut out = ctx
        .db
        .run(move |c| views::reports(c, std::slice::from_ref(&row), &me, &base))
        .await?;
    out.pop()
        .map(Json)
        .ok_or_else(|| AppError::internal("the new report has no account"))
}

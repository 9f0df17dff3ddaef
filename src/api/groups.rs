//! `PATCH /api/cohort/v1/groups/{group}`: a group's moderators (or the node's admins) change its
//! profile — display name, charter, approval of joins, listing in directories. Answers the group
//! as the Mastodon Account entity apps show it.

use super::{auth::Auth, entities::Account, form::de, form::Flex, views};
use crate::{
    error::AppResult,
    service::groups::{self, Editor, GroupChanges},
    state::Ctx,
};
use axum::{extract::Path, Json};
use serde::Deserialize;

/// What may change; absent fields keep their value.
#[derive(Deserialize)]
pub struct GroupForm {
    display_name: Option<String>,
    /// The charter, as plain text.
    summary: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    approval_required: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    discoverable: Option<bool>,
}

/// PATCH /api/cohort/v1/groups/{group}
pub async fn edit(
    ctx: Ctx,
    auth: Auth,
    Path(group): Path<String>,
    Flex(f): Flex<GroupForm>,
) -> AppResult<Json<Account>> {
    auth.require("write:accounts")?;
    let me = auth.user()?.0.id.clone();
    let changes = GroupChanges {
        display_name: f.display_name,
        summary: f.summary,
        approval_required: f.approval_required,
        discoverable: f.discoverable,
    };
    let row = groups::edit_group(&ctx, &group, Editor::Member(me), changes).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db.run(move |c| views::account(c, &row, &base)).await?,
    ))
}

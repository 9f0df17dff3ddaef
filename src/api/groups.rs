//! `PATCH /api/cohort/v1/groups/{group}`: a group's moderators (or the node's admins) change its
//! profile — display name, charter, approval of joins, listing in directories. Answers the group
//! as the Mastodon Account entity apps show it: 200 for a group of this node, changed; 202 for a
//! group of another node (`name@host`), asked to change.

use super::{auth::Auth, entities::Account, form::de, form::Flex, views};
use crate::{
    error::AppResult,
    service::groups::{self, Editor, GroupChanges},
    state::Ctx,
};
use axum::{extract::Path, http::StatusCode, Json};
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
) -> AppResult<(StatusCode, Json<Account>)> {
    auth.require("write:accounts")?;
    let me = auth.user()?.0.id.clone();
    let changes = GroupChanges {
        display_name: f.display_name,
        summary: f.summary,
        approval_required: f.approval_required,
        discoverable: f.discoverable,
    };
    // `name@host`: a group of another node, which decides; the copy here changes when it has.
    let (status, row) = match group.contains('@') {
        true => (
            StatusCode::ACCEPTED,
            groups::edit_remote_group(&ctx, &group, &me, changes).await?,
        ),
        false => (
            StatusCode::OK,
            groups::edit_group(&ctx, &group, Editor::Member(me), changes).await?,
        ),
    };
    let base = ctx.config.base_url();
    let account = ctx.db.run(move |c| views::account(c, &row, &base)).await?;
    Ok((status, Json(account)))
}

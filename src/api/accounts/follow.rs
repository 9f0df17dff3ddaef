//! Following and unfollowing accounts (and so joining groups), and relationships.

use super::{relationship_of, target_account};
use crate::api::{auth::Auth, entities::Relationship};
use crate::{error::AppResult, service::members, state::Ctx};
use axum::{extract::Path, Json};

/// Options of a follow (`reblogs` and `languages` are accepted and ignored).
#[derive(serde::Deserialize, Default)]
pub struct FollowForm {
    /// A `status` notification for each new post of the account (or in the group).
    #[serde(default, deserialize_with = "crate::api::form::de::opt_bool")]
    notify: Option<bool>,
}

/// POST /api/v1/accounts/{id}/follow — following a group joins it, local or remote. Following
/// again only changes `notify`.
pub async fn follow(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    crate::api::form::Flex(f): crate::api::form::Flex<FollowForm>,
) -> AppResult<Json<Relationship>> {
    auth.require("write:follows")?;
    let (me, _) = auth.user()?.clone();
    let target = target_account(&ctx, id).await?;
    crate::service::follows::follow_with(&ctx, &me, &target, f.notify).await?;
    Ok(Json(relationship_of(&ctx, &me, target.id).await?))
}

/// POST /api/v1/accounts/{id}/unfollow
pub async fn unfollow(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Relationship>> {
    auth.require("write:follows")?;
    let (me, _) = auth.user()?.clone();
    let target = target_account(&ctx, id).await?;
    members::unfollow_actor(&ctx, &me, &target).await?;
    Ok(Json(relationship_of(&ctx, &me, target.id).await?))
}

/// POST /api/v1/accounts/{id}/remove_from_followers — the account no longer follows the member
/// (its node hears `Reject{Follow}`); answered with the relationship whether it followed or not.
pub async fn remove_from_followers(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Relationship>> {
    auth.require("write:follows")?;
    let (me, _) = auth.user()?.clone();
    let follower = target_account(&ctx, id).await?;
    crate::service::follows::remove_follower(&ctx, &me, &follower).await?;
    Ok(Json(relationship_of(&ctx, &me, follower.id).await?))
}

/// GET /api/v1/accounts/relationships?id[]=…
pub async fn relationships(
    ctx: Ctx,
    auth: Auth,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> AppResult<Json<Vec<Relationship>>> {
    auth.require("read:follows")?;
    let (me, _) = auth.user()?.clone();
    let ids: Vec<String> = url::form_urlencoded::parse(q.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == "id[]" || k == "id")
        .map(|(_, v)| v.into_owned())
        .take(40)
        .collect();
    let mut out = Vec::new();
    for id in ids {
        out.push(relationship_of(&ctx, &me, id).await?);
    }
    Ok(Json(out))
}

//! Accounts: the signed-in member, lookup by `acct`, and accounts by id. Groups are accounts with
//! `group: true`.

use super::{
    auth::{Auth, MaybeAuth},
    entities::{Account, CredentialAccount, Relationship},
    views,
};
use crate::{
    db,
    error::{AppError, AppResult},
    service::members,
    state::Ctx,
};
use axum::{
    extract::{Path, Query},
    Json,
};
use serde::Deserialize;

/// GET /api/v1/accounts/verify_credentials
pub async fn verify_credentials(ctx: Ctx, auth: Auth) -> AppResult<Json<CredentialAccount>> {
    if !auth.0.scopes.allows("read:accounts") && !auth.0.scopes.allows("profile") {
        return Err(AppError::Forbidden(
            "This action is outside the authorized scopes".into(),
        ));
    }
    let (actor, user) = auth.user()?.clone();
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| views::credential_account(c, &actor, &user.role, &base))
            .await?,
    ))
}

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

async fn target_account(ctx: &Ctx, id: String) -> AppResult<crate::db::actors::ActorRow> {
    ctx.db
        .run(move |c| db::actors::by_id(c, &id))
        .await?
        .filter(|a| a.kind != "Organization")
        .ok_or_else(|| AppError::NotFound("Record not found".into()))
}

async fn relationship_of(
    ctx: &Ctx,
    me: &crate::db::actors::ActorRow,
    target_id: String,
) -> AppResult<Relationship> {
    let my_id = me.id.clone();
    Ok(ctx
        .db
        .run(move |c| {
            let out = db::follows::by_pair(c, &my_id, &target_id)?;
            let back = db::follows::by_pair(c, &target_id, &my_id)?;
            Ok(views::relationship(&target_id, out.as_ref(), back.as_ref()))
        })
        .await?)
}

/// Options of a follow (`reblogs` and `languages` are accepted and ignored).
#[derive(serde::Deserialize, Default)]
pub struct FollowForm {
    /// A `status` notification for each new post of the account (or in the group).
    #[serde(default, deserialize_with = "super::form::de::opt_bool")]
    notify: Option<bool>,
}

/// POST /api/v1/accounts/{id}/follow — following a group joins it, local or remote. Following
/// again only changes `notify`.
pub async fn follow(
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    super::form::Flex(f): super::form::Flex<FollowForm>,
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

/// GET /api/v1/accounts/{id}/statuses — an account's posts, newest first.
pub async fn statuses(
    ctx: Ctx,
    auth: MaybeAuth,
    Path(id): Path<String>,
    Query(page): Query<super::timelines::Page>,
) -> AppResult<axum::response::Response> {
    let viewer = auth
        .0
        .as_ref()
        .and_then(|a| a.user.as_ref())
        .map(|(a, _)| a.clone());
    let target = target_account(&ctx, id.clone()).await?;
    let base = ctx.config.base_url();
    let limit = page.limit();
    let max = page.max_id.clone();
    let rows = crate::service::reading::by_author(
        ctx.app_data(),
        crate::service::visibility::Viewer::of(viewer.as_ref()),
        target.id.clone(),
        max,
        limit,
    )
    .await?;
    let b = base.clone();
    let list: Vec<super::entities::Status> = ctx
        .db
        .run(move |c| {
            rows.iter()
                .map(|p| views::status(c, p, viewer.as_ref(), &b))
                .collect()
        })
        .await?;
    let ids = (
        list.first().map(|s| s.id.clone()),
        list.last().map(|s| s.id.clone()),
    );
    Ok(super::timelines::paged(
        list,
        ids,
        &format!("/api/v1/accounts/{id}/statuses"),
        &base,
    ))
}

async fn follow_list(
    ctx: Ctx,
    id: String,
    page: super::timelines::Page,
    followers: bool,
) -> AppResult<axum::response::Response> {
    let target = target_account(&ctx, id.clone()).await?;
    let base = ctx.config.base_url();
    let (limit, max) = (page.limit(), page.max_id.clone());
    let b = base.clone();
    let (accounts, last): (Vec<Account>, Option<String>) = ctx
        .db
        .run(move |c| {
            let rows = db::follows::page(c, &target.id, followers, max.as_deref(), limit)?;
            let last = rows.last().map(|(f, _)| f.clone());
            let accounts = rows
                .iter()
                .map(|(_, a)| views::account(c, a, &b))
                .collect::<Result<_, _>>()?;
            Ok((accounts, last))
        })
        .await?;
    let what = if followers { "followers" } else { "following" };
    Ok(super::timelines::paged(
        accounts,
        (None, last),
        &format!("/api/v1/accounts/{id}/{what}"),
        &base,
    ))
}

/// GET /api/v1/accounts/{id}/followers
pub async fn followers(
    ctx: Ctx,
    _auth: MaybeAuth,
    Path(id): Path<String>,
    Query(page): Query<super::timelines::Page>,
) -> AppResult<axum::response::Response> {
    follow_list(ctx, id, page, true).await
}

/// GET /api/v1/accounts/{id}/following
pub async fn following(
    ctx: Ctx,
    _auth: MaybeAuth,
    Path(id): Path<String>,
    Query(page): Query<super::timelines::Page>,
) -> AppResult<axum::response::Response> {
    follow_list(ctx, id, page, false).await
}

/// PATCH /api/v1/accounts/update_credentials (display name, note, locked; images are not stored yet).
#[derive(Deserialize)]
pub struct CredentialsForm {
    display_name: Option<String>,
    note: Option<String>,
    #[serde(default, deserialize_with = "super::form::de::opt_bool")]
    locked: Option<bool>,
}

/// Updates the signed-in member's profile and tells their followers (Update(Person)). `avatar`
/// and `header` are image files of a multipart body.
pub async fn update_credentials(
    ctx: Ctx,
    auth: Auth,
    super::form::FlexWithFiles { form: f, files }: super::form::FlexWithFiles<CredentialsForm>,
) -> AppResult<Json<CredentialAccount>> {
    auth.require("write:accounts")?;
    let (me, user) = auth.user()?.clone();
    // Images are checked before anything changes; stored only when the whole request is valid.
    let mut images_sent = Vec::new();
    for field in ["avatar", "header"] {
        if let Some(bytes) = files.get(field) {
            let ext = crate::service::media::check_profile_image(field, bytes)?;
            images_sent.push((field, ext, bytes));
        }
    }
    let display_name = f
        .display_name
        .map(|d| crate::domain::sanitize::plain(&d))
        .unwrap_or(me.display_name.clone());
    if display_name.chars().count() > 30 {
        return Err(AppError::Unprocessable(
            "Validation failed: display name is too long (maximum is 30 characters)".into(),
        ));
    }
    let note = match f.note {
        Some(n) if n.chars().count() > 500 => {
            return Err(AppError::Unprocessable(
                "Validation failed: note is too long (maximum is 500 characters)".into(),
            ))
        }
        Some(n) => members::text_to_html(&n, &crate::urls::Urls::new(&ctx.config)),
        None => me.summary.clone(),
    };
    let locked = f.locked.unwrap_or(me.manually_approves);
    let mut images = (me.avatar_url.clone(), me.header_url.clone());
    for (field, ext, bytes) in images_sent {
        let url = crate::service::media::store_profile_image(ctx.app_data(), ext, bytes).await?;
        if field == "avatar" {
            images.0 = Some(url);
        } else {
            images.1 = Some(url);
        }
    }
    let updated = members::update_profile(&ctx, &me, &display_name, &note, locked, images).await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| views::credential_account(c, &updated, &user.role, &base))
            .await?,
    ))
}

/// DELETE /api/v1/profile/avatar and /api/v1/profile/header — back to the default image.
pub async fn delete_profile_image(
    ctx: Ctx,
    auth: Auth,
    Path(image): Path<String>,
) -> AppResult<Json<CredentialAccount>> {
    auth.require("write:accounts")?;
    let (me, user) = auth.user()?.clone();
    let (avatar, header) = match image.as_str() {
        "avatar" => (None, me.header_url.clone()),
        "header" => (me.avatar_url.clone(), None),
        _ => return Err(AppError::NotFound("Record not found".into())),
    };
    let updated = members::update_profile(
        &ctx,
        &me,
        &me.display_name,
        &me.summary,
        me.manually_approves,
        (avatar, header),
    )
    .await?;
    let base = ctx.config.base_url();
    Ok(Json(
        ctx.db
            .run(move |c| views::credential_account(c, &updated, &user.role, &base))
            .await?,
    ))
}

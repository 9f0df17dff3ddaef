//! Search v2: accounts and groups by `@name@host` (resolved over WebFinger and signed fetches when
//! `resolve=true`), statuses by URL, and known accounts by name.

use super::{
    auth::MaybeAuth,
    entities::{Account, Search, Status, Tag},
    views,
};
use crate::{
    db,
    domain::names,
    error::{AppError, AppResult},
    federation::objects::{actor::DbActor, post::DbPost},
    service::members,
    state::Ctx,
};
use activitypub_federation::fetch::object_id::ObjectId;
use axum::{extract::Query, Json};
use serde::Deserialize;

/// Query parameters.
#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    resolve: Option<String>,
    limit: Option<String>,
}

/// GET /api/v1/accounts/search — the accounts part of search (`q`, `resolve`, `limit`).
pub async fn accounts(
    ctx: Ctx,
    auth: MaybeAuth,
    Query(mut p): Query<SearchQuery>,
) -> AppResult<Json<Vec<Account>>> {
    p.kind = Some("accounts".into());
    Ok(Json(search(ctx, auth, Query(p)).await?.0.accounts))
}

/// GET /api/v2/search
pub async fn search(
    ctx: Ctx,
    auth: MaybeAuth,
    Query(p): Query<SearchQuery>,
) -> AppResult<Json<Search>> {
    let q = p.q.unwrap_or_default().trim().to_string();
    if q.is_empty() {
        return Err(AppError::BadRequest("q is required".into()));
    }
    let signed_in = auth.0.as_ref().is_some_and(|a| a.user.is_some());
    if let Some(a) = &auth.0 {
        if !a.scopes.allows("read:search") {
            return Err(AppError::Forbidden(
                "This action is outside the authorized scopes".into(),
            ));
        }
    }
    // Only signed-in members may make this node fetch from peers.
    let resolve = signed_in && matches!(p.resolve.as_deref(), Some("true" | "1"));
    let limit = p
        .limit
        .and_then(|l| l.parse::<i64>().ok())
        .unwrap_or(20)
        .clamp(1, 40);
    let want = |t: &str| p.kind.as_deref().is_none_or(|k| k == t);
    let viewer = auth
        .0
        .as_ref()
        .and_then(|a| a.user.as_ref())
        .map(|(a, _)| a.clone());
    let base = ctx.config.base_url();

    let mut actors = Vec::new();
    let mut posts = Vec::new();
    if want("accounts")
        && names::parse_handle(&q).is_some()
        && q.trim_start_matches('@').contains('@')
    {
        let found = if resolve {
            members::resolve_handle(&ctx, &q).await.ok()
        } else {
            let (name, host) = names::parse_handle(&q).unwrap_or_default();
            let local = host == ctx.config.instance.domain.to_ascii_lowercase();
            ctx.db
                .run(move |c| {
                    if local {
                        db::actors::local_by_username(c, &name)
                    } else {
                        db::actors::remote_by_handle(c, &name, &host)
                    }
                })
                .await?
        };
        actors.extend(found);
    } else if let Ok(url) = url::Url::parse(&q) {
        if resolve {
            if want("accounts") {
                if let Ok(a) = ObjectId::<DbActor>::from(url.clone())
                    .dereference(&ctx)
                    .await
                {
                    actors.push(a.row);
                }
            }
            if actors.is_empty() && want("statuses") {
                if let Ok(post) = ObjectId::<DbPost>::from(url.clone())
                    .dereference(&ctx)
                    .await
                {
                    posts.push(post.row);
                }
            }
        } else {
            let u = url.to_string();
            let (a, s) = ctx
                .db
                .run(move |c| Ok((db::actors::by_ap_id(c, &u)?, db::posts::by_ap_id(c, &u)?)))
                .await?;
            actors.extend(a);
            posts.extend(s);
        }
    } else if want("accounts") {
        let needle = q.trim_start_matches('@').to_ascii_lowercase();
        actors.extend(
            ctx.db
                .run(move |c| db::actors::search(c, &needle, limit))
                .await?,
        );
    }
    // Hashtags by prefix (`#bio` or `bio`), most used first.
    let tag_prefix = names::normalize_hashtag(&q).filter(|_| want("hashtags"));
    actors.retain(|a| a.kind != "Organization");
    let posts = crate::service::reading::visible(
        ctx.app_data(),
        crate::service::visibility::Viewer::of(viewer.as_ref()),
        posts,
    )
    .await?;
    let (accounts, statuses, hashtags): (Vec<Account>, Vec<Status>, Vec<Tag>) = ctx
        .db
        .run(move |c| {
            let hashtags = match tag_prefix {
                Some(prefix) => db::tags::search(c, &prefix, limit)?
                    .iter()
                    .map(|(name, _)| views::tag(c, name, signed_in, &base))
                    .collect::<Result<Vec<_>, _>>()?,
                None => vec![],
            };
            let accounts = actors
                .iter()
                .map(|a| views::account(c, a, &base))
                .collect::<Result<Vec<_>, _>>()?;
            let statuses = posts
                .iter()
                .map(|p| views::status(c, p, viewer.as_ref(), &base))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((accounts, statuses, hashtags))
        })
        .await?;
    Ok(Json(Search {
        accounts,
        statuses,
        hashtags,
    }))
}

//! Search: accounts and groups by `@name@host` (fetched from their node when asked to resolve),
//! accounts and posts by URL, known accounts by name, hashtags by prefix. Posts found are shown
//! only when the audience rule lets the searcher see them.

use crate::{
    db::{self, actors::ActorRow, posts::PostRow},
    domain::{actor::ActorKind, names},
    error::{AppError, AppResult},
    service::{follows, reading, visibility::Viewer},
    state::Ctx,
};

/// What to look for.
pub struct Query {
    pub q: String,
    /// `accounts`, `statuses` or `hashtags`; all when `None`.
    pub kind: Option<String>,
    /// Fetch from peers what is not known here (signed-in members only).
    pub resolve: bool,
    pub limit: i64,
}

/// What was found: actors, posts the searcher may see, and hashtag names.
pub struct Found {
    pub actors: Vec<ActorRow>,
    pub posts: Vec<PostRow>,
    pub hashtags: Vec<String>,
}

/// Searches for `viewer` (anonymous when `None`; only members may make this node fetch).
pub async fn search(ctx: &Ctx, viewer: Option<&ActorRow>, query: Query) -> AppResult<Found> {
    let q = query.q.trim().to_string();
    if q.is_empty() {
        return Err(AppError::BadRequest("q is required".into()));
    }
    let resolve = query.resolve && viewer.is_some();
    let want = |t: &str| query.kind.as_deref().is_none_or(|k| k == t);
    let mut actors = Vec::new();
    let mut posts = Vec::new();
    if want("accounts")
        && names::parse_handle(&q).is_some()
        && q.trim_start_matches('@').contains('@')
    {
        actors.extend(by_handle(ctx, &q, resolve).await?);
    } else if let Ok(url) = url::Url::parse(&q) {
        if resolve {
            if want("accounts") {
                actors.extend(ctx.remote.actor_by_url(ctx, &url).await.ok());
            }
            if actors.is_empty() && want("statuses") {
                posts.extend(ctx.remote.post_by_url(ctx, &url).await.ok());
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
        let (needle, limit) = (q.trim_start_matches('@').to_ascii_lowercase(), query.limit);
        actors.extend(
            ctx.db
                .run(move |c| db::actors::search(c, &needle, limit))
                .await?,
        );
    }
    actors.retain(|a| a.kind != ActorKind::Organization);
    let posts = reading::visible(ctx.app_data(), Viewer::of(viewer), posts).await?;
    // Hashtags by prefix (`#bio` or `bio`), most used first.
    let hashtags = match names::normalize_hashtag(&q).filter(|_| want("hashtags")) {
        Some(prefix) => {
            let limit = query.limit;
            ctx.db
                .run(move |c| db::tags::search(c, &prefix, limit))
                .await?
                .into_iter()
                .map(|(name, _)| name)
                .collect()
        }
        None => vec![],
    };
    Ok(Found {
        actors,
        posts,
        hashtags,
    })
}

/// An actor by handle: fetched when resolving, else only as already known here.
async fn by_handle(ctx: &Ctx, q: &str, resolve: bool) -> AppResult<Option<ActorRow>> {
    if resolve {
        return Ok(follows::resolve_handle(ctx, q).await.ok());
    }
    let (name, host) = names::parse_handle(q).unwrap_or_default();
    let local = host == ctx.config.instance.domain.to_ascii_lowercase();
    Ok(ctx
        .db
        .run(move |c| {
            if local {
                db::actors::local_by_username(c, &name)
            } else {
                db::actors::remote_by_handle(c, &name, &host)
            }
        })
        .await?)
}

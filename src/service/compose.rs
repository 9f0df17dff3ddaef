//! Composing a status from the client API: what a Mastodon app sends, turned into a post. The
//! group is the replied-to post's, or the first group the text mentions; a retried request with
//! the same idempotency key returns the first post.

use crate::{
    db::{self, actors::ActorRow, posts::PostRow},
    domain::{names, time::now_ms},
    error::{AppError, AppResult},
    service::{
        follows::resolve_handle,
        media,
        posting::{publish_post, NewPoll, NewPost},
    },
    state::Ctx,
};

/// A status as an app composes it.
pub struct Compose {
    pub text: String,
    /// The local id of the post it replies to.
    pub in_reply_to_id: Option<String>,
    pub sensitive: bool,
    pub spoiler_text: Option<String>,
    pub visibility: Option<String>,
    pub media_ids: Vec<String>,
    pub poll: Option<NewPoll>,
    pub language: Option<String>,
    pub idempotency_key: Option<String>,
}

/// Posts a status for `me`; with an idempotency key already used, the post it made.
pub async fn compose(ctx: &Ctx, me: &ActorRow, c: Compose) -> AppResult<PostRow> {
    if let Some(k) = &c.idempotency_key {
        let (u, k) = (me.id.clone(), k.clone());
        let earlier = ctx
            .db
            .run(move |c| db::posts::by_idempotency_key(c, &u, &k, now_ms()))
            .await?;
        if let Some(post) = earlier {
            return Ok(post);
        }
    }
    let media = media::for_new_post(ctx.app_data(), me, c.media_ids).await?;
    let visibility = match c.visibility.as_deref() {
        None | Some("") => "public".to_string(),
        Some(v @ ("public" | "unlisted" | "private" | "direct")) => v.to_string(),
        Some(other) => {
            return Err(AppError::Unprocessable(format!(
                "Validation failed: visibility {other:?} is not valid"
            )))
        }
    };
    let (in_reply_to, group) = match c.in_reply_to_id.filter(|s| !s.is_empty()) {
        Some(parent) => parent_and_group(ctx, parent).await?,
        None => (None, None),
    };
    let group = match group {
        Some(g) => Some(g),
        None => mentioned_group(ctx, &c.text).await,
    };
    let new = NewPost {
        text: c.text,
        title: None,
        in_reply_to,
        sensitive: c.sensitive,
        content_warning: c.spoiler_text.filter(|s| !s.trim().is_empty()),
        visibility: Some(visibility),
        language: c.language,
    };
    let post = publish_post(ctx, me, group, new, media, c.poll)
        .await
        .map_err(|e| match e {
            AppError::Unprocessable(m) => {
                AppError::Unprocessable(format!("Validation failed: {m}"))
            }
            other => other,
        })?;
    if let Some(k) = c.idempotency_key {
        let (u, p) = (me.id.clone(), post.id.clone());
        ctx.db
            .run(move |c| db::posts::remember_idempotency_key(c, &u, &k, &p, now_ms()))
            .await?;
    }
    Ok(post)
}

/// The ActivityPub id of the replied-to post and its group; 404 when there is no such post.
async fn parent_and_group(
    ctx: &Ctx,
    parent_id: String,
) -> AppResult<(Option<String>, Option<ActorRow>)> {
    let (parent, group) = ctx
        .db
        .run(move |c| {
            let Some(p) = db::posts::by_id(c, &parent_id)? else {
                return Ok(None);
            };
            let g = match &p.group_id {
                Some(g) => db::actors::by_id(c, g)?,
                None => None,
            };
            Ok(Some((p, g)))
        })
        .await?
        .ok_or_else(|| AppError::NotFound("Record not found".into()))?;
    Ok((Some(parent.ap_id), group))
}

/// The first group the text mentions by handle (`@name@host`, or `@name` here), when it can be
/// found.
async fn mentioned_group(ctx: &Ctx, text: &str) -> Option<ActorRow> {
    for handle in names::mentioned_handles(text, &ctx.config.instance.domain) {
        if let Ok(actor) = resolve_handle(ctx, &handle).await {
            if actor.kind == "Group" {
                return Some(actor);
            }
        }
    }
    None
}

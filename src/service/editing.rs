//! Changing posts: a member edits their own post, or deletes it (a group's moderators may delete
//! any post in it). The change and its `Update`/`Delete` commit together.

use crate::domain::ids::{ActorId, PostId};
use crate::{
    db::{self, actors::ActorRow, posts::PostRow},
    domain::{names, sanitize, time::now_ms},
    error::{AppError, AppResult},
    service::{
        events::Event,
        outbound::{commit, Outbound},
        posting::check_text,
        users,
    },
    state::{AppState, Ctx},
    urls::Urls,
};

/// A post the member may change (their own, or — for deletion — one in a group they moderate),
/// with its group, or a clear error.
async fn own_post(
    ctx: &Ctx,
    me: &ActorRow,
    post_url: &str,
) -> AppResult<(PostRow, Option<ActorRow>)> {
    changeable_post(ctx, me, post_url, false).await
}

async fn changeable_post(
    ctx: &Ctx,
    me: &ActorRow,
    post_url: &str,
    moderators_too: bool,
) -> AppResult<(PostRow, Option<ActorRow>)> {
    let u = post_url.to_string();
    let post = ctx
        .db
        .run(move |c| db::posts::by_ap_id(c, &u))
        .await?
        .filter(|p| p.deleted_at.is_none())
        .ok_or_else(|| AppError::NotFound(format!("no post {post_url}")))?;
    let gid = post.group_id.clone();
    let m = me.id.clone();
    let (group, moderates) = ctx
        .db
        .run(move |c| {
            let Some(gid) = gid else {
                return Ok((None, false));
            };
            let group = db::actors::by_id(c, &gid)?;
            let moderates = db::actors::is_moderator(c, &gid, &m)?;
            Ok((group, moderates))
        })
        .await?;
    if post.author_id != me.id && !(moderators_too && moderates) {
        return Err(AppError::Forbidden(if moderators_too {
            "only the author or a moderator of the group can delete a post".into()
        } else {
            "only the author can change a post".into()
        }));
    }
    Ok((post, group))
}

/// Edits a post's text, keeping its content warning and language (Update(Note)).
pub async fn edit(ctx: &Ctx, member: &str, post_url: &str, text: &str) -> AppResult<PostRow> {
    let me = users::member(ctx.app_data(), member).await?;
    let (post, group) = own_post(ctx, &me, post_url).await?;
    let change = PostEdit {
        text: text.to_string(),
        content_warning: post.summary.clone(),
        sensitive: post.sensitive,
        language: post.language.clone(),
    };
    apply_edit(ctx, &me, post, group, change).await
}

/// The new state of an edited post.
pub struct PostEdit {
    pub text: String,
    pub content_warning: Option<String>,
    pub sensitive: bool,
    pub language: Option<String>,
}

/// Edits one's own post (by its ActivityPub id): text, content warning, sensitivity, language.
/// The replaced version joins the post's history; peers get an `Update`.
pub async fn edit_post(
    ctx: &Ctx,
    me: &ActorRow,
    post_url: &str,
    change: PostEdit,
) -> AppResult<PostRow> {
    let (post, group) = own_post(ctx, me, post_url).await?;
    apply_edit(ctx, me, post, group, change).await
}

async fn apply_edit(
    ctx: &Ctx,
    _me: &ActorRow,
    post: PostRow,
    _group: Option<ActorRow>,
    change: PostEdit,
) -> AppResult<PostRow> {
    let mentions = super::markup::mentions(ctx, &change.text).await;
    let (urls, local) = (Urls::new(&ctx.config), &ctx.config.instance.domain);
    let html = super::markup::html_with_mentions(&change.text, &urls, local, &mentions);
    let tags = names::hashtags(&change.text);
    let summary = change
        .content_warning
        .as_deref()
        .map(sanitize::plain)
        .filter(|s| !s.is_empty());
    let sensitive = change.sensitive || summary.is_some();
    let (id, language, text) = (post.id.clone(), change.language, change.text);
    let now = now_ms();
    commit(ctx.app_data(), move |c, out| {
        check_text(&text, !db::media::of_post(c, &id)?.is_empty())?;
        db::posts::update_content(
            c,
            &post,
            &html,
            post.name.as_deref(),
            summary.as_deref(),
            sensitive,
            now,
        )?;
        db::posts::set_language(c, &id, language.as_deref())?;
        db::tags::set_for_post(c, &id, &tags)?;
        out.emit(Outbound::UpdatePost {
            post_id: PostId(id.clone()),
            voters: vec![],
        });
        out.event(Event::Edited {
            post_id: id.clone(),
        });
        Ok(db::posts::by_id(c, &id)?.ok_or(db::DbError::NotFound)?)
    })
    .await
}

/// Deletes a post: one's own, or any post in a group one moderates (Delete; a local post then
/// answers 410 Gone).
pub async fn delete(ctx: &Ctx, member: &str, post_url: &str) -> AppResult<()> {
    let me = users::member(ctx.app_data(), member).await?;
    let (post, _group) = changeable_post(ctx, &me, post_url, true).await?;
    commit(ctx.app_data(), move |c, out| {
        db::posts::mark_deleted(c, &post.id, now_ms())?;
        out.emit(Outbound::DeletePost {
            post_id: PostId(post.id.clone()),
            actor_id: ActorId(me.id.clone()),
        });
        out.event(Event::Deleted {
            post_id: post.id.clone(),
        });
        Ok(())
    })
    .await
}

/// A peer's post was deleted at its origin (checked by the caller): it is marked deleted here
/// and open streams hear of it.
pub async fn forget(state: &AppState, post_id: &str) -> AppResult<()> {
    let id = post_id.to_string();
    commit(state, move |c, out| {
        db::posts::mark_deleted(c, &id, now_ms())?;
        out.event(Event::Deleted { post_id: id });
        Ok(())
    })
    .await
}

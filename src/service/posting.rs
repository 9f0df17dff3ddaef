//! Posting: a member writes a post (into a group, to followers, or to those it addresses), with
//! attachments or a poll. The post, its hashtags and mentions, its notifications and its outbound
//! intent commit together.

use crate::domain::ids::PostId;
use crate::{
    db::{self, actors::ActorRow, media::MediaRow, posts::PostRow},
    domain::{audience::PostVisibility, ids::new_id, names, sanitize, time::now_ms},
    error::{AppError, AppResult},
    service::{
        events::Event,
        follows::resolve_handle,
        groups, notifications,
        outbound::{commit, Intents, Outbound},
        users,
    },
    state::Ctx,
    urls::Urls,
};

/// What a member writes.
pub struct NewPost {
    pub text: String,
    pub title: Option<String>,
    pub in_reply_to: Option<String>,
    pub sensitive: bool,
    pub content_warning: Option<String>,
    /// `public` (default), `unlisted`, `private` (followers) or `direct`.
    pub visibility: Option<String>,
    /// ISO 639 language code (checked with `names::normalize_language`).
    pub language: Option<String>,
}

pub use super::markup::text_to_html;

/// Posts into a group (local or remote). Returns the stored post.
pub async fn post(ctx: &Ctx, member: &str, group_handle: &str, new: NewPost) -> AppResult<PostRow> {
    let me = users::member(ctx.app_data(), member).await?;
    let group = resolve_handle(ctx, group_handle).await?;
    if group.kind != "Group" {
        return Err(AppError::Unprocessable(format!(
            "{group_handle} is not a group"
        )));
    }
    publish_post(ctx, &me, Some(group), new, vec![], None).await
}

/// A poll to attach to a new post (a proposal's options, say).
pub struct NewPoll {
    pub options: Vec<String>,
    pub expires_in_secs: i64,
    pub multiple: bool,
}

impl NewPoll {
    /// Checks the limits the instance advertises.
    pub fn validate(&self, cfg: &crate::config::PollsConfig) -> AppResult<()> {
        use crate::domain::limits::{POLL_MAX_OPTIONS, POLL_MAX_OPTION_CHARS};
        let (min, max) = (cfg.min_expiration_secs, cfg.max_expiration_secs);
        if self.options.len() < 2 || self.options.len() > POLL_MAX_OPTIONS {
            return Err(AppError::Unprocessable(format!(
                "a poll needs 2 to {POLL_MAX_OPTIONS} options"
            )));
        }
        if self
            .options
            .iter()
            .any(|o| o.trim().is_empty() || o.chars().count() > POLL_MAX_OPTION_CHARS)
        {
            return Err(AppError::Unprocessable(format!(
                "poll options must be 1 to {POLL_MAX_OPTION_CHARS} characters"
            )));
        }
        if !(min..=max).contains(&self.expires_in_secs) {
            return Err(AppError::Unprocessable(format!(
                "poll expiry must be between {min} and {max} seconds"
            )));
        }
        Ok(())
    }
}

/// Stores a member's post and federates it: into `group` (local or remote) when given, else to the
/// member's followers; always to the members it mentions who may see it.
pub async fn publish_post(
    ctx: &Ctx,
    me: &ActorRow,
    group: Option<ActorRow>,
    new: NewPost,
    media: Vec<MediaRow>,
    poll: Option<NewPoll>,
) -> AppResult<PostRow> {
    let prepared = prepare(ctx, None, me, group, new, media, poll).await?;
    commit(ctx.app_data(), move |c, out| store(c, out, &prepared)).await
}

/// A checked post, ready to store: its row and everything that goes with it.
pub struct Prepared {
    pub row: PostRow,
    author: ActorRow,
    group: Option<ActorRow>,
    poll: Option<db::polls::PollRow>,
    tags: Vec<String>,
    /// The members and peers' actors it mentions (each once, never the author or a group).
    mentioned: Vec<ActorRow>,
    media: Vec<String>,
}

/// Checks a post and resolves what it mentions; nothing is stored yet. `id` is the id to give
/// the post (a proposal's post shares the proposal's); a new one when `None`.
pub async fn prepare(
    ctx: &Ctx,
    id: Option<String>,
    me: &ActorRow,
    group: Option<ActorRow>,
    new: NewPost,
    media: Vec<MediaRow>,
    poll: Option<NewPoll>,
) -> AppResult<Prepared> {
    if let Some(p) = &poll {
        p.validate(&ctx.config.polls)?;
        if !media.is_empty() {
            return Err(AppError::Unprocessable(
                "a post cannot have both attachments and a poll".into(),
            ));
        }
    }
    check_text(&new.text, !media.is_empty())?;
    let visibility: PostVisibility = match new.visibility.as_deref() {
        Some(v) => v.parse().map_err(AppError::Unprocessable)?,
        None => PostVisibility::Public,
    };
    let mentions = super::markup::mentions(ctx, &new.text).await;
    let mut mentioned: Vec<ActorRow> = Vec::new();
    for m in mentions
        .iter()
        .filter(|m| m.actor.kind == "Person" && m.actor.id != me.id)
    {
        if !mentioned.iter().any(|a| a.id == m.actor.id) {
            mentioned.push(m.actor.clone());
        }
    }
    let urls = Urls::new(&ctx.config);
    let id = id.unwrap_or_else(new_id);
    let now = now_ms();
    let row = PostRow {
        id: id.clone(),
        ap_id: urls.post(&id),
        kind: if poll.is_some() {
            "Question"
        } else if new.title.is_some() {
            "Page"
        } else {
            "Note"
        }
        .into(),
        author_id: me.id.clone(),
        group_id: group.as_ref().map(|g| g.id.clone()),
        in_reply_to: new.in_reply_to.clone(),
        name: new.title.as_deref().map(sanitize::plain),
        summary: new
            .content_warning
            .as_deref()
            .map(sanitize::plain)
            .filter(|s| !s.is_empty()),
        content: super::markup::html_with_mentions(
            &new.text,
            &urls,
            &ctx.config.instance.domain,
            &mentions,
        ),
        sensitive: new.sensitive
            || new
                .content_warning
                .as_deref()
                .is_some_and(|w| !w.trim().is_empty()),
        visibility,
        local: true,
        published: now,
        updated: None,
        deleted_at: None,
        created_at: now,
        language: new.language.clone(),
    };
    let poll_row = poll.as_ref().map(|p| db::polls::PollRow {
        post_id: row.id.clone(),
        multiple: p.multiple,
        options: serde_json::to_string(
            &p.options
                .iter()
                .map(|o| sanitize::plain(o))
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default(),
        remote_counts: None,
        expires_at: Some(now + p.expires_in_secs * 1000),
        created_at: now,
        remote_voters: None,
    });
    let tags = names::hashtags(&new.text);
    let media: Vec<String> = media.iter().map(|m| m.id.clone()).collect();
    Ok(Prepared {
        row,
        author: me.clone(),
        group,
        poll: poll_row,
        tags,
        mentioned,
        media,
    })
}

/// Stores a prepared post inside the caller's transaction and emits its `CreatePost` intent.
pub fn store(c: &mut db::DbConnection, out: &mut Intents, p: &Prepared) -> AppResult<PostRow> {
    let (row, me) = (&p.row, &p.author);
    if let Some(g) = p.group.as_ref().filter(|g| g.local) {
        groups::is_member(c, g, me)?;
    }
    let mentioned: Vec<String> = p.mentioned.iter().map(|a| a.id.clone()).collect();
    if db::posts::insert_if_new(c, row)? {
        db::weekly::bump(
            c,
            db::weekly::Counter::Statuses,
            row.created_at,
            &row.author_id,
        )?;
        db::tags::set_for_new_post(c, row, &p.tags, &mentioned)?;
    } else {
        db::tags::set_for_post(c, &row.id, &p.tags)?;
        db::tags::set_mentions(c, &row.id, &mentioned)?;
    }
    if !p.media.is_empty() {
        db::media::attach(c, &p.media, &row.id)?;
    }
    if let Some(poll) = &p.poll {
        db::polls::upsert(c, poll)?;
    }
    notifications::for_new_post(c, out, row, &p.mentioned)?;
    super::conversations::record(c, row)?;
    out.emit(Outbound::CreatePost {
        post_id: PostId(row.id.clone()),
    });
    out.event(Event::Posted {
        post_id: row.id.clone(),
    });
    Ok(row.clone())
}

/// A post needs text (unless it has attachments) within the length limit.
pub fn check_text(text: &str, has_media: bool) -> AppResult<()> {
    if text.trim().is_empty() && !has_media {
        return Err(AppError::Unprocessable("a post needs text".into()));
    }
    if text.chars().count() > crate::domain::limits::MAX_POST_CHARACTERS {
        return Err(AppError::Unprocessable(format!(
            "a post is limited to {} characters",
            crate::domain::limits::MAX_POST_CHARACTERS
        )));
    }
    Ok(())
}

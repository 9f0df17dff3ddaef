//! What a member does: follow and leave groups, post into them, edit and delete posts, read a
//! timeline. Used by `cohort admin as …` now and by the Mastodon API later.

use crate::{
    db::{self, actors::ActorRow, follows::FollowRow, posts::PostRow},
    domain::{ids::new_id, names, time::now_ms},
    error::{AppError, AppResult},
    federation::{
        objects::{actor::DbActor, post::note_json},
        outbox::{self, followers_of, public_and},
        policy::Audience,
        sanitize,
        urls::Urls,
    },
    service::{groups, users},
    state::{AppState, Ctx},
};
use activitypub_federation::fetch::webfinger::webfinger_resolve_actor;
use serde_json::{json, Map, Value};

/// Finds an actor by `@name@host`: locally when the host is this node, else through WebFinger
/// and a signed fetch (both subject to the peer policy).
pub async fn resolve_handle(ctx: &Ctx, handle: &str) -> AppResult<ActorRow> {
    let (name, host) = names::parse_handle(handle).ok_or_else(|| {
        AppError::BadRequest(format!("{handle:?} is not a handle like @name@host"))
    })?;
    if host == ctx.config.instance.domain.to_ascii_lowercase() {
        let n = name.clone();
        return ctx
            .db
            .run(move |c| db::actors::local_by_username(c, &n))
            .await?
            .ok_or_else(|| AppError::NotFound(format!("no local actor named {name}")));
    }
    let actor: DbActor = webfinger_resolve_actor(&format!("{name}@{host}"), ctx).await?;
    Ok(actor.row)
}

/// Follows (joins) an actor, usually a group, by handle. Returns the follow's state.
pub async fn follow(ctx: &Ctx, member: &str, handle: &str) -> AppResult<String> {
    let me = users::member(ctx.app_data(), member).await?;
    let target = resolve_handle(ctx, handle).await?;
    follow_actor(ctx, &me, &target).await
}

/// Follows (joins) a known actor. Returns the follow's state (`pending`/`accepted`, or `rejected`).
pub async fn follow_actor(ctx: &Ctx, me: &ActorRow, target: &ActorRow) -> AppResult<String> {
    if target.id == me.id {
        return Err(AppError::Unprocessable(
            "members cannot follow themselves".into(),
        ));
    }
    if target.kind == "Organization" {
        return Err(AppError::Unprocessable(
            "the organization actor cannot be followed".into(),
        ));
    }
    let urls = Urls::new(&ctx.config);
    let activity = outbox::build(
        &urls,
        "Follow",
        me,
        json!(target.ap_id),
        vec![target.ap_id.clone()],
        vec![],
        Map::new(),
    );
    if target.local {
        groups::receive_follow(ctx, me, target, &activity.ap_id, activity.json.clone()).await?;
    } else {
        let row = FollowRow {
            id: new_id(),
            follower_id: me.id.clone(),
            target_id: target.id.clone(),
            activity_ap_id: activity.ap_id.clone(),
            state: db::follows::PENDING.into(),
            created_at: now_ms(),
            notify: false,
        };
        ctx.db.run(move |c| db::follows::upsert(c, &row)).await?;
        outbox::publish(
            ctx.app_data(),
            me,
            &activity,
            std::slice::from_ref(target),
            &Audience::public(),
        )
        .await?;
    }
    let (a, b) = (me.id.clone(), target.id.clone());
    Ok(ctx
        .db
        .run(move |c| db::follows::by_pair(c, &a, &b))
        .await?
        .map(|f| f.state)
        .unwrap_or_else(|| "rejected".into()))
}

/// Leaves a group (Undo(Follow)), by handle.
pub async fn unfollow(ctx: &Ctx, member: &str, handle: &str) -> AppResult<()> {
    let me = users::member(ctx.app_data(), member).await?;
    let target = resolve_handle(ctx, handle).await?;
    if !unfollow_actor(ctx, &me, &target).await? {
        return Err(AppError::NotFound(format!(
            "{member} does not follow {handle}"
        )));
    }
    Ok(())
}

/// Stops following a known actor; returns whether a follow existed.
pub async fn unfollow_actor(ctx: &Ctx, me: &ActorRow, target: &ActorRow) -> AppResult<bool> {
    let (a, b) = (me.id.clone(), target.id.clone());
    let Some(follow) = ctx.db.run(move |c| db::follows::by_pair(c, &a, &b)).await? else {
        return Ok(false);
    };
    let fid = follow.id.clone();
    ctx.db.run(move |c| db::follows::delete(c, &fid)).await?;
    if !target.local {
        let urls = Urls::new(&ctx.config);
        let inner = json!({"id": follow.activity_ap_id, "type": "Follow", "actor": me.ap_id, "object": target.ap_id});
        let undo = outbox::build(
            &urls,
            "Undo",
            me,
            inner,
            vec![target.ap_id.clone()],
            vec![],
            Map::new(),
        );
        outbox::publish(
            ctx.app_data(),
            me,
            &undo,
            std::slice::from_ref(target),
            &Audience::public(),
        )
        .await?;
    }
    Ok(true)
}

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

/// Plain text to the HTML stored for local posts: escaped, paragraphs kept.
pub fn text_to_html(text: &str, urls: &Urls) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            format!(
                "<p>{}</p>",
                link_hashtags(&sanitize::escape(p), urls).replace('\n', "<br>")
            )
        })
        .collect()
}

/// Turns the hashtags of escaped text into links to their pages, as Mastodon marks them up.
fn link_hashtags(escaped: &str, urls: &Urls) -> String {
    let mut out = String::with_capacity(escaped.len());
    let mut last = 0;
    for (a, b) in crate::domain::names::hashtag_spans(escaped) {
        let name = &escaped[a + 1..b];
        out.push_str(&escaped[last..a]);
        out.push_str(&format!(
            "<a href=\"{}\" class=\"mention hashtag\" rel=\"tag\">#<span>{name}</span></a>",
            urls.tag(&name.to_lowercase())
        ));
        last = b;
    }
    out.push_str(&escaped[last..]);
    out
}

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
/// member's followers.
pub async fn publish_post(
    ctx: &Ctx,
    me: &ActorRow,
    group: Option<ActorRow>,
    new: NewPost,
    media: Vec<crate::db::media::MediaRow>,
    poll: Option<NewPoll>,
) -> AppResult<PostRow> {
    if let Some(p) = &poll {
        p.validate(&ctx.config.polls)?;
        if !media.is_empty() {
            return Err(AppError::Unprocessable(
                "a post cannot have both attachments and a poll".into(),
            ));
        }
    }
    if new.text.trim().is_empty() && media.is_empty() {
        return Err(AppError::Unprocessable("a post needs text".into()));
    }
    if new.text.chars().count() > crate::domain::limits::MAX_POST_CHARACTERS {
        return Err(AppError::Unprocessable(format!(
            "a post is limited to {} characters",
            crate::domain::limits::MAX_POST_CHARACTERS
        )));
    }
    if let Some(g) = group.as_ref().filter(|g| g.local) {
        groups::ensure_member(ctx, g, me).await?;
    }
    let urls = Urls::new(&ctx.config);
    let id = new_id();
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
        content: text_to_html(&new.text, &urls),
        sensitive: new.sensitive
            || new
                .content_warning
                .as_deref()
                .is_some_and(|w| !w.trim().is_empty()),
        visibility: new.visibility.clone().unwrap_or_else(|| "public".into()),
        local: true,
        published: now,
        updated: None,
        deleted_at: None,
        created_at: now,
        language: new.language.clone(),
    };
    let (r, ids) = (
        row.clone(),
        media.iter().map(|m| m.id.clone()).collect::<Vec<_>>(),
    );
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
    let tags = crate::domain::names::hashtags(&new.text);
    let t = tags.clone();
    let poll_state = ctx
        .db
        .run(move |c| {
            if db::posts::insert_if_new(c, &r)? {
                db::tags::set_for_post(c, &r.id, &t)?;
                db::notifications::for_new_post(c, &r, r.created_at)?;
            }
            db::media::attach(c, &ids, &r.id)?;
            if let Some(p) = &poll_row {
                db::polls::upsert(c, p)?;
            }
            crate::federation::objects::post::PollState::load(c, &r.id)
        })
        .await?;
    let note = serde_json::to_value(note_json(
        &row,
        &me.ap_id,
        group.as_ref().map(|g| g.ap_id.as_str()),
        &media,
        poll_state.as_ref(),
        &tags,
        &urls,
    )?)?;
    // Members mentioned by handle: tagged, notified when local, delivered to when remote.
    let mut mentioned = Vec::new();
    for handle in crate::domain::names::mentioned_handles(&new.text) {
        if let Ok(actor) = resolve_handle(ctx, &handle).await {
            if actor.kind == "Person"
                && actor.id != me.id
                && !mentioned.iter().any(|m: &ActorRow| m.id == actor.id)
            {
                mentioned.push(actor);
            }
        }
    }
    let mut note = note;
    for m in &mentioned {
        let tag = json!({"type": "Mention", "href": m.ap_id, "name": format!("@{}@{}", m.username, m.domain)});
        if let Some(tags) = note.get_mut("tag").and_then(|t| t.as_array_mut()) {
            tags.push(tag);
        } else {
            note["tag"] = json!([tag]);
        }
        if let Some(cc) = note.get_mut("cc").and_then(|c| c.as_array_mut()) {
            cc.push(json!(m.ap_id));
        }
    }
    let create = create_activity(&urls, "Create", me, group.as_ref(), note);
    let (create_id, create_json) = (create.ap_id.clone(), create.json.clone());
    send(ctx, me, group.as_ref(), create, Some(&row)).await?;
    let (pid, ids) = (
        row.id.clone(),
        mentioned.iter().map(|m| m.id.clone()).collect::<Vec<_>>(),
    );
    ctx.db
        .run(move |c| db::tags::set_mentions(c, &pid, &ids))
        .await?;
    for m in mentioned.iter().filter(|m| m.local) {
        crate::service::interactions::notify(ctx.app_data(), &m.id, "mention", me, Some(&row.id))
            .await?;
    }
    let remote: Vec<ActorRow> = mentioned.into_iter().filter(|m| !m.local).collect();
    if !remote.is_empty() {
        outbox::deliver(
            ctx.app_data(),
            me,
            &create_id,
            &create_json,
            &remote,
            &Audience::public(),
        )
        .await?;
    }
    Ok(row)
}

fn create_activity(
    urls: &Urls,
    kind: &str,
    me: &ActorRow,
    group: Option<&ActorRow>,
    object: Value,
) -> outbox::NewActivity {
    let mut extra = Map::new();
    let to = match group {
        Some(g) => {
            extra.insert("audience".into(), json!(g.ap_id));
            public_and(&g.ap_id)
        }
        None => vec![crate::federation::jsonld::PUBLIC.to_string()],
    };
    outbox::build(urls, kind, me, object, to, vec![followers_of(me)], extra)
}

/// Hands a member's activity to its group: directly when the group is local (the same check a
/// remote member's activity gets), else by delivery to the group's inbox. Without a group, the
/// activity goes to the member's followers.
async fn send(
    ctx: &Ctx,
    me: &ActorRow,
    group: Option<&ActorRow>,
    activity: outbox::NewActivity,
    new_post: Option<&PostRow>,
) -> AppResult<()> {
    let Some(group) = group else {
        let id = me.id.clone();
        let followers = ctx
            .db
            .run(move |c| db::follows::accepted_followers(c, &id))
            .await?;
        return outbox::publish(
            ctx.app_data(),
            me,
            &activity,
            &followers,
            &Audience::public(),
        )
        .await
        .map(|_| ());
    };
    if group.local {
        outbox::record(ctx.app_data(), me, &activity, true).await?;
        groups::ensure_member(ctx, group, me).await?;
        groups::announce(
            ctx,
            group,
            activity.json,
            new_post.map(|p| p.ap_id.as_str()),
        )
        .await
    } else {
        outbox::publish(
            ctx.app_data(),
            me,
            &activity,
            std::slice::from_ref(group),
            &Audience::public(),
        )
        .await
        .map(|_| ())
    }
}

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
    me: &ActorRow,
    post: PostRow,
    group: Option<ActorRow>,
    change: PostEdit,
) -> AppResult<PostRow> {
    let pid = post.id.clone();
    let has_media = !ctx
        .db
        .run(move |c| db::media::of_post(c, &pid))
        .await?
        .is_empty();
    if change.text.trim().is_empty() && !has_media {
        return Err(AppError::Unprocessable("a post needs text".into()));
    }
    if change.text.chars().count() > crate::domain::limits::MAX_POST_CHARACTERS {
        return Err(AppError::Unprocessable(format!(
            "a post is limited to {} characters",
            crate::domain::limits::MAX_POST_CHARACTERS
        )));
    }
    let html = text_to_html(&change.text, &Urls::new(&ctx.config));
    let tags = crate::domain::names::hashtags(&change.text);
    let summary = change
        .content_warning
        .as_deref()
        .map(sanitize::plain)
        .filter(|s| !s.is_empty());
    let sensitive = change.sensitive || summary.is_some();
    let (id, language) = (post.id.clone(), change.language);
    let now = now_ms();
    let updated = ctx
        .db
        .run(move |c| {
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
            db::posts::by_id(c, &id)?.ok_or(db::DbError::NotFound)
        })
        .await?;
    republish(ctx, me, &updated, group.as_ref(), &[]).await?;
    Ok(updated)
}

/// Sends the current state of a local post (`Update`) where its `Create` went, and also to
/// `also` (the remote voters of a poll, say).
pub(crate) async fn republish(
    ctx: &Ctx,
    author: &ActorRow,
    post: &PostRow,
    group: Option<&ActorRow>,
    also: &[ActorRow],
) -> AppResult<()> {
    use activitypub_federation::traits::Object;
    // The document peers fetch for this post, with its media, poll counts and hashtags.
    let note = serde_json::to_value(
        crate::federation::objects::post::DbPost::new(post.clone())?
            .into_json(ctx)
            .await?,
    )?;
    let update = create_activity(&Urls::new(&ctx.config), "Update", author, group, note);
    let (id, json) = (update.ap_id.clone(), update.json.clone());
    send(ctx, author, group, update, None).await?;
    if !also.is_empty() {
        outbox::deliver(
            ctx.app_data(),
            author,
            &id,
            &json,
            also,
            &Audience::public(),
        )
        .await?;
    }
    Ok(())
}

/// Deletes a post: one's own, or any post in a group one moderates (Delete; a local post then
/// answers 410 Gone).
pub async fn delete(ctx: &Ctx, member: &str, post_url: &str) -> AppResult<()> {
    let me = users::member(ctx.app_data(), member).await?;
    let (post, group) = changeable_post(ctx, &me, post_url, true).await?;
    let id = post.id.clone();
    ctx.db
        .run(move |c| db::posts::mark_deleted(c, &id, now_ms()))
        .await?;
    let urls = Urls::new(&ctx.config);
    let tombstone = json!({"id": post.ap_id, "type": "Tombstone"});
    let delete = create_activity(&urls, "Delete", &me, group.as_ref(), tombstone);
    send(ctx, &me, group.as_ref(), delete, None).await
}

/// A member's timeline entry: the post, its author and its group.
pub struct TimelineEntry {
    pub post: PostRow,
    pub author: ActorRow,
    pub group: Option<ActorRow>,
}

/// Newest posts in the groups a member belongs to.
pub async fn timeline(state: &AppState, member: &str, limit: i64) -> AppResult<Vec<TimelineEntry>> {
    let me = users::member(state, member).await?;
    Ok(state
        .db
        .run(move |c| {
            let posts = db::posts::timeline(c, &me.id, limit)?;
            posts
                .into_iter()
                .map(|p| {
                    let author =
                        db::actors::by_id(c, &p.author_id)?.ok_or(db::DbError::NotFound)?;
                    let group = match &p.group_id {
                        Some(g) => db::actors::by_id(c, g)?,
                        None => None,
                    };
                    Ok(TimelineEntry {
                        post: p,
                        author,
                        group,
                    })
                })
                .collect()
        })
        .await?)
}

/// Changes a member's profile and sends Update(Person) to their followers and groups.
pub async fn update_profile(
    ctx: &Ctx,
    me: &ActorRow,
    display_name: &str,
    summary_html: &str,
    locked: bool,
) -> AppResult<ActorRow> {
    let (id, d, s) = (
        me.id.clone(),
        display_name.to_string(),
        summary_html.to_string(),
    );
    let updated = ctx
        .db
        .run(move |c| {
            db::actors::update_profile(c, &id, &d, &s, locked, now_ms())?;
            db::actors::by_id(c, &id)?.ok_or(db::DbError::NotFound)
        })
        .await?;
    let urls = Urls::new(&ctx.config);
    let person = serde_json::to_value(crate::federation::objects::actor::local_actor_json(
        &updated, &urls,
    )?)?;
    let update = outbox::build(
        &urls,
        "Update",
        &updated,
        person,
        vec![crate::federation::jsonld::PUBLIC.to_string()],
        vec![followers_of(&updated)],
        Map::new(),
    );
    // Followers, and the nodes of the groups the member belongs to (they show the member's posts).
    let id = updated.id.clone();
    let recipients = ctx
        .db
        .run(move |c| {
            let mut to = db::follows::accepted_followers(c, &id)?;
            to.extend(
                db::follows::page(c, &id, false, None, 1000)?
                    .into_iter()
                    .map(|(_, a)| a)
                    .filter(|a| a.kind == "Group"),
            );
            Ok(to)
        })
        .await?;
    outbox::publish(
        ctx.app_data(),
        &updated,
        &update,
        &recipients,
        &Audience::public(),
    )
    .await?;
    Ok(updated)
}

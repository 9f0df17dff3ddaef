//! Notifications: the one place that decides who hears of what. A member is never notified of
//! their own actions (a poll's end excepted), only members with an account are notified, and a
//! notification about a post is raised only for members the audience rule lets see it.

use crate::{
    db::{
        self, actors::ActorRow, notifications::NotificationRow, posts::PostRow, DbConnection,
        DbResult,
    },
    domain::{
        ids::new_id,
        notification::{group_key, NotificationKind},
        time::now_ms,
    },
    error::{AppError, AppResult},
    service::{
        events::Event,
        outbound::Intents,
        push,
        visibility::{Sight, Viewer},
    },
    state::AppState,
};

/// Notifies the member `recipient` of `kind` by `from`, about `post` when there is one.
pub fn raise(
    conn: &mut DbConnection,
    out: &mut Intents,
    recipient: &str,
    kind: NotificationKind,
    from: &str,
    post: Option<&PostRow>,
) -> DbResult<()> {
    // A poll's end is news to its own author too; everything else is someone else's action.
    let own = recipient == from && kind != NotificationKind::Poll;
    if own || !db::users::exists(conn, recipient)? {
        return Ok(());
    }
    if let Some(p) = post {
        if !Sight::new(Viewer::Local(recipient.to_string())).may_see(conn, p)? {
            return Ok(());
        }
        // A muted conversation is quiet: nothing about a post in it, as Mastodon does.
        if crate::service::thread_mutes::muted(conn, recipient, p)? {
            return Ok(());
        }
    }
    let (id, now) = (new_id(), now_ms());
    let post_id = post.map(|p| p.id.clone());
    let row = NotificationRow {
        id: id.clone(),
        user_id: recipient.to_string(),
        kind,
        from_actor_id: from.to_string(),
        group_key: group_key(kind, post_id.as_deref(), now, &id),
        post_id,
        created_at: now,
        report_id: None,
    };
    db::notifications::insert(conn, &row)?;
    push::queue_for(conn, &row)?;
    out.event(Event::Notified {
        notification_id: id,
    });
    Ok(())
}

/// A post just stored: the members it mentions hear of it (`mention`), and so do those who asked
/// to be told of the author's or the group's new posts (`status`; for replies only when they
/// continue the author's own thread) — each only when they may see it. `mentioned` is what the
/// post's mentions were just stored as.
pub fn for_new_post(
    conn: &mut DbConnection,
    out: &mut Intents,
    post: &PostRow,
    mentioned: &[ActorRow],
) -> DbResult<()> {
    for_new_posts(conn, out, &[(post, mentioned)])
}

/// `for_new_post` for posts stored together: the followers who asked to be told are read once
/// for all of them.
pub fn for_new_posts(
    conn: &mut DbConnection,
    out: &mut Intents,
    posts: &[(&PostRow, &[ActorRow])],
) -> DbResult<()> {
    let mut told = Vec::with_capacity(posts.len());
    for (post, mentioned) in posts {
        for m in mentioned.iter().filter(|m| m.local) {
            raise(
                conn,
                out,
                &m.id,
                NotificationKind::Mention,
                &post.author_id,
                Some(post),
            )?;
        }
        if let Some(parent) = &post.in_reply_to {
            if db::posts::by_ap_id(conn, parent)?.is_none_or(|p| p.author_id != post.author_id) {
                continue;
            }
        }
        told.push((*post, *mentioned));
    }
    let mut targets: Vec<String> = told
        .iter()
        .flat_map(|(p, _)| std::iter::once(p.author_id.clone()).chain(p.group_id.clone()))
        .collect();
    targets.sort_unstable();
    targets.dedup();
    // Remote `published` times have whole seconds and clocks differ a little: a post counts as
    // newer than a follow made up to a minute after its time (backfilled history is older).
    let since = |p: &PostRow| p.published + 60_000;
    let Some(latest) = told.iter().map(|(p, _)| since(p)).max() else {
        return Ok(());
    };
    let follows = db::follows::notified_followers(conn, &targets, latest)?;
    for (post, mentioned) in told {
        let mut users: Vec<&str> = follows
            .iter()
            .filter(|(_, target, at)| {
                *at <= since(post)
                    && (*target == post.author_id || Some(target) == post.group_id.as_ref())
            })
            .map(|(user, _, _)| user.as_str())
            .collect();
        users.sort_unstable();
        users.dedup();
        for user in users {
            if !mentioned.iter().any(|m| m.id == user) {
                raise(
                    conn,
                    out,
                    user,
                    NotificationKind::Status,
                    &post.author_id,
                    Some(post),
                )?;
            }
        }
    }
    Ok(())
}

/// A member dismisses one of their notifications; 404 when it is not theirs.
pub async fn dismiss(state: &AppState, user_id: &str, id: &str) -> AppResult<()> {
    let (u, i) = (user_id.to_string(), id.to_string());
    if !state
        .db
        .run(move |c| db::notifications::dismiss(c, &u, &i))
        .await?
    {
        return Err(AppError::NotFound("Record not found".into()));
    }
    Ok(())
}

/// A member dismisses a group of notifications (grouped notifications); `ungrouped-{id}` names
/// one notification. 404 when the member has no such group.
pub async fn dismiss_group(state: &AppState, user_id: &str, key: &str) -> AppResult<()> {
    if let Some(id) = key.strip_prefix("ungrouped-") {
        return dismiss(state, user_id, id).await;
    }
    let (u, k) = (user_id.to_string(), key.to_string());
    if state
        .db
        .run(move |c| db::notifications::dismiss_group(c, &u, &k))
        .await?
        == 0
    {
        return Err(AppError::NotFound("Record not found".into()));
    }
    Ok(())
}

/// A member clears all their notifications.
pub async fn clear(state: &AppState, user_id: &str) -> AppResult<()> {
    let u = user_id.to_string();
    state
        .db
        .run(move |c| db::notifications::clear(c, &u))
        .await?;
    Ok(())
}

/// A member's read positions (`home`, `notifications`), by timeline.
pub async fn set_markers(
    state: &AppState,
    user_id: &str,
    set: Vec<(String, String)>,
) -> AppResult<()> {
    // Nothing to set is no error: Mastodon answers such a request with no markers.
    if set.is_empty() {
        return Ok(());
    }
    let u = user_id.to_string();
    state
        .db
        .tx(move |c| {
            for (t, id) in &set {
                db::notifications::set_marker(c, &u, t, id, now_ms())?;
            }
            Ok::<_, db::DbError>(())
        })
        .await?;
    Ok(())
}

/// Tells the admin or moderator `recipient` of the report `report_id` made by `from`
/// (`admin.report`, as Mastodon tells its moderators).
pub fn raise_report(
    conn: &mut DbConnection,
    out: &mut Intents,
    recipient: &str,
    from: &str,
    report_id: &str,
) -> DbResult<()> {
    if recipient == from || !db::users::exists(conn, recipient)? {
        return Ok(());
    }
    let (id, now) = (new_id(), now_ms());
    let kind = NotificationKind::AdminReport;
    let row = NotificationRow {
        id: id.clone(),
        user_id: recipient.to_string(),
        kind,
        from_actor_id: from.to_string(),
        group_key: group_key(kind, None, now, &id),
        post_id: None,
        created_at: now,
        report_id: Some(report_id.to_string()),
    };
    db::notifications::insert(conn, &row)?;
    push::queue_for(conn, &row)?;
    out.event(Event::Notified {
        notification_id: id,
    });
    Ok(())
}

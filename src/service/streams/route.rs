//! Which of one subscriber's streams an event reaches, and with what.

use super::Stream;
use crate::{
    db::{self, notifications::NotificationRow, posts::PostRow, DbConnection, DbResult},
    domain::audience::PostVisibility,
    service::{
        events::Event,
        lists,
        visibility::{Sight, Viewer},
    },
};

/// What a stream receives, as rows for the API to render for the subscriber.
#[derive(Debug, Clone)]
pub enum Item {
    /// A new post (`update`).
    Update(PostRow),
    /// A post was edited (`status.update`).
    StatusUpdate(PostRow),
    /// A post the stream may have shown was deleted (`delete`, with its id).
    Delete(String),
    /// A notification for the subscriber (`notification`).
    Notification(NotificationRow),
    /// A direct post to or by the subscriber (`conversation`).
    Conversation(PostRow),
}

/// One message for a subscriber: the index of the stream (in the slice given to [`route`]) and
/// what it receives.
pub type Routed = (usize, Item);

/// What `event` brings to each of `streams`, for the member `me` (or an anonymous subscriber).
/// Nothing at all unless the audience rule lets the subscriber see the post.
pub fn route(
    conn: &mut DbConnection,
    me: Option<&str>,
    streams: &[Stream],
    event: &Event,
) -> DbResult<Vec<Routed>> {
    let post_id = match event {
        Event::Notified { notification_id } => return notified(conn, me, streams, notification_id),
        Event::Posted { post_id } | Event::Edited { post_id } | Event::Deleted { post_id } => {
            post_id
        }
    };
    let Some(post) = db::posts::by_id(conn, post_id)? else {
        return Ok(vec![]);
    };
    let deleted = matches!(event, Event::Deleted { .. });
    let mut sight = Sight::new(me.map_or(Viewer::Anonymous, |m| Viewer::Local(m.to_string())));
    let seen = if deleted {
        sight.may_see_content(conn, &post)?
    } else {
        sight.may_see(conn, &post)?
    };
    // A muted account's posts leave every stream (their deletions may still pass).
    if !seen || (!deleted && sight.mutes(conn, &post.author_id)?) {
        return Ok(vec![]);
    }
    let mut out = Vec::new();
    for (i, stream) in streams.iter().enumerate() {
        if !reaches(conn, &mut sight, me, stream, &post)? {
            continue;
        }
        let item = match (event, stream) {
            (Event::Deleted { .. }, _) => Item::Delete(post.id.clone()),
            (Event::Posted { .. }, Stream::Direct) => Item::Conversation(post.clone()),
            (Event::Edited { .. }, Stream::Direct) => continue,
            (Event::Posted { .. }, _) => Item::Update(post.clone()),
            _ => Item::StatusUpdate(post.clone()),
        };
        out.push((i, item));
    }
    Ok(out)
}

/// Whether a post (that the subscriber may see) belongs on `stream`.
fn reaches(
    conn: &mut DbConnection,
    sight: &mut Sight,
    me: Option<&str>,
    stream: &Stream,
    post: &PostRow,
) -> DbResult<bool> {
    let listed = |conn: &mut DbConnection, sight: &mut Sight, local: Option<bool>| {
        Ok::<_, db::DbError>(
            local.is_none_or(|l| post.local == l) && sight.audience(conn, post)?.is_listed(),
        )
    };
    Ok(match stream {
        Stream::User => match me {
            Some(me) => in_home(conn, me, post)?,
            None => false,
        },
        Stream::Public { local, media } => {
            listed(conn, sight, *local)?
                && (!media || !db::media::of_post(conn, &post.id)?.is_empty())
        }
        Stream::Hashtag { tag, local } => {
            listed(conn, sight, local.then_some(true))?
                && db::tags::of_post(conn, &post.id)?.iter().any(|t| t == tag)
        }
        Stream::Direct => match me {
            Some(me) => {
                post.visibility == PostVisibility::Direct
                    && (post.author_id == me || db::tags::mentions(conn, &post.id, me)?)
            }
            None => false,
        },
        Stream::List(id) => match me {
            Some(me) => match db::lists::get(conn, me, id)? {
                Some(list) => {
                    lists::is_from(conn, &list, post)? && lists::shows(conn, &list, post)?
                }
                None => false,
            },
            None => false,
        },
        Stream::UserNotification => false,
    })
}

/// The home timeline's sources (`db::posts::home`): the member's own posts, posts by actors they
/// follow, posts in groups they belong to and public posts with hashtags they follow.
/// Accounts on the member's exclusive lists are left out, as there.
fn in_home(conn: &mut DbConnection, me: &str, post: &PostRow) -> DbResult<bool> {
    if post.author_id == me {
        return Ok(true);
    }
    let exclusive = db::lists::exclusive_accounts(conn, me)?;
    let source = |conn: &mut DbConnection, id: &str| {
        Ok::<_, db::DbError>(
            !exclusive.iter().any(|e| e == id) && db::follows::is_accepted(conn, me, id)?,
        )
    };
    if source(conn, &post.author_id)? {
        return Ok(true);
    }
    if let Some(g) = &post.group_id {
        if source(conn, g)? {
            return Ok(true);
        }
    }
    // A public post with a hashtag the member follows, by someone who does not block them.
    if post.visibility != PostVisibility::Public
        || db::blocks::by_pair(conn, &post.author_id, me)?.is_some()
    {
        return Ok(false);
    }
    let tags = db::tags::of_post(conn, &post.id)?;
    let names: Vec<&str> = tags.iter().map(String::as_str).collect();
    Ok(!db::followed_tags::followed_among(conn, me, &names)?.is_empty())
}

fn notified(
    conn: &mut DbConnection,
    me: Option<&str>,
    streams: &[Stream],
    id: &str,
) -> DbResult<Vec<Routed>> {
    let Some(me) = me else {
        return Ok(vec![]);
    };
    let Some(n) = db::notifications::get(conn, me, id)? else {
        return Ok(vec![]);
    };
    if db::notifications::hidden(conn, me, &n.from_actor_id)? {
        return Ok(vec![]);
    }
    Ok(streams
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s, Stream::User | Stream::UserNotification))
        .map(|(i, _)| (i, Item::Notification(n.clone())))
        .collect())
}

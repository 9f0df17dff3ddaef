//! Reading posts: one status, a thread, an author's posts, the timelines. Every list is filtered
//! by the audience rule ([`Sight`]) for the reader who asks, and pages are refilled when the rule
//! hides rows, so a page is never cut short by what the reader may not see.

use super::visibility::{Sight, Viewer};
use crate::{
    db::{self, posts::PostRow, DbConnection, DbResult},
    error::{AppError, AppResult},
    state::AppState,
};

/// At most this many extra rounds are read to fill one page past hidden posts.
const REFILL_ROUNDS: usize = 8;

/// Newest-first rows below a cursor, filtered a page at a time by `keep`, until `limit` are
/// found or the rows end.
pub(crate) fn fill<F, K>(
    conn: &mut DbConnection,
    limit: i64,
    mut max: Option<String>,
    mut fetch: F,
    mut keep: K,
) -> DbResult<Vec<PostRow>>
where
    F: FnMut(&mut DbConnection, Option<&str>, i64) -> DbResult<Vec<PostRow>>,
    K: FnMut(&mut DbConnection, Vec<PostRow>) -> DbResult<Vec<PostRow>>,
{
    let mut out = Vec::new();
    for _ in 0..REFILL_ROUNDS {
        let rows = fetch(conn, max.as_deref(), limit)?;
        let exhausted = (rows.len() as i64) < limit;
        max = rows.last().map(|p| p.id.clone());
        for p in keep(conn, rows)? {
            if (out.len() as i64) < limit {
                out.push(p);
            }
        }
        if exhausted || out.len() as i64 >= limit || max.is_none() {
            break;
        }
    }
    Ok(out)
}

/// The answer for a post that is missing or hidden from the reader: the same for both.
pub fn not_found() -> AppError {
    AppError::NotFound("Record not found".into())
}

/// A post by local id, if `viewer` may see it; a 404 otherwise (the same as a missing post, so
/// hidden posts cannot be probed).
pub async fn status(state: &AppState, viewer: Viewer, id: String) -> AppResult<PostRow> {
    state
        .db
        .run(move |c| status_in(c, viewer, &id))
        .await?
        .ok_or_else(not_found)
}

/// [`status`] on a connection the caller holds, for a caller that renders it on the same one;
/// `None` when missing or hidden. The post is read with its author and group.
pub fn status_in(conn: &mut DbConnection, viewer: Viewer, id: &str) -> DbResult<Option<PostRow>> {
    let Some((p, author, group)) = db::posts::with_actors(conn, id)? else {
        return Ok(None);
    };
    let mut sight = Sight::new(viewer).knowing(&author);
    if let Some(g) = &group {
        sight = sight.knowing(g);
    }
    Ok(sight.retain(conn, vec![p])?.pop())
}

/// The thread around `post` as `viewer` may see it: ancestors (oldest first) and descendants.
/// A hidden post hides nothing else, but a hidden ancestor ends the walk up.
pub async fn context(
    state: &AppState,
    viewer: Viewer,
    post: PostRow,
) -> AppResult<(Vec<PostRow>, Vec<PostRow>)> {
    Ok(state
        .db
        .run(move |c| {
            let mut sight = Sight::new(viewer);
            let mut ancestors = Vec::new();
            let mut cursor = post.in_reply_to.clone();
            while let Some(ap) = cursor.take() {
                let Some(p) = db::posts::by_ap_id(c, &ap)? else {
                    break;
                };
                if ancestors.len() >= 40 || !sight.may_see(c, &p)? {
                    break;
                }
                cursor = p.in_reply_to.clone();
                ancestors.push(p);
            }
            ancestors.reverse();
            let descendants = descendants_of(c, &mut sight, &post.ap_id)?;
            Ok((ancestors, descendants))
        })
        .await?)
}

/// The replies below `root` that the view may see, at most 200, read a level of the thread at a
/// time and given in thread order (each reply followed by its own replies, oldest first). A
/// hidden reply hides its own replies too.
fn descendants_of(c: &mut DbConnection, sight: &mut Sight, root: &str) -> DbResult<Vec<PostRow>> {
    const MOST: usize = 200;
    let mut children: std::collections::HashMap<String, Vec<PostRow>> = Default::default();
    let (mut frontier, mut found) = (vec![root.to_string()], 0);
    while !frontier.is_empty() && found < MOST {
        let rows = db::posts::replies_to_any(c, &frontier)?;
        let replies = sight.retain(c, rows)?;
        frontier = replies.iter().map(|r| r.ap_id.clone()).collect();
        for r in replies.into_iter().take(MOST - found) {
            found += 1;
            children
                .entry(r.in_reply_to.clone().unwrap_or_default())
                .or_default()
                .push(r);
        }
    }
    let mut out = Vec::with_capacity(found);
    let mut stack: Vec<PostRow> = children.remove(root).unwrap_or_default();
    stack.reverse();
    while let Some(p) = stack.pop() {
        let mut below = children.remove(&p.ap_id).unwrap_or_default();
        below.reverse();
        stack.extend(below);
        out.push(p);
    }
    Ok(out)
}

/// An author's posts that `viewer` may see, newest first, narrowed by `filter`.
pub async fn by_author(
    state: &AppState,
    viewer: Viewer,
    author_id: String,
    filter: db::posts::AuthorFilter,
    w: Window,
) -> AppResult<Vec<PostRow>> {
    Ok(state
        .db
        .run(move |c| {
            let mut sight = Sight::new(viewer);
            if w.min.is_some() && !w.since_only {
                let rows = db::posts::by_author(c, &author_id, &filter, w.keys())?;
                return sight.retain(c, rows);
            }
            let min = w.min.clone();
            fill(
                c,
                w.limit,
                w.max.clone(),
                |c, max, limit| {
                    let keys = db::Keys {
                        max,
                        min: min.as_deref(),
                        ascending: false,
                        limit,
                    };
                    db::posts::by_author(c, &author_id, &filter, keys)
                },
                |c, rows| sight.retain(c, rows),
            )
        })
        .await?)
}

/// Paging of a timeline: below `max`, above `min`; `since_only` keeps the newest posts above
/// `min` (since_id) instead of the oldest ones (min_id).
pub struct Window {
    pub max: Option<String>,
    pub min: Option<String>,
    pub since_only: bool,
    pub limit: i64,
}

impl Window {
    /// The page's keys for the database.
    pub fn keys(&self) -> db::Keys<'_> {
        db::Keys {
            max: self.max.as_deref(),
            min: self.min.as_deref(),
            ascending: self.min.is_some() && !self.since_only,
            limit: self.limit,
        }
    }
}

/// A member's home timeline, as the rule lets them see it.
pub async fn home(state: &AppState, me: String, w: Window) -> AppResult<Vec<PostRow>> {
    Ok(state
        .db
        .run(move |c| {
            let mut sight = Sight::new(Viewer::Local(me.clone()));
            if w.min.is_some() && !w.since_only {
                let rows = db::posts::home(c, &me, w.max.as_deref(), w.min.as_deref(), w.limit)?;
                return sight.retain_unmuted(c, rows);
            }
            let mut rows = fill(
                c,
                w.limit,
                w.max,
                |c, max, limit| db::posts::home(c, &me, max, None, limit),
                |c, rows| sight.retain_unmuted(c, rows),
            )?;
            rows.retain(|p| w.min.as_deref().is_none_or(|m| p.id.as_str() > m));
            Ok(rows)
        })
        .await?)
}

/// A member's direct timeline: direct posts they wrote or that mention them, as the rule lets
/// them see them (a mention alone admits nobody the rule keeps out).
pub async fn direct(state: &AppState, me: String, w: Window) -> AppResult<Vec<PostRow>> {
    Ok(state
        .db
        .run(move |c| {
            let mut sight = Sight::new(Viewer::Local(me.clone()));
            if w.min.is_some() && !w.since_only {
                let mut rows = db::posts::direct_page(c, &me, w.keys())?;
                rows.reverse();
                return sight.retain(c, rows);
            }
            let min = w.min.clone();
            fill(
                c,
                w.limit,
                w.max.clone(),
                |c, max, limit| {
                    let keys = db::Keys {
                        max,
                        min: min.as_deref(),
                        ascending: false,
                        limit,
                    };
                    db::posts::direct_page(c, &me, keys)
                },
                |c, rows| sight.retain(c, rows),
            )
        })
        .await?)
}

/// The public (or hashtag) timeline: listed posts only, less what the viewer blocks, is blocked
/// by or mutes; with `only_media`, posts with attachments only.
pub async fn public(
    state: &AppState,
    viewer: Viewer,
    local: Option<bool>,
    tag: Option<String>,
    only_media: bool,
    w: Window,
) -> AppResult<Vec<PostRow>> {
    listed(
        state,
        viewer,
        local,
        tag.map(db::posts::TagQuery::only),
        only_media,
        w,
    )
    .await
}

/// The public timeline, or a hashtag timeline with its extra hashtags (`any`, `all`, `none`).
pub async fn listed(
    state: &AppState,
    viewer: Viewer,
    local: Option<bool>,
    tag: Option<db::posts::TagQuery>,
    only_media: bool,
    w: Window,
) -> AppResult<Vec<PostRow>> {
    Ok(state
        .db
        .run(move |c| {
            let mut sight = Sight::new(viewer);
            let tag = tag.as_ref();
            let mut keep = |c: &mut DbConnection, rows: Vec<PostRow>| -> DbResult<Vec<PostRow>> {
                let mut rows = sight.retain_listed(c, rows)?;
                if only_media {
                    let ids: Vec<String> = rows.iter().map(|p| p.id.clone()).collect();
                    let with = db::media::posts_with_media(c, &ids)?;
                    rows.retain(|p| with.contains(&p.id));
                }
                Ok(rows)
            };
            if w.min.is_some() && !w.since_only {
                let rows =
                    db::posts::public(c, local, tag, w.max.as_deref(), w.min.as_deref(), w.limit)?;
                return keep(c, rows);
            }
            let mut rows = fill(
                c,
                w.limit,
                w.max,
                |c, max, limit| db::posts::public(c, local, tag, max, None, limit),
                keep,
            )?;
            rows.retain(|p| w.min.as_deref().is_none_or(|m| p.id.as_str() > m));
            Ok(rows)
        })
        .await?)
}

/// A member's favourites or bookmarks that they may still see: `(newest and oldest mark id,
/// posts)`.
pub async fn marked(
    state: &AppState,
    me: String,
    bookmarks: bool,
    w: Window,
) -> AppResult<(Vec<PostRow>, (Option<String>, Option<String>))> {
    Ok(state
        .db
        .run(move |c| {
            let rows = db::interactions::marked_posts(c, &me, bookmarks, w.keys())?;
            let marks = (
                rows.first().map(|(m, _)| m.clone()),
                rows.last().map(|(m, _)| m.clone()),
            );
            let mut sight = Sight::new(Viewer::Local(me));
            let posts = sight.retain(c, rows.into_iter().map(|(_, p)| p).collect())?;
            Ok((posts, marks))
        })
        .await?)
}

/// The posts of `ids` that exist and `viewer` may see, in the order asked (each id once).
pub async fn by_ids(state: &AppState, viewer: Viewer, ids: Vec<String>) -> AppResult<Vec<PostRow>> {
    Ok(state
        .db
        .run(move |c| {
            let mut wanted: Vec<String> = Vec::with_capacity(ids.len());
            for id in ids {
                if !wanted.contains(&id) {
                    wanted.push(id);
                }
            }
            let mut rows = db::posts::by_ids(c, &wanted)?;
            rows.retain(|p| p.deleted_at.is_none());
            let rank = |id: &str| wanted.iter().position(|w| w == id);
            rows.sort_by_key(|p| rank(&p.id));
            Sight::new(viewer).retain(c, rows)
        })
        .await?)
}

/// The posts of `posts` that `viewer` may see (search results, say).
pub async fn visible(
    state: &AppState,
    viewer: Viewer,
    posts: Vec<PostRow>,
) -> AppResult<Vec<PostRow>> {
    Ok(state
        .db
        .run(move |c| Sight::new(viewer).retain(c, posts))
        .await?)
}

/// Whether anyone at all may see `post` (only such posts may be boosted: a boost shows a post to
/// the booster's followers, whoever they are).
pub async fn is_public(state: &AppState, post: PostRow) -> AppResult<bool> {
    Ok(state
        .db
        .run(move |c| Sight::new(Viewer::Anonymous).may_see(c, &post))
        .await?)
}

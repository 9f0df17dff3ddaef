//! What a page of posts shows besides the posts themselves (authors, groups, parents, mentions,
//! counts, media, hashtags, polls and the reader's own marks), read in a fixed number of
//! statements for the whole page: each read takes every id of the page at once.

use super::{
    actors::ActorRow, media::MediaRow, polls::PollRow, posts::PostRow, schema::actors,
    DbConnection, DbResult,
};

mod attachments;
mod counts;
mod follow_counts;
use crate::db::{
    direct,
    fixed::{Bind, Fixed, Template},
    ids_in,
};
use diesel::{prelude::*, sql_types::Text};
use std::collections::{HashMap, HashSet};

/// The counts an account shows: followers, following, live statuses, last status time.
#[derive(Debug, Clone, Copy, Default)]
pub struct ActorCounts {
    pub followers: i64,
    pub following: i64,
    pub statuses: i64,
    pub last_status_at: Option<i64>,
}

/// The stored facts about a page of posts, by post id (or actor id, or parent `ap_id`).
#[derive(Debug, Default)]
pub struct PageFacts {
    pub actors: HashMap<String, ActorRow>,
    pub counts: HashMap<String, ActorCounts>,
    /// Parent `ap_id` → (parent's local id, parent's author id).
    pub parents: HashMap<String, (String, String)>,
    /// Post id → mentioned actor ids, by username.
    pub mentions: HashMap<String, Vec<String>>,
    pub favourites: HashMap<String, i64>,
    pub reblogs: HashMap<String, i64>,
    /// Post `ap_id` → live replies.
    pub replies: HashMap<String, i64>,
    pub media: HashMap<String, Vec<MediaRow>>,
    pub tags: HashMap<String, Vec<String>>,
    pub polls: HashMap<String, PollRow>,
    /// Post id → (choice, voter id) of every vote.
    pub votes: HashMap<String, Vec<(i32, String)>>,
    /// Posts the reader favourited, boosted, bookmarked.
    pub favourited: HashSet<String>,
    pub reblogged: HashSet<String>,
    pub bookmarked: HashSet<String>,
    /// The reader's own posts that they pinned to their profile.
    pub pinned: HashSet<String>,
    /// Posts in threads the reader muted.
    pub muted: HashSet<String>,
}

pub(super) fn grouped<V>(rows: Vec<(String, V)>) -> HashMap<String, Vec<V>> {
    let mut out: HashMap<String, Vec<V>> = HashMap::new();
    for (k, v) in rows {
        out.entry(k).or_default().push(v);
    }
    out
}

/// What links a page's posts to others: mentions (`m`: post id, actor id, by username),
/// hashtags (`t`: post id, name) and the parents of replies (`p`: parent `ap_id`, its id, its
/// author id).
struct Links;

impl Template for Links {
    const SQL: &'static str = "SELECT 'm' AS kind, post_mentions.post_id AS k, \
        post_mentions.actor_id AS a, actors.username AS b FROM post_mentions \
        INNER JOIN actors ON actors.id = post_mentions.actor_id WHERE post_mentions.post_id {in} \
        UNION ALL SELECT 't' AS kind, post_id AS k, name AS a, name AS b FROM post_tags \
        WHERE post_id {in} \
        UNION ALL SELECT 'p' AS kind, ap_id AS k, id AS a, author_id AS b FROM posts \
        WHERE ap_id {in} ORDER BY 1, 4";
    type SqlType = (Text, Text, Text, Text);
}

impl PageFacts {
    /// Reads the facts about `posts` for `reader` (a local actor id, if signed in); `extra_actors`
    /// are shown too (boosters, notification senders).
    pub fn load(
        conn: &mut DbConnection,
        posts: &[&PostRow],
        extra_actors: &[String],
        reader: Option<&str>,
    ) -> DbResult<PageFacts> {
        if posts.is_empty() && extra_actors.is_empty() {
            return Ok(PageFacts::default());
        }
        let ids: Vec<&str> = posts.iter().map(|p| p.id.as_str()).collect();
        let parent_ids: Vec<&str> = posts
            .iter()
            .filter_map(|p| p.in_reply_to.as_deref())
            .collect();
        let mut f = PageFacts::default();
        let links: Vec<(String, String, String, String)> = if ids.is_empty() {
            Vec::new()
        } else {
            direct!(conn, |c| {
                let page = Bind::ids(&ids);
                let binds = vec![page.clone(), page, Bind::ids(&parent_ids)];
                Fixed::<Links>::new(binds).load(c)
            })?
        };
        let (mut mentions, mut tags) = (Vec::new(), Vec::new());
        for (kind, key, a, b) in links {
            match kind.as_str() {
                "m" => mentions.push((key, a)),
                "t" => tags.push((key, a)),
                _ => {
                    f.parents.insert(key, (a, b));
                }
            }
        }
        f.tags = grouped(tags);
        let mut shown: HashSet<String> = extra_actors.iter().cloned().collect();
        for p in posts {
            shown.insert(p.author_id.clone());
            shown.extend(p.group_id.clone());
        }
        shown.extend(mentions.iter().map(|(_, a)| a.clone()));
        f.mentions = grouped(mentions);
        f.load_actors(conn, shown.iter().map(String::as_str).collect())?;
        if !posts.is_empty() {
            f.load_counts(conn, posts, reader)?;
            f.load_attachments(conn, &ids)?;
        }
        Ok(f)
    }

    fn load_actors(&mut self, conn: &mut DbConnection, ids: Vec<&str>) -> DbResult<()> {
        // Each actor's follow counts come with it, counted by index in the same statement.
        let rows: Vec<(ActorRow, i64, Option<i64>, i64, i64)> = direct!(conn, |c| actors::table
            .filter(ids_in(actors::id, &ids))
            .select((
                ActorRow::as_select(),
                actors::statuses_count,
                actors::last_status_at,
                follow_counts::Followers,
                follow_counts::Following,
            ))
            .load(c))?;
        for (a, statuses, last_status_at, followers, following) in rows {
            let counts = ActorCounts {
                followers,
                following,
                statuses,
                last_status_at,
            };
            self.counts.insert(a.id.clone(), counts);
            self.actors.insert(a.id.clone(), a);
        }
        Ok(())
    }
}

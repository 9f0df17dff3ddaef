//! What a page of posts shows besides the posts themselves (authors, groups, parents, mentions,
//! counts, media, hashtags, polls and the reader's own marks), read in a fixed number of
//! statements for the whole page: each read takes every id of the page at once.

use super::{
    actors::ActorRow,
    media::MediaRow,
    polls::PollRow,
    posts::PostRow,
    schema::{actors, post_mentions, posts},
    DbConnection, DbResult,
};

mod attachments;
mod marks;
use crate::db::{
    direct,
    fixed::{Bind, Fixed, Template},
    ids_in,
};
use diesel::{
    prelude::*,
    sql_types::{BigInt, Text},
};
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

/// Favourites, boosts and live replies of a page's posts, by post id (replies by `ap_id`).
struct PostCounts;

impl Template for PostCounts {
    const SQL: &'static str = "SELECT post_id AS key, 'f' AS kind, COUNT(*) AS n FROM favourites \
        WHERE post_id {in} GROUP BY post_id \
        UNION ALL SELECT post_id AS key, 'r' AS kind, COUNT(*) AS n FROM reblogs \
        WHERE post_id {in} GROUP BY post_id \
        UNION ALL SELECT in_reply_to AS key, 'p' AS kind, COUNT(*) AS n FROM posts \
        WHERE in_reply_to {in} AND deleted_at IS NULL GROUP BY in_reply_to";
    type SqlType = (Text, Text, BigInt);
}

/// Followers (`i`) and followed accounts (`o`) of a page's actors, by actor id.
struct FollowCounts;

impl Template for FollowCounts {
    const SQL: &'static str = "SELECT target_id AS key, 'i' AS kind, COUNT(*) AS n FROM follows \
        WHERE target_id {in} AND state = ? GROUP BY target_id \
        UNION ALL SELECT follower_id AS key, 'o' AS kind, COUNT(*) AS n FROM follows \
        WHERE follower_id {in} AND state = ? GROUP BY follower_id";
    type SqlType = (Text, Text, BigInt);
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
        let ap_ids: Vec<&str> = posts.iter().map(|p| p.ap_id.as_str()).collect();
        let parent_ids: Vec<&str> = posts
            .iter()
            .filter_map(|p| p.in_reply_to.as_deref())
            .collect();
        let mut f = PageFacts::default();
        let mentions: Vec<(String, String)> = direct!(conn, |c| post_mentions::table
            .inner_join(actors::table)
            .filter(ids_in(post_mentions::post_id, &ids))
            .order(actors::username.asc())
            .select((post_mentions::post_id, post_mentions::actor_id))
            .load(c))?;
        if !parent_ids.is_empty() {
            let rows: Vec<(String, String, String)> = direct!(conn, |c| posts::table
                .filter(ids_in(posts::ap_id, &parent_ids))
                .select((posts::ap_id, posts::id, posts::author_id))
                .load(c))?;
            f.parents = rows.into_iter().map(|(a, i, u)| (a, (i, u))).collect();
        }
        let mut shown: HashSet<String> = extra_actors.iter().cloned().collect();
        for p in posts {
            shown.insert(p.author_id.clone());
            shown.extend(p.group_id.clone());
        }
        shown.extend(mentions.iter().map(|(_, a)| a.clone()));
        f.mentions = grouped(mentions);
        f.load_actors(conn, shown.iter().map(String::as_str).collect())?;
        let counts: Vec<(String, String, i64)> = direct!(conn, |c| {
            let binds = vec![Bind::ids(&ids), Bind::ids(&ids), Bind::ids(&ap_ids)];
            Fixed::<PostCounts>::new(binds).load(c)
        })?;
        for (key, kind, n) in counts {
            let map = match kind.as_str() {
                "f" => &mut f.favourites,
                "r" => &mut f.reblogs,
                _ => &mut f.replies,
            };
            map.insert(key, n);
        }
        f.load_attachments(conn, &ids)?;
        if let Some(me) = reader {
            if !posts.is_empty() {
                f.load_marks(conn, posts, me)?;
            }
            // Pins are shown on the reader's own posts only.
            let own: Vec<&str> = posts
                .iter()
                .filter(|p| p.author_id == me)
                .map(|p| p.id.as_str())
                .collect();
            if !own.is_empty() {
                f.load_pins(conn, &own, me)?;
            }
        }
        Ok(f)
    }

    fn load_actors(&mut self, conn: &mut DbConnection, ids: Vec<&str>) -> DbResult<()> {
        let rows: Vec<(ActorRow, i64, Option<i64>)> = direct!(conn, |c| actors::table
            .filter(ids_in(actors::id, &ids))
            .select((
                ActorRow::as_select(),
                actors::statuses_count,
                actors::last_status_at,
            ))
            .load(c))?;
        let accepted = super::follows::FollowState::Accepted.as_str();
        let (mut followers, mut following) = (HashMap::new(), HashMap::new());
        let counts: Vec<(String, String, i64)> = direct!(conn, |c| {
            let state = || Bind::Text(accepted.to_string());
            let binds = vec![Bind::ids(&ids), state(), Bind::ids(&ids), state()];
            Fixed::<FollowCounts>::new(binds).load(c)
        })?;
        for (key, kind, n) in counts {
            match kind.as_str() {
                "i" => followers.insert(key, n),
                _ => following.insert(key, n),
            };
        }
        for (a, statuses, last_status_at) in rows {
            let counts = ActorCounts {
                followers: followers.get(&a.id).copied().unwrap_or(0),
                following: following.get(&a.id).copied().unwrap_or(0),
                statuses,
                last_status_at,
            };
            self.counts.insert(a.id.clone(), counts);
            self.actors.insert(a.id.clone(), a);
        }
        Ok(())
    }
}

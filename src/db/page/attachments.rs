//! The parts of a page's facts attached to its posts (media, hashtags, polls and their votes) and
//! the reader's own marks (favourited, boosted, bookmarked, pinned).

use super::{grouped, PageFacts};
use crate::db::{
    media::MediaRow,
    polls::PollRow,
    posts::PostRow,
    schema::{bookmarks, favourites, media, poll_votes, polls, post_tags, reblogs},
    DbConnection, DbResult,
};
use diesel::prelude::*;

impl PageFacts {
    pub(super) fn load_attachments(
        &mut self,
        conn: &mut DbConnection,
        ids: &[&str],
    ) -> DbResult<()> {
        let files: Vec<MediaRow> = media::table
            .filter(media::post_id.eq_any(ids))
            .order(media::id.asc())
            .select(MediaRow::as_select())
            .load(conn)?;
        self.media = grouped(
            files
                .into_iter()
                .filter_map(|m| m.post_id.clone().map(|p| (p, m)))
                .collect(),
        );
        self.tags = grouped(
            post_tags::table
                .filter(post_tags::post_id.eq_any(ids))
                .order(post_tags::name.asc())
                .select((post_tags::post_id, post_tags::name))
                .load(conn)?,
        );
        let polls: Vec<PollRow> = polls::table
            .filter(polls::post_id.eq_any(ids))
            .select(PollRow::as_select())
            .load(conn)?;
        if !polls.is_empty() {
            let with_poll: Vec<&str> = polls.iter().map(|p| p.post_id.as_str()).collect();
            let votes: Vec<(String, i32, String)> = poll_votes::table
                .filter(poll_votes::post_id.eq_any(&with_poll))
                .order(poll_votes::choice.asc())
                .select((
                    poll_votes::post_id,
                    poll_votes::choice,
                    poll_votes::voter_id,
                ))
                .load(conn)?;
            self.votes = grouped(votes.into_iter().map(|(p, c, v)| (p, (c, v))).collect());
        }
        self.polls = polls.into_iter().map(|p| (p.post_id.clone(), p)).collect();
        Ok(())
    }

    pub(super) fn load_marks(
        &mut self,
        conn: &mut DbConnection,
        ids: &[&str],
        me: &str,
    ) -> DbResult<()> {
        self.favourited = favourites::table
            .filter(favourites::actor_id.eq(me))
            .filter(favourites::post_id.eq_any(ids))
            .select(favourites::post_id)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        self.reblogged = reblogs::table
            .filter(reblogs::actor_id.eq(me))
            .filter(reblogs::post_id.eq_any(ids))
            .select(reblogs::post_id)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        self.bookmarked = bookmarks::table
            .filter(bookmarks::user_id.eq(me))
            .filter(bookmarks::post_id.eq_any(ids))
            .select(bookmarks::post_id)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        Ok(())
    }

    /// Which of the reader's own posts `ids` they pinned.
    pub(super) fn load_pins(
        &mut self,
        conn: &mut DbConnection,
        ids: &[&str],
        me: &str,
    ) -> DbResult<()> {
        use crate::db::schema::pins;
        self.pinned = pins::table
            .filter(pins::actor_id.eq(me))
            .filter(pins::post_id.eq_any(ids))
            .select(pins::post_id)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        Ok(())
    }

    /// Which of `posts` are in threads the reader muted: one statement for a reader without
    /// muted threads, a walk up each post's thread otherwise.
    pub(super) fn load_thread_mutes(
        &mut self,
        conn: &mut DbConnection,
        posts: &[&PostRow],
        me: &str,
    ) -> DbResult<()> {
        let threads = crate::db::thread_mutes::threads(conn, me)?;
        if threads.is_empty() {
            return Ok(());
        }
        for p in posts {
            if threads.contains(&crate::db::posts::thread_key(conn, p)?) {
                self.muted.insert(p.id.clone());
            }
        }
        Ok(())
    }
}

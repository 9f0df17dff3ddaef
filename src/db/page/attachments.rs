//! The parts of a page's facts attached to its posts (media, hashtags, polls and their votes) and
//! the reader's pins (their other marks are read in `marks.rs`).

use super::{grouped, PageFacts};
use crate::db::{
    media::MediaRow,
    polls::PollRow,
    schema::{media, poll_votes, polls, post_tags},
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
}

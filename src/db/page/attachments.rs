//! The parts of a page's facts attached to its posts (media, hashtags, polls and their votes) and
//! the reader's pins (their other marks are read in `marks.rs`).

use super::{grouped, PageFacts};
use crate::db::{direct, ids_in};
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
        let files: Vec<MediaRow> = direct!(conn, |c| media::table
            .filter(ids_in(media::post_id, ids))
            .order(media::id.asc())
            .select(MediaRow::as_select())
            .load(c))?;
        self.media = grouped(
            files
                .into_iter()
                .filter_map(|m| m.post_id.clone().map(|p| (p, m)))
                .collect(),
        );
        self.tags = grouped(direct!(conn, |c| post_tags::table
            .filter(ids_in(post_tags::post_id, ids))
            .order(post_tags::name.asc())
            .select((post_tags::post_id, post_tags::name))
            .load(c))?);
        let polls: Vec<PollRow> = direct!(conn, |c| polls::table
            .filter(ids_in(polls::post_id, ids))
            .select(PollRow::as_select())
            .load(c))?;
        if !polls.is_empty() {
            let with_poll: Vec<&str> = polls.iter().map(|p| p.post_id.as_str()).collect();
            let votes: Vec<(String, i32, String)> = direct!(conn, |c| poll_votes::table
                .filter(ids_in(poll_votes::post_id, &with_poll))
                .order(poll_votes::choice.asc())
                .select((
                    poll_votes::post_id,
                    poll_votes::choice,
                    poll_votes::voter_id,
                ))
                .load(c))?;
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
        self.pinned = direct!(conn, |c| pins::table
            .filter(pins::actor_id.eq(me))
            .filter(ids_in(pins::post_id, ids))
            .select(pins::post_id)
            .load::<String>(c))?
        .into_iter()
        .collect();
        Ok(())
    }
}

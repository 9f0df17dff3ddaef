//! The parts of a page's facts attached to its posts: media, polls and their votes.

use super::{grouped, PageFacts};
use crate::db::{direct, ids_in};
use crate::db::{
    media::MediaRow,
    polls::PollRow,
    schema::{media, poll_votes, polls},
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
}

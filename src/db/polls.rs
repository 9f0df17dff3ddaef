//! Polls and their votes. Options are stored as a JSON array of titles; for remote polls the
//! counts their origin reports are kept too.

use super::{
    schema::{poll_votes, polls},
    DbConnection, DbResult,
};
use diesel::prelude::*;

/// A poll attached to a post.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = polls)]
pub struct PollRow {
    pub post_id: String,
    pub multiple: bool,
    /// JSON array of option titles.
    pub options: String,
    /// JSON array of vote counts reported by a remote poll's origin.
    pub remote_counts: Option<String>,
    pub expires_at: Option<i64>,
    pub created_at: i64,
    /// Distinct voters reported by a remote poll's origin.
    pub remote_voters: Option<i64>,
}

impl PollRow {
    /// The option titles.
    pub fn titles(&self) -> Vec<String> {
        serde_json::from_str(&self.options).unwrap_or_default()
    }

    /// Counts reported by the origin (remote polls).
    pub fn reported(&self) -> Option<Vec<i64>> {
        self.remote_counts
            .as_deref()
            .and_then(|c| serde_json::from_str(c).ok())
    }
}

/// Stores a poll, or replaces a remote poll's options and counts.
pub fn upsert(conn: &mut DbConnection, row: &PollRow) -> DbResult<()> {
    let n = diesel::update(polls::table.find(&row.post_id))
        .set((
            polls::options.eq(&row.options),
            polls::remote_counts.eq(&row.remote_counts),
            polls::expires_at.eq(row.expires_at),
            polls::multiple.eq(row.multiple),
            polls::remote_voters.eq(row.remote_voters),
        ))
        .execute(conn)?;
    if n == 0 {
        super::insert_or_ignore!(conn, polls::table, row)?;
    }
    Ok(())
}

/// The poll of a post.
pub fn get(conn: &mut DbConnection, post_id: &str) -> DbResult<Option<PollRow>> {
    Ok(polls::table
        .find(post_id)
        .select(PollRow::as_select())
        .first(conn)
        .optional()?)
}

/// One choice of a vote.
pub struct Vote<'a> {
    pub id: &'a str,
    pub post_id: &'a str,
    pub voter_id: &'a str,
    pub choice: i32,
    pub ap_id: &'a str,
    /// Whether the poll allows several choices (else a voter has one vote in all).
    pub multiple: bool,
}

/// Records one choice; `false` when that voter already chose it (or, in a single-choice poll,
/// already voted at all). The database enforces it, so concurrent votes count once.
pub fn vote(conn: &mut DbConnection, v: &Vote, now: i64) -> DbResult<bool> {
    let slot = if v.multiple { v.choice + 1 } else { 0 };
    let Vote {
        id,
        post_id,
        voter_id,
        choice,
        ap_id,
        ..
    } = *v;
    Ok(super::insert_or_ignore!(
        conn,
        poll_votes::table,
        (
            poll_votes::id.eq(id),
            poll_votes::post_id.eq(post_id),
            poll_votes::voter_id.eq(voter_id),
            poll_votes::choice.eq(choice),
            poll_votes::ap_id.eq(ap_id),
            poll_votes::created_at.eq(now),
            poll_votes::slot.eq(slot),
        )
    )? > 0)
}

/// Votes per option (by index) and the number of distinct voters.
pub fn tally(conn: &mut DbConnection, post_id: &str, options: usize) -> DbResult<(Vec<i64>, i64)> {
    let rows: Vec<(i32, String)> = poll_votes::table
        .filter(poll_votes::post_id.eq(post_id))
        .select((poll_votes::choice, poll_votes::voter_id))
        .load(conn)?;
    let mut counts = vec![0i64; options];
    let mut voters = std::collections::BTreeSet::new();
    for (choice, voter) in rows {
        if let Some(c) = counts.get_mut(choice as usize) {
            *c += 1;
        }
        voters.insert(voter);
    }
    Ok((counts, voters.len() as i64))
}

/// The choices a voter made.
pub fn choices_of(conn: &mut DbConnection, post_id: &str, voter_id: &str) -> DbResult<Vec<i32>> {
    Ok(poll_votes::table
        .filter(poll_votes::post_id.eq(post_id))
        .filter(poll_votes::voter_id.eq(voter_id))
        .order(poll_votes::choice.asc())
        .select(poll_votes::choice)
        .load(conn)?)
}

/// Notes that a local poll's results changed, so the next results run federates them.
pub fn mark_dirty(conn: &mut DbConnection, post_id: &str) -> DbResult<()> {
    diesel::update(polls::table.find(post_id))
        .set(polls::results_dirty.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Takes up to `limit` polls whose results changed, clearing their flag. A poll is handed to
/// exactly one caller even when several processes share the database.
pub fn claim_dirty(conn: &mut DbConnection, limit: i64) -> DbResult<Vec<String>> {
    let ids: Vec<String> = polls::table
        .filter(polls::results_dirty.eq(true))
        .select(polls::post_id)
        .limit(limit)
        .load(conn)?;
    let mut claimed = Vec::new();
    for id in ids {
        let n = diesel::update(polls::table.find(&id).filter(polls::results_dirty.eq(true)))
            .set(polls::results_dirty.eq(false))
            .execute(conn)?;
        if n == 1 {
            claimed.push(id);
        }
    }
    Ok(claimed)
}

/// Takes up to `limit` polls that ended by `now` and were not closed yet, marking them closed
/// (each is handed to exactly one caller).
pub fn claim_ended(conn: &mut DbConnection, now: i64, limit: i64) -> DbResult<Vec<PollRow>> {
    let rows: Vec<PollRow> = polls::table
        .filter(polls::closed.eq(false))
        .filter(polls::expires_at.le(now))
        .select(PollRow::as_select())
        .limit(limit)
        .load(conn)?;
    let mut claimed = Vec::new();
    for row in rows {
        let n = diesel::update(
            polls::table
                .find(&row.post_id)
                .filter(polls::closed.eq(false)),
        )
        .set(polls::closed.eq(true))
        .execute(conn)?;
        if n == 1 {
            claimed.push(row);
        }
    }
    Ok(claimed)
}

/// The local members who voted in a poll.
pub fn local_voters(conn: &mut DbConnection, post_id: &str) -> DbResult<Vec<String>> {
    use super::schema::users;
    let mut ids: Vec<String> = poll_votes::table
        .inner_join(users::table.on(users::id.eq(poll_votes::voter_id)))
        .filter(poll_votes::post_id.eq(post_id))
        .select(poll_votes::voter_id)
        .load(conn)?;
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The remote actors who voted in a poll (they also receive its updated results).
pub fn remote_voters(
    conn: &mut DbConnection,
    post_id: &str,
) -> DbResult<Vec<super::actors::ActorRow>> {
    use super::schema::actors;
    let mut rows: Vec<super::actors::ActorRow> = poll_votes::table
        .inner_join(actors::table.on(actors::id.eq(poll_votes::voter_id)))
        .filter(poll_votes::post_id.eq(post_id))
        .filter(diesel::dsl::not(actors::local))
        .select(super::actors::ActorRow::as_select())
        .load(conn)?;
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    rows.dedup_by(|a, b| a.id == b.id);
    Ok(rows)
}

/// Makes `choice` the voter's only vote in a single-choice poll (a proposal's poll mirrors the
/// member's current vote, which they may change).
pub fn replace_vote(conn: &mut DbConnection, v: &Vote, now: i64) -> DbResult<()> {
    diesel::delete(
        poll_votes::table
            .filter(poll_votes::post_id.eq(v.post_id))
            .filter(poll_votes::voter_id.eq(v.voter_id)),
    )
    .execute(conn)?;
    vote(conn, v, now)?;
    Ok(())
}

//! Proposals: the row and its reads and writes; votes in `votes.rs`, the lifecycle log in `log.rs`,
//! templates in `templates.rs`, governance documents in `governance.rs`.

pub mod governance;
pub mod log;
pub mod templates;
pub mod votes;

use super::{schema_governance::proposals, DbConnection, DbResult};
use crate::domain::proposal::{
    rule::{DecisionRule, Quorum},
    ProposalKind, ProposalState,
};
use diesel::prelude::*;

/// One proposal, local (its author is a member here) or known from a peer.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = proposals)]
pub struct ProposalRow {
    /// Also the id of its post (the `Question` that carries it) once it is open.
    pub id: String,
    pub post_id: Option<String>,
    pub ap_id: Option<String>,
    pub group_id: String,
    pub author_id: String,
    pub local: bool,
    pub title: String,
    /// Plain text as the author wrote it.
    pub body: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: ProposalKind,
    pub template: Option<String>,
    /// JSON object of the template's fields and the answers given.
    pub answers: String,
    /// JSON of what a kind needs (a candidate and term, a new governance document).
    pub payload: Option<String>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub decision_rule: DecisionRule,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub quorum: Quorum,
    pub scope: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub state: ProposalState,
    pub discussion_days: i32,
    pub voting_days: i32,
    pub members_at_open: Option<i64>,
    pub voting_ends_at: Option<i64>,
    pub outcome: Option<String>,
    pub rationale: Option<String>,
    /// JSON of the final tally (overall and per institution).
    pub tally: Option<String>,
    pub decided_at: Option<i64>,
    /// The group's signed decision (`Update(Question)`) as received, for a remote group.
    pub decision_json: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

pub fn insert(conn: &mut DbConnection, row: &ProposalRow) -> DbResult<()> {
    diesel::insert_into(proposals::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Stores a proposal from a peer unless its `ap_id` is known; returns whether it was new.
pub fn insert_if_new(conn: &mut DbConnection, row: &ProposalRow) -> DbResult<bool> {
    if let Some(ap) = &row.ap_id {
        if by_ap_id(conn, ap)?.is_some() {
            return Ok(false);
        }
    }
    Ok(super::insert_or_ignore!(conn, proposals::table, row.clone())? > 0)
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> DbResult<Option<ProposalRow>> {
    Ok(proposals::table
        .find(id)
        .select(ProposalRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_post(conn: &mut DbConnection, post_id: &str) -> DbResult<Option<ProposalRow>> {
    Ok(proposals::table
        .filter(proposals::post_id.eq(post_id))
        .select(ProposalRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_ap_id(conn: &mut DbConnection, ap_id: &str) -> DbResult<Option<ProposalRow>> {
    Ok(proposals::table
        .filter(proposals::ap_id.eq(ap_id))
        .select(ProposalRow::as_select())
        .first(conn)
        .optional()?)
}

/// A group's proposals, newest first, optionally in one state.
pub fn in_group(
    conn: &mut DbConnection,
    group_id: &str,
    state: Option<ProposalState>,
    limit: i64,
) -> DbResult<Vec<ProposalRow>> {
    let mut q = proposals::table
        .filter(proposals::group_id.eq(group_id))
        .order(proposals::created_at.desc())
        .limit(limit)
        .select(ProposalRow::as_select())
        .into_boxed();
    if let Some(s) = state {
        q = q.filter(proposals::state.eq(s.as_str()));
    }
    Ok(q.load(conn)?)
}

/// A group's decided proposals (accepted, rejected, implemented), newest decision first.
pub fn decisions(
    conn: &mut DbConnection,
    group_id: &str,
    limit: i64,
) -> DbResult<Vec<ProposalRow>> {
    Ok(proposals::table
        .filter(proposals::group_id.eq(group_id))
        .filter(proposals::decided_at.is_not_null())
        .order(proposals::decided_at.desc())
        .limit(limit)
        .select(ProposalRow::as_select())
        .load(conn)?)
}

/// Local proposals whose voting time has run out, for the closing worker.
pub fn voting_ended(conn: &mut DbConnection, now: i64, limit: i64) -> DbResult<Vec<ProposalRow>> {
    Ok(proposals::table
        .filter(proposals::state.eq(ProposalState::Voting.as_str()))
        .filter(proposals::voting_ends_at.le(now))
        .order(proposals::voting_ends_at.asc())
        .limit(limit)
        .select(ProposalRow::as_select())
        .load(conn)?)
}

/// Refreshes only the title of a peer's proposal (its author edited the post). Touching no other
/// column, it cannot undo a group's update committed meanwhile (PostgreSQL reads committed rows).
pub fn set_title(conn: &mut DbConnection, id: &str, title: &str, now: i64) -> DbResult<()> {
    diesel::update(proposals::table.find(id))
        .set((proposals::title.eq(title), proposals::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Writes every mutable column of `row` back (the service changed it in memory).
pub fn save(conn: &mut DbConnection, row: &ProposalRow) -> DbResult<()> {
    diesel::update(proposals::table.find(&row.id))
        .set((
            proposals::post_id.eq(&row.post_id),
            proposals::ap_id.eq(&row.ap_id),
            proposals::title.eq(&row.title),
            proposals::body.eq(&row.body),
            proposals::answers.eq(&row.answers),
            proposals::payload.eq(&row.payload),
            proposals::decision_rule.eq(row.decision_rule.to_string()),
            proposals::quorum.eq(row.quorum.to_string()),
            proposals::scope.eq(&row.scope),
            proposals::state.eq(row.state.as_str()),
            proposals::members_at_open.eq(row.members_at_open),
            proposals::voting_ends_at.eq(row.voting_ends_at),
            proposals::outcome.eq(&row.outcome),
            proposals::rationale.eq(&row.rationale),
            proposals::tally.eq(&row.tally),
            proposals::decided_at.eq(row.decided_at),
            proposals::decision_json.eq(&row.decision_json),
            proposals::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Reads a proposal to change it: on PostgreSQL the row stays locked until the transaction ends
/// (`FOR UPDATE`), so concurrent moves, votes and a peer's updates apply one after the other; a
/// SQLite transaction already holds the write lock.
pub fn lock(conn: &mut DbConnection, id: &str) -> DbResult<Option<ProposalRow>> {
    Ok(match conn {
        DbConnection::Postgresql(c) => proposals::table
            .find(id)
            .for_update()
            .select(ProposalRow::as_select())
            .first(c)
            .optional()?,
        DbConnection::Sqlite(c) => proposals::table
            .find(id)
            .select(ProposalRow::as_select())
            .first(c)
            .optional()?,
    })
}

/// `lock` by ActivityPub id.
pub fn lock_by_ap_id(conn: &mut DbConnection, ap_id: &str) -> DbResult<Option<ProposalRow>> {
    match by_ap_id(conn, ap_id)? {
        Some(p) => lock(conn, &p.id),
        None => Ok(None),
    }
}

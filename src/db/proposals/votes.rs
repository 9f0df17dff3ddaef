//! Votes on proposals: one row per member, replaced when the member changes their vote.

use crate::db::{schema_governance::proposal_votes, DbConnection, DbResult};
use crate::domain::proposal::Choice;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = proposal_votes)]
pub struct VoteRow {
    pub id: String,
    pub proposal_id: String,
    pub voter_id: String,
    /// The voter's node (host).
    pub institution: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub choice: Choice,
    pub reason: Option<String>,
    pub ap_id: String,
    /// The signed vote as received from a peer (JSON), kept as evidence.
    pub proof: Option<String>,
    pub cast_at: i64,
}

/// Records `v`, replacing the member's earlier vote unless that one was cast later (votes may
/// arrive out of order). Returns whether `v` is now the member's vote.
pub fn cast(conn: &mut DbConnection, v: &VoteRow) -> DbResult<bool> {
    let replace = |conn: &mut DbConnection| -> DbResult<usize> {
        Ok(diesel::update(
            proposal_votes::table
                .filter(proposal_votes::proposal_id.eq(&v.proposal_id))
                .filter(proposal_votes::voter_id.eq(&v.voter_id))
                .filter(proposal_votes::cast_at.le(v.cast_at)),
        )
        .set((
            proposal_votes::choice.eq(v.choice.as_str()),
            proposal_votes::reason.eq(&v.reason),
            proposal_votes::ap_id.eq(&v.ap_id),
            proposal_votes::proof.eq(&v.proof),
            proposal_votes::cast_at.eq(v.cast_at),
            proposal_votes::institution.eq(&v.institution),
        ))
        .execute(conn)?)
    };
    if replace(conn)? > 0 {
        return Ok(true);
    }
    if crate::db::insert_or_ignore!(conn, proposal_votes::table, v.clone())? > 0 {
        return Ok(true);
    }
    // Another vote by the member exists: it was cast later, or it arrived in between.
    Ok(replace(conn)? > 0)
}

/// Every vote on a proposal.
pub fn of(conn: &mut DbConnection, proposal_id: &str) -> DbResult<Vec<VoteRow>> {
    Ok(proposal_votes::table
        .filter(proposal_votes::proposal_id.eq(proposal_id))
        .order(proposal_votes::cast_at.asc())
        .select(VoteRow::as_select())
        .load(conn)?)
}

/// The member's vote, if any.
pub fn by_voter(
    conn: &mut DbConnection,
    proposal_id: &str,
    voter_id: &str,
) -> DbResult<Option<VoteRow>> {
    Ok(proposal_votes::table
        .filter(proposal_votes::proposal_id.eq(proposal_id))
        .filter(proposal_votes::voter_id.eq(voter_id))
        .select(VoteRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn count(conn: &mut DbConnection, proposal_id: &str) -> DbResult<i64> {
    Ok(proposal_votes::table
        .filter(proposal_votes::proposal_id.eq(proposal_id))
        .count()
        .get_result(conn)?)
}

//! The poll entity of a post, with counts reported by its origin or tallied here.

use super::datetime;
use crate::db::{self, actors::ActorRow, DbResult};

/// The poll entity of a post, if it has one (id = the status id). Remote polls show the counts
/// their origin reported; local ones are tallied here.
pub fn poll(
    conn: &mut db::DbConnection,
    post: &db::posts::PostRow,
    viewer: Option<&ActorRow>,
) -> DbResult<Option<crate::api::entities::Poll>> {
    use crate::api::entities::{Poll, PollOption};
    let Some(p) = db::polls::get(conn, &post.id)? else {
        return Ok(None);
    };
    let titles = p.titles();
    let (local_counts, local_voters) = db::polls::tally(conn, &post.id, titles.len())?;
    // Remote polls: the origin's counts, but never below the votes cast from here.
    let counts = match (post.local, p.reported()) {
        (false, Some(reported)) => local_counts
            .iter()
            .enumerate()
            .map(|(i, n)| (*n).max(*reported.get(i).unwrap_or(&0)))
            .collect(),
        _ => local_counts,
    };
    let own = match viewer {
        Some(v) => Some(db::polls::choices_of(conn, &post.id, &v.id)?),
        None => None,
    };
    let votes_count = counts.iter().sum();
    Ok(Some(Poll {
        id: post.id.clone(),
        expires_at: p.expires_at.map(datetime),
        expired: p
            .expires_at
            .is_some_and(|e| e < crate::domain::time::now_ms()),
        multiple: p.multiple,
        votes_count,
        voters_count: Some(if post.local {
            local_voters
        } else {
            p.remote_voters.unwrap_or(votes_count).max(local_voters)
        }),
        options: titles
            .iter()
            .enumerate()
            .map(|(i, t)| PollOption {
                title: t.clone(),
                votes_count: Some(*counts.get(i).unwrap_or(&0)),
            })
            .collect(),
        emojis: vec![],
        voted: own.as_ref().map(|o| !o.is_empty()),
        own_votes: own.map(|o| o.into_iter().map(i64::from).collect()),
    }))
}

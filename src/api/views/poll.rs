//! The poll entity of a post, with counts reported by its origin or tallied here.

use super::datetime;
use crate::db::{self, actors::ActorRow, page::PageFacts, posts::PostRow, DbResult};

/// The poll entity of a post, if it has one (id = the status id).
pub fn poll(
    conn: &mut db::DbConnection,
    post: &PostRow,
    viewer: Option<&ActorRow>,
) -> DbResult<Option<crate::api::entities::Poll>> {
    let facts = PageFacts::load(conn, &[post], &[], viewer.map(|v| v.id.as_str()))?;
    Ok(poll_of(&facts, post, viewer))
}

/// The poll entity of a post from the facts read for its page. Remote polls show the counts
/// their origin reported (never below the votes cast from here); local ones are tallied here.
pub fn poll_of(
    facts: &PageFacts,
    post: &PostRow,
    viewer: Option<&ActorRow>,
) -> Option<crate::api::entities::Poll> {
    use crate::api::entities::{Poll, PollOption};
    let p = facts.polls.get(&post.id)?;
    let titles = p.titles();
    let votes = facts.votes.get(&post.id).map(Vec::as_slice).unwrap_or(&[]);
    let mut local_counts = vec![0i64; titles.len()];
    let mut voters = std::collections::BTreeSet::new();
    for (choice, voter) in votes {
        if let Some(c) = local_counts.get_mut(*choice as usize) {
            *c += 1;
        }
        voters.insert(voter.as_str());
    }
    let local_voters = voters.len() as i64;
    let counts: Vec<i64> = match (post.local, p.reported()) {
        (false, Some(reported)) => local_counts
            .iter()
            .enumerate()
            .map(|(i, n)| (*n).max(*reported.get(i).unwrap_or(&0)))
            .collect(),
        _ => local_counts,
    };
    let own: Option<Vec<i64>> = viewer.map(|v| {
        votes
            .iter()
            .filter(|(_, voter)| *voter == v.id)
            .map(|(c, _)| i64::from(*c))
            .collect()
    });
    let votes_count = counts.iter().sum();
    Some(Poll {
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
        own_votes: own,
    })
}

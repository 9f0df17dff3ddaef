//! Follow suggestions for a member: accounts followed by those the member follows, the accounts
//! and groups of this node most followed lately, and the authors in the member's groups whose
//! posts the member favourited. Never the member, accounts already followed or requested,
//! blocked either way, muted or dismissed, accounts that are not discoverable (a member's
//! choice, a remote actor's document) or whose node this one blocks, nor what the audience rule
//! hides from the member.

use super::visibility::{peer_level, Sight, Viewer};
use crate::{
    db::{self, actors::ActorRow, DbConnection, DbResult},
    domain::{policy::PeerLevel, time::now_ms},
    error::{AppError, AppResult},
    state::AppState,
};
use std::collections::HashMap;

/// Why an account is suggested (Mastodon's `sources`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// Followed by accounts the member follows.
    FriendsOfFriends,
    /// Posts in the member's groups that the member favourited.
    MostInteractions,
    /// One of this node's accounts most followed lately.
    MostFollowed,
}

impl Source {
    /// The name Mastodon gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::FriendsOfFriends => "friends_of_friends",
            Source::MostInteractions => "most_interactions",
            Source::MostFollowed => "most_followed",
        }
    }

    /// The older single `source` Mastodon still sends beside `sources`.
    pub fn legacy(self) -> &'static str {
        match self {
            Source::FriendsOfFriends | Source::MostInteractions => "past_interactions",
            Source::MostFollowed => "global",
        }
    }
}

/// One suggested account and why.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub account: ActorRow,
    pub sources: Vec<Source>,
}

/// A candidate: its sources and a score (how many follows or favourites pointed at it).
#[derive(Default)]
struct Candidate {
    sources: Vec<Source>,
    score: i64,
}

/// Up to `limit` suggestions for the member `me`, best first: more sources first, then more
/// follows and favourites behind them.
pub async fn suggestions(state: &AppState, me: String, limit: i64) -> AppResult<Vec<Suggestion>> {
    let config = state.config.clone();
    Ok(state
        .db
        .run(move |c| {
            let mut found: HashMap<String, Candidate> = HashMap::new();
            let mut add = |list: Vec<(String, i64)>, source: Source| {
                for (id, n) in list {
                    let cand = found.entry(id).or_default();
                    cand.sources.push(source);
                    cand.score += n;
                }
            };
            add(
                db::suggestions::friends_of_friends(c, &me)?,
                Source::FriendsOfFriends,
            );
            add(
                db::suggestions::group_interactions(c, &me)?,
                Source::MostInteractions,
            );
            let popular = db::suggestions::recently_followed(c)?;
            add(popular, Source::MostFollowed);
            found.remove(&me);
            let ids: Vec<String> = found.keys().cloned().collect();
            let out = db::suggestions::ruled_out(c, &me, &ids, now_ms())?;
            let ids: Vec<String> = ids.into_iter().filter(|i| !out.contains(i)).collect();
            let mut sight = Sight::new(Viewer::Local(me.clone()));
            let mut kept = Vec::new();
            for actor in db::suggestions::listable(c, &ids)? {
                let Some(cand) = found.remove(&actor.id) else {
                    continue;
                };
                // The lately most followed count only for this node's own accounts.
                let sources: Vec<Source> = cand
                    .sources
                    .into_iter()
                    .filter(|s| *s != Source::MostFollowed || actor.local)
                    .collect();
                if sources.is_empty() || !shown(c, &config, &mut sight, &actor)? {
                    continue;
                }
                kept.push((
                    cand.score,
                    Suggestion {
                        account: actor,
                        sources,
                    },
                ));
            }
            kept.sort_by(|(a, x), (b, y)| {
                (y.sources.len(), b)
                    .cmp(&(x.sources.len(), a))
                    .then_with(|| x.account.id.cmp(&y.account.id))
            });
            Ok(kept
                .into_iter()
                .take(usize::try_from(limit).unwrap_or(0))
                .map(|(_, s)| s)
                .collect())
        })
        .await?)
}

/// Whether the member may see `actor` at all: its node is not blocked here, and the audience
/// rule shows it (a group only to those who may see its members).
fn shown(
    c: &mut DbConnection,
    config: &crate::config::Config,
    sight: &mut Sight,
    actor: &ActorRow,
) -> DbResult<bool> {
    if !actor.local && peer_level(c, config, &actor.domain)? == PeerLevel::Blocked {
        return Ok(false);
    }
    sight.may_see_actor(c, actor, false)
}

/// `me` asks never to be suggested `account_id` again. An account that does not exist, or that
/// the member may not see, is a 404.
pub async fn dismiss(state: &AppState, me: String, account_id: String) -> AppResult<()> {
    let config = state.config.clone();
    state
        .db
        .tx(move |c| {
            let mut sight = Sight::new(Viewer::Local(me.clone()));
            let found = match db::actors::by_id(c, &account_id)? {
                Some(a) if shown(c, &config, &mut sight, &a)? => a,
                _ => return Err(AppError::NotFound("Record not found".into())),
            };
            db::suggestions::dismiss(c, &me, &found.id, now_ms())?;
            Ok(())
        })
        .await
}

//! Reading, for a whole page of posts at once, what the audience rule asks about each post (its
//! author and group, the viewer's relations to them, whether it addresses the viewer), so that
//! judging a page costs a fixed number of statements.

use super::visibility::{Sight, Viewer};
use crate::db::{
    mutes,
    posts::PostRow,
    relations::{self, StandingAsk},
    DbConnection, DbResult,
};
use std::collections::HashSet;

impl Sight {
    /// Reads what the rule needs about `posts` that this view does not know yet.
    pub fn prefetch(&mut self, conn: &mut DbConnection, posts: &[PostRow]) -> DbResult<()> {
        if posts.is_empty() {
            return Ok(());
        }
        let mut actors: HashSet<&str> = HashSet::new();
        let mut groups: HashSet<&str> = HashSet::new();
        for p in posts {
            actors.insert(&p.author_id);
            if let Some(g) = p.group_id.as_deref() {
                actors.insert(g);
                groups.insert(g);
            }
        }
        let unknown: Vec<&str> = actors
            .iter()
            .copied()
            .filter(|a| !self.actors.contains_key(*a))
            .collect();
        if !unknown.is_empty() {
            for a in relations::actors_by_ids(conn, &unknown)? {
                self.actors.insert(a.id.clone(), Some(a));
            }
            for a in unknown {
                self.actors.entry(a.to_string()).or_insert(None);
            }
        }
        let fresh: Vec<&str> = actors
            .iter()
            .copied()
            .filter(|a| !self.relations.contains_key(*a))
            .collect();
        let post_ids: Vec<&str> = posts
            .iter()
            .map(|p| p.id.as_str())
            .filter(|id| !self.addressed.contains_key(*id))
            .collect();
        let (followed, moderated, addressed) = match &self.viewer {
            Viewer::Anonymous => return Ok(()),
            Viewer::Local(me) => {
                let me = me.clone();
                let groups: Vec<&str> = groups.iter().copied().collect();
                let authors = self.unjudged_authors(&me, posts);
                if fresh.is_empty()
                    && groups.is_empty()
                    && post_ids.is_empty()
                    && authors.is_empty()
                {
                    return Ok(());
                }
                let ask = StandingAsk {
                    actors: &fresh,
                    groups: &groups,
                    posts: &post_ids,
                    authors: &authors,
                };
                let s = relations::standing(conn, &me, &ask)?;
                for a in authors {
                    let b = (
                        s.blocked_by.iter().any(|x| x == a),
                        s.blocking.iter().any(|x| x == a),
                    );
                    self.blocks.insert(a.to_string(), b);
                }
                (s.followed, s.moderated, s.addressing)
            }
            Viewer::Peer { domain, .. } => {
                let hosts = relations::followed_from(conn, domain, &fresh)?;
                (
                    hosts.clone(),
                    hosts,
                    relations::addressing_on(conn, domain, &post_ids)?,
                )
            }
        };
        let followed: HashSet<String> = followed.into_iter().collect();
        let moderated: HashSet<String> = moderated.into_iter().collect();
        for a in fresh {
            let is_group = groups.contains(a);
            let relation = (followed.contains(a), is_group && moderated.contains(a));
            self.relations.insert(a.to_string(), relation);
        }
        let addressed: HashSet<String> = addressed.into_iter().collect();
        for id in post_ids {
            self.addressed
                .insert(id.to_string(), addressed.contains(id));
        }
        Ok(())
    }

    /// The authors of `posts` other than the member `me` whose blocks either way with `me` are
    /// not known yet (read with the rest of the page's standing).
    fn unjudged_authors<'p>(&self, me: &str, posts: &'p [PostRow]) -> Vec<&'p str> {
        let mut authors: Vec<&str> = posts
            .iter()
            .map(|p| p.author_id.as_str())
            .filter(|a| *a != me && !self.blocks.contains_key(*a))
            .collect();
        authors.sort_unstable();
        authors.dedup();
        authors
    }

    /// Reads which authors of `posts` this viewer (a member) mutes now, in one statement: for
    /// the timelines and streams that leave muted accounts out.
    pub(super) fn prefetch_mutes(
        &mut self,
        conn: &mut DbConnection,
        posts: &[PostRow],
    ) -> DbResult<()> {
        let Viewer::Local(me) = &self.viewer else {
            return Ok(());
        };
        let mut authors: Vec<&str> = posts
            .iter()
            .map(|p| p.author_id.as_str())
            .filter(|a| !self.mutes.contains_key(*a))
            .collect();
        authors.sort_unstable();
        authors.dedup();
        if authors.is_empty() {
            return Ok(());
        }
        let now = crate::domain::time::now_ms();
        let muted = mutes::muted_among(conn, me, &authors, now)?;
        for a in authors {
            self.mutes
                .insert(a.to_string(), muted.iter().any(|x| x == a));
        }
        Ok(())
    }
}

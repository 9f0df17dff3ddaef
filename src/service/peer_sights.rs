//! Views for many peers at once. Sending one piece of content asks the audience rule once per
//! receiving peer; what the rule asks (each peer's level, the post's author and group, which
//! peers host followers of them, which peers its mentions live on) is read here for all peers
//! together, so deciding for fifty peers costs the statements deciding for one does.

use super::visibility::{peer_levels, Sight, Viewer};
use crate::{
    config::Config,
    db::{self, actors::ActorRow, posts::PostRow, DbConnection, DbResult},
};
use std::collections::HashSet;

impl Sight {
    /// One view per peer of `domains` (in that order), each already knowing what judging `post`
    /// (or, without a post, the documents of `group`) needs. `known` are actors the caller has
    /// read (the post's group), so they are not read again.
    pub fn for_peers(
        conn: &mut DbConnection,
        config: &Config,
        domains: &[String],
        post: Option<&PostRow>,
        known: &[&ActorRow],
    ) -> DbResult<Vec<Sight>> {
        let levels = peer_levels(conn, config, domains)?;
        let mut targets: Vec<&str> = Vec::new();
        if let Some(p) = post {
            targets.push(&p.author_id);
            targets.extend(p.group_id.as_deref());
        }
        targets.extend(known.iter().map(|a| a.id.as_str()));
        targets.sort_unstable();
        targets.dedup();
        let unknown: Vec<&str> = targets
            .iter()
            .copied()
            .filter(|t| !known.iter().any(|a| a.id == *t))
            .collect();
        let mut actors: Vec<ActorRow> = known.iter().map(|a| (*a).clone()).collect();
        if !unknown.is_empty() {
            actors.extend(db::relations::actors_by_ids(conn, &unknown)?);
        }
        let hosts: HashSet<(String, String)> = match targets.is_empty() || domains.is_empty() {
            true => HashSet::new(),
            false => db::follows::follower_domains(conn, &targets, domains)?
                .into_iter()
                .collect(),
        };
        let mentioned: HashSet<String> = match post {
            Some(p) if !domains.is_empty() => db::tags::mention_domains(conn, &p.id)?
                .into_iter()
                .collect(),
            _ => HashSet::new(),
        };
        Ok(domains
            .iter()
            .map(|domain| {
                let level = levels[domain];
                let mut sight = Sight::new(Viewer::Peer {
                    domain: domain.clone(),
                    level,
                });
                for a in &actors {
                    sight.actors.insert(a.id.clone(), Some(a.clone()));
                }
                for t in &unknown {
                    sight.actors.entry(t.to_string()).or_insert(None);
                }
                for t in &targets {
                    // For a peer, hosting a follower stands for following and for membership.
                    let h = hosts.contains(&(t.to_string(), domain.clone()));
                    sight.relations.insert(t.to_string(), (h, h));
                }
                if let Some(p) = post {
                    sight
                        .addressed
                        .insert(p.id.clone(), mentioned.contains(domain));
                }
                sight
            })
            .collect())
    }
}

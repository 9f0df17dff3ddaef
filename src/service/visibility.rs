//! The audience rule (`domain::audience`) applied to stored content. Every read path (client API,
//! pages, ActivityPub documents and collections) and the outbound path ask a [`Sight`] whether a
//! post may be shown to (or sent to) one reader; nothing else decides it.
//!
//! Uses `db` and `domain` only, synchronously on one connection, so it runs inside the same
//! transaction as the writes and deliveries it decides about.

use crate::{
    config::Config,
    db::{self, actors::ActorRow, posts::PostRow, DbConnection, DbResult},
    domain::{
        audience::{self, Audience, GroupScope, PeerLevel, PostVisibility, Reader, Visibility},
        policy::effective_level,
    },
};
use std::collections::HashMap;

/// Who is asking, before any relation to the content is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// Nobody signed in, or an unsigned fetch.
    Anonymous,
    /// A signed-in account of this node, by actor id.
    Local(String),
    /// Another node, by domain, at the level this node gives it.
    Peer { domain: String, level: PeerLevel },
}

impl Viewer {
    /// The viewer for an optional signed-in actor.
    pub fn of(actor: Option<&ActorRow>) -> Viewer {
        actor.map_or(Viewer::Anonymous, |a| Viewer::Local(a.id.clone()))
    }
}

/// The level that applies to `domain` now: this node itself is full, else the peer's explicit
/// entry, else the federation mode's default.
pub fn peer_level(conn: &mut DbConnection, config: &Config, domain: &str) -> DbResult<PeerLevel> {
    let entry = db::peers::get(conn, &domain.to_ascii_lowercase())?;
    Ok(level_of(config, domain, entry.as_ref()))
}

/// `peer_level` of several peers, read in one statement.
pub fn peer_levels(
    conn: &mut DbConnection,
    config: &Config,
    domains: &[String],
) -> DbResult<HashMap<String, PeerLevel>> {
    let lower: Vec<String> = domains.iter().map(|d| d.to_ascii_lowercase()).collect();
    if lower.is_empty() {
        return Ok(HashMap::new());
    }
    let entries = db::peers::get_many(conn, &lower)?;
    Ok(domains
        .iter()
        .map(|d| {
            let entry = entries.iter().find(|r| r.domain.eq_ignore_ascii_case(d));
            (d.clone(), level_of(config, d, entry))
        })
        .collect())
}

/// The level of `domain` given its stored entry (if any).
fn level_of(config: &Config, domain: &str, entry: Option<&db::peers::PeerRow>) -> PeerLevel {
    if domain.eq_ignore_ascii_case(&config.instance.domain) {
        return PeerLevel::Full;
    }
    let explicit = entry
        .and_then(|r| r.level.as_deref())
        .and_then(|l| l.parse::<PeerLevel>().ok());
    effective_level(config.federation.mode, explicit)
}

/// The audience of a group's own documents (its profile, members, moderators): the group's
/// visibility and admission, as for a public post in it.
pub fn group_audience(group: &ActorRow) -> Audience {
    Audience::of_post(PostVisibility::Public, Some(scope_of(group)))
}

/// The audience of a group's profile (its actor, page and moderators): like its content, except
/// that anyone its visibility admits may see it (to ask to join an approval-only group), and full
/// peers may see a members-only group's profile (to ask to join it).
pub fn group_profile_audience(group: &ActorRow) -> Audience {
    let mut scope = scope_of(group);
    scope.approval_required = false;
    if scope.visibility == Visibility::Members {
        scope.visibility = Visibility::Consortium;
    }
    Audience::of_post(PostVisibility::Public, Some(scope))
}

/// What the rule needs of a group. A peer's group is described by its actor document: what its
/// node keeps to members (members-only, and local, which should never have left it) stays with
/// the members of it here, and approval-only groups keep their content to members; everything
/// else is judged by the addressing the origin gave the content.
pub fn scope_of(group: &ActorRow) -> GroupScope {
    if !group.local {
        let visibility = match group.visibility.parse() {
            Ok(Visibility::Members | Visibility::Local) => Visibility::Members,
            Ok(Visibility::Consortium) => Visibility::Consortium,
            _ => Visibility::Public,
        };
        return GroupScope {
            visibility,
            approval_required: group.manually_approves,
        };
    }
    GroupScope {
        // An unreadable stored value is treated as the narrowest visibility, never wider.
        visibility: group.visibility.parse().unwrap_or(Visibility::Local),
        approval_required: group.manually_approves,
    }
}

/// One reader's view over many pieces of content; remembers the relations it looked up.
pub struct Sight {
    pub(super) viewer: Viewer,
    pub(super) actors: HashMap<String, Option<ActorRow>>,
    pub(super) relations: HashMap<String, (bool, bool)>,
    /// Post id → whether it addresses this viewer (read for a whole page by `prefetch`).
    pub(super) addressed: HashMap<String, bool>,
    /// Author id → (the author blocks this viewer, this viewer blocks the author).
    pub(super) blocks: HashMap<String, (bool, bool)>,
    /// Author id → whether this viewer mutes the author now (timelines and streams only).
    pub(super) mutes: HashMap<String, bool>,
}

impl Sight {
    /// A view for `viewer`.
    pub fn new(viewer: Viewer) -> Sight {
        Sight {
            viewer,
            actors: HashMap::new(),
            relations: HashMap::new(),
            addressed: HashMap::new(),
            blocks: HashMap::new(),
            mutes: HashMap::new(),
        }
    }

    /// Who this view is for.
    pub fn viewer(&self) -> &Viewer {
        &self.viewer
    }

    /// The rule, told an actor the caller has read already (a post's group), so it is not read again.
    pub fn knowing(mut self, actor: &ActorRow) -> Self {
        self.actors.insert(actor.id.clone(), Some(actor.clone()));
        self
    }

    fn actor(&mut self, conn: &mut DbConnection, id: &str) -> DbResult<Option<ActorRow>> {
        if let Some(a) = self.actors.get(id) {
            return Ok(a.clone());
        }
        let a = db::actors::by_id(conn, id)?;
        self.actors.insert(id.to_string(), a.clone());
        Ok(a)
    }

    /// The audience of a stored post, from the post and its group.
    pub fn audience(&mut self, conn: &mut DbConnection, post: &PostRow) -> DbResult<Audience> {
        let group = match &post.group_id {
            Some(g) => self.actor(conn, g)?,
            None => None,
        };
        Ok(Audience::of_post(
            post.visibility,
            group.as_ref().map(scope_of),
        ))
    }

    /// (follows `target` — for a peer: hosts an accepted follower —, moderates the group `target`).
    fn relation(
        &mut self,
        conn: &mut DbConnection,
        target: &str,
        group: bool,
    ) -> DbResult<(bool, bool)> {
        if let Some(r) = self.relations.get(target) {
            return Ok(*r);
        }
        let r = match &self.viewer {
            Viewer::Anonymous => (false, false),
            Viewer::Local(me) => (
                db::follows::is_accepted(conn, me, target)?,
                group && db::actors::is_moderator(conn, target, me)?,
            ),
            Viewer::Peer { domain, .. } => {
                let hosts = db::follows::has_follower_on(conn, target, domain)?;
                (hosts, hosts)
            }
        };
        self.relations.insert(target.to_string(), r);
        Ok(r)
    }

    /// (`author` blocks this viewer, this viewer blocks `author`): only between members' accounts
    /// (a peer's member's block of a local member ends its follows, which is what limits the
    /// peer).
    fn blocks(&mut self, conn: &mut DbConnection, author: &str) -> DbResult<(bool, bool)> {
        if let Some(b) = self.blocks.get(author) {
            return Ok(*b);
        }
        let b = match &self.viewer {
            Viewer::Local(me) if me != author => (
                db::blocks::by_pair(conn, author, me)?.is_some(),
                db::blocks::by_pair(conn, me, author)?.is_some(),
            ),
            _ => (false, false),
        };
        self.blocks.insert(author.to_string(), b);
        Ok(b)
    }

    /// Does this viewer mute `author` now? Muted
    /// accounts stay visible by id but leave timelines and streams.
    pub fn mutes(&mut self, conn: &mut DbConnection, author: &str) -> DbResult<bool> {
        if let Some(m) = self.mutes.get(author) {
            return Ok(*m);
        }
        let m = match &self.viewer {
            Viewer::Local(me) => {
                let now = crate::domain::time::now_ms();
                db::mutes::active(conn, me, author, now)?.is_some()
            }
            _ => false,
        };
        self.mutes.insert(author.to_string(), m);
        Ok(m)
    }

    /// The posts of `posts` this viewer may see and does not mute, by authors who do not block
    /// the viewer (home timeline, streams: a followed hashtag brings anyone's public posts, and
    /// Mastodon's home feed leaves out those of accounts that block the reader).
    pub fn retain_unmuted(
        &mut self,
        conn: &mut DbConnection,
        posts: Vec<PostRow>,
    ) -> DbResult<Vec<PostRow>> {
        self.prefetch_mutes(conn, &posts)?;
        self.retain_by(conn, posts, |s, c, p| {
            Ok(s.may_see(c, p)? && !s.blocks(c, &p.author_id)?.0 && !s.mutes(c, &p.author_id)?)
        })
    }

    /// The reader this view stands for, related to one post.
    pub fn reader(&mut self, conn: &mut DbConnection, post: &PostRow) -> DbResult<Reader> {
        let mut reader = match &self.viewer {
            Viewer::Anonymous => return Ok(Reader::anonymous()),
            Viewer::Local(_) => Reader::local(),
            Viewer::Peer { level, .. } => Reader::peer(*level),
        };
        let author = self.actor(conn, &post.author_id)?;
        reader.author = match (&self.viewer, &author) {
            (Viewer::Local(me), _) => *me == post.author_id,
            (Viewer::Peer { domain, .. }, Some(a)) => {
                !a.local && a.domain.eq_ignore_ascii_case(domain)
            }
            _ => false,
        };
        reader.follower = self.relation(conn, &post.author_id, false)?.0;
        (reader.blocked, reader.blocking) = self.blocks(conn, &post.author_id)?;
        if let Some(g) = &post.group_id {
            (reader.member, reader.moderator) = self.relation(conn, g, true)?;
            // A peer's group lives on that peer: its own node stands for its members.
            if let Viewer::Peer { domain, .. } = &self.viewer {
                let domain = domain.clone();
                if let Some(group) = self.actor(conn, g)? {
                    reader.member |= !group.local && group.domain.eq_ignore_ascii_case(&domain);
                }
            }
        }
        reader.addressee = match (self.addressed.get(&post.id), &self.viewer) {
            (Some(known), _) => *known,
            (None, Viewer::Local(me)) => db::tags::mentions(conn, &post.id, me)?,
            (None, Viewer::Peer { domain, .. }) => db::tags::mentions_on(conn, &post.id, domain)?,
            (None, Viewer::Anonymous) => false,
        };
        Ok(reader)
    }

    /// May this viewer see `post`? Deleted posts are seen by nobody.
    pub fn may_see(&mut self, conn: &mut DbConnection, post: &PostRow) -> DbResult<bool> {
        Ok(post.deleted_at.is_none() && self.may_see_content(conn, post)?)
    }

    /// May this viewer see `post` as it was before any deletion (its tombstone, its `Delete`)?
    pub fn may_see_content(&mut self, conn: &mut DbConnection, post: &PostRow) -> DbResult<bool> {
        let audience = self.audience(conn, post)?;
        let reader = self.reader(conn, post)?;
        Ok(audience::may_see(&audience, &reader))
    }

    /// May this viewer see a local group's documents: with `profile`, its actor and moderators
    /// (full peers need them to ask to join a members-only or approval-only group); else what
    /// only its content's audience may see (its members list).
    pub fn may_see_group(
        &mut self,
        conn: &mut DbConnection,
        group: &ActorRow,
        profile: bool,
    ) -> DbResult<bool> {
        let audience = if profile {
            group_profile_audience(group)
        } else {
            group_audience(group)
        };
        let mut reader = match &self.viewer {
            Viewer::Anonymous => Reader::anonymous(),
            Viewer::Local(_) => Reader::local(),
            Viewer::Peer { level, .. } => Reader::peer(*level),
        };
        (reader.member, reader.moderator) = self.relation(conn, &group.id, true)?;
        Ok(audience::may_see(&audience, &reader))
    }

    /// May this viewer see a local actor's documents: a member's are public, a group's follow
    /// `may_see_group` (`profile` as there).
    pub fn may_see_actor(
        &mut self,
        conn: &mut DbConnection,
        actor: &ActorRow,
        profile: bool,
    ) -> DbResult<bool> {
        match actor.kind.as_str() {
            "Group" => self.may_see_group(conn, actor, profile),
            _ => Ok(true),
        }
    }

    /// May this viewer fetch an activity authored here? One that carries a post has that post's
    /// audience; one that carries none is served only when it was public (a profile update).
    pub fn may_see_activity(
        &mut self,
        conn: &mut DbConnection,
        activity: &db::activities::ActivityRow,
    ) -> DbResult<bool> {
        match &activity.post_id {
            Some(id) => match db::posts::by_id(conn, id)? {
                Some(post) => self.may_see_content(conn, &post),
                None => Ok(false),
            },
            None => Ok(activity.public),
        }
    }

    /// The posts of `posts` this viewer may see, in order.
    pub fn retain(
        &mut self,
        conn: &mut DbConnection,
        posts: Vec<PostRow>,
    ) -> DbResult<Vec<PostRow>> {
        self.retain_by(conn, posts, Sight::may_see)
    }

    /// The posts of `posts` that may be listed on the public and hashtag timelines, less those
    /// by accounts this viewer blocks, is blocked by or mutes.
    pub fn retain_listed(
        &mut self,
        conn: &mut DbConnection,
        posts: Vec<PostRow>,
    ) -> DbResult<Vec<PostRow>> {
        self.prefetch_mutes(conn, &posts)?;
        self.retain_by(conn, posts, Sight::is_listed)
    }

    /// The posts `keep` admits, judged with what `prefetch` read for all of them at once.
    fn retain_by(
        &mut self,
        conn: &mut DbConnection,
        posts: Vec<PostRow>,
        keep: fn(&mut Sight, &mut DbConnection, &PostRow) -> DbResult<bool>,
    ) -> DbResult<Vec<PostRow>> {
        self.prefetch(conn, &posts)?;
        let mut out = Vec::with_capacity(posts.len());
        for p in posts {
            if keep(self, conn, &p)? {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// Whether `post` may be listed on the public and hashtag timelines (public, seen by anyone)
    /// for this viewer: not by an account it blocks, is blocked by or mutes.
    pub fn is_listed(&mut self, conn: &mut DbConnection, post: &PostRow) -> DbResult<bool> {
        if post.deleted_at.is_some() || !self.audience(conn, post)?.is_listed() {
            return Ok(false);
        }
        let (blocked, blocking) = self.blocks(conn, &post.author_id)?;
        Ok(!blocked && !blocking && !self.mutes(conn, &post.author_id)?)
    }
}

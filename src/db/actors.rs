//! Actors (members, groups, the node's organization, remote actors) and group moderators.

use super::{
    insert_or_ignore,
    schema::{actors, group_moderators},
    DbConnection, DbError, DbResult,
};
use crate::db::{direct, ids_in};
use crate::domain::actor::ActorKind;
use diesel::prelude::*;

/// One stored actor, local or remote.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = actors)]
pub struct ActorRow {
    pub id: String,
    pub ap_id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: ActorKind,
    pub username: String,
    pub domain: String,
    pub local: bool,
    pub display_name: String,
    pub summary: String,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: Option<String>,
    pub followers_url: Option<String>,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub ed25519_public: Option<String>,
    pub ed25519_private: Option<String>,
    pub manually_approves: bool,
    pub visibility: String,
    pub speaks_cohort: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_refreshed_at: i64,
    /// Profile picture: a file of this node (`/media/…`) or a peer's `icon` URL.
    pub avatar_url: Option<String>,
    /// Header image: a file of this node or a peer's `image` URL.
    pub header_url: Option<String>,
    /// A remote actor on a Lemmy server (its documents name Lemmy's context).
    pub speaks_lemmy: bool,
    /// Listed in directories and follow suggestions: a member's choice, or what a remote actor's
    /// document says (`discoverable`; absent means no).
    pub discoverable: bool,
}

/// Inserts a new actor; a taken local name or id is a `Conflict`.
pub fn insert(conn: &mut DbConnection, row: &ActorRow) -> DbResult<()> {
    diesel::insert_into(actors::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
        .map_err(|e| DbError::from_insert(e, &format!("actor {}", row.username)))
}

/// Stores a fetched remote actor: updates it when known (by `ap_id`), inserts it otherwise.
/// Returns the stored row (the existing local id is kept on update).
pub fn upsert_remote(conn: &mut DbConnection, row: &ActorRow) -> DbResult<ActorRow> {
    if let Some(existing) = by_ap_id(conn, &row.ap_id)? {
        let mut updated = row.clone();
        updated.id = existing.id.clone();
        updated.created_at = existing.created_at;
        diesel::update(actors::table.find(&existing.id))
            .set(updated.clone())
            .execute(conn)?;
        // A changeset skips `None`; images an actor removed must go here too.
        diesel::update(actors::table.find(&existing.id))
            .set((
                actors::avatar_url.eq(&updated.avatar_url),
                actors::header_url.eq(&updated.header_url),
            ))
            .execute(conn)?;
        return Ok(updated);
    }
    insert_or_ignore!(conn, actors::table, row.clone())?;
    by_ap_id(conn, &row.ap_id)?.ok_or(DbError::NotFound)
}

/// The actor with this local id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> DbResult<Option<ActorRow>> {
    Ok(direct!(conn, |c| actors::table
        .find(id)
        .select(ActorRow::as_select())
        .first(c)
        .optional())?)
}

/// The actor with this ActivityPub id.
pub fn by_ap_id(conn: &mut DbConnection, ap_id: &str) -> DbResult<Option<ActorRow>> {
    Ok(direct!(conn, |c| actors::table
        .filter(actors::ap_id.eq(ap_id))
        .select(ActorRow::as_select())
        .first(c)
        .optional())?)
}

/// A local actor by its name (members and groups share one namespace).
pub fn local_by_username(conn: &mut DbConnection, name: &str) -> DbResult<Option<ActorRow>> {
    Ok(direct!(conn, |c| actors::table
        .filter(actors::local)
        .filter(actors::username.eq(name))
        .select(ActorRow::as_select())
        .first(c)
        .optional())?)
}

/// A remote actor already known by `name@domain`.
pub fn remote_by_handle(
    conn: &mut DbConnection,
    name: &str,
    domain: &str,
) -> DbResult<Option<ActorRow>> {
    Ok(actors::table
        .filter(diesel::dsl::not(actors::local))
        .filter(actors::username.eq(name))
        .filter(actors::domain.eq(domain))
        .select(ActorRow::as_select())
        .first(conn)
        .optional()?)
}

/// Local actors of one kind, oldest first.
pub fn list_local(conn: &mut DbConnection, kind: &str) -> DbResult<Vec<ActorRow>> {
    Ok(direct!(conn, |c| actors::table
        .filter(actors::local)
        .filter(actors::kind.eq(kind))
        .order(actors::created_at.asc())
        .select(ActorRow::as_select())
        .load(c))?)
}

/// Number of local actors of one kind (for NodeInfo).
pub fn count_local(conn: &mut DbConnection, kind: &str) -> DbResult<i64> {
    Ok(direct!(conn, |c| actors::table
        .filter(actors::local)
        .filter(actors::kind.eq(kind))
        .count()
        .get_result(c))?)
}

/// Makes `actor_id` a moderator of `group_id` (idempotent), with no term known here: for the copy
/// of a remote group's list. This node's groups give their leads a term (`leads::add`).
pub fn add_moderator(
    conn: &mut DbConnection,
    group_id: &str,
    actor_id: &str,
    now: i64,
) -> DbResult<()> {
    insert_or_ignore!(
        conn,
        group_moderators::table,
        (
            group_moderators::group_id.eq(group_id),
            group_moderators::actor_id.eq(actor_id),
            group_moderators::created_at.eq(now),
        )
    )?;
    Ok(())
}

/// The moderators of a group.
pub fn moderators(conn: &mut DbConnection, group_id: &str) -> DbResult<Vec<ActorRow>> {
    Ok(direct!(conn, |c| group_moderators::table
        .inner_join(actors::table.on(actors::id.eq(group_moderators::actor_id)))
        .filter(group_moderators::group_id.eq(group_id))
        .order(group_moderators::created_at.asc())
        .select(ActorRow::as_select())
        .load(c))?)
}

/// Whether `actor_id` moderates `group_id`.
pub fn is_moderator(conn: &mut DbConnection, group_id: &str, actor_id: &str) -> DbResult<bool> {
    let n: i64 = group_moderators::table
        .filter(group_moderators::group_id.eq(group_id))
        .filter(group_moderators::actor_id.eq(actor_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Removes a moderator; returns whether one was removed.
pub fn remove_moderator(conn: &mut DbConnection, group_id: &str, actor_id: &str) -> DbResult<bool> {
    Ok(diesel::delete(
        group_moderators::table
            .filter(group_moderators::group_id.eq(group_id))
            .filter(group_moderators::actor_id.eq(actor_id)),
    )
    .execute(conn)?
        > 0)
}

/// Numbers shown on an account: followers, following, live posts, and the last post's time.
pub fn counts(conn: &mut DbConnection, actor_id: &str) -> DbResult<(i64, i64, i64, Option<i64>)> {
    use super::schema::follows;
    let followers = follows::table
        .filter(follows::target_id.eq(actor_id))
        .filter(follows::state.eq(super::follows::FollowState::Accepted.as_str()))
        .count()
        .get_result(conn)?;
    let following = follows::table
        .filter(follows::follower_id.eq(actor_id))
        .filter(follows::state.eq(super::follows::FollowState::Accepted.as_str()))
        .count()
        .get_result(conn)?;
    let (statuses, last) = actors::table
        .find(actor_id)
        .select((actors::statuses_count, actors::last_status_at))
        .first::<(i64, Option<i64>)>(conn)
        .optional()?
        .unwrap_or_default();
    Ok((followers, following, statuses, last))
}

/// Accounts whose username or display name contains `q` (lower-case), local first.
pub fn search(conn: &mut DbConnection, q: &str, limit: i64) -> DbResult<Vec<ActorRow>> {
    let pattern = format!("%{}%", q.replace(['%', '_'], ""));
    Ok(direct!(conn, |c| actors::table
        .filter(actors::kind.ne("Organization"))
        .filter(
            actors::username
                .like(pattern.clone())
                .or(actors::display_name.like(pattern)),
        )
        .order((actors::local.desc(), actors::username.asc()))
        .limit(limit)
        .select(ActorRow::as_select())
        .load(c))?)
}

/// What a local actor's profile holds that can be changed (a member's own, a group's by its
/// moderators).
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub display_name: String,
    /// The biography, as HTML.
    pub summary: String,
    /// Follows need the member's approval.
    pub manually_approves: bool,
    /// Listed in directories and follow suggestions.
    pub discoverable: bool,
    pub avatar_url: Option<String>,
    pub header_url: Option<String>,
}

impl Profile {
    /// The profile as `row` has it now.
    pub fn of(row: &ActorRow) -> Self {
        Profile {
            display_name: row.display_name.clone(),
            summary: row.summary.clone(),
            manually_approves: row.manually_approves,
            discoverable: row.discoverable,
            avatar_url: row.avatar_url.clone(),
            header_url: row.header_url.clone(),
        }
    }
}

/// Stores a local actor's profile (a removed image is `None`).
pub fn update_profile(
    conn: &mut DbConnection,
    id: &str,
    profile: &Profile,
    now: i64,
) -> DbResult<()> {
    diesel::update(actors::table.find(id))
        .set((
            actors::display_name.eq(&profile.display_name),
            actors::summary.eq(&profile.summary),
            actors::manually_approves.eq(profile.manually_approves),
            actors::discoverable.eq(profile.discoverable),
            actors::avatar_url.eq(&profile.avatar_url),
            actors::header_url.eq(&profile.header_url),
            actors::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The stored actors among `ap_ids` (one statement, in no particular order).
pub fn by_ap_ids(conn: &mut DbConnection, ap_ids: &[String]) -> DbResult<Vec<ActorRow>> {
    Ok(direct!(conn, |c| actors::table
        .filter(ids_in(actors::ap_id, ap_ids))
        .select(ActorRow::as_select())
        .load(c))?)
}

/// The local members among a list of actor ids (mentions that concern this node).
pub fn local_persons(conn: &mut DbConnection, ap_ids: &[String]) -> DbResult<Vec<ActorRow>> {
    Ok(direct!(conn, |c| actors::table
        .filter(ids_in(actors::ap_id, ap_ids))
        .filter(actors::local)
        .filter(actors::kind.eq("Person"))
        .select(ActorRow::as_select())
        .load(c))?)
}

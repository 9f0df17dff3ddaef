//! Follow relations: members following groups (FEP-1b12 membership) or other actors.

use super::{
    schema::{actors, follows},
    DbConnection, DbResult,
};
use crate::db::actors::ActorRow;
use diesel::prelude::*;

pub use crate::domain::follow::FollowState;

/// One follow relation.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = follows)]
pub struct FollowRow {
    pub id: String,
    pub follower_id: String,
    pub target_id: String,
    pub activity_ap_id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub state: FollowState,
    pub created_at: i64,
    /// A `status` notification for each new post of the target (Mastodon's "notify").
    pub notify: bool,
}

/// Records a follow, or refreshes the activity id and state of an existing one. An accepted
/// follow is never downgraded to pending by a repeated Follow.
pub fn upsert(conn: &mut DbConnection, row: &FollowRow) -> DbResult<FollowRow> {
    if let Some(existing) = by_pair(conn, &row.follower_id, &row.target_id)? {
        let state = if existing.state == FollowState::Accepted {
            FollowState::Accepted
        } else {
            row.state
        };
        diesel::update(follows::table.find(&existing.id))
            .set((
                follows::activity_ap_id.eq(&row.activity_ap_id),
                follows::state.eq(state.as_str()),
            ))
            .execute(conn)?;
        return Ok(FollowRow {
            id: existing.id,
            created_at: existing.created_at,
            notify: existing.notify,
            state,
            ..row.clone()
        });
    }
    super::insert_or_ignore!(conn, follows::table, row.clone())?;
    by_pair(conn, &row.follower_id, &row.target_id)?.ok_or(super::DbError::NotFound)
}

/// The follow from `follower_id` to `target_id`, if any.
pub fn by_pair(
    conn: &mut DbConnection,
    follower_id: &str,
    target_id: &str,
) -> DbResult<Option<FollowRow>> {
    Ok(follows::table
        .filter(follows::follower_id.eq(follower_id))
        .filter(follows::target_id.eq(target_id))
        .select(FollowRow::as_select())
        .first(conn)
        .optional()?)
}

/// The follow recorded for a Follow activity id.
pub fn by_activity(conn: &mut DbConnection, activity_ap_id: &str) -> DbResult<Option<FollowRow>> {
    Ok(follows::table
        .filter(follows::activity_ap_id.eq(activity_ap_id))
        .select(FollowRow::as_select())
        .first(conn)
        .optional()?)
}

/// Changes a follow's state.
pub fn set_state(conn: &mut DbConnection, id: &str, state: FollowState) -> DbResult<()> {
    diesel::update(follows::table.find(id))
        .set(follows::state.eq(state.as_str()))
        .execute(conn)?;
    Ok(())
}

/// Sets whether `follower_id` wants a `status` notification for each new post of `target_id`;
/// returns whether the follow exists.
pub fn set_notify(
    conn: &mut DbConnection,
    follower_id: &str,
    target_id: &str,
    notify: bool,
) -> DbResult<bool> {
    Ok(diesel::update(
        follows::table
            .filter(follows::follower_id.eq(follower_id))
            .filter(follows::target_id.eq(target_id)),
    )
    .set(follows::notify.eq(notify))
    .execute(conn)?
        > 0)
}

/// Whether `follower_id` follows `target_id` with notifications on.
pub fn notifying(conn: &mut DbConnection, follower_id: &str, target_id: &str) -> DbResult<bool> {
    Ok(follows::table
        .filter(follows::follower_id.eq(follower_id))
        .filter(follows::target_id.eq(target_id))
        .select(follows::notify)
        .first::<bool>(conn)
        .optional()?
        .unwrap_or(false))
}

/// Local members with notifications on for any of `target_ids`: (member, target, when the follow
/// was made), for accepted follows made at or before `until` (posts older than a follow never
/// notify).
pub fn notified_followers(
    conn: &mut DbConnection,
    target_ids: &[String],
    until: i64,
) -> DbResult<Vec<(String, String, i64)>> {
    Ok(follows::table
        .inner_join(
            super::schema::users::table.on(super::schema::users::id.eq(follows::follower_id)),
        )
        .filter(follows::target_id.eq_any(target_ids))
        .filter(follows::state.eq(FollowState::Accepted.as_str()))
        .filter(follows::notify.eq(true))
        .filter(follows::created_at.le(until))
        .select((
            follows::follower_id,
            follows::target_id,
            follows::created_at,
        ))
        .load(conn)?)
}

/// Removes a follow; returns whether one existed.
pub fn delete(conn: &mut DbConnection, id: &str) -> DbResult<bool> {
    Ok(diesel::delete(follows::table.find(id)).execute(conn)? > 0)
}

/// The actors following `target_id` in a given state, oldest first, paged.
pub fn followers(
    conn: &mut DbConnection,
    target_id: &str,
    state: FollowState,
    offset: i64,
    limit: i64,
) -> DbResult<Vec<ActorRow>> {
    Ok(follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq(target_id))
        .filter(follows::state.eq(state.as_str()))
        .order(follows::created_at.asc())
        .offset(offset)
        .limit(limit)
        .select(ActorRow::as_select())
        .load(conn)?)
}

/// The accepted followers of `target_id` on other nodes: who receives what it sends to its
/// followers (local followers read it here; loading them too cost most of a post's relay).
pub fn remote_followers(conn: &mut DbConnection, target_id: &str) -> DbResult<Vec<ActorRow>> {
    Ok(super::direct!(conn, |c| follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq(target_id))
        .filter(follows::state.eq(FollowState::Accepted.as_str()))
        .filter(diesel::dsl::not(actors::local))
        .order(follows::created_at.asc())
        .select(ActorRow::as_select())
        .load(c))?)
}

/// One accepted remote follower of `target_id` per delivery inbox (its shared inbox, else its own)
/// and per software (Cohort, Lemmy, other), leaving out those on `except` (the host an activity
/// comes from). All a relay needs to address a group's followers, without loading each of them:
/// the rows read grow with the peers, not with the members.
pub fn remote_followers_per_inbox(
    conn: &mut DbConnection,
    target_id: &str,
    except: Option<&str>,
) -> DbResult<Vec<ActorRow>> {
    use diesel::dsl::{min, sql};
    let f = diesel::alias!(actors as follower);
    let one_per_inbox = follows::table
        .inner_join(f.on(f.field(actors::id).eq(follows::follower_id)))
        .filter(follows::target_id.eq(target_id))
        .filter(follows::state.eq(FollowState::Accepted.as_str()))
        .filter(diesel::dsl::not(f.field(actors::local)))
        .filter(f.field(actors::domain).ne(except.unwrap_or("")))
        .group_by((
            sql::<diesel::sql_types::Text>("COALESCE(follower.shared_inbox, follower.inbox)"),
            f.field(actors::speaks_cohort),
            f.field(actors::speaks_lemmy),
        ))
        .select(min(f.field(actors::id)));
    // Kept: diesel would send it unnamed (its grouping is SQL text), planned on every call.
    Ok(super::direct!(conn, |c| super::Kept(
        actors::table
            .filter(actors::id.nullable().eq_any(one_per_inbox))
            .select(ActorRow::as_select())
    )
    .load::<ActorRow>(c))?)
}

/// The hosts of `target_id`'s accepted remote followers, each once.
pub fn remote_follower_hosts(conn: &mut DbConnection, target_id: &str) -> DbResult<Vec<String>> {
    Ok(super::direct!(conn, |c| follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq(target_id))
        .filter(follows::state.eq(FollowState::Accepted.as_str()))
        .filter(diesel::dsl::not(actors::local))
        .select(actors::domain)
        .distinct()
        .load(c))?)
}

/// Number of followers of `target_id` in a state.
pub fn count_followers(
    conn: &mut DbConnection,
    target_id: &str,
    state: FollowState,
) -> DbResult<i64> {
    Ok(follows::table
        .filter(follows::target_id.eq(target_id))
        .filter(follows::state.eq(state.as_str()))
        .count()
        .get_result(conn)?)
}

/// Whether `follower_id` is an accepted follower (a member) of `target_id`.
pub fn is_accepted(conn: &mut DbConnection, follower_id: &str, target_id: &str) -> DbResult<bool> {
    Ok(by_pair(conn, follower_id, target_id)?.is_some_and(|f| f.state == FollowState::Accepted))
}

/// `target_id` (a group) when `follower_id` is its accepted follower (a member): the membership
/// and the group's row in one statement.
pub fn accepted_target(
    conn: &mut DbConnection,
    follower_id: &str,
    target_id: &str,
) -> DbResult<Option<ActorRow>> {
    Ok(super::direct!(conn, |c| follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::target_id)))
        .filter(follows::follower_id.eq(follower_id))
        .filter(follows::target_id.eq(target_id))
        .filter(follows::state.eq(FollowState::Accepted.as_str()))
        .select(ActorRow::as_select())
        .first(c)
        .optional())?)
}

/// Whether any accepted follower of `target_id` lives on `domain`.
pub fn has_follower_on(conn: &mut DbConnection, target_id: &str, domain: &str) -> DbResult<bool> {
    let n: i64 = follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq(target_id))
        .filter(follows::state.eq(FollowState::Accepted.as_str()))
        .filter(actors::domain.eq(domain))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Which of `domains` host an accepted follower of which of `targets`, as `(target, domain)`: for
/// judging one piece of content for many peers in one statement.
pub fn follower_domains(
    conn: &mut DbConnection,
    targets: &[&str],
    domains: &[String],
) -> DbResult<Vec<(String, String)>> {
    use crate::db::ids_in::ids_in;
    Ok(crate::db::direct!(conn, |c| follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(ids_in(follows::target_id, targets))
        .filter(follows::state.eq(FollowState::Accepted.as_str()))
        .filter(ids_in(actors::domain, domains))
        .select((follows::target_id, actors::domain))
        .distinct()
        .load(c))?)
}

/// Whether any local actor is an accepted follower of `target_id` (someone here wants its content).
pub fn has_local_follower(conn: &mut DbConnection, target_id: &str) -> DbResult<bool> {
    let n: i64 = follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq(target_id))
        .filter(follows::state.eq(FollowState::Accepted.as_str()))
        .filter(actors::local)
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Accepted follows of or by an actor, newest first, paged by follow id: `(follow id, the other actor)`.
pub fn page(
    conn: &mut DbConnection,
    actor_id: &str,
    followers: bool,
    keys: super::Keys<'_>,
) -> DbResult<Vec<(String, ActorRow)>> {
    let mut q = follows::table
        .filter(follows::state.eq(FollowState::Accepted.as_str()))
        .select(FollowRow::as_select())
        .into_boxed();
    q = if followers {
        q.filter(follows::target_id.eq(actor_id))
    } else {
        q.filter(follows::follower_id.eq(actor_id))
    };
    if let Some(max) = keys.max {
        q = q.filter(follows::id.lt(max.to_string()));
    }
    if let Some(min) = keys.min {
        q = q.filter(follows::id.gt(min.to_string()));
    }
    let rows: Vec<FollowRow> = if keys.ascending {
        let mut rows: Vec<FollowRow> = q.order(follows::id.asc()).limit(keys.limit).load(conn)?;
        rows.reverse();
        rows
    } else {
        q.order(follows::id.desc()).limit(keys.limit).load(conn)?
    };
    let mut out = Vec::with_capacity(rows.len());
    for f in rows {
        let other = if followers {
            &f.follower_id
        } else {
            &f.target_id
        };
        if let Some(a) = super::actors::by_id(conn, other)? {
            out.push((f.id.clone(), a));
        }
    }
    Ok(out)
}

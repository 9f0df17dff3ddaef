//! Working groups (FEP-1b12): creation, membership (Follow → Accept/Reject, approval queue),
//! and the group's job of checking members' activities and announcing them to its followers.

use crate::{
    db::{self, actors::ActorRow, follows::FollowRow, posts::PostRow},
    domain::{
        ids::new_id,
        policy::{PeerLevel, Visibility},
        time::now_ms,
    },
    error::{AppError, AppResult},
    federation::{
        jsonld::PUBLIC,
        outbox::{self, followers_of},
        policy::{self, Audience},
        urls::Urls,
    },
    service::users::{self, NewLocalActor},
    state::{AppState, Ctx},
};
use serde_json::{json, Map, Value};

/// Options for a new group.
pub struct NewGroup {
    pub name: String,
    pub display_name: Option<String>,
    pub summary: Option<String>,
    /// Follows wait for a moderator's decision.
    pub approval_required: bool,
    pub visibility: Visibility,
    /// A local member who moderates the group from the start.
    pub moderator: Option<String>,
}

/// Creates a local group.
pub async fn create_group(state: &AppState, spec: NewGroup) -> AppResult<ActorRow> {
    let name = spec.name.clone();
    if state
        .db
        .run(move |c| db::actors::local_by_username(c, &name))
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "the name {} is taken",
            spec.name
        )));
    }
    let moderator = match &spec.moderator {
        Some(m) => Some(users::member(state, m).await?),
        None => None,
    };
    let row = users::new_local_actor(
        state,
        NewLocalActor {
            kind: "Group",
            name: &spec.name,
            display_name: spec.display_name.as_deref().unwrap_or(&spec.name),
            summary: &crate::domain::sanitize::escape(spec.summary.as_deref().unwrap_or("")),
            manually_approves: spec.approval_required,
            visibility: spec.visibility,
        },
    )
    .await?;
    let r = row.clone();
    state
        .db
        .run(move |c| {
            db::actors::insert(c, &r)?;
            if let Some(m) = moderator {
                db::actors::add_moderator(c, &r.id, &m.id, now_ms())?;
                // A moderator is a member.
                let follow = FollowRow {
                    id: new_id(),
                    follower_id: m.id.clone(),
                    target_id: r.id.clone(),
                    activity_ap_id: format!("{}#moderator-{}", r.ap_id, m.username),
                    state: db::follows::ACCEPTED.into(),
                    created_at: now_ms(),
                    notify: false,
                };
                db::follows::upsert(c, &follow)?;
            }
            Ok(())
        })
        .await?;
    Ok(row)
}

/// Every local group.
pub async fn list_groups(state: &AppState) -> AppResult<Vec<(ActorRow, i64)>> {
    Ok(state
        .db
        .run(|c| {
            let groups = db::actors::list_local(c, "Group")?;
            groups
                .into_iter()
                .map(|g| {
                    let n = db::follows::count_followers(c, &g.id, db::follows::ACCEPTED)?;
                    Ok((g, n))
                })
                .collect()
        })
        .await?)
}

/// A local group by name, or a clear 404.
pub async fn local_group(state: &AppState, name: &str) -> AppResult<ActorRow> {
    let n = name.to_string();
    state
        .db
        .run(move |c| db::actors::local_by_username(c, &n))
        .await?
        .filter(|a| a.kind == "Group")
        .ok_or_else(|| AppError::NotFound(format!("no local group named {name}")))
}

/// The group's audience for the policy chokepoint.
pub fn audience(group: &ActorRow) -> Audience {
    Audience {
        visibility: group.visibility.parse().unwrap_or(Visibility::Public),
        group_id: Some(group.id.clone()),
    }
}

/// A Follow reached a local actor (from a remote member's node, or from a local member directly).
/// Open groups accept at once; approval-only groups keep the follow pending for a moderator.
pub async fn receive_follow(
    ctx: &Ctx,
    follower: &ActorRow,
    target: &ActorRow,
    follow_ap_id: &str,
    follow_json: Value,
) -> AppResult<()> {
    if !target.local {
        return Err(AppError::Unprocessable(
            "follow target is not on this node".into(),
        ));
    }
    if target.kind == "Organization" {
        return Err(AppError::Unprocessable(
            "the organization actor cannot be followed".into(),
        ));
    }
    if !follower.local {
        let peer = follower.domain.clone();
        let allowed = target.kind != "Group"
            || (policy::may_share_with(ctx.app_data(), &peer, &audience(target)).await?
                || target.visibility == "members"
                    && policy::peer_level(ctx.app_data(), &peer).await? == PeerLevel::Full);
        if !allowed {
            respond(ctx, target, follower, follow_json, "Reject").await?;
            return Ok(());
        }
    }
    let state = if target.manually_approves {
        db::follows::PENDING
    } else {
        db::follows::ACCEPTED
    };
    let row = FollowRow {
        id: new_id(),
        follower_id: follower.id.clone(),
        target_id: target.id.clone(),
        activity_ap_id: follow_ap_id.to_string(),
        state: state.into(),
        created_at: now_ms(),
        notify: false,
    };
    ctx.db.run(move |c| db::follows::upsert(c, &row)).await?;
    // Who hears about it: a followed member, or the moderators of an approval-only group.
    let kind = if state == db::follows::PENDING {
        "follow_request"
    } else {
        "follow"
    };
    if target.kind == "Group" {
        if state == db::follows::PENDING {
            let gid = target.id.clone();
            for m in ctx.db.run(move |c| db::actors::moderators(c, &gid)).await? {
                crate::service::interactions::notify(ctx.app_data(), &m.id, kind, follower, None)
                    .await?;
            }
        }
    } else {
        crate::service::interactions::notify(ctx.app_data(), &target.id, kind, follower, None)
            .await?;
    }
    if state == db::follows::ACCEPTED {
        respond(ctx, target, follower, follow_json, "Accept").await?;
    }
    Ok(())
}

/// Sends Accept or Reject of a follow (remote followers only; local ones see the database).
async fn respond(
    ctx: &Ctx,
    target: &ActorRow,
    follower: &ActorRow,
    follow_json: Value,
    kind: &str,
) -> AppResult<()> {
    if follower.local {
        return Ok(());
    }
    let urls = Urls::new(&ctx.config);
    let activity = outbox::build(
        &urls,
        kind,
        target,
        follow_json,
        vec![follower.ap_id.clone()],
        vec![],
        Map::new(),
    );
    outbox::record(ctx.app_data(), target, &activity, false).await?;
    // Membership answers go to the follower whatever the group's visibility: they carry no content.
    outbox::deliver(
        ctx.app_data(),
        target,
        &activity.ap_id,
        &activity.json,
        std::slice::from_ref(follower),
        &Audience::public(),
    )
    .await?;
    Ok(())
}

/// Pending follow requests of a local group.
pub async fn requests(state: &AppState, group: &str) -> AppResult<Vec<ActorRow>> {
    let g = local_group(state, group).await?;
    Ok(state
        .db
        .run(move |c| db::follows::followers(c, &g.id, db::follows::PENDING, 0, 1000))
        .await?)
}

/// A moderator's decision on a pending follow: accept (the follower becomes a member) or reject.
pub async fn decide(ctx: &Ctx, group: &str, follower_ap_id: &str, approve: bool) -> AppResult<()> {
    let g = local_group(ctx.app_data(), group).await?;
    let (gid, fid) = (g.id.clone(), follower_ap_id.to_string());
    let (follower, follow) = ctx
        .db
        .run(move |c| {
            let f = db::actors::by_ap_id(c, &fid)?.ok_or(db::DbError::NotFound)?;
            let follow = db::follows::by_pair(c, &f.id, &gid)?.ok_or(db::DbError::NotFound)?;
            Ok((f, follow))
        })
        .await
        .map_err(|_| {
            AppError::NotFound(format!("{follower_ap_id} has not asked to join {group}"))
        })?;
    let follow_json = json!({
        "id": follow.activity_ap_id,
        "type": "Follow",
        "actor": follower.ap_id,
        "object": g.ap_id,
    });
    let id = follow.id.clone();
    if approve {
        ctx.db
            .run(move |c| db::follows::set_state(c, &id, db::follows::ACCEPTED))
            .await?;
        respond(ctx, &g, &follower, follow_json, "Accept").await
    } else {
        ctx.db.run(move |c| db::follows::delete(c, &id)).await?;
        respond(ctx, &g, &follower, follow_json, "Reject").await
    }
}

/// A member's post reached a local group: check membership, then announce it to every follower.
pub async fn accept_post(
    ctx: &Ctx,
    group: &ActorRow,
    author: &ActorRow,
    post: &PostRow,
    activity: Value,
) -> AppResult<()> {
    ensure_member(ctx, group, author).await?;
    announce(ctx, group, activity, Some(&post.ap_id)).await
}

/// Refuses authors who are neither members (accepted followers) nor moderators of the group.
pub async fn ensure_member(ctx: &Ctx, group: &ActorRow, author: &ActorRow) -> AppResult<()> {
    let (g, a) = (group.id.clone(), author.id.clone());
    let ok = ctx
        .db
        .run(move |c| {
            Ok(db::follows::is_accepted(c, &a, &g)? || db::actors::is_moderator(c, &g, &a)?)
        })
        .await?;
    if !ok {
        return Err(AppError::Forbidden(format!(
            "{} is not a member of {}",
            author.ap_id, group.ap_id
        )));
    }
    Ok(())
}

/// Wraps an activity in `Announce` from the group to all its followers (FEP-1b12). For a new post,
/// followers on plain-Mastodon servers also get `Announce(Note)`, which they show as a boost.
pub async fn announce(
    ctx: &Ctx,
    group: &ActorRow,
    inner: Value,
    new_post: Option<&str>,
) -> AppResult<()> {
    let gid = group.id.clone();
    let followers = ctx
        .db
        .run(move |c| db::follows::accepted_followers(c, &gid))
        .await?;
    let urls = Urls::new(&ctx.config);
    let to = vec![PUBLIC.to_string()];
    let cc = vec![followers_of(group)];
    let aud = audience(group);
    let wrapped = outbox::build(
        &urls,
        "Announce",
        group,
        inner,
        to.clone(),
        cc.clone(),
        Map::new(),
    );
    outbox::publish(ctx.app_data(), group, &wrapped, &followers, &aud).await?;
    if let Some(note) = new_post {
        let plain: Vec<ActorRow> = followers.into_iter().filter(|f| !f.speaks_cohort).collect();
        if !plain.is_empty() {
            let boost = outbox::build(&urls, "Announce", group, json!(note), to, cc, Map::new());
            outbox::publish(ctx.app_data(), group, &boost, &plain, &aud).await?;
        }
    }
    Ok(())
}

/// Makes a member (local or remote) a moderator of a local group and announces it with `Add`
/// (FEP-1b12), so followers' nodes know whose moderation to trust.
pub async fn add_moderator(ctx: &Ctx, group: &str, handle: &str) -> AppResult<ActorRow> {
    change_moderator(ctx, group, handle, true).await
}

/// Removes a moderator and announces it with `Remove`.
pub async fn remove_moderator(ctx: &Ctx, group: &str, handle: &str) -> AppResult<ActorRow> {
    change_moderator(ctx, group, handle, false).await
}

async fn change_moderator(ctx: &Ctx, group: &str, handle: &str, add: bool) -> AppResult<ActorRow> {
    let g = local_group(ctx.app_data(), group).await?;
    let who = crate::service::members::resolve_handle(ctx, handle).await?;
    if add {
        let (gid, wid) = (g.id.clone(), who.id.clone());
        let member = ctx
            .db
            .run(move |c| db::follows::is_accepted(c, &wid, &gid))
            .await?;
        if !member {
            return Err(AppError::Unprocessable(format!(
                "{handle} must be a member of {group} first"
            )));
        }
    }
    let (gid, wid) = (g.id.clone(), who.id.clone());
    let changed = ctx
        .db
        .run(move |c| {
            if add {
                let before = db::actors::is_moderator(c, &gid, &wid)?;
                db::actors::add_moderator(c, &gid, &wid, now_ms())?;
                Ok(!before)
            } else {
                db::actors::remove_moderator(c, &gid, &wid)
            }
        })
        .await?;
    if !changed {
        return Err(AppError::Conflict(format!(
            "{handle} {} a moderator of {group}",
            if add { "is already" } else { "is not" }
        )));
    }
    let urls = Urls::new(&ctx.config);
    let mut extra = Map::new();
    extra.insert(
        "target".into(),
        json!(crate::urls::sub(&g.ap_id, "moderators")),
    );
    let kind = if add { "Add" } else { "Remove" };
    let activity = outbox::build(
        &urls,
        kind,
        &g,
        json!(who.ap_id),
        vec![PUBLIC.to_string()],
        vec![followers_of(&g)],
        extra,
    );
    let gid = g.id.clone();
    let followers = ctx
        .db
        .run(move |c| db::follows::accepted_followers(c, &gid))
        .await?;
    outbox::publish(ctx.app_data(), &g, &activity, &followers, &audience(&g)).await?;
    Ok(who)
}

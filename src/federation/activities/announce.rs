//! `Announce` from a remote group this node's members follow (FEP-1b12). The inner activity comes
//! from the member's server, not the group's, so it is not trusted as embedded (FEP-fe34): the post
//! is re-fetched from its origin, and a deletion is believed only when the origin answers 410 Gone.

use super::actor_of;
use crate::{
    config::Config,
    db::{self, actors::ActorRow, posts::PostRow, DbConnection},
    domain::names::authority_of,
    error::{AppError, AppResult},
    federation::{
        jsonld::PUBLIC,
        objects::post::DbPost,
        outbound::{
            address,
            deliver::{self, Gate},
        },
        protocol::{activities::RawActivity, id_of, note::ApubNote, type_of},
    },
    service::visibility::{self, Sight, Viewer},
    state::Ctx,
    urls::Urls,
};
use activitypub_federation::{fetch::object_id::ObjectId, traits::Object};
use serde_json::{Map, Value};

/// Stores (or deletes) what the group relays.
pub async fn receive(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    let group = actor_of(&activity, ctx).await?;
    if !group.is_group() {
        return boost(&activity, &group.row, ctx).await;
    }
    let gid = group.row.id.clone();
    if !ctx
        .db
        .run(move |c| db::follows::has_local_follower(c, &gid))
        .await?
    {
        tracing::debug!(group = %activity.actor, "announce from a group nobody here follows; ignored");
        return Ok(());
    }
    let inner = activity.object();
    match inner {
        Value::String(_) => {
            let id = id_of(inner).ok_or_else(|| AppError::Unprocessable("bad object id".into()))?;
            ObjectId::<DbPost>::from(id).dereference(ctx).await?;
            Ok(())
        }
        Value::Object(_) => match type_of(inner) {
            Some("Create") | Some("Update") => relay_post(&activity, inner, ctx).await,
            Some("Delete") => relay_delete(&activity, &group.row.id, inner, ctx).await,
            Some("Like" | "Dislike" | "Undo") => super::relayed::vote(&activity, inner, ctx).await,
            Some(kind @ ("Add" | "Remove")) => {
                super::relayed::moderator(&group, inner, ctx, kind == "Add").await
            }
            _ => Ok(()),
        },
        _ => Err(AppError::Unprocessable("Announce without object".into())),
    }
}

/// Whether the inner activity comes from the group's own origin (then it may be trusted embedded).
fn same_origin_as_group(activity: &RawActivity, inner: &Value) -> bool {
    let inner_actor = inner.get("actor").and_then(id_of);
    match inner_actor {
        Some(a) => authority_of(&a) == authority_of(&activity.actor),
        None => false,
    }
}

async fn relay_post(activity: &RawActivity, inner: &Value, ctx: &Ctx) -> AppResult<()> {
    let object = inner.get("object").unwrap_or(&Value::Null);
    let note_id = id_of(object)
        .ok_or_else(|| AppError::Unprocessable("inner activity without object".into()))?;
    if same_origin_as_group(activity, inner) && object.is_object() {
        let note: ApubNote = serde_json::from_value(object.clone())
            .map_err(|e| AppError::Unprocessable(format!("malformed post: {e}")))?;
        DbPost::verify(&note, &activity.actor, ctx).await?;
        crate::federation::post_origin::require_writable(&note, &activity.actor)?;
        DbPost::from_json(note, ctx).await?;
    } else {
        ObjectId::<DbPost>::from(note_id)
            .dereference_forced(ctx)
            .await?;
    }
    Ok(())
}

async fn relay_delete(
    activity: &RawActivity,
    group_id: &str,
    inner: &Value,
    ctx: &Ctx,
) -> AppResult<()> {
    let target = id_of(inner.get("object").unwrap_or(&Value::Null))
        .ok_or_else(|| AppError::Unprocessable("Delete without object".into()))?;
    let t = target.to_string();
    let Some(post) = ctx.db.run(move |c| db::posts::by_ap_id(c, &t)).await? else {
        return Ok(());
    };
    let moderator = match inner.get("actor").and_then(id_of) {
        Some(actor) => {
            let (gid, aid) = (group_id.to_string(), actor.to_string());
            ctx.db
                .run(move |c| match db::actors::by_ap_id(c, &aid)? {
                    Some(a) => db::actors::is_moderator(c, &gid, &a.id),
                    None => Ok(false),
                })
                .await?
        }
        None => false,
    };
    // Believed when the group's own origin says so, when a moderator the group announced (Add)
    // removed it, or when the post's origin confirms it is gone.
    let believed = if same_origin_as_group(activity, inner) || moderator {
        true
    } else {
        match ObjectId::<DbPost>::from(target.clone())
            .dereference_forced(ctx)
            .await
        {
            Err(AppError::NotFound(_)) => true,
            Ok(_) => {
                tracing::info!(post = %target, "relayed Delete ignored: the post still exists at its origin");
                false
            }
            Err(e) => return Err(e),
        }
    };
    if believed && post.deleted_at.is_none() {
        crate::service::editing::forget(ctx.app_data(), &post.id).await?;
    }
    Ok(())
}

/// A member's boost (Announce of a post URL by a non-group actor): counted when the post is known.
async fn boost(
    activity: &RawActivity,
    actor: &crate::db::actors::ActorRow,
    ctx: &Ctx,
) -> AppResult<()> {
    let Some(object) = id_of(activity.object()) else {
        return Err(AppError::Unprocessable("Announce without object".into()));
    };
    let o = object.to_string();
    let known = ctx.db.run(move |c| db::posts::with_actors_by_ap_id(c, &o));
    let Some(post) = known.await? else {
        tracing::debug!(%object, "boost of an unknown post; ignored");
        return Ok(());
    };
    crate::service::interactions::receive(
        ctx,
        db::interactions::Interaction::Reblog,
        actor,
        post,
        activity.id.as_str(),
        None,
    )
    .await
}

/// What a local group passes on: an activity of one of its members, the post it carries, and
/// whether it creates that post.
pub struct Relayed {
    pub inner: Value,
    pub post: Option<PostRow>,
    pub new_post: bool,
}

/// A local group passes `inner` (an activity of one of its members) on to its followers, wrapped
/// in `Announce` (FEP-1b12) and addressed from the audience of the post it carries. For a new
/// public post, followers on servers that read neither Cohort nor Lemmy relays (Mastodon and
/// other microblogging servers) also get `Announce(post)`, the post embedded, shown as a boost.
pub fn relay(
    conn: &mut DbConnection,
    config: &Config,
    group: &ActorRow,
    inner: &Value,
    post: Option<&PostRow>,
    new_post: bool,
) -> AppResult<()> {
    let item = Relayed {
        inner: inner.clone(),
        post: post.cloned(),
        new_post,
    };
    relay_many(conn, config, group, vec![item])
}

/// `relay` for several activities of one group: its followers are read once per node the
/// activities come from, and the records of the `Announce`s are written together.
pub fn relay_many(
    conn: &mut DbConnection,
    config: &Config,
    group: &ActorRow,
    items: Vec<Relayed>,
) -> AppResult<()> {
    let urls = Urls::new(config);
    // The node an activity comes from has it already: a copy of its own member's act would be
    // refused there (Lemmy: "cant accept local object from remote instance").
    let mut followers_by_origin: Vec<(Option<String>, Vec<ActorRow>)> = Vec::new();
    let mut records = Vec::with_capacity(items.len());
    let mut sends = Vec::with_capacity(items.len());
    for item in items {
        let origin = item
            .inner
            .get("actor")
            .and_then(id_of)
            .and_then(|a| authority_of(&a));
        let known = followers_by_origin.iter().position(|(o, _)| *o == origin);
        let at = match known {
            Some(at) => at,
            None => {
                let f =
                    db::follows::remote_followers_per_inbox(conn, &group.id, origin.as_deref())?;
                followers_by_origin.push((origin, f));
                followers_by_origin.len() - 1
            }
        };
        let audience = match &item.post {
            Some(p) => Sight::new(Viewer::Anonymous)
                .knowing(group)
                .audience(conn, p)?,
            None => visibility::group_audience(group),
        };
        let (to, cc) = address::of_relay(&audience, &group.ap_id);
        let public = to.iter().any(|u| u == PUBLIC);
        let wrapped = deliver::build(
            &urls,
            None,
            "Announce",
            group,
            item.inner,
            to.clone(),
            cc.clone(),
            Map::new(),
        );
        records.push(deliver::row_of(
            conn,
            group,
            &wrapped,
            public,
            item.post.as_ref(),
        )?);
        sends.push((wrapped, at, item.post, item.new_post, (to, cc, public)));
    }
    db::batch::insert_activities(conn, &records)?;
    for (wrapped, at, post, new_post, (to, cc, public)) in sends {
        let followers = &followers_by_origin[at].1;
        let gate = || match &post {
            Some(p) => Gate::Post(p),
            None => Gate::Group(group, false),
        };
        deliver::queue(conn, config, group, &wrapped, followers, gate())?;
        if let (Some(p), true, true) = (&post, new_post, public) {
            let plain: Vec<ActorRow> = followers
                .iter()
                .filter(|f| !f.speaks_cohort && !f.speaks_lemmy)
                .cloned()
                .collect();
            if !plain.is_empty() {
                // The post itself, embedded (as Lemmy sends it to microblogging servers): a bare
                // URL would have to be fetched, and a server that reads relays fetches and
                // rejects it.
                let mut note = serde_json::to_value(crate::federation::objects::note::document(
                    conn, &urls, p,
                )?)?;
                if let Some(o) = note.as_object_mut() {
                    o.remove("@context");
                }
                let boost =
                    deliver::build(&urls, None, "Announce", group, note, to, cc, Map::new());
                deliver::publish(conn, config, group, &boost, &plain, gate(), public)?;
            }
        }
    }
    Ok(())
}

/// A member's boost of a public post (`Announce`, or its `Undo`): to the member's followers and
/// the post's author and group.
pub fn send_boost(
    conn: &mut DbConnection,
    config: &Config,
    me: &ActorRow,
    post: &PostRow,
    (activity_id, ap_id): (&str, &str),
    undo: bool,
) -> AppResult<()> {
    let mut to = db::follows::remote_followers(conn, &me.id)?;
    to.extend(super::like::interested(conn, post)?);
    let addressing = (
        vec![PUBLIC.to_string()],
        vec![crate::urls::sub(&me.ap_id, "followers")],
    );
    super::like::interaction(
        conn,
        config,
        me,
        post,
        "Announce",
        (activity_id, ap_id),
        undo,
        addressing,
        &to,
    )
}

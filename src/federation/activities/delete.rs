//! `Delete` of a post by its author (or by a moderator of its group). A local group relays it.

use super::{actor_of, malformed};
use crate::{
    config::Config,
    db::{self, DbConnection},
    error::{AppError, AppResult},
    federation::{
        jsonld::PUBLIC,
        objects::note,
        outbound::{
            self,
            deliver::{self, Gate},
        },
        protocol::{activities::RawActivity, id_of},
    },
    service::{groups, outbound::Received},
    state::Ctx,
    urls::Urls,
};
use serde_json::{json, Map};

/// Marks the post deleted and, for a local group, announces the deletion.
pub async fn receive(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    let object = id_of(activity.object()).ok_or_else(|| malformed("Delete without object"))?;
    if object == activity.actor {
        tracing::debug!(actor = %object, "actor deletion not handled yet; ignored");
        return Ok(());
    }
    let actor = actor_of(&activity, ctx).await?;
    let oid = object.to_string();
    let found = ctx
        .db
        .run(move |c| {
            let Some(post) = db::posts::by_ap_id(c, &oid)? else {
                return Ok(None);
            };
            let group = match &post.group_id {
                Some(g) => db::actors::by_id(c, g)?,
                None => None,
            };
            Ok(Some((post, group)))
        })
        .await?;
    let Some((post, group)) = found else {
        return Ok(());
    };
    let is_author = post.author_id == actor.row.id;
    let is_moderator = match &group {
        Some(g) => {
            let (gid, aid) = (g.id.clone(), actor.row.id.clone());
            ctx.db
                .run(move |c| db::actors::is_moderator(c, &gid, &aid))
                .await?
        }
        None => false,
    };
    if !is_author && !is_moderator {
        return Err(AppError::Forbidden(
            "only the author or a moderator can delete a post".into(),
        ));
    }
    if post.deleted_at.is_none() {
        crate::service::editing::forget(ctx.app_data(), &post.id).await?;
    }
    if let Some(g) = group.filter(|g| g.local) {
        let received = Received(activity.to_value());
        groups::relay(ctx, &g, received, Some(post.id.clone()), false).await?;
    }
    Ok(())
}

/// A post deleted by `actor_id` (its author, or a moderator of its group): `Delete(Tombstone)` goes
/// where the post went — to the peers that may see it, and to a peer author's node — and a local
/// group relays it.
pub fn send(
    conn: &mut DbConnection,
    config: &Config,
    post_id: &str,
    actor_id: &str,
) -> AppResult<()> {
    let urls = Urls::new(config);
    let post = outbound::post(conn, post_id)?;
    let actor = outbound::actor(conn, actor_id)?;
    let note = note::document(conn, &urls, &post)?;
    let strings = |v: &[url::Url]| v.iter().map(|u| u.to_string()).collect::<Vec<_>>();
    let (to, cc) = (strings(&note.to), strings(&note.cc));
    let public = to.iter().chain(cc.iter()).any(|u| u == PUBLIC);
    let tombstone = json!({"id": post.ap_id, "type": "Tombstone"});
    let group = match &post.group_id {
        Some(g) => db::actors::by_id(conn, g)?,
        None => None,
    };
    let delete = deliver::build(
        &urls,
        None,
        "Delete",
        &actor,
        tombstone,
        to,
        cc,
        extra(&post, &actor, group.as_ref()),
    );
    let mut recipients = outbound::post_recipients(conn, &post)?;
    if !post.local {
        recipients.extend(db::actors::by_id(conn, &post.author_id)?);
    }
    outbound::without_relayed(conn, group.as_ref(), &mut recipients)?;
    deliver::publish(
        conn,
        config,
        &actor,
        &delete,
        &recipients,
        Gate::Post(&post),
        public,
    )?;
    if let Some(g) = group.filter(|g| g.local) {
        super::announce::relay(conn, config, &g, &delete.json, Some(&post), false)?;
    }
    Ok(())
}

/// `audience` (the post's group) and, when someone other than the author deletes the post, a
/// `summary`: Lemmy reads a `Delete` with a summary as a moderator's removal (checked against the
/// community's moderators), and one without it as the author's own deletion.
fn extra(
    post: &db::posts::PostRow,
    actor: &db::actors::ActorRow,
    group: Option<&db::actors::ActorRow>,
) -> Map<String, serde_json::Value> {
    let mut extra = Map::new();
    if let Some(g) = group {
        extra.insert("audience".into(), json!(g.ap_id));
    }
    if actor.id != post.author_id {
        let name = group.map(|g| g.username.as_str()).unwrap_or("the group");
        extra.insert(
            "summary".into(),
            json!(format!("Removed by a moderator of {name}")),
        );
    }
    extra
}

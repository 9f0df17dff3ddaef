//! `Add` / `Remove` from a remote group: its moderators collection changed (FEP-1b12). The copy kept
//! here decides whose relayed moderation (deletions) this node believes.

use super::{actor_of, malformed};
use crate::{
    config::Config,
    db::{self, DbConnection},
    domain::time::now_ms,
    error::{AppError, AppResult},
    federation::{
        jsonld::PUBLIC,
        objects::actor::DbActor,
        outbound::{
            self, address,
            deliver::{self, Gate},
        },
        protocol::{activities::RawActivity, id_of},
        urls::{self, Urls},
    },
    state::Ctx,
};
use activitypub_federation::fetch::object_id::ObjectId;
use serde_json::{json, Map};

/// Updates the stored moderator list of the sending group.
pub async fn receive(activity: RawActivity, ctx: &Ctx, add: bool) -> AppResult<()> {
    let group = actor_of(&activity, ctx).await?;
    apply(&activity, &group, ctx, add).await
}

/// Applies `activity` (an `Add`/`Remove` sent or relayed by `group`) to the stored moderator list
/// of `group`: only when it is a group and the target is its own moderators collection. A group
/// is believed about its own moderators whoever the inner actor is (Lemmy has the moderator
/// send it, and the community announce it).
pub async fn apply(activity: &RawActivity, group: &DbActor, ctx: &Ctx, add: bool) -> AppResult<()> {
    let target = activity.rest.get("target").and_then(id_of);
    let expected = urls::sub(&group.row.ap_id, "moderators");
    if !group.is_group() || target.as_ref().map(|t| t.as_str()) != Some(expected.as_str()) {
        tracing::debug!(id = %activity.id, "Add/Remove outside a group's moderators; ignored");
        return Ok(());
    }
    let object = id_of(activity.object()).ok_or_else(|| malformed("Add/Remove without object"))?;
    let who = ObjectId::<DbActor>::from(object).dereference(ctx).await?;
    if group.row.local {
        return Err(AppError::Forbidden(
            "local groups are changed here, not by peers".into(),
        ));
    }
    let (gid, wid) = (group.row.id.clone(), who.row.id.clone());
    ctx.db
        .run(move |c| {
            if add {
                db::actors::add_moderator(c, &gid, &wid, now_ms())
            } else {
                db::actors::remove_moderator(c, &gid, &wid).map(|_| ())
            }
        })
        .await?;
    Ok(())
}

/// A local group's moderators changed: `Add`/`Remove` of the member to the group's moderators
/// collection, to the followers that may see the group's profile.
pub fn send(
    conn: &mut DbConnection,
    config: &Config,
    group_id: &str,
    member_id: &str,
    added: bool,
) -> AppResult<()> {
    let urls = Urls::new(config);
    let group = outbound::actor(conn, group_id)?;
    let member = outbound::actor(conn, member_id)?;
    let audience = crate::service::visibility::group_profile_audience(&group);
    let (to, cc) = address::of_relay(&audience, &group.ap_id);
    let public = to.iter().any(|u| u == PUBLIC);
    let mut extra = Map::new();
    extra.insert(
        "target".into(),
        json!(urls::sub(&group.ap_id, "moderators")),
    );
    let kind = if added { "Add" } else { "Remove" };
    let object = json!(member.ap_id);
    let (a, b, c) = (to.clone(), cc.clone(), extra.clone());
    let activity = deliver::build(&urls, None, kind, &group, object.clone(), a, b, c);
    let (lemmy, others): (Vec<_>, Vec<_>) = db::follows::remote_followers(conn, &group.id)?
        .into_iter()
        .partition(|f| f.speaks_lemmy);
    deliver::publish(
        conn,
        config,
        &group,
        &activity,
        &others,
        Gate::Group(&group, true),
        public,
    )?;
    if lemmy.is_empty() || !public {
        return Ok(());
    }
    // Lemmy takes a moderator change only from a person, relayed by the community: a member of
    // the group's node (Lemmy trusts those with the community's domain, as its admins).
    let Some(by) = local_person(conn, &group, &member)? else {
        return Ok(());
    };
    extra.insert("audience".into(), json!(group.ap_id));
    let inner = deliver::build(
        &urls,
        None,
        kind,
        &by,
        object,
        to.clone(),
        cc.clone(),
        extra,
    );
    let relay = deliver::build(
        &urls,
        None,
        "Announce",
        &group,
        inner.json,
        to,
        cc,
        Map::new(),
    );
    deliver::publish(
        conn,
        config,
        &group,
        &relay,
        &lemmy,
        Gate::Group(&group, true),
        public,
    )?;
    Ok(())
}

/// Who acts a moderator change for Lemmy: the member when local, else a local moderator.
fn local_person(
    conn: &mut DbConnection,
    group: &db::actors::ActorRow,
    member: &db::actors::ActorRow,
) -> AppResult<Option<db::actors::ActorRow>> {
    if member.local {
        return Ok(Some(member.clone()));
    }
    Ok(db::actors::moderators(conn, &group.id)?
        .into_iter()
        .find(|m| m.local))
}

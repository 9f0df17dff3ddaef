//! `Accept` / `Reject` of a Follow this node sent: membership confirmed or refused. A `Reject` of
//! anything else (a group refusing a member's post) is ignored.

use super::{actor_of, malformed};
use crate::{
    config::Config,
    db::{self, DbConnection},
    error::{AppError, AppResult},
    federation::{
        outbound::{
            self,
            deliver::{self, Gate},
        },
        protocol::{activities::RawActivity, id_of},
    },
    state::Ctx,
    urls::Urls,
};
use serde_json::Value;

/// Marks the follow accepted, or removes it on Reject. Only the follow's target may answer it.
pub async fn receive(activity: RawActivity, ctx: &Ctx, accepted: bool) -> AppResult<()> {
    let object = activity.object();
    let answered = crate::federation::protocol::type_of(object);
    if answered.is_some_and(|k| k != "Follow") {
        // A group refusing a post (`Reject{object: Create}`) says nothing about membership.
        tracing::info!(id = %activity.id, kind = answered, "answer to an activity other than a Follow; ignored");
        return Ok(());
    }
    let actor = actor_of(&activity, ctx).await?;
    let follow_id = id_of(object).ok_or_else(|| malformed("Accept without object"))?;
    let follower_hint = match object {
        Value::Object(o) => o.get("actor").and_then(id_of).map(|u| u.to_string()),
        _ => None,
    };
    let target_id = actor.row.id.clone();
    let fid = follow_id.to_string();
    let follow = ctx
        .db
        .run(move |c| {
            if let Some(f) = db::follows::by_activity(c, &fid)? {
                return Ok(Some(f));
            }
            // Some servers answer with a Follow id of their own: fall back to the pair.
            match follower_hint {
                Some(h) => match db::actors::by_ap_id(c, &h)? {
                    Some(f) => db::follows::by_pair(c, &f.id, &target_id),
                    None => Ok(None),
                },
                None => Ok(None),
            }
        })
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no follow {follow_id} is pending")))?;
    if follow.target_id != actor.row.id {
        return Err(AppError::Forbidden(
            "only the followed actor can answer a follow".into(),
        ));
    }
    let id = follow.id.clone();
    ctx.db
        .run(move |c| {
            if accepted {
                db::follows::set_state(c, &id, db::follows::FollowState::Accepted)
            } else {
                db::follows::delete(c, &id).map(|_| ())
            }
        })
        .await?;
    if accepted && actor.is_group() {
        if let Some(outbox) = actor.row.outbox.clone() {
            crate::federation::backfill::spawn(ctx, outbox);
        }
    }
    Ok(())
}

/// A local actor's answer to a remote actor's follow: `Accept` or `Reject` of it, to the follower
/// alone (it carries no content, so any peer that is not blocked may receive it).
pub fn send(
    conn: &mut DbConnection,
    config: &Config,
    target_id: &str,
    follower_id: &str,
    follow_ap_id: &str,
    accept: bool,
) -> AppResult<()> {
    let urls = Urls::new(config);
    let target = outbound::actor(conn, target_id)?;
    let follower = outbound::actor(conn, follower_id)?;
    if follower.local {
        return Ok(());
    }
    let inner = super::follow::follow_json(follow_ap_id, &follower, &target);
    let kind = if accept { "Accept" } else { "Reject" };
    let to = vec![follower.ap_id.clone()];
    let answer = deliver::build(
        &urls,
        None,
        kind,
        &target,
        inner,
        to,
        vec![],
        Default::default(),
    );
    deliver::publish(
        conn,
        config,
        &target,
        &answer,
        &[follower],
        Gate::Public,
        false,
    )?;
    Ok(())
}

/// A local group refuses an activity a remote `sender` sent it (`Reject{object: <activity>}`, the
/// refused activity named by id, type, actor and object id), to the sender alone.
pub fn send_refusal(
    conn: &mut DbConnection,
    config: &Config,
    group_id: &str,
    sender_id: &str,
    refused: &serde_json::Value,
) -> AppResult<()> {
    let urls = Urls::new(config);
    let group = outbound::actor(conn, group_id)?;
    let sender = outbound::actor(conn, sender_id)?;
    if sender.local {
        return Ok(());
    }
    let mut inner = serde_json::Map::new();
    for key in ["id", "type", "actor"] {
        if let Some(v) = refused.get(key) {
            inner.insert(key.into(), v.clone());
        }
    }
    if let Some(object) = refused
        .get("object")
        .and_then(crate::federation::protocol::id_of)
    {
        inner.insert("object".into(), serde_json::json!(object));
    }
    let to = vec![sender.ap_id.clone()];
    let reject = deliver::build(
        &urls,
        None,
        "Reject",
        &group,
        serde_json::Value::Object(inner),
        to,
        vec![],
        Default::default(),
    );
    deliver::publish(
        conn,
        config,
        &group,
        &reject,
        &[sender],
        Gate::Public,
        false,
    )?;
    Ok(())
}

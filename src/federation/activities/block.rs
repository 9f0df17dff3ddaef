//! `Block`: a local member blocks a peer's member (sent only to the blocked actor's node, and
//! taken back with `Undo(Block)`), and a peer's member blocks a local member (stored, so the
//! follows between them end and the local member's posts stop going to the blocker).

use super::{actor_of, local_actor, malformed};
use crate::{
    config::Config,
    db::{actors::ActorRow, DbConnection},
    error::{AppError, AppResult},
    federation::{
        outbound::{
            self,
            deliver::{self, Gate},
        },
        protocol::{activities::RawActivity, id_of},
    },
    service::relations,
    state::Ctx,
    urls::Urls,
};
use serde_json::{json, Map, Value};

/// Whether a `Block` bans from a place (Lemmy's community or site bans carry a `target`) rather
/// than being one account's block of another: such bans are not acted on here.
fn is_ban(block: &Value) -> bool {
    block.get("target").is_some_and(|t| !t.is_null())
}

/// A peer's member blocks a local member: stored and applied.
pub async fn receive(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    if is_ban(&activity.to_value()) {
        tracing::debug!(id = %activity.id, "Block with a target (a ban); ignored");
        return Ok(());
    }
    let object = id_of(activity.object()).ok_or_else(|| malformed("Block without object"))?;
    let target = local_actor(ctx, object.as_str())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("{object} is not an actor on this node")))?;
    let blocker = actor_of(&activity, ctx).await?;
    relations::receive_block(ctx.app_data(), &blocker.row, &target, activity.id.as_str()).await
}

/// A peer's member takes back a `Block` (the `object` of an `Undo`).
pub async fn receive_undo(activity: &RawActivity, ctx: &Ctx) -> AppResult<()> {
    let inner = activity.object();
    if is_ban(inner) {
        return Ok(());
    }
    let block_id = id_of(inner).ok_or_else(|| malformed("Undo(Block) without an id"))?;
    if let Some(inner_actor) = inner.get("actor").and_then(id_of) {
        if inner_actor != activity.actor {
            return Err(AppError::Forbidden(
                "only the blocker can undo a block".into(),
            ));
        }
    }
    let target = match inner.get("object").and_then(id_of) {
        Some(t) => local_actor(ctx, t.as_str()).await?,
        None => None,
    };
    let blocker = actor_of(activity, ctx).await?;
    relations::receive_unblock(ctx.app_data(), &blocker.row, block_id.as_str(), target).await
}

/// The `Block` a stored block stands for.
fn block_json(ap_id: &str, actor: &ActorRow, target: &ActorRow) -> Value {
    json!({"id": ap_id, "type": "Block", "actor": actor.ap_id, "object": target.ap_id})
}

/// A local member's block of a remote account (or its `Undo`), to that account's node only.
pub fn send(
    conn: &mut DbConnection,
    config: &Config,
    actor_id: &str,
    target_id: &str,
    ap_id: &str,
    undo: bool,
) -> AppResult<()> {
    let urls = Urls::new(config);
    let actor = outbound::actor(conn, actor_id)?;
    let target = outbound::actor(conn, target_id)?;
    let to = vec![target.ap_id.clone()];
    let activity = if undo {
        let inner = block_json(ap_id, &actor, &target);
        deliver::build(&urls, None, "Undo", &actor, inner, to, vec![], Map::new())
    } else {
        // Block ids are minted as activities of this node: the last segment is the local id.
        let local = ap_id.rsplit('/').next().map(String::from);
        let local = local.filter(|l| urls.activity(l) == ap_id);
        let mut a = deliver::build(
            &urls,
            local,
            "Block",
            &actor,
            json!(target.ap_id),
            to,
            vec![],
            Map::new(),
        );
        a.json["id"] = json!(ap_id);
        a.ap_id = ap_id.to_string();
        a
    };
    deliver::publish(
        conn,
        config,
        &actor,
        &activity,
        &[target],
        Gate::Public,
        false,
    )?;
    Ok(())
}

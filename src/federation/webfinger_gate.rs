//! Whether WebFinger may name a local actor to the requester: the same audience rule as the
//! actor document (`Sight::may_see_actor` with `profile`), so discovery reveals no group that its
//! actor document would hide. Unsigned lookups are anonymous in every federation mode.

use crate::{
    db::actors::ActorRow,
    error::AppResult,
    federation::{policy, signed_fetch},
    service::visibility::{Sight, Viewer},
    state::Ctx,
};
use axum::http::{HeaderMap, Method, Uri};

/// May the requester (anonymous, or the verified signer's node at its level) learn of `actor`?
pub async fn may_name(
    ctx: &Ctx,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    actor: &ActorRow,
) -> AppResult<bool> {
    if actor.kind != "Group" {
        return Ok(true);
    }
    let viewer = match signed_fetch::identify(ctx, method, uri, headers).await? {
        signed_fetch::Fetcher::Anonymous => Viewer::Anonymous,
        signed_fetch::Fetcher::Peer { peer, .. } => {
            let level = policy::peer_level(ctx.app_data(), &peer).await?;
            Viewer::Peer {
                domain: peer,
                level,
            }
        }
    };
    let a = actor.clone();
    Ok(ctx
        .db
        .run(move |c| Sight::new(viewer).may_see_actor(c, &a, true))
        .await?)
}

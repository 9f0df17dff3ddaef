//! What use cases need from other nodes, asked through a port so that services never import the
//! federation layer: finding an actor by handle (WebFinger and a signed fetch) or an actor or a
//! post by URL (a signed fetch), all subject to the peer policy.

use crate::{
    db::{actors::ActorRow, posts::PostRow},
    domain::proposal::template::Template,
    error::AppResult,
    state::Ctx,
};
use async_trait::async_trait;

/// Looks things up on peers.
#[async_trait]
pub trait RemotePort: Send + Sync {
    /// The remote actor `name@host`, fetched (or refreshed) and stored.
    async fn actor_by_handle(&self, ctx: &Ctx, name: &str, host: &str) -> AppResult<ActorRow>;

    /// The actor with ActivityPub id `url`, fetched (or refreshed) and stored.
    async fn actor_by_url(&self, ctx: &Ctx, url: &url::Url) -> AppResult<ActorRow>;

    /// The post with ActivityPub id `url`, fetched and stored (subject to what inbound posts are).
    async fn post_by_url(&self, ctx: &Ctx, url: &url::Url) -> AppResult<PostRow>;

    /// The proposal templates a remote group publishes.
    async fn templates_of(&self, ctx: &Ctx, group: &ActorRow) -> AppResult<Vec<Template>>;
}

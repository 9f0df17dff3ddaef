//! The federation side of `service::remote`: WebFinger and signed fetches through the library.

use crate::{
    db::{actors::ActorRow, posts::PostRow},
    error::AppResult,
    federation::objects::{actor::DbActor, post::DbPost},
    service::remote::RemotePort,
    state::Ctx,
};
use crate::{
    domain::proposal::template::Template,
    error::AppError,
    federation::{protocol::proposal::ApubTemplate, templates::from_wire},
};
use activitypub_federation::fetch::{
    fetch_object_http, object_id::ObjectId, webfinger::webfinger_resolve_actor,
};
use async_trait::async_trait;

/// Resolves remote actors with the federation library.
pub struct Remote;

#[async_trait]
impl RemotePort for Remote {
    async fn actor_by_handle(&self, ctx: &Ctx, name: &str, host: &str) -> AppResult<ActorRow> {
        let actor: DbActor = webfinger_resolve_actor(&format!("{name}@{host}"), ctx).await?;
        Ok(actor.row)
    }

    async fn actor_by_url(&self, ctx: &Ctx, url: &url::Url) -> AppResult<ActorRow> {
        Ok(ObjectId::<DbActor>::from(url.clone())
            .dereference(ctx)
            .await?
            .row)
    }

    async fn post_by_url(&self, ctx: &Ctx, url: &url::Url) -> AppResult<PostRow> {
        Ok(ObjectId::<DbPost>::from(url.clone())
            .dereference(ctx)
            .await?
            .row)
    }

    async fn templates_of(&self, ctx: &Ctx, group: &ActorRow) -> AppResult<Vec<Template>> {
        let url = url::Url::parse(&crate::urls::sub(&group.ap_id, "templates"))?;
        let page = fetch_object_http::<_, serde_json::Value>(&url, ctx)
            .await?
            .object;
        let items = page.get("items").cloned().unwrap_or_default();
        let wire: Vec<ApubTemplate> = serde_json::from_value(items).map_err(|e| {
            AppError::Unprocessable(format!("malformed templates of {}: {e}", group.ap_id))
        })?;
        wire.into_iter().map(from_wire).collect()
    }
}

//! Backfill: when a member here joins a remote group, the group's recent posts are fetched from its
//! outbox, so the member's timeline does not start empty. Each item goes through the same checks as
//! a delivered `Announce` (origin re-fetch included).

use crate::{
    federation::{activities::announce, protocol::activities::RawActivity},
    state::Ctx,
};
use activitypub_federation::fetch::fetch_object_http;
use serde_json::Value;

/// How many recent group activities are imported.
const ITEMS: usize = 20;

/// Imports the first page of a remote group's outbox in the background.
pub fn spawn(ctx: &Ctx, outbox: String) {
    let ctx = ctx.reset_request_count();
    tokio::spawn(async move {
        if let Err(e) = run(&ctx, &outbox).await {
            tracing::info!(%outbox, error = %e, "group backfill failed");
        }
    });
}

async fn run(ctx: &Ctx, outbox: &str) -> Result<(), crate::error::AppError> {
    let url = url::Url::parse(&format!("{outbox}?page=1"))?;
    let page = fetch_object_http::<_, Value>(&url, ctx).await?.object;
    let items = page
        .get("orderedItems")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut imported = 0;
    for item in items.into_iter().take(ITEMS) {
        let Ok(activity) = serde_json::from_value::<RawActivity>(item) else {
            continue;
        };
        if activity.kind != crate::federation::protocol::activities::Verb::Announce {
            continue;
        }
        // The outbox is the group's own, fetched from its origin: its Announces are its own.
        if crate::domain::names::authority_of(&activity.actor)
            != crate::domain::names::authority_of(&url)
        {
            continue;
        }
        match announce::receive(activity, ctx).await {
            Ok(()) => imported += 1,
            Err(e) => tracing::debug!(error = %e, "backfill item skipped"),
        }
    }
    tracing::info!(%outbox, imported, "group backfill done");
    Ok(())
}

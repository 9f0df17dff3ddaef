//! Operator endpoints: health and Prometheus metrics.

use crate::{db, error::AppResult, state::Ctx};
use axum::{
    http::header,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;
use std::sync::atomic::Ordering;

/// GET /health — 200 when the database answers.
pub async fn health(ctx: Ctx) -> AppResult<Json<serde_json::Value>> {
    ctx.db.run(db::users::count).await?;
    Ok(Json(
        json!({"status": "ok", "database": ctx.db.backend().name()}),
    ))
}

/// GET /metrics — Prometheus text format.
pub async fn metrics(ctx: Ctx) -> AppResult<Response> {
    let queue = ctx
        .db
        .run(|c| db::deliveries::count_by_status(c, None))
        .await?;
    let m = &ctx.metrics;
    let mut out = String::new();
    let mut counter = |name: &str, help: &str, v: u64| {
        out.push_str(&format!(
            "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}\n"
        ));
    };
    counter(
        "cohort_db_statements_total",
        "SQL statements run by this process, besides the pool's liveness checks.",
        ctx.db.statements(),
    );
    counter(
        "cohort_deliveries_sent_total",
        "Deliveries accepted by peers.",
        m.deliveries_sent.load(Ordering::Relaxed),
    );
    counter(
        "cohort_deliveries_failed_total",
        "Delivery attempts that failed and will be retried.",
        m.deliveries_failed.load(Ordering::Relaxed),
    );
    counter(
        "cohort_deliveries_refused_total",
        "Deliveries a peer refused for good (a 4xx answer other than 408 and 429).",
        m.deliveries_refused.load(Ordering::Relaxed),
    );
    counter(
        "cohort_deliveries_dropped_total",
        "Deliveries dropped by policy.",
        m.deliveries_dropped.load(Ordering::Relaxed),
    );
    counter(
        "cohort_deliveries_queued_total",
        "Deliveries queued for peers by committed writes.",
        m.deliveries_queued.load(Ordering::Relaxed),
    );
    counter(
        "cohort_inbox_accepted_total",
        "Inbound activities accepted.",
        m.inbox_accepted.load(Ordering::Relaxed),
    );
    counter(
        "cohort_inbox_rejected_total",
        "Inbound activities rejected.",
        m.inbox_rejected.load(Ordering::Relaxed),
    );
    counter(
        "cohort_inbox_duplicates_total",
        "Inbound activities seen before and skipped.",
        m.inbox_duplicates.load(Ordering::Relaxed),
    );
    counter(
        "cohort_inbox_overloaded_total",
        "Inbound activities refused with 503 because every inbox worker and waiting place was taken.",
        m.inbox_overloaded.load(Ordering::Relaxed),
    );
    let (posts, post_batches) = ctx.post_batch.counts();
    let (likes, like_batches) = ctx.like_batch.counts();
    counter(
        "cohort_inbox_batched_posts_total",
        "Members' posts into local groups stored by the inbox's batches.",
        posts,
    );
    counter(
        "cohort_inbox_batched_favourites_total",
        "Peers' favourites stored by the inbox's batches.",
        likes,
    );
    counter(
        "cohort_inbox_batches_total",
        "Transactions of the inbox's batches that stored something.",
        post_batches + like_batches,
    );
    out.push_str("# HELP cohort_delivery_queue Deliveries in the queue by status.\n# TYPE cohort_delivery_queue gauge\n");
    for (status, n) in queue {
        out.push_str(&format!(
            "cohort_delivery_queue{{status=\"{status}\"}} {n}\n"
        ));
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response())
}

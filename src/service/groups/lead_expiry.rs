//! Ending lead terms: a lead of a local group whose term has ended loses the role at the end of
//! that UTC day (`domain::lead_term`), and peers hear `Remove` as for any other removal. The
//! worker in `cohort serve` runs [`expire_leads`] every `groups.lead_expiry_interval_secs`.

use crate::{
    db,
    domain::{ids::ActorId, lead_term},
    error::AppResult,
    service::outbound::{commit, Outbound},
    state::Ctx,
};
use std::collections::BTreeMap;

/// Removes every lead of a local group whose role is over at `now_ms`, one transaction per group
/// (the removals and their `Remove` deliveries commit together); returns how many were removed.
/// A lead re-elected meanwhile is kept, and several processes never remove one lead twice. A
/// group that fails is logged and retried at the next round; the others go on.
pub async fn expire_leads(ctx: &Ctx, now_ms: i64) -> AppResult<usize> {
    let before = lead_term::over_if_ended_before(now_ms);
    let ended = ctx
        .db
        .run(move |c| db::leads::ended_in_local_groups(c, before))
        .await?;
    let mut by_group: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (group_id, actor_id) in ended {
        by_group.entry(group_id).or_default().push(actor_id);
    }
    let mut removed = 0;
    for (group_id, leads) in by_group {
        let gid = group_id.clone();
        let done = commit(ctx.app_data(), move |c, out| {
            let mut gone = Vec::new();
            for actor_id in leads {
                if db::leads::remove_if_ended(c, &gid, &actor_id, before)? {
                    out.emit(Outbound::Moderator {
                        group_id: ActorId(gid.clone()),
                        member_id: ActorId(actor_id.clone()),
                        added: false,
                    });
                    gone.push(actor_id);
                }
            }
            Ok(gone)
        })
        .await;
        match done {
            Ok(gone) => {
                for lead in &gone {
                    tracing::info!(group = %group_id, %lead, "a lead's term ended; the role was removed");
                }
                removed += gone.len();
            }
            Err(e) => tracing::warn!(group = %group_id, error = %e, "ending lead terms failed"),
        }
    }
    Ok(removed)
}

/// The lead expiry worker: runs [`expire_leads`] now and then every
/// `groups.lead_expiry_interval_secs` until `shutdown` turns true.
pub async fn run_lead_expiry_worker(ctx: Ctx, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let every = std::time::Duration::from_secs(ctx.config.groups.lead_expiry_interval_secs);
    loop {
        if *shutdown.borrow() {
            break;
        }
        match expire_leads(&ctx, crate::domain::time::now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "lead terms ended"),
            Err(e) => tracing::error!(error = %e, "lead expiry round failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("lead expiry worker stopped");
}

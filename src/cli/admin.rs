//! `cohort admin …`: dispatch to each command group, plus the read-only listings (proposals,
//! audit, delivery queue).

use super::{act_as, args::Admin, groups, peers, proposals, reports, users};
use cohort::Node;

pub(crate) async fn admin(node: &Node, cmd: Admin) -> anyhow::Result<()> {
    let state = &node.state;
    let ctx = node.ctx();
    match cmd {
        Admin::User(cmd) => users::run(state, cmd).await?,
        Admin::Group(cmd) => groups::run(state, &ctx, cmd).await?,
        Admin::Peer(cmd) => peers::run(state, cmd).await?,
        Admin::As { user, action } => act_as::run(&ctx, &user, action).await?,
        Admin::Proposals {
            group,
            state,
            reader,
        } => println!(
            "{}",
            proposals::list(&ctx, &group, state, reader.as_deref()).await?
        ),
        Admin::Proposal { id, reader } => {
            println!("{}", proposals::show(&ctx, &id, reader.as_deref()).await?)
        }
        Admin::Reports(args) => println!("{}", reports::run(state, args).await?),
        Admin::Audit { peer, limit } => {
            let rows = state
                .db
                .run(move |c| cohort::db::audit::recent(c, peer.as_deref(), limit))
                .await?;
            for r in rows {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    cohort::domain::time::to_rfc3339(r.created_at),
                    r.peer,
                    r.action,
                    r.object,
                    r.detail
                );
            }
        }
        Admin::Deliveries { peer, recent } => {
            let rows = state
                .db
                .run({
                    let peer = peer.clone();
                    move |c| cohort::db::deliveries::count_by_status(c, peer.as_deref())
                })
                .await?;
            for (status, n) in rows {
                println!("{status}\t{n}");
            }
            let problems = cohort::service::peers::recent_problems(state, peer, recent).await?;
            if !problems.is_empty() {
                println!("\nlatest refused or failed (when, peer, answer, activity, detail):");
            }
            for row in problems {
                println!("{}", describe_problem(&row));
            }
        }
    }
    Ok(())
}

/// One line for an operator: when, which peer answered what (or why it failed), and the activity.
fn describe_problem(row: &cohort::db::deliveries::DeliveryRow) -> String {
    let answer = match row.last_status {
        Some(status) => format!("HTTP {status}"),
        None => row.status.clone(),
    };
    format!(
        "{}\t{}\t{}\t{}\t{}",
        cohort::domain::time::to_rfc3339(row.updated_at),
        row.peer,
        answer,
        row.activity_ap_id,
        row.last_error.as_deref().unwrap_or("")
    )
}

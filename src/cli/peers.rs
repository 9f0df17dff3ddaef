//! `cohort admin peer …`: setting a peer's policy level and listing peers with their delivery health.

use clap::Subcommand;
use cohort::{domain::policy::PeerLevel, service, state::AppState};

#[derive(Subcommand)]
pub(crate) enum PeerCmd {
    /// Full federation with a peer.
    Allow {
        domain: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Public content only.
    Limit {
        domain: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Nothing in either direction.
    Block {
        domain: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// List peers, their level and delivery health.
    List,
}

pub(crate) async fn run(state: &AppState, cmd: PeerCmd) -> anyhow::Result<()> {
    let (domain, level, note) = match cmd {
        PeerCmd::Allow { domain, note } => (domain, PeerLevel::Full, note),
        PeerCmd::Limit { domain, note } => (domain, PeerLevel::Limited, note),
        PeerCmd::Block { domain, note } => (domain, PeerLevel::Blocked, note),
        PeerCmd::List => {
            println!("peer\tlevel\tfailures\tdead_since\tqueued\trefused\tlast problem");
            for h in service::peers::list(state).await? {
                let p = &h.peer;
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    p.domain,
                    p.level.as_deref().unwrap_or("(mode default)"),
                    p.consecutive_failures,
                    p.dead_since
                        .map(cohort::domain::time::to_rfc3339)
                        .unwrap_or_else(|| "-".into()),
                    h.queued,
                    h.refused,
                    h.last_problem
                        .as_ref()
                        .map(problem_summary)
                        .unwrap_or_else(|| "-".into())
                );
            }
            return Ok(());
        }
    };
    service::peers::set_level(state, &domain, level, note).await?;
    println!("{domain}: {level}");
    Ok(())
}

/// A refusal or final failure in a few words: when, the peer's answer and its start.
fn problem_summary(row: &cohort::db::deliveries::DeliveryRow) -> String {
    let answer = row
        .last_status
        .map_or_else(|| row.status.clone(), |s| format!("HTTP {s}"));
    let text: String = row
        .last_error
        .as_deref()
        .unwrap_or("")
        .chars()
        .take(80)
        .collect();
    format!(
        "{} {answer}: {text}",
        cohort::domain::time::to_rfc3339(row.updated_at)
    )
}

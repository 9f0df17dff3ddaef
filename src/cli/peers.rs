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
            println!("peer\tlevel\tfailures\tdead_since\tqueued");
            for (p, queued) in service::peers::list(state).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    p.domain,
                    p.level.as_deref().unwrap_or("(mode default)"),
                    p.consecutive_failures,
                    p.dead_since
                        .map(cohort::domain::time::to_rfc3339)
                        .unwrap_or_else(|| "-".into()),
                    queued
                );
            }
            return Ok(());
        }
    };
    service::peers::set_level(state, &domain, level, note).await?;
    println!("{domain}: {level}");
    Ok(())
}

//! Command-line arguments: the top-level commands and the `admin` subcommands. The argument types
//! of each command group live with its handler (`users.rs`, `groups.rs`, `peers.rs`, `act_as.rs`).

use super::{act_as::AsCmd, groups::GroupCmd, peers::PeerCmd, users::UserCmd};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "cohort",
    version,
    about = "A federated server for research consortia"
)]
pub(crate) struct Cli {
    /// Config file (default: config/cohort.toml when it exists). Also COHORT_CONFIG.
    #[arg(long, global = true, env = "COHORT_CONFIG")]
    pub(crate) config: Option<PathBuf>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Run the node (HTTP server and delivery worker).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Administration.
    #[command(subcommand)]
    Admin(Admin),
}

#[derive(Subcommand)]
pub(crate) enum Admin {
    /// Member accounts.
    #[command(subcommand)]
    User(UserCmd),
    /// Working groups.
    #[command(subcommand)]
    Group(GroupCmd),
    /// Peer nodes and their policy level.
    #[command(subcommand)]
    Peer(PeerCmd),
    /// Act as a local member (for scripts and admins; members use Mastodon apps).
    As {
        /// The member's username.
        user: String,
        #[command(subcommand)]
        action: AsCmd,
    },
    /// A group's proposals (newest first) that the reader may see.
    Proposals {
        group: String,
        /// Only proposals in this state.
        #[arg(long, value_parser = super::proposals::parse_state_any)]
        state: Option<cohort::domain::proposal::ProposalState>,
        /// Read as this member (drafts, members-only groups); anonymous otherwise.
        #[arg(long = "as")]
        reader: Option<String>,
    },
    /// One proposal: its terms, tally, decision and log.
    Proposal {
        id: String,
        /// Read as this member (drafts, members-only groups); anonymous otherwise.
        #[arg(long = "as")]
        reader: Option<String>,
    },
    /// Reports made to this node, newest first (`resolve ID` marks one resolved).
    Reports(super::reports::ReportsArgs),
    /// Recent audit log entries (what was shared with, or refused to, which peer).
    Audit {
        #[arg(long)]
        peer: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Delivery queue counts by status, then the latest deliveries peers refused (with their
    /// answer) or that failed for good.
    Deliveries {
        #[arg(long)]
        peer: Option<String>,
        /// How many of the latest refused or failed deliveries to show.
        #[arg(long, default_value_t = 20)]
        recent: i64,
    },
}

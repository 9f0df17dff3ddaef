//! `cohort-seed`: fills a Cohort database (SQLite or PostgreSQL) with members, groups, follows,
//! statuses (replies, hashtags, polls), favourites and boosts through the application's own
//! service calls, and writes a seed file (tokens, ids) for `cohort-load`. Run it again with a
//! larger `--statuses` to extend a database: the cast is found again and only the missing
//! statuses are added. See docs/benchmarks.md.

use clap::Parser;
use federation_tests::bench::{
    seed::{self, Options},
    seed_posts::Mix,
};
use std::path::PathBuf;

#[derive(Parser)]
#[command(about = "Seeds a Cohort database through the application's write paths")]
struct Args {
    /// sqlite://PATH or postgres://USER@HOST/DB
    #[arg(long)]
    database: String,
    /// A node config file (its domain is used); without it, defaults in debug mode on --domain.
    #[arg(long)]
    config: Option<PathBuf>,
    #[arg(long, default_value = "localhost:8080")]
    domain: String,
    /// Local statuses the database should hold in the end (existing ones count).
    #[arg(long, default_value_t = 10_000)]
    statuses: u64,
    #[arg(long, default_value_t = 100)]
    members: usize,
    #[arg(long, default_value_t = 10)]
    groups: usize,
    #[arg(long, default_value_t = 3)]
    groups_per_member: usize,
    /// Members each member follows.
    #[arg(long, default_value_t = 10)]
    follows: usize,
    /// Concurrent tasks (the pool gets tasks + 2 connections).
    #[arg(long, default_value_t = 4)]
    tasks: usize,
    /// Statuses stored per transaction.
    #[arg(long, default_value_t = 50)]
    batch: u64,
    #[arg(long, default_value_t = 20)]
    reply_pct: u32,
    #[arg(long, default_value_t = 15)]
    hashtag_pct: u32,
    #[arg(long, default_value_t = 2)]
    polls_per_1000: u32,
    #[arg(long, default_value_t = 20)]
    favourite_pct: u32,
    #[arg(long, default_value_t = 5)]
    boost_pct: u32,
    /// Statuses posted to followers rather than into a group.
    #[arg(long, default_value_t = 10)]
    no_group_pct: u32,
    /// Members to issue access tokens for.
    #[arg(long, default_value_t = 20)]
    tokens: usize,
    /// Status ids to sample into the seed file.
    #[arg(long, default_value_t = 10_000)]
    sample: usize,
    #[arg(long, default_value = "seed.json")]
    out: PathBuf,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    let options = Options {
        database: a.database,
        config: a.config,
        domain: a.domain,
        statuses: a.statuses,
        cast: (a.members, a.groups, a.groups_per_member, a.follows),
        tasks: a.tasks,
        batch: a.batch,
        mix: Mix {
            replies: a.reply_pct,
            hashtags: a.hashtag_pct,
            polls_per_1000: a.polls_per_1000,
            favourites: a.favourite_pct,
            boosts: a.boost_pct,
            no_group: a.no_group_pct,
        },
        tokens: a.tokens,
        sample: a.sample,
        out: a.out,
    };
    seed::run(&options).await?;
    Ok(())
}

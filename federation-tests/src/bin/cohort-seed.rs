//! `cohort-seed`: fills a Cohort database (SQLite or PostgreSQL) with members, groups, follows,
//! statuses (replies, hashtags, polls), favourites and boosts through the application's own
//! service calls, and writes a seed file (tokens, ids) for `cohort-load`. Run it again with a
//! larger `--statuses` to extend a database: the cast is found again and only the missing
//! statuses are added. See docs/benchmarks.md.

use clap::Parser;
use cohort::{db, Node};
use federation_tests::bench::{
    node_config, seed_actors, seed_posts, seed_report, seedfile::SeedFile, Rng,
};
use std::{
    path::PathBuf,
    sync::{atomic::AtomicU64, atomic::Ordering::Relaxed, Arc},
    time::Instant,
};

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
    let config = node_config(
        a.config.as_deref(),
        &a.domain,
        &a.database,
        a.tasks as u32 + 2,
    )?;
    let domain = config.instance.domain.clone();
    let (node, _) = Node::build(config).await?;
    let ctx = node.ctx();
    let t = Instant::now();
    let shape = (a.members, a.groups, a.groups_per_member, a.follows);
    let cast = Arc::new(seed_actors::cast(&ctx, shape, a.tasks).await?);
    println!("cast ready in {:.1}s", t.elapsed().as_secs_f64());
    let existing = ctx.db.run(db::posts::count_local).await?.max(0) as u64;
    let target = a.statuses.saturating_sub(existing);
    println!("{existing} local statuses stored already; adding {target}");
    let mix = seed_posts::Mix {
        replies: a.reply_pct,
        hashtags: a.hashtag_pct,
        polls_per_1000: a.polls_per_1000,
        favourites: a.favourite_pct,
        boosts: a.boost_pct,
        no_group: a.no_group_pct,
    };
    let (totals, claimed) = (
        Arc::new(seed_posts::Totals::default()),
        Arc::new(AtomicU64::new(0)),
    );
    let t = Instant::now();
    let progress = tokio::spawn(seed_report::progress(totals.clone(), target));
    let mut clock = Rng::from_clock();
    let per_task = (a.sample / a.tasks.max(1)) + 1;
    let tasks = a.tasks.max(1);
    let handles: Vec<_> = (0..tasks)
        .map(|i| {
            let plan = (mix, a.batch.max(1), target, per_task);
            tokio::spawn(seed_posts::worker(
                node.ctx(),
                cast.clone(),
                plan,
                claimed.clone(),
                totals.clone(),
                (clock.next_u64(), (i, tasks)),
            ))
        })
        .collect();
    let mut fresh = Vec::new();
    for h in handles {
        fresh.extend(h.await??);
    }
    progress.abort();
    let secs = t.elapsed().as_secs_f64().max(1e-9);
    let n = totals.statuses.load(Relaxed);
    let (favs, boosts) = (totals.favourites.load(Relaxed), totals.boosts.load(Relaxed));
    println!(
        "seeded {n} statuses in {secs:.1}s: {:.0} statuses/s ({} replies, {} polls; {favs} favourites and {boosts} boosts, {:.0} interactions/s alongside)",
        n as f64 / secs,
        totals.replies.load(Relaxed),
        totals.polls.load(Relaxed),
        (favs + boosts) as f64 / secs
    );
    let total = existing + n;
    let ids = seed_report::sample(
        &a.out,
        &domain,
        (existing, total),
        fresh,
        a.sample,
        &mut clock,
    )?;
    let file = SeedFile {
        domain,
        accounts: seed_actors::tokens(&ctx, &cast, a.tokens).await?,
        member_ids: cast.members.iter().map(|m| m.id.clone()).collect(),
        status_ids: ids,
        statuses: total,
    };
    file.write(&a.out)?;
    println!(
        "{total} local statuses in the database; wrote {} tokens, {} member ids and {} sampled status ids to {}",
        file.accounts.len(),
        file.member_ids.len(),
        file.status_ids.len(),
        a.out.display()
    );
    Ok(())
}

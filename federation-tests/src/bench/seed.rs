//! One run of the seeder (`cohort-seed`): a node built on the database, the cast ensured, the
//! statuses that are missing added by several tasks, the seed file written. The binary parses its
//! arguments into [`Options`]; tests call [`run`] directly.

use super::{
    node_config, seed_actors, seed_posts, seed_report, seedfile::SeedFile, stats::summarize, Rng,
};
use cohort::{db, Node};
use std::{
    path::PathBuf,
    sync::{atomic::AtomicU64, atomic::Ordering::Relaxed, Arc},
    time::{Duration, Instant},
};

/// What to seed (the binary's arguments; see docs/benchmarks.md).
#[derive(Clone)]
pub struct Options {
    pub database: String,
    pub config: Option<PathBuf>,
    pub domain: String,
    /// Local statuses the database should hold in the end (existing ones count).
    pub statuses: u64,
    /// Members, groups, groups per member, follows per member.
    pub cast: (usize, usize, usize, usize),
    pub tasks: usize,
    pub batch: u64,
    pub mix: seed_posts::Mix,
    pub tokens: usize,
    pub sample: usize,
    pub out: PathBuf,
}

/// What a run did.
pub struct Seeded {
    /// Local statuses before the run, and added by it.
    pub existing: u64,
    pub added: u64,
    /// How long each batch took to store and commit, sorted.
    pub batches: Vec<Duration>,
    pub file: SeedFile,
}

/// Seeds `o.database` and writes the seed file, printing progress and what it measured.
pub async fn run(o: &Options) -> anyhow::Result<Seeded> {
    let pool = o.tasks as u32 + 2;
    let config = node_config(o.config.as_deref(), &o.domain, &o.database, pool)?;
    let domain = config.instance.domain.clone();
    let (node, _) = Node::build(config).await?;
    let ctx = node.ctx();
    let t = Instant::now();
    let cast = Arc::new(seed_actors::cast(&ctx, o.cast, o.tasks).await?);
    println!("cast ready in {:.1}s", t.elapsed().as_secs_f64());
    let existing = ctx.db.run(db::posts::count_local).await?.max(0) as u64;
    let target = o.statuses.saturating_sub(existing);
    println!("{existing} local statuses stored already; adding {target}");
    let (totals, claimed) = (
        Arc::new(seed_posts::Totals::default()),
        Arc::new(AtomicU64::new(0)),
    );
    let t = Instant::now();
    let progress = tokio::spawn(seed_report::progress(totals.clone(), target));
    let mut clock = Rng::from_clock();
    let tasks = o.tasks.max(1);
    let per_task = (o.sample / tasks) + 1;
    let handles: Vec<_> = (0..tasks)
        .map(|i| {
            let plan = (o.mix, o.batch.max(1), target, per_task);
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
    let batches =
        std::mem::take(&mut *totals.batch_times.lock().unwrap_or_else(|e| e.into_inner()));
    let timed = summarize(batches, 0, None, secs);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} batches of up to {} statuses, each stored and committed in p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        timed.ok,
        o.batch.max(1),
        ms(timed.quantile(0.50)),
        ms(timed.quantile(0.99)),
        ms(timed.latencies.last().copied().unwrap_or_default()),
    );
    let total = existing + n;
    let ids = seed_report::sample(
        &o.out,
        &domain,
        (existing, total),
        fresh,
        o.sample,
        &mut clock,
    )?;
    let file = SeedFile {
        domain,
        accounts: seed_actors::tokens(&ctx, &cast, o.tokens).await?,
        member_ids: cast.members.iter().map(|m| m.id.clone()).collect(),
        status_ids: ids,
        statuses: total,
    };
    file.write(&o.out)?;
    println!(
        "{total} local statuses in the database; wrote {} tokens, {} member ids and {} sampled status ids to {}",
        file.accounts.len(),
        file.member_ids.len(),
        file.status_ids.len(),
        o.out.display()
    );
    Ok(Seeded {
        existing,
        added: n,
        batches: timed.latencies,
        file,
    })
}

//! What the seeder reports while it runs, and the sample of status ids it leaves in the seed file.

use super::{seed_posts::Totals, seedfile::SeedFile, shuffle_take, Rng};
use std::{
    path::Path,
    sync::{atomic::Ordering::Relaxed, Arc},
    time::{Duration, Instant},
};

/// Prints how far the statuses are every five seconds (until aborted).
pub async fn progress(totals: Arc<Totals>, target: u64) {
    let (t, mut last, mut last_t) = (Instant::now(), 0u64, Instant::now());
    loop {
        tokio::time::sleep(Duration::from_secs(5)).await;
        let done = totals.statuses.load(Relaxed);
        println!(
            "  {done}/{target} statuses, {:.0}/s in the last interval, {:.0}/s overall",
            (done - last) as f64 / last_t.elapsed().as_secs_f64(),
            done as f64 / t.elapsed().as_secs_f64()
        );
        (last, last_t) = (done, Instant::now());
    }
}

/// Up to `sample` status ids: the previous seed file's (same domain) and the `fresh` ones, mixed
/// in proportion to how many statuses existed before (`existing`) and in all (`total`).
pub fn sample(
    out: &Path,
    domain: &str,
    (existing, total): (u64, u64),
    fresh: Vec<String>,
    sample: usize,
    rng: &mut Rng,
) -> anyhow::Result<Vec<String>> {
    let old = SeedFile::read(out)?.filter(|f| f.domain == domain);
    let old_ids = old.map(|f| f.status_ids).unwrap_or_default();
    let keep_old = (sample as u64 * existing / total.max(1)) as usize;
    let mut ids = shuffle_take(old_ids, keep_old, rng);
    let room = sample.saturating_sub(ids.len());
    ids.extend(shuffle_take(fresh, room, rng));
    Ok(ids)
}

//! The seeder's statuses: several tasks, each preparing a batch of posts with the posting service
//! (`posting::prepare`, the checks and rendering every new post gets) and storing the batch in one
//! transaction with `posting::store` inside `outbound::commit` — the path `publish_post` takes
//! for one post, here for many at once. Favourites and boosts go through `interactions::add`.

use super::{seed_actors::Cast, Rng};
use cohort::{
    db::{interactions::Interaction, posts::PostRow, slots::slot_of},
    error::AppResult,
    service::{interactions, outbound::commit_retrying, posting},
    state::Ctx,
};
use std::sync::{
    atomic::{AtomicU64, Ordering::Relaxed},
    Arc,
};

/// What share of the statuses carry what (percentages, polls per thousand).
#[derive(Clone, Copy)]
pub struct Mix {
    pub replies: u32,
    pub hashtags: u32,
    pub polls_per_1000: u32,
    pub favourites: u32,
    pub boosts: u32,
    pub no_group: u32,
}

/// Counters shared by the tasks (read by the progress printer).
#[derive(Default)]
pub struct Totals {
    pub statuses: AtomicU64,
    pub replies: AtomicU64,
    pub polls: AtomicU64,
    pub favourites: AtomicU64,
    pub boosts: AtomicU64,
    /// How long each batch took to store and commit.
    pub batch_times: std::sync::Mutex<Vec<std::time::Duration>>,
}

/// The members task `t` of `n` writes as: those whose counter slot (`db::slots::slot_of`) is `t`
/// modulo `n`. Storing a post updates counter rows keyed by its author or its author's slot (the
/// author's statuses, the week's statuses, a hashtag's uses and days), each locked until the batch
/// commits; batches of different tasks then never share one, so they neither wait for each other
/// nor deadlock. All members when some task would have none (few members, or more tasks than
/// slots).
pub fn authors_of(members: &[String], (t, n): (usize, usize)) -> Vec<usize> {
    let mut classes = vec![Vec::new(); n.max(1)];
    for (i, id) in members.iter().enumerate() {
        classes[slot_of(id) as usize % n.max(1)].push(i);
    }
    if n > 1 && classes.iter().all(|c| !c.is_empty()) {
        classes.swap_remove(t)
    } else {
        (0..members.len()).collect()
    }
}

/// One task's work: claims batches from `claimed` until `target` statuses are made; returns a
/// uniform sample (reservoir) of up to `sample` of the ids it made. Task `part.0` of `part.1`
/// writes as [`authors_of`] it, and a batch takes its authors' counter rows in id order.
pub async fn worker(
    ctx: Ctx,
    cast: Arc<Cast>,
    (mix, batch, target, sample): (Mix, u64, u64, usize),
    claimed: Arc<AtomicU64>,
    totals: Arc<Totals>,
    (seed, part): (u64, (usize, usize)),
) -> anyhow::Result<Vec<String>> {
    let mut rng = Rng::new(seed);
    let ids: Vec<String> = cast.members.iter().map(|m| m.id.clone()).collect();
    let authors = authors_of(&ids, part);
    let mut recent: Vec<Vec<PostRow>> = vec![Vec::new(); cast.groups.len()];
    let (mut reservoir, mut seen) = (Vec::with_capacity(sample), 0usize);
    loop {
        let start = claimed.fetch_add(batch, Relaxed);
        if start >= target {
            return Ok(reservoir);
        }
        let n = batch.min(target - start);
        let mut preps = Vec::with_capacity(n as usize);
        for k in 0..n {
            let m = authors[rng.below(authors.len())];
            let gs = &cast.member_groups[m];
            let g = (!gs.is_empty() && !rng.chance(mix.no_group)).then(|| gs[rng.below(gs.len())]);
            let mut text = format!(
                "Seeded status {} from {}.",
                start + k,
                cast.members[m].username
            );
            if rng.chance(mix.hashtags) {
                text.push_str(&format!(" #topic{}", rng.below(20)));
            }
            let parent = g
                .filter(|&g| !recent[g].is_empty() && rng.chance(mix.replies))
                .map(|g| recent[g][rng.below(recent[g].len())].ap_id.clone());
            totals.replies.fetch_add(parent.is_some() as u64, Relaxed);
            let poll = (rng.below(1000) < mix.polls_per_1000 as usize).then(|| posting::NewPoll {
                options: vec!["yes".into(), "no".into(), "abstain".into()],
                expires_in_secs: 7 * 24 * 3600,
                multiple: false,
            });
            totals.polls.fetch_add(poll.is_some() as u64, Relaxed);
            let new = posting::NewPost {
                text,
                title: None,
                in_reply_to: parent,
                sensitive: false,
                content_warning: None,
                visibility: Some("public".into()),
                language: Some("en".into()),
            };
            let group = g.map(|g| cast.groups[g].clone());
            let me = &cast.members[m];
            preps.push(posting::prepare(&ctx, None, me, group, new, vec![], poll).await?);
        }
        // The authors' counter rows in one order (see `authors_of`); the retry stays for any
        // other transient abort.
        preps.sort_by(|a, b| a.row.author_id.cmp(&b.row.author_id));
        let preps = std::sync::Arc::new(preps);
        let stored = std::time::Instant::now();
        let rows = commit_retrying(ctx.app_data(), move |c, out| {
            preps
                .iter()
                .map(|p| posting::store(c, out, p))
                .collect::<AppResult<Vec<PostRow>>>()
        })
        .await?;
        (totals.batch_times.lock())
            .unwrap_or_else(|e| e.into_inner())
            .push(stored.elapsed());
        totals.statuses.fetch_add(rows.len() as u64, Relaxed);
        for row in rows {
            seen += 1;
            if reservoir.len() < sample {
                reservoir.push(row.id.clone());
            } else if rng.below(seen) < sample {
                let i = rng.below(sample);
                reservoir[i] = row.id.clone();
            }
            for (kind, pct, counter) in [
                (Interaction::Favourite, mix.favourites, &totals.favourites),
                (Interaction::Reblog, mix.boosts, &totals.boosts),
            ] {
                if rng.chance(pct) {
                    let who = &cast.members[rng.below(cast.members.len())];
                    let target = match row.group_id.as_ref() {
                        Some(_) if rng.chance(50) => pick(&recent, &mut rng).unwrap_or(&row),
                        _ => &row,
                    };
                    if target.author_id != who.id {
                        interactions::add(&ctx, kind, who, target).await?;
                        counter.fetch_add(1, Relaxed);
                    }
                }
            }
            if let Some(g) = row.group_id.as_ref() {
                if let Some(i) = cast.groups.iter().position(|x| &x.id == g) {
                    let ring = &mut recent[i];
                    if ring.len() >= 200 {
                        ring.swap_remove(rng.below(200));
                    }
                    ring.push(row);
                }
            }
        }
    }
}

/// A random recent post of a random group.
fn pick<'a>(recent: &'a [Vec<PostRow>], rng: &mut Rng) -> Option<&'a PostRow> {
    let ring = &recent[rng.below(recent.len())];
    (!ring.is_empty()).then(|| &ring[rng.below(ring.len())])
}

#[cfg(test)]
mod tests {
    use super::authors_of;
    use cohort::db::slots::slot_of;

    #[test]
    fn tasks_write_as_members_of_their_own_slots() {
        let ids: Vec<String> = (0..100).map(|i| format!("01SEEDMEMBER{i:04}")).collect();
        let parts: Vec<Vec<usize>> = (0..4).map(|t| authors_of(&ids, (t, 4))).collect();
        let mut all: Vec<usize> = parts.concat();
        all.sort_unstable();
        assert_eq!(all, (0..100).collect::<Vec<_>>(), "every member once");
        for (t, part) in parts.iter().enumerate() {
            assert!(part.iter().all(|&i| slot_of(&ids[i]) as usize % 4 == t));
        }
        // Two members cannot cover four tasks: each task writes as both.
        assert_eq!(authors_of(&ids[..2], (3, 4)), vec![0, 1]);
        assert_eq!(authors_of(&ids, (0, 1)).len(), 100);
    }
}

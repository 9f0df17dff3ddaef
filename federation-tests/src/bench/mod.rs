//! Measuring tools for issue 9: the seeder (`cohort-seed`), the client-API load generator
//! (`cohort-load`) and their shared pieces. See docs/benchmarks.md for how to run them.

pub mod load;
pub mod seed;
pub mod seed_actors;
pub mod seed_posts;
pub mod seed_report;
pub mod seedfile;
pub mod stats;

use cohort::config::Config;
use std::path::Path;

/// A node's config for the tools: `file` when given (with `COHORT_…` overrides), else the defaults
/// in debug mode (http, an explicit port in the domain) on `domain`; `database` always wins.
pub fn node_config(
    file: Option<&Path>,
    domain: &str,
    database: &str,
    pool: u32,
) -> anyhow::Result<Config> {
    let mut config = match file {
        Some(p) => Config::load(Some(p), std::env::vars())?,
        None => {
            let mut c = Config::default();
            c.instance.domain = domain.to_string();
            c.federation.debug = true;
            c
        }
    };
    config.database.url = database.to_string();
    config.database.pool_size = pool;
    Ok(config)
}

/// A small fast pseudo-random generator (xorshift64*): the tools need variety, not security.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded from `seed` (any value; zero is replaced).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with `pct` percent probability.
    pub fn chance(&mut self, pct: u32) -> bool {
        self.next_u64() % 100 < pct as u64
    }

    /// A seed that differs between runs (time-based).
    pub fn from_clock() -> Rng {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        Rng::new(t)
    }
}

/// Up to `n` items of `v`, chosen at random.
pub fn shuffle_take<T>(mut v: Vec<T>, n: usize, rng: &mut Rng) -> Vec<T> {
    for i in (1..v.len()).rev() {
        v.swap(i, rng.below(i + 1));
    }
    v.truncate(n);
    v
}

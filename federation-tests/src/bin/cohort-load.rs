//! `cohort-load`: drives the client API of a node seeded by `cohort-seed` with C concurrent
//! clients for D seconds (or R requests) per scenario and prints, per scenario, requests/s, p50,
//! p99, max and errors, then the node's resident memory. The node is either running (`--url`, and
//! `--pid` for its memory) or started in this process on `--database`. See docs/benchmarks.md.

use clap::Parser;
use federation_tests::{
    bench::{
        load::{self, Limits, Scenario},
        node_config,
        seedfile::SeedFile,
        stats::memory_line,
    },
    free_port,
};
use std::{path::PathBuf, sync::Arc, time::Duration};

#[derive(Parser)]
#[command(about = "Client-API load against a seeded Cohort node")]
struct Args {
    /// A running node, such as http://127.0.0.1:8080 (its rate limit raised, see the docs).
    #[arg(long, conflicts_with = "database")]
    url: Option<String>,
    /// Start a node in this process on this database instead (sqlite://… or postgres://…).
    #[arg(long)]
    database: Option<String>,
    /// Config file for the in-process node (else defaults in debug mode on the seed's domain).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Database pool of the in-process node.
    #[arg(long, default_value_t = 8)]
    pool: u32,
    /// The running node's process id, for its memory.
    #[arg(long)]
    pid: Option<u32>,
    #[arg(long, default_value = "seed.json")]
    seed: PathBuf,
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// Seconds per scenario.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Requests per scenario instead of a duration.
    #[arg(long)]
    requests: Option<u64>,
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "home,status,account,notifications,post"
    )]
    scenarios: Vec<Scenario>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    let seed = SeedFile::read(&a.seed)?.ok_or_else(|| {
        anyhow::anyhow!("no seed file {}: run cohort-seed first", a.seed.display())
    })?;
    anyhow::ensure!(
        !seed.accounts.is_empty() && !seed.status_ids.is_empty(),
        "the seed file has no tokens or no statuses"
    );
    let mut running = None;
    let (base, pid) = match (&a.url, &a.database) {
        (Some(url), _) => (url.trim_end_matches('/').to_string(), a.pid),
        (None, Some(db)) => {
            let mut config = node_config(a.config.as_deref(), &seed.domain, db, a.pool)?;
            let port = free_port().await;
            config.server.listen = format!("127.0.0.1:{port}");
            config.api.rate_limit_per_5min = u32::MAX;
            let (node, _) = cohort::Node::build(config).await?;
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
            running = Some(node.spawn(listener));
            (format!("http://127.0.0.1:{port}"), None)
        }
        (None, None) => anyhow::bail!("give --url of a running node or --database to start one"),
    };
    let memory = |pid| match (pid, running.is_some()) {
        (None, false) => "node memory: pass --pid".to_string(),
        (pid, _) => format!("node memory: {}", memory_line(pid)),
    };
    println!(
        "{base}: {} clients, {} per scenario; seed: {} statuses, {} sampled ids, {} tokens{}",
        a.clients,
        match a.requests {
            Some(r) => format!("{r} requests"),
            None => format!("{} s", a.duration),
        },
        seed.statuses,
        seed.status_ids.len(),
        seed.accounts.len(),
        if running.is_some() {
            "; node in this process (memory includes the load clients)"
        } else {
            ""
        }
    );
    println!("before: {}", memory(pid));
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(a.clients)
        .timeout(Duration::from_secs(60))
        .build()?;
    let seed = Arc::new(seed);
    let limits = Limits {
        clients: a.clients,
        duration: Duration::from_secs(a.duration),
        requests: a.requests,
    };
    for s in &a.scenarios {
        let summary = load::run(&http, &base, seed.clone(), *s, limits).await;
        println!("{}", summary.line(&format!("{s:?}").to_lowercase()));
        println!("  {}", memory(pid));
    }
    if let Some(r) = running {
        r.stop().await?;
    }
    Ok(())
}

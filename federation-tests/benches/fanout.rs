//! Fan-out to many nodes: F Cohort nodes on loopback (all in this process, SQLite each in a
//! tempdir), each with one member who joined a group on node A; then a member of A posts into
//! the group, and we watch every node's database until all have stored the post. Repeated for
//! several rounds; prints each round and p50/p99 across rounds.
//!
//! `cargo bench -p federation-tests --bench fanout -- --nodes 50 --rounds 10`
//!
//! Deliveries go through the real persistent queue and its worker (signed POSTs to each node's
//! shared inbox). `federation.debug` is on, as everywhere in the harness: it only allows http://
//! and loopback addresses; Cohort's queue does not use the library's synchronous debug sending.

use clap::Parser;
use cohort::{db, service};
use federation_tests::{
    bench::stats::{memory_line, summarize},
    database_url, follow_state, free_port, full_peers, group, text, wait_until, Store, TestNode,
};
use futures::StreamExt;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Nodes that each have one member in A's group.
    #[arg(long, default_value_t = 50)]
    nodes: usize,
    #[arg(long, default_value_t = 10)]
    rounds: usize,
    /// Node A's concurrent deliveries (`delivery.workers`; the production default is 16).
    #[arg(long, default_value_t = 16)]
    workers: usize,
    /// Database pool of each receiving node.
    #[arg(long, default_value_t = 2)]
    pool: u32,
    /// Passed by `cargo bench`.
    #[arg(long, hide = true)]
    bench: bool,
}

/// The harness's node, with production pacing for the background workers (the harness polls
/// fast for tests) and the pool and workers given.
async fn node(name: String, port: u16, peers: Vec<u16>, pool: u32, workers: usize) -> TestNode {
    let dir = tempfile::tempdir().expect("dir");
    let url = database_url(Store::Sqlite, dir.path(), &name).expect("sqlite");
    TestNode::start_with(&name, port, url, dir, full_peers(&peers), |c| {
        c.database.pool_size = pool;
        c.delivery.workers = workers;
        c.delivery.poll_interval_ms = 500;
        c.polls.results_interval_secs = 60;
    })
    .await
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let t = Instant::now();
    let pa = free_port().await;
    let mut ports = Vec::new();
    for _ in 0..args.nodes {
        ports.push(free_port().await);
    }
    let a = node("A".into(), pa, ports.clone(), 4, args.workers).await;
    service::users::create_user(&a.node_state, "alice", false, None)
        .await
        .expect("alice");
    let wg = group(&a, "wg", Default::default(), false, Some("alice")).await;
    let handle = a.handle("wg");
    let (pool, h) = (args.pool, &handle);
    let mut nodes: Vec<(usize, TestNode)> =
        futures::stream::iter(ports.iter().copied().enumerate())
            .map(|(i, port)| async move {
                let n = node(format!("N{i}"), port, vec![pa], pool, 1).await;
                service::users::create_user(&n.node_state, "m", false, None)
                    .await
                    .expect("member");
                service::members::follow(&n.ctx, "m", h)
                    .await
                    .expect("join");
                (i, n)
            })
            .buffer_unordered(4)
            .collect()
            .await;
    nodes.sort_by_key(|(i, _)| *i);
    let nodes: Vec<TestNode> = nodes.into_iter().map(|(_, n)| n).collect();
    for n in &nodes {
        wait_until(120, "membership accepted", || async {
            follow_state(n, "m", &wg.ap_id).await.as_deref() == Some("accepted")
        })
        .await;
    }
    println!(
        "{} nodes started, each member accepted into {handle} after {:.1}s; {}",
        nodes.len(),
        t.elapsed().as_secs_f64(),
        memory_line(None)
    );
    let mut totals = Vec::new();
    let mut arrivals = Vec::new();
    for round in 0..args.rounds {
        let t = Instant::now();
        let post =
            service::members::post(&a.ctx, "alice", &handle, text(&format!("round {round}")))
                .await
                .expect("post");
        let created = t.elapsed();
        let mut pending: Vec<usize> = (0..nodes.len()).collect();
        let mut got = Vec::new();
        while !pending.is_empty() && t.elapsed() < Duration::from_secs(120) {
            let mut still = Vec::new();
            for i in pending {
                let ap = post.ap_id.clone();
                let stored = nodes[i]
                    .node_state
                    .db
                    .run(move |c| db::posts::by_ap_id(c, &ap))
                    .await;
                match stored {
                    Ok(Some(_)) => got.push(t.elapsed()),
                    _ => still.push(i),
                }
            }
            pending = still;
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let all = t.elapsed();
        got.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "round {round}: post stored on A in {:.1} ms; first node {:.1} ms, median {:.1} ms, all {} of {} after {:.1} ms{}",
            ms(created),
            ms(got.first().copied().unwrap_or_default()),
            ms(got.get(got.len() / 2).copied().unwrap_or_default()),
            got.len(),
            nodes.len(),
            ms(all),
            if pending.is_empty() { "" } else { " (TIMED OUT)" }
        );
        totals.push(all);
        arrivals.extend(got);
    }
    let rounds = summarize(totals, 0, None, 0.0);
    let per_node = summarize(arrivals, 0, None, 0.0);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "fanout/sqlite to {} nodes, {} rounds: all stored p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; per node p50 {:.1} ms, p99 {:.1} ms; {}",
        nodes.len(),
        args.rounds,
        ms(rounds.quantile(0.5)),
        ms(rounds.quantile(0.99)),
        ms(rounds.latencies.last().copied().unwrap_or_default()),
        ms(per_node.quantile(0.5)),
        ms(per_node.quantile(0.99)),
        memory_line(None)
    );
}

//! Inbound load: remote members on several fake peers send pre-signed `Create(Note)`s into a local
//! group, then `Like`s of those posts, to the node's shared inbox at a set concurrency. Prints
//! accepted/s, processed/s, inbox POST latency, 503s and the node's resident memory; then, when
//! the group relayed what it processed to members on other peers, how long its queue took to send
//! every relay after the blast ended, and the activities fully handled per second, relays sent.
//!
//! `cargo bench -p federation-tests --bench inbound` with `INBOUND_COUNT` (default 4000),
//! `INBOUND_CONCURRENCY` (64), `INBOUND_PEERS` (4), `INBOUND_MEMBERS` (4 per peer) and
//! `INBOUND_BACKEND` (`sqlite`, `postgres` or `both`, the default).

use cohort::{db, domain::policy::PeerLevel};
use federation_tests::{
    cohort_calls::pending_deliveries,
    database_url, free_port, group,
    load::{self, Signed},
    Store, TestNode,
};
use std::{
    sync::{atomic::Ordering, Arc},
    time::{Duration, Instant},
};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one blast of POSTs measured.
struct Blast {
    accepted: usize,
    refused_503: usize,
    other: Vec<u16>,
    latencies: Vec<Duration>,
    elapsed: Duration,
}

/// Sends every request once at `concurrency`; 503s are sent again (after `Retry-After`, capped at
/// one second) until all are accepted.
async fn blast(inbox: &str, mut pending: Vec<Signed>, concurrency: usize) -> Blast {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .expect("client");
    let started = Instant::now();
    let mut out = Blast {
        accepted: 0,
        refused_503: 0,
        other: vec![],
        latencies: vec![],
        elapsed: Duration::ZERO,
    };
    for _round in 0..50 {
        if pending.is_empty() {
            break;
        }
        let gate = Arc::new(tokio::sync::Semaphore::new(concurrency));
        let mut tasks = tokio::task::JoinSet::new();
        for s in pending.drain(..) {
            let permit = gate.clone().acquire_owned().await.expect("permit");
            let (client, inbox) = (client.clone(), inbox.to_string());
            tasks.spawn(async move {
                let _permit = permit;
                let mut req = client.post(&inbox).body(s.body.clone());
                for (k, v) in &s.headers {
                    req = req.header(k, v);
                }
                let t = Instant::now();
                let res = req.send().await.expect("send");
                let status = res.status().as_u16();
                let retry = res
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok());
                let _ = res.bytes().await;
                (s, status, retry, t.elapsed())
            });
        }
        let mut wait = 0;
        while let Some(done) = tasks.join_next().await {
            let (s, status, retry, latency) = done.expect("task");
            out.latencies.push(latency);
            match status {
                200..=299 => out.accepted += 1,
                503 => {
                    out.refused_503 += 1;
                    wait = wait.max(retry.unwrap_or(1));
                    pending.push(s);
                }
                other => out.other.push(other),
            }
        }
        if !pending.is_empty() {
            tokio::time::sleep(Duration::from_secs(wait.min(1))).await;
        }
    }
    out.elapsed = started.elapsed();
    out
}

/// Prints one blast's figures; `statements` is what the node's pool ran meanwhile (the inbox and
/// the workers, relays' deliveries included).
fn report(label: &str, n: usize, stored: usize, statements: u64, b: &mut Blast) {
    b.latencies.sort();
    let pct = |p: f64| {
        let i = ((b.latencies.len() as f64 - 1.0) * p).round() as usize;
        b.latencies.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let secs = b.elapsed.as_secs_f64();
    let (hwm, rss) = load::memory_kb();
    println!(
        "inbound/{label}: {n} sent, {} accepted ({:.0}/s), {stored} processed and stored ({:.0}/s) in {secs:.2}s; {:.1} SQL statements per activity; POST p50 {:.1} ms p99 {:.1} ms; {} answered 503; other statuses {:?}; VmHWM {} MB VmRSS {} MB",
        b.accepted,
        b.accepted as f64 / secs,
        stored as f64 / secs,
        statements as f64 / n.max(1) as f64,
        pct(0.5),
        pct(0.99),
        b.refused_503,
        b.other,
        hwm / 1024,
        rss / 1024,
    );
}

/// With `INBOUND_STATEMENTS=1`, starts keeping the text of every statement the node runs.
fn keep_statements(node: &TestNode, on: bool) -> bool {
    let wanted = on && std::env::var("INBOUND_STATEMENTS").is_ok_and(|v| v == "1");
    if wanted {
        node.node_state.db.record_statements(true);
    }
    wanted
}

/// Prints what the node ran per activity, grouped by the statement's text (binds left out), the
/// most frequent first.
fn show_statements(node: &TestNode, kept: bool, label: &str, n: usize) {
    if !kept {
        return;
    }
    let mut by_text = std::collections::HashMap::<String, usize>::new();
    for s in node.node_state.db.record_statements(false) {
        let text = s.split(" -- binds:").next().unwrap_or("").to_string();
        *by_text.entry(text).or_default() += 1;
    }
    let mut rows: Vec<_> = by_text.into_iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    println!("inbound/{label}: statements per activity, by text");
    for (text, count) in rows {
        // The statement's start and, for long selects, what follows its column list.
        let head: String = text.chars().take(60).collect();
        let tail = text.find(" FROM ").map_or("", |i| &text[i..]);
        let short: String = format!("{head} …{tail}").chars().take(400).collect();
        println!("{:>6.2}  {short}", count as f64 / n.max(1) as f64);
    }
}

/// Waits until the node's queue has sent every delivery (the relays of what it processed) and
/// prints how long that took after the blast, and the activities fully handled per second.
/// Prints how many activities the inbox's batches stored, and in how many transactions.
fn batches(label: &str, what: &str, (stored, batches): (u64, u64)) {
    println!(
        "inbound/{label}: {stored} {what} stored in {batches} batches ({:.1} a batch)",
        stored as f64 / batches.max(1) as f64
    );
}

async fn drained(node: &TestNode, label: &str, n: usize, blast: Duration) {
    let started = Instant::now();
    let before = pending_deliveries(node).await;
    let sent = node
        .node_state
        .metrics
        .deliveries_sent
        .load(Ordering::Relaxed);
    if before == 0 {
        println!(
            "inbound/{label}: no relay waiting when the blast ended ({sent} deliveries sent so far)"
        );
        return;
    }
    // Bounded: a queue that does not drain in ten minutes is reported as such.
    while pending_deliveries(node).await > 0 && started.elapsed() < Duration::from_secs(600) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let left = pending_deliveries(node).await;
    let after = started.elapsed().as_secs_f64();
    println!(
        "inbound/{label}: {before} relays waiting when the blast ended, sent in {after:.2}s ({left} left); {:.0} activities/s with their relays sent",
        n as f64 / (blast.as_secs_f64() + after),
    );
}

async fn run(store: Store, n: usize, concurrency: usize, npeers: usize, members: usize) {
    let dir = tempfile::tempdir().expect("dir");
    let Some(url) = database_url(store, dir.path(), "benchinbound") else {
        eprintln!("inbound/{store:?}: no PostgreSQL; skipped");
        return;
    };
    let peers = load::peers(npeers, members).await;
    let levels = peers
        .iter()
        .map(|p| (format!("localhost:{}", p.server.port), PeerLevel::Full))
        .collect();
    // The node runs with the production defaults of the pool, the inbox and the delivery worker
    // (the test nodes' are smaller); `INBOUND_POOL_SIZE`, `INBOUND_WORKERS` and
    // `INBOUND_DELIVERY_WORKERS` change them.
    let node = TestNode::start_with("A", free_port().await, url.clone(), dir, levels, |c| {
        let d = cohort::config::Config::default();
        c.database.pool_size = env("INBOUND_POOL_SIZE", d.database.pool_size as usize) as u32;
        c.federation.inbox_workers = env("INBOUND_WORKERS", d.federation.inbox_workers);
        c.delivery.workers = env("INBOUND_DELIVERY_WORKERS", d.delivery.workers);
    })
    .await;
    let g = group(&node, "wg", Default::default(), false, None).await;
    let inbox = format!("{}/inbox", node.base());
    let all: Vec<_> = peers.iter().flat_map(|p| p.members.iter()).collect();

    let follows = all.iter().map(|m| load::follow(m, &g.ap_id)).collect();
    let joined = blast(&inbox, load::sign_all(&inbox, follows).await, 4).await;
    assert_eq!(joined.accepted, all.len(), "every member joins");

    let note_id = |i: usize| format!("{}/notes/{i}", all[i % all.len()].ap_id);
    let creates = (0..n)
        .map(|i| {
            load::create_in(
                all[i % all.len()],
                &note_id(i),
                &g.ap_id,
                &format!("load {i}"),
            )
        })
        .collect();
    let signed = load::sign_all(&inbox, creates).await;
    let before = node.node_state.db.statements();
    let kept = keep_statements(&node, true);
    let mut b = blast(&inbox, signed, concurrency).await;
    let statements = node.node_state.db.statements() - before;
    show_statements(&node, kept, "create", n);
    let ids: Vec<String> = (0..n).map(note_id).collect();
    let posts = node
        .node_state
        .db
        .run(move |c| {
            let mut rows = Vec::new();
            for id in &ids {
                rows.extend(db::posts::by_ap_id(c, id)?);
            }
            Ok(rows)
        })
        .await
        .expect("posts");
    report(
        &format!("{store:?}/create"),
        n,
        posts.len(),
        statements,
        &mut b,
    );
    batches(
        &format!("{store:?}/create"),
        "posts",
        node.node_state.post_batch.counts(),
    );
    drained(&node, &format!("{store:?}/create"), n, b.elapsed).await;

    // Each like comes from another member than the post's author.
    let likes = (0..n)
        .map(|i| load::like(all[(i + 1) % all.len()], i, &note_id(i)))
        .collect();
    let signed = load::sign_all(&inbox, likes).await;
    let before = node.node_state.db.statements();
    let kept = keep_statements(&node, true);
    let mut b = blast(&inbox, signed, concurrency).await;
    let statements = node.node_state.db.statements() - before;
    show_statements(&node, kept, "like", n);
    let liked = node
        .node_state
        .db
        .run(move |c| {
            let mut total = 0;
            for p in &posts {
                total += db::interactions::counts(c, &p.id)?.0;
            }
            Ok(total)
        })
        .await
        .expect("likes");
    report(
        &format!("{store:?}/like"),
        n,
        liked as usize,
        statements,
        &mut b,
    );
    batches(
        &format!("{store:?}/like"),
        "favourites",
        node.node_state.like_batch.counts(),
    );
    drained(&node, &format!("{store:?}/like"), n, b.elapsed).await;
    if matches!(store, Store::Postgres) {
        // The database holds thousands of activities: dropped, not left for the next run's sweep.
        let _ = db::drop_test_database(&url);
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n = env("INBOUND_COUNT", 4000);
    let concurrency = env("INBOUND_CONCURRENCY", 64);
    let peers = env("INBOUND_PEERS", 4);
    let members = env("INBOUND_MEMBERS", 4);
    let backend = std::env::var("INBOUND_BACKEND").unwrap_or_else(|_| "both".into());
    if backend == "sqlite" || backend == "both" {
        run(Store::Sqlite, n, concurrency, peers, members).await;
    }
    if backend == "postgres" || backend == "both" {
        run(Store::Postgres, n, concurrency, peers, members).await;
    }
}

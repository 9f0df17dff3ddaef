//! The client-API load: C clients, each with a seeded member's token and a keep-alive connection
//! pool shared by all, send one kind of request for D seconds (or until R are sent).

use super::{
    seedfile::SeedFile,
    stats::{summarize, Summary},
    Rng,
};
use std::{
    str::FromStr,
    sync::{atomic::AtomicU64, atomic::Ordering::Relaxed, Arc},
    time::{Duration, Instant},
};

/// One kind of request.
#[derive(Clone, Copy, Debug)]
pub enum Scenario {
    /// `GET /api/v1/timelines/home?limit=40`
    Home,
    /// `GET /api/v1/statuses/{id}`, ids sampled from the seed file
    Status,
    /// `GET /api/v1/accounts/{id}/statuses`, any seeded member
    Account,
    /// `GET /api/v1/notifications`
    Notifications,
    /// `POST /api/v1/statuses` into the client's first group
    Post,
}

impl FromStr for Scenario {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "home" => Scenario::Home,
            "status" => Scenario::Status,
            "account" => Scenario::Account,
            "notifications" => Scenario::Notifications,
            "post" => Scenario::Post,
            other => return Err(format!("unknown scenario {other:?}")),
        })
    }
}

/// How much load: clients, and a duration or a request count.
#[derive(Clone, Copy)]
pub struct Limits {
    pub clients: usize,
    pub duration: Duration,
    pub requests: Option<u64>,
}

fn request(
    http: &reqwest::Client,
    base: &str,
    seed: &SeedFile,
    s: Scenario,
    (client, n, rng): (usize, u64, &mut Rng),
) -> reqwest::RequestBuilder {
    let acct = &seed.accounts[client % seed.accounts.len()];
    let pick = |v: &[String], rng: &mut Rng| v[rng.below(v.len())].clone();
    let rb = match s {
        Scenario::Home => http.get(format!("{base}/api/v1/timelines/home?limit=40")),
        Scenario::Status => http.get(format!(
            "{base}/api/v1/statuses/{}",
            pick(&seed.status_ids, rng)
        )),
        Scenario::Account => http.get(format!(
            "{base}/api/v1/accounts/{}/statuses",
            pick(&seed.member_ids, rng)
        )),
        Scenario::Notifications => http.get(format!("{base}/api/v1/notifications")),
        Scenario::Post => {
            let group = match acct.groups.first() {
                Some(g) => format!(" @{g}@{}", seed.domain),
                None => String::new(),
            };
            let text = format!("Load status {n} from client {client} #loadtest{group}");
            http.post(format!("{base}/api/v1/statuses"))
                .form(&[("status", text)])
        }
    };
    rb.bearer_auth(&acct.token)
}

/// Runs one scenario with `limits` against `base`; every response body is read to the end.
pub async fn run(
    http: &reqwest::Client,
    base: &str,
    seed: Arc<SeedFile>,
    s: Scenario,
    limits: Limits,
) -> Summary {
    let sent = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + limits.duration;
    let mut tasks = tokio::task::JoinSet::new();
    for client in 0..limits.clients.max(1) {
        let (http, base, seed, sent) = (http.clone(), base.to_string(), seed.clone(), sent.clone());
        tasks.spawn(async move {
            let mut rng = Rng::new(client as u64 + 1);
            let (mut lat, mut errors, mut first) = (Vec::new(), 0usize, None);
            loop {
                let n = sent.fetch_add(1, Relaxed);
                let done = match limits.requests {
                    Some(r) => n >= r,
                    None => Instant::now() >= deadline,
                };
                if done {
                    break;
                }
                let rb = request(&http, &base, &seed, s, (client, n, &mut rng));
                let t = Instant::now();
                let outcome = match rb.send().await {
                    Ok(r) if r.status().is_success() => {
                        r.bytes().await.map(|_| ()).map_err(|e| e.to_string())
                    }
                    Ok(r) => Err(format!("HTTP {}", r.status())),
                    Err(e) => Err(e.to_string()),
                };
                match outcome {
                    Ok(()) => lat.push(t.elapsed()),
                    Err(e) => {
                        errors += 1;
                        first.get_or_insert(e);
                    }
                }
            }
            (lat, errors, first)
        });
    }
    let (mut all, mut errors, mut first) = (Vec::new(), 0, None);
    while let Some(Ok((lat, e, f))) = tasks.join_next().await {
        all.extend(lat);
        errors += e;
        if first.is_none() {
            first = f;
        }
    }
    summarize(all, errors, first, start.elapsed().as_secs_f64())
}

//! Harness for federation tests: real Cohort nodes, each with its own database and HTTP port on
//! loopback, in one test process. Nodes run in debug federation mode (http, explicit ports).

pub mod api;
pub mod bench;
pub mod cohort_calls;
pub mod decisions_world;
pub mod fake_peer;
pub mod fixtures;
pub mod fixtures_prep;
pub mod fixtures_run;
pub mod fixtures_state;
pub mod fixtures_table;
pub mod fixtures_table_objects;
pub mod fixtures_world;
pub mod group_calls;
pub mod lemmy_shapes;
pub mod load;
pub mod matrix;
pub mod matrix_paths;
pub mod matrix_rel;
pub mod matrix_report;
pub mod matrix_world;
pub mod paging;
pub mod proposal_decisions;
pub mod proposals;
pub mod push_service;
pub mod signing;

use cohort::{config::Config, domain::policy::PeerLevel, state::AppState, Node, RunningNode};
use std::{collections::BTreeMap, future::Future, path::PathBuf, time::Duration};
use tokio::net::TcpListener;

/// Which database backend the nodes use.
#[derive(Clone, Copy, Debug)]
pub enum Store {
    Sqlite,
    Postgres,
}

/// A node under test. It can be stopped and started again on the same port and database.
pub struct TestNode {
    pub name: String,
    pub domain: String,
    pub config: Config,
    pub node_state: AppState,
    pub ctx: cohort::state::Ctx,
    running: Option<RunningNode>,
    _dir: Option<tempfile::TempDir>,
}

/// A free loopback port for a node that binds it later. It is taken below the kernel's range of
/// ephemeral ports: a port from that range (what binding port 0 gives) can be taken meanwhile as
/// the local end of any outgoing connection (a database or HTTP client of a test running
/// alongside), and the node then cannot bind it. Ports are handed out once per process, from an
/// offset that differs between processes, and each is checked free when handed out.
pub async fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let ephemeral_start = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|r| r.split_whitespace().next()?.parse::<u32>().ok())
        .unwrap_or(32768);
    const LOW: u32 = 10_000;
    if ephemeral_start > LOW + 1_000 {
        let span = ephemeral_start - LOW;
        let offset = std::process::id() * 97 % span;
        for _ in 0..span {
            let port = LOW + (offset + NEXT.fetch_add(1, Ordering::Relaxed)) % span;
            if TcpListener::bind(("127.0.0.1", port as u16)).await.is_ok() {
                return port as u16;
            }
        }
    }
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    l.local_addr().expect("addr").port()
}

/// The database URL for a new node, or `None` when PostgreSQL is unavailable outside CI.
pub fn database_url(store: Store, dir: &std::path::Path, label: &str) -> Option<String> {
    match store {
        Store::Sqlite => Some(format!("sqlite://{}", dir.join("cohort.sqlite3").display())),
        Store::Postgres => cohort::db::test_postgres_database(label),
    }
}

impl TestNode {
    /// Builds and starts a node; `peers` maps domains to levels.
    pub async fn start(
        name: &str,
        port: u16,
        db_url: String,
        dir: tempfile::TempDir,
        peers: BTreeMap<String, PeerLevel>,
    ) -> TestNode {
        TestNode::start_with(name, port, db_url, dir, peers, |_| {}).await
    }

    /// `start` with changes to the test config (`tweak` runs last).
    pub async fn start_with(
        name: &str,
        port: u16,
        db_url: String,
        dir: tempfile::TempDir,
        peers: BTreeMap<String, PeerLevel>,
        tweak: impl FnOnce(&mut Config),
    ) -> TestNode {
        let domain = format!("localhost:{port}");
        let mut config = Config::default();
        config.instance.domain = domain.clone();
        config.instance.name = format!("Node {name}");
        config.server.listen = format!("127.0.0.1:{port}");
        config.database.url = db_url;
        config.database.pool_size = 4;
        config.storage.data_dir = PathBuf::from(dir.path());
        config.federation.debug = true;
        config.federation.peers = peers;
        config.delivery.retry_base_secs = 1;
        config.delivery.max_backoff_secs = 2;
        config.delivery.poll_interval_ms = 50;
        config.delivery.workers = 2;
        // Short polls and a fast results worker, so poll endings can be watched in a test.
        config.polls.min_expiration_secs = 2;
        config.polls.results_interval_secs = 1;
        tweak(&mut config);
        let (node_state, ctx, running) = launch(&config).await;
        TestNode {
            name: name.to_string(),
            domain,
            config,
            node_state,
            ctx,
            running: Some(running),
            _dir: Some(dir),
        }
    }

    /// Starts the node again on its port and database (after `stop`).
    pub async fn restart(&mut self) {
        let (state, ctx, running) = launch(&self.config).await;
        self.node_state = state;
        self.ctx = ctx;
        self.running = Some(running);
    }

    /// Another `cohort` process of the same node (same domain and database), listening on `port`:
    /// how operators scale out on PostgreSQL.
    pub async fn second_process(&self, port: u16) -> TestNode {
        let mut config = self.config.clone();
        config.server.listen = format!("127.0.0.1:{port}");
        let (node_state, ctx, running) = launch(&config).await;
        TestNode {
            name: format!("{}'", self.name),
            domain: self.domain.clone(),
            config,
            node_state,
            ctx,
            running: Some(running),
            _dir: None,
        }
    }

    /// Stops the node gracefully (HTTP and delivery worker).
    pub async fn stop(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await.expect("stop node");
        }
    }

    /// `@name@domain` of a local actor.
    pub fn handle(&self, name: &str) -> String {
        format!("@{name}@{}", self.domain)
    }

    /// The node's base URL.
    pub fn base(&self) -> String {
        format!("http://{}", self.domain)
    }
}

async fn bind_retry(addr: &str) -> TcpListener {
    for _ in 0..50 {
        if let Ok(l) = TcpListener::bind(addr).await {
            return l;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("cannot bind {addr}");
}

async fn launch(config: &Config) -> (AppState, cohort::state::Ctx, RunningNode) {
    let (node, _) = Node::build(config.clone()).await.expect("build node");
    let state = node.state.clone();
    let ctx = node.ctx();
    let listener = bind_retry(&config.server.listen).await;
    (state, ctx, node.spawn(listener))
}

/// Polls `check` until it returns true or `secs` elapse.
pub async fn wait_until<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if check().await {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {secs}s waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until no delivery of `nodes` is left to send or retry: each has reached its final state
/// (done, refused or failed), so whatever they were going to send has arrived or never will.
pub async fn drained(nodes: &[&TestNode]) {
    for n in nodes {
        let what = format!("{}'s queue drained", n.name);
        wait_until(60, &what, || async {
            cohort_calls::pending_deliveries(n).await == 0
        })
        .await;
    }
}

/// A node on a fresh SQLite database.
pub async fn sqlite_node(name: &str, port: u16, peers: BTreeMap<String, PeerLevel>) -> TestNode {
    let dir = tempfile::tempdir().expect("dir");
    let url = database_url(Store::Sqlite, dir.path(), name).expect("sqlite");
    TestNode::start(name, port, url, dir, peers).await
}

/// Full-level peer entries for nodes on these loopback ports.
pub fn full_peers(ports: &[u16]) -> BTreeMap<String, PeerLevel> {
    ports
        .iter()
        .map(|p| (format!("localhost:{p}"), PeerLevel::Full))
        .collect()
}

/// Creates a local group on `n`.
pub async fn group(
    n: &TestNode,
    name: &str,
    visibility: cohort::domain::policy::Visibility,
    approval_required: bool,
    moderator: Option<&str>,
) -> cohort::db::actors::ActorRow {
    group_in(
        &n.node_state,
        name,
        visibility,
        approval_required,
        moderator,
    )
    .await
}

/// [`group`] on a node's state.
pub async fn group_in(
    state: &AppState,
    name: &str,
    visibility: cohort::domain::policy::Visibility,
    approval_required: bool,
    moderator: Option<&str>,
) -> cohort::db::actors::ActorRow {
    cohort::service::groups::create_group(
        state,
        cohort::service::groups::NewGroup {
            name: name.into(),
            display_name: None,
            summary: None,
            approval_required,
            visibility,
            moderator: moderator.map(String::from),
        },
    )
    .await
    .expect("group")
}

/// A plain-text post.
pub fn text(t: &str) -> cohort::service::members::NewPost {
    cohort::service::members::NewPost {
        text: t.into(),
        title: None,
        in_reply_to: None,
        sensitive: false,
        content_warning: None,
        visibility: None,
        language: None,
    }
}

/// The state (`pending`/`accepted`) of a member's follow of a group, as the member's node sees it.
pub async fn follow_state(n: &TestNode, member: &str, group_ap_id: &str) -> Option<String> {
    let (m, g) = (member.to_string(), group_ap_id.to_string());
    n.node_state
        .db
        .run(move |c| {
            let (me, _) =
                cohort::db::users::by_username(c, &m)?.ok_or(cohort::db::DbError::NotFound)?;
            let Some(group) = cohort::db::actors::by_ap_id(c, &g)? else {
                return Ok(None);
            };
            Ok(cohort::db::follows::by_pair(c, &me.id, &group.id)?.map(|f| f.state.to_string()))
        })
        .await
        .expect("follow state")
}

/// Whether a member's timeline shows a post containing `text`.
pub async fn sees(n: &TestNode, member: &str, text: &str) -> bool {
    cohort::service::members::timeline(&n.node_state, member, 1000)
        .await
        .expect("timeline")
        .iter()
        .any(|e| e.post.content.contains(text))
}

/// Result of running one client script.
pub struct ClientRun {
    pub ok: bool,
    pub output: String,
    /// Spec mismatches reported by the response validator (one JSON object per line).
    pub spec_failures: Vec<String>,
    /// `METHOD /path STATUS` of every response that was validated.
    pub checked: Vec<String>,
}

/// The Python interpreter with Mastodon.py and toot (`COHORT_TEST_PYTHON`), or `None` after a loud
/// message outside CI. In CI a missing interpreter panics: client tests must not skip there.
pub fn client_python() -> Option<String> {
    match std::env::var("COHORT_TEST_PYTHON") {
        Ok(p) if std::path::Path::new(&p).exists() => Some(p),
        _ => {
            let (_, required) = cohort::db::test_postgres_admin();
            if required {
                panic!("COHORT_TEST_PYTHON must point at the client-test venv in CI (.ci/run creates it)");
            }
            eprintln!("\n!!! SKIPPING client test: set COHORT_TEST_PYTHON to a Python with Mastodon.py 2.3.3 and toot 0.52.1 (bash .ci/run sets it up)\n");
            None
        }
    }
}

/// The Mastodon OpenAPI description, if this checkout has the shared specs beside it.
pub fn openapi_spec() -> Option<PathBuf> {
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/mastodon-openapi.json");
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "NOTE: {} not found; client responses are not validated against it",
            p.display()
        );
        None
    }
}

/// The Mastodon OpenAPI description for a test that cannot run without it: in CI its absence
/// fails the test; elsewhere the test is skipped with a loud message (`None`).
pub fn required_openapi_spec(test: &str) -> Option<PathBuf> {
    if let Some(p) = openapi_spec() {
        return Some(p);
    }
    let (_, required) = cohort::db::test_postgres_admin();
    if required || std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: the Mastodon OpenAPI description (../shared/specs/mastodon-openapi.json beside the checkout) is required in CI");
    }
    eprintln!("\n!!! SKIPPING {test}: no Mastodon OpenAPI description beside this checkout\n");
    None
}

/// Runs a program (a client script or the toot CLI) with the response validator loaded.
pub fn run_client(
    program: &str,
    args: &[&str],
    bases: &[String],
    extra_env: &[(&str, &str)],
) -> ClientRun {
    let clients = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("clients");
    let report = tempfile::NamedTempFile::new().expect("report");
    let report_path = report.path().to_string_lossy().to_string();
    let mut cmd = std::process::Command::new(program);
    cmd.args(args)
        .current_dir(&clients)
        .env("PYTHONPATH", &clients)
        .env("COHORT_SPEC_REPORT", &report_path)
        .env("COHORT_BASE_URLS", bases.join(" "));
    if let Some(spec) = openapi_spec() {
        cmd.env("COHORT_SPEC_PATH", spec);
    }
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run client");
    let read = |p: &str| {
        std::fs::read_to_string(p)
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    ClientRun {
        ok: out.status.success(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        spec_failures: read(&report_path),
        checked: read(&format!("{report_path}.checked")),
    }
}

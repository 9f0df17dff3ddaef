//! Live events: what happened on this node, told to the streams apps hold open
//! (`api::streaming`). Use cases raise an [`Event`] inside their transaction (through
//! `outbound::Intents`, like their outbound intents); `outbound::commit` publishes them through
//! the node's [`EventPort`] only once the transaction has committed, so a stream never shows what
//! was rolled back.
//!
//! An event names rows, never their content: every process reads and renders the rows for each
//! of its subscribers as that subscriber may see them (`service::streams`). On SQLite the port is
//! the in-process [`Hub`]; on PostgreSQL it is `NOTIFY`, and every process — the producer too —
//! hears it on its own `LISTEN` connection and feeds its hub, so each subscriber gets each event
//! once whichever process produced it.

use crate::{db, state::NodeState};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// One thing streams may show. Ids are local row ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A post was stored (local, or received from a peer).
    Posted { post_id: String },
    /// A stored post changed (an edit).
    Edited { post_id: String },
    /// A post was deleted; its row keeps the audience it had.
    Deleted { post_id: String },
    /// A member was notified.
    Notified { notification_id: String },
}

/// The PostgreSQL channel events travel on between processes.
pub const CHANNEL: &str = "cohort_events";

/// Where committed events go.
#[async_trait::async_trait]
pub trait EventPort: Send + Sync {
    /// Tells every process's subscribers; failures are logged, never returned (the use case has
    /// committed already).
    async fn publish(&self, state: &NodeState, events: Vec<Event>);

    /// Resolves once every event published before the call has been handed on (for tests that
    /// count a use case's statements: the port may send after the use case returns).
    async fn settled(&self) {}
}

/// This process's subscribers. Slow subscribers that fall behind lose the oldest events (and are
/// told so by `broadcast`), they never hold the node up.
#[derive(Clone)]
pub struct Hub {
    tx: broadcast::Sender<Event>,
    closed: tokio::sync::watch::Sender<bool>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            tx: broadcast::channel(1024).0,
            closed: tokio::sync::watch::channel(false).0,
        }
    }
}

impl Hub {
    /// A new subscriber: it receives every event delivered from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }

    /// Resolves when the node stops: open streams end then.
    pub async fn closing(&self) {
        let mut rx = self.closed.subscribe();
        let _ = rx.wait_for(|c| *c).await;
    }

    /// Ends every open stream (the node is stopping).
    pub fn close(&self) {
        self.closed.send_replace(true);
    }

    /// Hands an event to this process's subscribers (none listening is fine).
    pub fn deliver(&self, event: Event) {
        let _ = self.tx.send(event);
    }
}

/// The in-process port (SQLite: one process per database).
pub struct InProcess;

#[async_trait::async_trait]
impl EventPort for InProcess {
    async fn publish(&self, state: &NodeState, events: Vec<Event>) {
        for e in events {
            state.hub.deliver(e);
        }
    }
}

/// The PostgreSQL port: `NOTIFY` on [`CHANNEL`]; this process hears its own events back through
/// its `LISTEN` connection ([`listen`]) and so never delivers them locally a second time.
///
/// `publish` hands the events to one sending task and returns: a use case does not wait for its
/// live events, and events raised while a `NOTIFY` statement runs go out together in the next one
/// (in the order they were published). Under inbound load that is one statement and one commit for
/// many use cases instead of one each. Events still waiting when the node stops are lost, as live
/// events may be (a listener that is away misses them anyway).
pub struct Notify {
    sending: tokio::sync::mpsc::Sender<Sending>,
}

/// What the sending task is handed: an event's payload, or a request to answer once everything
/// handed before it is sent.
enum Sending {
    Payload(String),
    Settled(tokio::sync::oneshot::Sender<()>),
}

/// At most this many events wait for the sending task; `publish` waits for room beyond.
const NOTIFY_WAITING: usize = 4096;
/// At most this many events go out in one statement.
const NOTIFY_BATCH: usize = 256;

impl Notify {
    /// The port, and its sending task on `db` (it ends once the port is dropped and its last
    /// events are sent).
    pub fn start(db: db::Db) -> Notify {
        let (sending, mut waiting) = tokio::sync::mpsc::channel::<Sending>(NOTIFY_WAITING);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(NOTIFY_BATCH);
            while waiting.recv_many(&mut batch, NOTIFY_BATCH).await > 0 {
                let (mut payloads, mut answers) = (Vec::new(), Vec::new());
                for item in batch.drain(..) {
                    match item {
                        Sending::Payload(p) => payloads.push(p),
                        Sending::Settled(answer) => answers.push(answer),
                    }
                }
                if !payloads.is_empty() {
                    let sent = db.run(move |c| db::notify::send(c, CHANNEL, &payloads));
                    if let Err(e) = sent.await {
                        tracing::warn!(error = %e, "live events not published");
                    }
                }
                for answer in answers {
                    let _ = answer.send(());
                }
            }
        });
        Notify { sending }
    }
}

#[async_trait::async_trait]
impl EventPort for Notify {
    async fn publish(&self, _state: &NodeState, events: Vec<Event>) {
        for e in &events {
            let Ok(payload) = serde_json::to_string(e) else {
                continue;
            };
            if self.sending.send(Sending::Payload(payload)).await.is_err() {
                tracing::warn!("live events not published: the sending task has stopped");
                return;
            }
        }
    }

    async fn settled(&self) {
        let (answer, answered) = tokio::sync::oneshot::channel();
        if self.sending.send(Sending::Settled(answer)).await.is_ok() {
            let _ = answered.await;
        }
    }
}

/// Listens for the events every process of the node publishes on PostgreSQL; once this returns,
/// each event published is heard.
pub fn listener(url: &str) -> Result<db::notify::Listener, String> {
    db::notify::Listener::open(url, CHANNEL)
}

/// Feeds `hub` with what `listener` hears until `stop` is set or dropped (a blocking loop: run
/// it with `spawn_blocking`).
pub fn relay(listener: db::notify::Listener, hub: Hub, stop: tokio::sync::watch::Receiver<bool>) {
    listener.run(
        // Also once the node is gone (the sender dropped with it): a runtime shutting down waits
        // for its blocking tasks, so a loop that outlived its node would hold the process.
        &|| *stop.borrow() || stop.has_changed().is_err(),
        &mut |payload| match serde_json::from_str::<Event>(payload) {
            Ok(e) => hub.deliver(e),
            Err(e) => tracing::warn!(error = %e, payload, "unreadable live event"),
        },
    );
}

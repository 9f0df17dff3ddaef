//! Outbound intents: what a use case wants peers to hear, in the domain's words. Services never
//! build ActivityStreams JSON, choose recipients or address anything: they name the change, and
//! the outbound port (`federation::outbound`) turns it into activities, applies the audience rule
//! to every receiving peer and queues the deliveries — on the same connection, inside the use
//! case's transaction, so its writes and its deliveries commit together or not at all.

use crate::{
    db::{actors::ActorRow, interactions::Interaction, posts::PostRow, DbConnection},
    domain::ids::{ActorId, PostId},
    error::AppResult,
    service::events::Event,
    state::AppState,
};

/// An activity received from a peer, passed on unchanged (a group relays what its members send).
#[derive(Debug, Clone)]
pub struct Received(pub serde_json::Value);

/// A row an intent is about: the row itself when the use case read or wrote it in the same
/// transaction (it is current, so the port does not read it again), else its id, and the port
/// reads it inside the transaction (a row read before the transaction began may have changed).
#[derive(Debug, Clone)]
pub enum InTx<T> {
    Row(Box<T>),
    Id(String),
}

impl<T> InTx<T> {
    /// The row, read by `read` when only its id is known.
    pub fn row(
        self,
        conn: &mut DbConnection,
        read: impl FnOnce(&mut DbConnection, &str) -> AppResult<T>,
    ) -> AppResult<T> {
        match self {
            InTx::Row(row) => Ok(*row),
            InTx::Id(id) => read(conn, &id),
        }
    }
}

/// One thing peers should hear about. Ids are local row ids.
#[derive(Debug, Clone)]
pub enum Outbound {
    /// A new local post: to its group, or to the author's followers, and to those it addresses.
    CreatePost { post_id: PostId },
    /// A local post changed (an edit, new poll results); the remote `voters` of its poll hear too.
    UpdatePost {
        post_id: PostId,
        voters: Vec<ActorId>,
    },
    /// A local post was deleted by `actor_id` (its author, or a moderator of its group).
    DeletePost { post_id: PostId, actor_id: ActorId },
    /// A local group passes on an activity one of its members sent it; `post` is the post it
    /// carries, `new_post` whether it creates that post (plain servers then also get a boost).
    Relay {
        group: InTx<ActorRow>,
        activity: Received,
        post: Option<InTx<PostRow>>,
        new_post: bool,
    },
    /// A local group refused what a remote actor sent it (a post into the group by a non-member,
    /// an edit of another's post): the sender hears `Reject`, so its server does not show the
    /// post as published.
    RefuseToGroup {
        group_id: ActorId,
        sender_id: ActorId,
        activity: Received,
    },
    /// A local member asks to follow (join) a remote actor; the stored follow names the activity.
    Follow {
        follower_id: ActorId,
        target_id: ActorId,
    },
    /// A local member stops following a remote actor.
    Unfollow {
        follower_id: ActorId,
        target_id: ActorId,
        follow_ap_id: String,
    },
    /// A local actor accepts or rejects a remote actor's follow.
    AnswerFollow {
        target_id: ActorId,
        follower_id: ActorId,
        follow_ap_id: String,
        accept: bool,
    },
    /// A local member favourites or boosts a post (or takes it back, with `undo`). `ap_id` is the
    /// interaction's id, minted as the activity `activity_id` of this node.
    Interaction {
        kind: Interaction,
        actor_id: ActorId,
        post_id: PostId,
        activity_id: String,
        ap_id: String,
        undo: bool,
    },
    /// A local member's vote for one option of a remote poll.
    Vote {
        voter_id: ActorId,
        post_id: PostId,
        choice: usize,
        ap_id: String,
    },
    /// A local actor's profile changed.
    Profile { actor_id: ActorId },
    /// A local member who leads a remote group asks it to change its profile.
    EditRemoteGroup {
        editor_id: ActorId,
        group_id: ActorId,
        edit: super::groups::RemoteGroupEdit,
    },
    /// A local group gained or lost a moderator.
    Moderator {
        group_id: ActorId,
        member_id: ActorId,
        added: bool,
    },
    /// A proposal of a local group moved, was counted again or was decided: the group tells its
    /// followers with an `Update(Question)` that carries its proof.
    ProposalUpdate { proposal_id: String },
    /// A local member asks a remote group to move one of its proposals (the author starting the
    /// vote, a lead deciding): the group's node decides.
    ProposalMove {
        proposal_id: String,
        actor_id: ActorId,
        to: String,
        reason: Option<String>,
    },
    /// A local member blocks a remote account (or, with `undo`, stops blocking it); `ap_id` is
    /// the stored block's `Block` activity id. Only the blocked account's node hears of it.
    Block {
        actor_id: ActorId,
        target_id: ActorId,
        ap_id: String,
        undo: bool,
    },
    /// A local member pinned a post to their profile (or unpinned it): `Add`/`Remove` to their
    /// `featured` collection.
    Pin {
        actor_id: ActorId,
        post_id: PostId,
        added: bool,
    },
    /// A local member voted (or changed their vote) on a proposal of a remote group: the signed
    /// vote goes to the group.
    ProposalVote {
        proposal_id: String,
        voter_id: ActorId,
    },
    /// A report made here goes, as a `Flag` from the node's own actor (never the reporter), to
    /// the reported account's node when it was forwarded, and to the nodes of the groups its
    /// statuses were posted in; each node hears only of the statuses it may see.
    Flag { report_id: String },
}

/// Turns intents into deliveries on the caller's connection (inside its transaction).
pub trait OutboundPort: Send + Sync {
    /// Queues what `intent` asks for; answers how many deliveries it queued (none when no peer
    /// may receive it).
    fn queue(&self, conn: &mut DbConnection, intent: Outbound) -> AppResult<usize>;

    /// Queues what each of `intents` asks for, in order; a port may queue related intents
    /// together. Answers how many deliveries it queued.
    fn queue_all(&self, conn: &mut DbConnection, intents: Vec<Outbound>) -> AppResult<usize> {
        let mut queued = 0;
        for intent in intents {
            queued += self.queue(conn, intent)?;
        }
        Ok(queued)
    }
}

/// The intents a use case has emitted so far, and the live events it raised.
#[derive(Debug, Default)]
pub struct Intents(Vec<Outbound>, Vec<Event>);

impl Intents {
    /// Adds one intent; it is queued when the use case's writes commit.
    pub fn emit(&mut self, intent: Outbound) {
        self.0.push(intent);
    }

    /// Adds one live event; it is published once the use case's writes have committed.
    pub fn event(&mut self, event: Event) {
        self.1.push(event);
    }
}

/// Runs a use case's writes and queues the intents it emits, all in one transaction, then wakes
/// the delivery worker (when a delivery was queued) and publishes the live events it raised.
pub async fn commit<T, F>(state: &AppState, f: F) -> AppResult<T>
where
    F: FnOnce(&mut DbConnection, &mut Intents) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    let port = state.outbound.clone();
    let (value, queued, events) = state
        .db
        .tx(move |c| {
            let mut out = Intents::default();
            let value = f(c, &mut out)?;
            let queued = port.queue_all(c, out.0)?;
            Ok::<_, crate::error::AppError>((value, queued, out.1))
        })
        .await?;
    if queued > 0 {
        let m = &state.metrics.deliveries_queued;
        m.fetch_add(queued as u64, std::sync::atomic::Ordering::Relaxed);
        state.delivery_wake.notify_one();
    }
    if !events.is_empty() {
        state.events.publish(state, events).await;
    }
    Ok(value)
}

/// `commit` for the use case that completes the inbound activity this task is processing: the
/// mark that the activity was processed (`receipt`) is written in the same transaction, first
/// when the activity was not claimed before (should another delivery of it hold the mark, nothing
/// is written and the default is answered). Outside the inbox it is `commit`.
pub async fn commit_completing<T, F>(state: &AppState, f: F) -> AppResult<T>
where
    F: FnOnce(&mut DbConnection, &mut Intents) -> AppResult<T> + Send + 'static,
    T: Default + Send + 'static,
{
    use crate::db::activities::{finish_received, record_received};
    let receipt = super::receipt::take();
    let mark = receipt
        .as_ref()
        .map(|r| (r.ap_id().to_string(), r.claimed()));
    let result = commit(state, move |c, out| {
        let now = crate::domain::time::now_ms();
        if let Some((id, false)) = &mark {
            if !record_received(c, id, now, super::receipt::CLAIM_LEASE_MS)? {
                // A duplicate: the transaction has written nothing.
                return Ok(None);
            }
        }
        let value = f(c, out)?;
        if let Some((id, true)) = &mark {
            finish_received(c, id)?;
        }
        Ok(Some(value))
    })
    .await;
    match (result, receipt) {
        (Ok(None), Some(r)) => {
            r.duplicate();
            Ok(T::default())
        }
        (Ok(value), _) => Ok(value.unwrap_or_default()),
        (Err(e), Some(r)) => {
            r.restore();
            Err(e)
        }
        (Err(e), None) => Err(e),
    }
}

/// `commit`, tried again (up to three times) when PostgreSQL aborts the transaction for a
/// deadlock or a serialization failure with a concurrent one: for use cases that contend on one
/// row (votes and updates of a proposal). The use case must be repeatable.
pub async fn commit_retrying<T, F>(state: &AppState, f: F) -> AppResult<T>
where
    F: Fn(&mut DbConnection, &mut Intents) -> AppResult<T> + Clone + Send + 'static,
    T: Send + 'static,
{
    let mut tries = 0;
    loop {
        tries += 1;
        match commit(state, f.clone()).await {
            Err(e) if tries < 3 && e.is_transient() => {
                tracing::debug!(error = %e, "transaction aborted by a concurrent one; retrying");
            }
            other => return other,
        }
    }
}

/// An outbound port that only remembers what it was asked, for service tests without a network.
#[derive(Default)]
pub struct Recorder {
    pub intents: std::sync::Mutex<Vec<Outbound>>,
}

impl OutboundPort for Recorder {
    fn queue(&self, _conn: &mut DbConnection, intent: Outbound) -> AppResult<usize> {
        self.intents
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(intent);
        Ok(0)
    }
}

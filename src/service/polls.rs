//! Voting in polls (the options of proposals). Votes on a local poll are counted here; votes on a
//! remote poll are sent to its origin as `Create(Note{name, inReplyTo})`, which counts them.

use crate::domain::ids::{ActorId, PostId};
use crate::{
    db::{self, actors::ActorRow, polls::Vote, posts::PostRow},
    domain::proposal::Choice,
    domain::{ids::new_id, time::now_ms},
    error::{AppError, AppResult},
    service::{
        groups,
        outbound::{commit, Outbound},
        proposals,
    },
    state::Ctx,
};

/// A peer's note that may be a vote: its id, title, the post it answers and whether it has text.
pub struct Answer {
    pub ap_id: String,
    pub name: Option<String>,
    pub in_reply_to: Option<String>,
    pub has_content: bool,
}

impl Answer {
    /// Whether it has a vote's shape (a title, a post it answers, no text): only then may it be
    /// a vote on a poll or a proposal.
    pub fn may_be_vote(&self) -> bool {
        self.name.is_some() && self.in_reply_to.is_some() && !self.has_content
    }
}

async fn poll_of(ctx: &Ctx, post: &PostRow) -> AppResult<db::polls::PollRow> {
    let id = post.id.clone();
    ctx.db
        .run(move |c| db::polls::get(c, &id))
        .await?
        .ok_or_else(|| AppError::NotFound("Record not found".into()))
}

async fn proposal_of(ctx: &Ctx, post: &PostRow) -> AppResult<Option<db::proposals::ProposalRow>> {
    let id = post.id.clone();
    Ok(ctx.db.run(move |c| db::proposals::by_post(c, &id)).await?)
}

async fn group_of(ctx: &Ctx, post: &PostRow) -> AppResult<Option<ActorRow>> {
    let Some(g) = post.group_id.clone() else {
        return Ok(None);
    };
    Ok(ctx.db.run(move |c| db::actors::by_id(c, &g)).await?)
}

/// A member votes. `choices` are option indexes.
pub async fn vote(ctx: &Ctx, me: &ActorRow, post: &PostRow, choices: &[usize]) -> AppResult<()> {
    if let Some(proposal) = proposal_of(ctx, post).await? {
        // An app's vote on a proposal's poll is a vote on the proposal.
        let choice = match choices {
            [one] => Choice::from_index(*one),
            _ => None,
        }
        .ok_or_else(|| {
            AppError::Unprocessable(
                "Validation failed: choose one of approve, object, abstain".into(),
            )
        })?;
        proposals::votes::vote(ctx, me, &proposal.id, choice, None).await?;
        return Ok(());
    }
    let poll = poll_of(ctx, post).await?;
    let titles = poll.titles();
    if poll.expires_at.is_some_and(|e| e < now_ms()) {
        return Err(AppError::Unprocessable(
            "Validation failed: The poll has already ended".into(),
        ));
    }
    let mut choices: Vec<usize> = choices.to_vec();
    choices.sort_unstable();
    choices.dedup();
    if choices.is_empty()
        || choices.iter().any(|c| *c >= titles.len())
        || (!poll.multiple && choices.len() != 1)
    {
        return Err(AppError::Unprocessable(
            "Validation failed: choices are not valid options".into(),
        ));
    }
    let group = group_of(ctx, post).await?;
    if let Some(g) = group.as_ref().filter(|g| g.local) {
        groups::ensure_member(ctx, g, me).await?;
    }
    let (post, me, multiple) = (post.clone(), me.clone(), poll.multiple);
    commit(ctx.app_data(), move |c, out| {
        let already = || {
            AppError::Unprocessable("Validation failed: You have already voted on this poll".into())
        };
        if !db::polls::choices_of(c, &post.id, &me.id)?.is_empty() {
            return Err(already());
        }
        for choice in choices {
            let ap_id = format!("{}#votes/{}", me.ap_id, new_id());
            let vote = Vote {
                id: &new_id(),
                post_id: &post.id,
                voter_id: &me.id,
                choice: choice as i32,
                ap_id: &ap_id,
                multiple,
            };
            if !db::polls::vote(c, &vote, now_ms())? {
                return Err(already());
            }
            if post.local {
                db::polls::mark_dirty(c, &post.id)?;
            } else {
                out.emit(Outbound::Vote {
                    voter_id: ActorId(me.id.clone()),
                    post_id: PostId(post.id.clone()),
                    choice,
                    ap_id,
                });
            }
        }
        Ok(())
    })
    .await
}

/// A vote from a peer (`Create(Note{name, inReplyTo})` answering a local poll). Returns `false` when
/// the note is not a vote on a poll of this node, so the caller treats it as an ordinary post.
pub async fn receive_vote(ctx: &Ctx, voter: &ActorRow, note: &Answer) -> AppResult<bool> {
    // A vote is a bare answer: a note with content is a reply, even when it has a title.
    let (Some(name), Some(parent), true) = (
        note.name.clone(),
        note.in_reply_to.as_ref(),
        note.may_be_vote(),
    ) else {
        return Ok(false);
    };
    let p = parent.to_string();
    let Some(post) = ctx
        .db
        .run(move |c| db::posts::by_ap_id(c, &p))
        .await?
        .filter(|p| p.local)
    else {
        return Ok(false);
    };
    if let Some(proposal) = proposal_of(ctx, &post).await? {
        proposals::votes::receive(ctx, voter, &proposal, &name, &note.ap_id, None, None).await?;
        return Ok(true);
    }
    let pid = post.id.clone();
    let Some(poll) = ctx.db.run(move |c| db::polls::get(c, &pid)).await? else {
        return Ok(false);
    };
    if poll.expires_at.is_some_and(|e| e < now_ms()) {
        return Err(AppError::Unprocessable("the poll has ended".into()));
    }
    let choice = poll
        .titles()
        .iter()
        .position(|t| *t == name)
        .ok_or_else(|| AppError::Unprocessable("no such poll option".into()))?;
    if let Some(g) = group_of(ctx, &post).await?.filter(|g| g.local) {
        groups::ensure_member(ctx, &g, voter).await?;
    }
    let (pid, vid) = (post.id.clone(), voter.id.clone());
    let earlier = ctx
        .db
        .run(move |c| db::polls::choices_of(c, &pid, &vid))
        .await?;
    if !poll.multiple && !earlier.is_empty() {
        return Err(AppError::Unprocessable("already voted".into()));
    }
    let (pid, vid, ap) = (post.id.clone(), voter.id.clone(), note.ap_id.clone());
    let counted = ctx
        .db
        .tx(move |c| {
            let vote = Vote {
                id: &new_id(),
                post_id: &pid,
                voter_id: &vid,
                choice: choice as i32,
                ap_id: &ap,
                multiple: poll.multiple,
            };
            let counted = db::polls::vote(c, &vote, now_ms())?;
            if counted {
                db::polls::mark_dirty(c, &pid)?;
            }
            Ok::<_, db::DbError>(counted)
        })
        .await?;
    if !counted {
        return Err(AppError::Unprocessable("already voted".into()));
    }
    Ok(true)
}

/// Polls handled per round of the results worker.
const BATCH: i64 = 50;

/// The results worker: every `polls.results_interval_secs` it closes ended polls (a `poll`
/// notification for local voters and, for a local poll, its author) and sends the changed results
/// of local polls to peers as `Update(Question)`. Runs until `shutdown` turns true.
pub async fn run_results_worker(ctx: Ctx, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let every = std::time::Duration::from_secs(ctx.config.polls.results_interval_secs);
    loop {
        if *shutdown.borrow() {
            break;
        }
        if let Err(e) = results_round(&ctx).await {
            tracing::error!(error = %e, "poll results round failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("poll results worker stopped");
}

/// One round of the results worker; returns how many polls were closed and published.
pub async fn results_round(ctx: &Ctx) -> AppResult<(usize, usize)> {
    let ended = ctx
        .db
        .run(|c| db::polls::claim_ended(c, now_ms(), BATCH))
        .await?;
    let closed = ended.len();
    for poll in ended {
        if let Err(e) = close(ctx, &poll).await {
            tracing::warn!(post = %poll.post_id, error = %e, "closing a poll failed");
        }
    }
    let dirty = ctx.db.run(|c| db::polls::claim_dirty(c, BATCH)).await?;
    let published = dirty.len();
    for post_id in dirty {
        if let Err(e) = publish_results(ctx, &post_id).await {
            tracing::warn!(post = %post_id, error = %e, "sending poll results failed");
        }
    }
    Ok((closed, published))
}

/// An ended poll: its local voters (and its author, when local) are notified; a local poll's
/// final results go out.
async fn close(ctx: &Ctx, poll: &db::polls::PollRow) -> AppResult<()> {
    let pid = poll.post_id.clone();
    let Some(post) = ctx
        .db
        .run(move |c| db::posts::by_id(c, &pid))
        .await?
        .filter(|p| p.deleted_at.is_none())
    else {
        return Ok(());
    };
    if proposal_of(ctx, &post).await?.is_some() {
        // A proposal's voters hear of it when it is decided (`proposals::decide`).
        return Ok(());
    }
    let p = post.clone();
    commit(ctx.app_data(), move |c, out| {
        let mut users = db::polls::local_voters(c, &p.id)?;
        if p.local && !users.contains(&p.author_id) {
            users.push(p.author_id.clone());
        }
        for user in users {
            let kind = crate::domain::notification::NotificationKind::Poll;
            crate::service::notifications::raise(c, out, &user, kind, &p.author_id, Some(&p))?;
        }
        if p.local {
            db::polls::mark_dirty(c, &p.id)?;
        }
        Ok(())
    })
    .await
}

/// Sends a local poll's current results where the poll went, and to its remote voters.
async fn publish_results(ctx: &Ctx, post_id: &str) -> AppResult<()> {
    let pid = post_id.to_string();
    commit(ctx.app_data(), move |c, out| {
        if let Some(proposal) = db::proposals::by_post(c, &pid)? {
            // A proposal's count goes out from its group, proved by the group's key.
            if db::actors::by_id(c, &proposal.group_id)?.is_some_and(|g| g.local) {
                out.emit(Outbound::ProposalUpdate {
                    proposal_id: proposal.id,
                });
            }
        }
        if db::posts::by_id(c, &pid)?.is_some_and(|p| p.local && p.deleted_at.is_none()) {
            let voters = db::polls::remote_voters(c, &pid)?;
            out.emit(Outbound::UpdatePost {
                voters: voters.into_iter().map(|v| ActorId(v.id)).collect(),
                post_id: PostId(pid),
            });
        }
        Ok(())
    })
    .await
}

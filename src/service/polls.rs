//! Voting in polls (the options of proposals). Votes on a local poll are counted here; votes on a
//! remote poll are sent to its origin as `Create(Note{name, inReplyTo})`, which counts them.

use crate::{
    db::{self, actors::ActorRow, posts::PostRow},
    domain::{ids::new_id, time::now_ms},
    error::{AppError, AppResult},
    federation::{outbox, policy::Audience, protocol::note::ApubNote, urls::Urls},
    service::groups,
    state::Ctx,
};
use serde_json::{json, Map};

async fn poll_of(ctx: &Ctx, post: &PostRow) -> AppResult<db::polls::PollRow> {
    let id = post.id.clone();
    ctx.db
        .run(move |c| db::polls::get(c, &id))
        .await?
        .ok_or_else(|| AppError::NotFound("Record not found".into()))
}

async fn group_of(ctx: &Ctx, post: &PostRow) -> AppResult<Option<ActorRow>> {
    let Some(g) = post.group_id.clone() else {
        return Ok(None);
    };
    Ok(ctx.db.run(move |c| db::actors::by_id(c, &g)).await?)
}

/// A member votes. `choices` are option indexes.
pub async fn vote(ctx: &Ctx, me: &ActorRow, post: &PostRow, choices: &[usize]) -> AppResult<()> {
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
    let (pid, mid) = (post.id.clone(), me.id.clone());
    if !ctx
        .db
        .run(move |c| db::polls::choices_of(c, &pid, &mid))
        .await?
        .is_empty()
    {
        return Err(AppError::Unprocessable(
            "Validation failed: You have already voted on this poll".into(),
        ));
    }
    let group = group_of(ctx, post).await?;
    if let Some(g) = group.as_ref().filter(|g| g.local) {
        groups::ensure_member(ctx, g, me).await?;
    }
    let urls = Urls::new(&ctx.config);
    let author_id = post.author_id.clone();
    let author = ctx
        .db
        .run(move |c| db::actors::by_id(c, &author_id))
        .await?
        .ok_or_else(|| AppError::NotFound("Record not found".into()))?;
    for choice in choices {
        let vote_id = format!("{}#votes/{}", me.ap_id, new_id());
        let (pid, mid, vid, local) = (post.id.clone(), me.id.clone(), vote_id.clone(), post.local);
        ctx.db
            .run(move |c| {
                db::polls::vote(c, &new_id(), &pid, &mid, choice as i32, &vid, now_ms())?;
                if local {
                    db::polls::mark_dirty(c, &pid)?;
                }
                Ok(())
            })
            .await?;
        if !post.local {
            let note = json!({
                "id": vote_id,
                "type": "Note",
                "name": titles[choice],
                "inReplyTo": post.ap_id,
                "attributedTo": me.ap_id,
                "to": [author.ap_id],
            });
            let create = outbox::build(
                &urls,
                "Create",
                me,
                note,
                vec![author.ap_id.clone()],
                vec![],
                Map::new(),
            );
            let mut to = vec![author.clone()];
            to.extend(group.clone().filter(|g| !g.local));
            outbox::publish(ctx.app_data(), me, &create, &to, &Audience::public()).await?;
        }
    }
    Ok(())
}

/// A vote from a peer (`Create(Note{name, inReplyTo})` answering a local poll). Returns `false` when
/// the note is not a vote on a poll of this node, so the caller treats it as an ordinary post.
pub async fn receive_vote(ctx: &Ctx, voter: &ActorRow, note: &ApubNote) -> AppResult<bool> {
    let (Some(name), Some(parent)) = (
        note.name.as_ref().and_then(|n| n.text()),
        note.in_reply_to.as_ref(),
    ) else {
        return Ok(false);
    };
    // A vote is a bare answer: a note with content is a reply, even when it has a title.
    if note
        .content
        .as_ref()
        .and_then(|c| c.text())
        .is_some_and(|c| !c.trim().is_empty())
    {
        return Ok(false);
    }
    let p = parent.to_string();
    let Some(post) = ctx
        .db
        .run(move |c| db::posts::by_ap_id(c, &p))
        .await?
        .filter(|p| p.local)
    else {
        return Ok(false);
    };
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
    let (pid, vid, ap) = (post.id.clone(), voter.id.clone(), note.id.to_string());
    ctx.db
        .run(move |c| {
            db::polls::vote(c, &new_id(), &pid, &vid, choice as i32, &ap, now_ms())?;
            db::polls::mark_dirty(c, &pid)
        })
        .await?;
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
    let p = post.clone();
    ctx.db
        .run(move |c| {
            let mut users = db::polls::local_voters(c, &p.id)?;
            if p.local && !users.contains(&p.author_id) {
                users.push(p.author_id.clone());
            }
            let now = now_ms();
            for user in users {
                db::notifications::insert(
                    c,
                    &db::notifications::NotificationRow {
                        id: new_id(),
                        user_id: user,
                        kind: "poll".into(),
                        from_actor_id: p.author_id.clone(),
                        post_id: Some(p.id.clone()),
                        created_at: now,
                    },
                )?;
            }
            if p.local {
                db::polls::mark_dirty(c, &p.id)?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}

/// Sends a local poll's current results where the poll went, and to its remote voters.
async fn publish_results(ctx: &Ctx, post_id: &str) -> AppResult<()> {
    let pid = post_id.to_string();
    let found = ctx
        .db
        .run(move |c| {
            let Some(post) =
                db::posts::by_id(c, &pid)?.filter(|p| p.local && p.deleted_at.is_none())
            else {
                return Ok(None);
            };
            let author = db::actors::by_id(c, &post.author_id)?.ok_or(db::DbError::NotFound)?;
            let group = match &post.group_id {
                Some(g) => db::actors::by_id(c, g)?,
                None => None,
            };
            let voters = db::polls::remote_voters(c, &post.id)?;
            Ok(Some((post, author, group, voters)))
        })
        .await?;
    let Some((post, author, group, voters)) = found else {
        return Ok(());
    };
    crate::service::members::republish(ctx, &author, &post, group.as_ref(), &voters).await
}

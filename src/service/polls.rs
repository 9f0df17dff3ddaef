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
        let (pid, mid, vid) = (post.id.clone(), me.id.clone(), vote_id.clone());
        ctx.db
            .run(move |c| db::polls::vote(c, &new_id(), &pid, &mid, choice as i32, &vid, now_ms()))
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
        .run(move |c| db::polls::vote(c, &new_id(), &pid, &vid, choice as i32, &ap, now_ms()))
        .await?;
    Ok(true)
}

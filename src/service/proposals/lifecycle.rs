//! Moving a proposal through its lifecycle. Opening publishes it as a post with a poll
//! (approve / object / abstain) in its group; starting the vote fixes the member count the quorum
//! is measured against and the end of voting; deciding is `decide.rs`. Each move is checked by
//! `domain::proposal::lifecycle::check` and logged with who, when and why.

use super::{
    current_tally, decide, governance, group_of, load, log_move, refused, text, who, DAY_MS,
};
use crate::{
    db::{self, actors::ActorRow, proposals::ProposalRow},
    domain::{
        governance::ScopeLevel,
        ids::{ActorId, PostId},
        proposal::{
            lifecycle::{check, Facts},
            tally::decide as count_decides,
            Choice, ProposalState as S,
        },
        time::now_ms,
    },
    error::AppResult,
    service::{
        outbound::{commit, Intents, Outbound},
        posting::{self, NewPoll, NewPost, Prepared},
    },
    state::Ctx,
    urls::Urls,
};

/// Moves proposal `id` to `to` on behalf of `me`, with the reason given.
pub async fn advance(
    ctx: &Ctx,
    me: &ActorRow,
    id: &str,
    to: S,
    reason: Option<String>,
) -> AppResult<ProposalRow> {
    let pid = id.to_string();
    let (p, group) = ctx
        .db
        .run(move |c| {
            let p = db::proposals::by_id(c, &pid)?;
            let g = match &p {
                Some(p) => db::actors::by_id(c, &p.group_id)?,
                None => None,
            };
            Ok((p, g))
        })
        .await?;
    let (Some(p), Some(group)) = (p, group) else {
        return Err(crate::error::AppError::NotFound(format!(
            "no proposal {id}"
        )));
    };
    if !group.local && !matches!((p.state, to), (S::Draft, S::Open | S::Withdrawn)) {
        return request(ctx, me, p, to, reason).await;
    }
    // Opening publishes the post; what it mentions is resolved before the transaction.
    let prepared = match (p.state, to) {
        (S::Draft, S::Open) if p.author_id == me.id => {
            Some(prepare_post(ctx, me, &p, &group).await?)
        }
        _ => None,
    };
    let (me, id, urls) = (me.clone(), id.to_string(), Urls::new(&ctx.config));
    commit(ctx.app_data(), move |c, out| {
        let mut p = load(c, &id)?;
        let group = group_of(c, &p)?;
        let who = who(c, &p, &group, &me)?;
        let votes = db::proposals::votes::count(c, &p.id)? as u64;
        let scope = if group.local {
            governance::level_in(c, &group, &p.scope)?
        } else {
            ScopeLevel::Open
        };
        let outcome = match to {
            S::Accepted | S::Rejected => {
                let members = p.members_at_open.unwrap_or(0).max(0) as u64;
                Some(count_decides(
                    p.decision_rule,
                    p.quorum,
                    members,
                    &current_tally(c, &p)?,
                ))
            }
            _ => None,
        };
        let reason = reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        let facts = Facts {
            votes,
            scope,
            outcome,
            rationale: reason,
        };
        check(p.state, to, who, &facts).map_err(refused)?;
        let (from, now) = (p.state, now_ms());
        p.state = to;
        p.updated_at = now;
        match to {
            S::Open => {
                let prepared = prepared
                    .as_ref()
                    .ok_or_else(|| refused("only the author opens a draft"))?;
                let post = posting::store(c, out, prepared)?;
                p.post_id = Some(post.id);
                p.ap_id = Some(post.ap_id);
            }
            S::Voting => {
                let members =
                    db::follows::count_followers(c, &group.id, db::follows::FollowState::Accepted)?;
                p.members_at_open = Some(members);
                p.voting_ends_at = Some(now + i64::from(p.voting_days) * DAY_MS);
                republish(c, out, &urls, &p)?;
            }
            S::Accepted | S::Rejected => {
                decide::record(c, out, &urls, &mut p, &group, reason, now)?
            }
            _ => republish(c, out, &urls, &p)?,
        }
        db::proposals::save(c, &p)?;
        log_move(c, &p, Some(from), &me.id, reason, now)?;
        Ok(p)
    })
    .await
}

/// A move of a proposal whose group is on another node: checked here as far as this node can
/// (the states, the author, the leads it knows of), then asked of the group's node, which decides
/// and answers with its proved update. The proposal here is unchanged until then.
async fn request(
    ctx: &Ctx,
    me: &ActorRow,
    p: ProposalRow,
    to: S,
    reason: Option<String>,
) -> AppResult<ProposalRow> {
    let (me, reason) = (me.clone(), reason.filter(|r| !r.trim().is_empty()));
    commit(ctx.app_data(), move |c, out| {
        let group = group_of(c, &p)?;
        let who = who(c, &p, &group, &me)?;
        let votes = db::proposals::votes::count(c, &p.id)? as u64;
        // The count and the scope are the group node's to judge.
        let facts = Facts {
            votes,
            scope: ScopeLevel::Shared,
            outcome: None,
            rationale: reason.as_deref(),
        };
        check(p.state, to, who, &facts).map_err(refused)?;
        out.emit(Outbound::ProposalMove {
            proposal_id: p.id.clone(),
            actor_id: ActorId(me.id.clone()),
            to: to.as_str().to_string(),
            reason: reason.clone(),
        });
        Ok(p)
    })
    .await
}

/// The post that carries a proposal: its text, and a poll of the three choices that stays open
/// through discussion and voting.
async fn prepare_post(
    ctx: &Ctx,
    me: &ActorRow,
    p: &ProposalRow,
    group: &ActorRow,
) -> AppResult<Prepared> {
    let days = i64::from(p.discussion_days + p.voting_days).max(1);
    let poll = NewPoll {
        options: Choice::ALL.iter().map(|c| c.as_str().to_string()).collect(),
        expires_in_secs: days * DAY_MS / 1000,
        multiple: false,
    };
    let new = NewPost {
        text: text::render(&ProposalRow {
            state: S::Open,
            ..p.clone()
        }),
        title: Some(p.title.clone()),
        in_reply_to: None,
        sensitive: false,
        content_warning: None,
        visibility: None,
        language: None,
    };
    posting::prepare(
        ctx,
        Some(p.id.clone()),
        me,
        Some(group.clone()),
        new,
        vec![],
        Some(poll),
    )
    .await
}

/// After a move (or a new count): the proposal's post, when written here, is re-rendered (an edit
/// peers and apps see) with its poll ending when voting ends; a local group tells its followers
/// with its proved `Update(Question)`.
pub fn republish(
    c: &mut db::DbConnection,
    out: &mut Intents,
    urls: &Urls,
    p: &ProposalRow,
) -> AppResult<()> {
    if db::actors::by_id(c, &p.group_id)?.is_some_and(|g| g.local) {
        out.emit(Outbound::ProposalUpdate {
            proposal_id: p.id.clone(),
        });
    }
    let post = match p.post_id.as_deref() {
        Some(id) => db::posts::by_id(c, id)?,
        None => None,
    };
    let Some(post) = post.filter(|post| post.local) else {
        return Ok(());
    };
    let html = posting::text_to_html(&text::render(p), urls);
    db::posts::update_content(c, &post, &html, post.name.as_deref(), None, false, now_ms())?;
    if let (Some(end), Some(mut poll)) = (p.voting_ends_at, db::polls::get(c, &post.id)?) {
        poll.expires_at = Some(end);
        db::polls::upsert(c, &poll)?;
    }
    let voters = db::polls::remote_voters(c, &post.id)?;
    out.emit(Outbound::UpdatePost {
        post_id: PostId(post.id.clone()),
        voters: voters.into_iter().map(|v| ActorId(v.id)).collect(),
    });
    out.event(crate::service::events::Event::Edited { post_id: post.id });
    Ok(())
}

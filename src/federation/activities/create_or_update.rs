//! `Create` / `Update` of a post. Into a local group: the group checks membership, stores the post
//! and announces the activity to its followers. Into a remote group that members here follow: stored.

use super::{actor_of, announce, create_many, malformed, proposal};
use crate::{
    config::Config,
    db::{self, DbConnection},
    error::{AppError, AppResult},
    federation::{
        jsonld::PUBLIC,
        objects::{
            note,
            post::{find_group, store, DbPost},
        },
        outbound::{
            self,
            deliver::{self, Gate},
        },
        protocol::{
            activities::{RawActivity, Verb},
            actor::{ApubActor, ACTOR_KINDS},
            id_of,
            note::{ApubNote, POST_KINDS},
            type_of,
        },
    },
    service::{
        groups,
        outbound::{commit_completing, InTx, Received},
        proposals::federated,
        receipt,
    },
    state::Ctx,
    urls::Urls,
};
use activitypub_federation::traits::Object;
use serde::Deserialize;
use serde_json::{json, Map};

/// Handles a member's post or edit.
pub async fn receive(activity: RawActivity, ctx: &Ctx) -> AppResult<()> {
    let object = activity.object();
    let Some(kind) = type_of(object) else {
        return Err(malformed("Create/Update needs an embedded object"));
    };
    if activity.kind == Verb::Update
        && kind == "Group"
        && id_of(object) != Some(activity.actor.clone())
    {
        // A moderator asks for a change of a group it leads.
        return claimed(ctx, super::update_group::receive(&activity, object, ctx)).await;
    }
    if activity.kind == Verb::Update && ACTOR_KINDS.contains(&kind) {
        return claimed(ctx, update_actor(&activity, object, ctx)).await;
    }
    if !POST_KINDS.contains(&kind) {
        tracing::debug!(kind, "object type not handled; ignored");
        return Ok(());
    }
    let note = ApubNote::deserialize(object)
        .map_err(|e| AppError::Unprocessable(format!("malformed {kind}: {e}")))?;
    if activity.kind == Verb::Update && note.proposal.requested_state.is_some() {
        // A member asks the group to move its proposal.
        return claimed(ctx, super::proposal_move::receive(&activity, &note, ctx)).await;
    }
    if activity.kind == Verb::Update
        && note.proposal.is_proposal()
        && note.attributed_to.first() != Some(&activity.actor)
    {
        // A group's word on where its proposal stands (checked by the group's proof).
        return claimed(ctx, proposal::receive_update(&activity, &note, ctx)).await;
    }
    if note.attributed_to.first() != Some(&activity.actor) {
        return Err(AppError::Forbidden(
            "a post can only be sent by its author".into(),
        ));
    }
    DbPost::verify(&note, &activity.id, ctx).await?;
    crate::federation::post_origin::require_writable(&note, &activity.actor)?;
    let author = actor_of(&activity, ctx).await?;
    let answer = crate::service::polls::Answer {
        ap_id: note.id.to_string(),
        name: note.name.as_ref().and_then(|n| n.text()),
        in_reply_to: note.in_reply_to.as_ref().map(|u| u.to_string()),
        has_content: (note.content.as_ref().and_then(|c| c.text()))
            .is_some_and(|c| !c.trim().is_empty()),
    };
    // A vote is written outside the post's transaction.
    if activity.kind == Verb::Create && answer.may_be_vote() && !receipt::claim_here(ctx).await? {
        return Ok(());
    }
    if activity.kind == Verb::Create
        && (proposal::receive_vote(&activity, &note, &author.row, ctx).await?
            || crate::service::polls::receive_vote(ctx, &author.row, &answer).await?)
    {
        return Ok(());
    }
    let terms = match note.proposal.is_proposal() {
        true => Some(proposal::terms(&note)?),
        false => None,
    };
    let group = find_group(&note, ctx).await?;
    let is_create = activity.kind == Verb::Create;
    match group {
        Some(g) if g.row.local => {
            let result = into_local_group(ctx, note, terms, &g.row, &author.row, &activity).await;
            // The refusal is written outside the post's transaction, once per activity.
            if let Err(e @ (AppError::Forbidden(_) | AppError::Unprocessable(_))) = &result {
                if receipt::claim_here(ctx).await? {
                    tracing::info!(id = %activity.id, error = %e, "refused by the group; Reject sent");
                    let received = Received(activity.to_value());
                    groups::refuse(ctx, &g.row, &author.row, received).await?;
                }
            }
            result
        }
        // Into a remote group, kept when someone here follows the group; outside groups, when
        // someone here follows its author.
        other => {
            let followed = other.map_or_else(|| author.row.id.clone(), |g| g.row.id);
            claimed(ctx, keep_if_wanted(ctx, note, followed, is_create)).await
        }
    }
}

/// Stores a post that arrived outside a local group when someone here follows `followed`, it
/// mentions a member here, or it edits a post stored here.
async fn keep_if_wanted(
    ctx: &Ctx,
    note: ApubNote,
    followed: String,
    is_create: bool,
) -> AppResult<()> {
    if ctx
        .db
        .run(move |c| db::follows::has_local_follower(c, &followed))
        .await?
        || mentions_local(&note, ctx).await?
        || (!is_create && known(&note, ctx).await?)
    {
        DbPost::from_json(note, ctx).await?;
    } else {
        tracing::debug!(id = %note.id, "post nobody here follows; ignored");
    }
    Ok(())
}

/// Runs `work` once this activity is claimed: it writes outside the transaction that would claim
/// it (`receipt`). A duplicate does nothing.
async fn claimed(
    ctx: &Ctx,
    work: impl std::future::Future<Output = AppResult<()>>,
) -> AppResult<()> {
    match receipt::claim_here(ctx).await? {
        true => work.await,
        false => Ok(()),
    }
}

/// A member's post or edit into a local group: membership, the post, its relay and the mark that
/// the activity was processed in one transaction.
async fn into_local_group(
    ctx: &Ctx,
    note: ApubNote,
    terms: Option<federated::Terms>,
    group: &db::actors::ActorRow,
    author: &db::actors::ActorRow,
    activity: &RawActivity,
) -> AppResult<()> {
    let is_create = activity.kind == Verb::Create;
    if let (Some(t), true) = (&terms, is_create) {
        groups::ensure_member(ctx, group, author).await?;
        federated::check_incoming(ctx, group, t).await?;
    }
    let mut prepared = store::prepare(note, author, Some(group))?;
    let mut received = Received(activity.to_value());
    if is_create && terms.is_none() {
        // Inside the inbox: stored with the other posts arriving now (`batch`).
        let entry = |mark| create_many::Entry {
            prepared,
            group: group.clone(),
            author: author.clone(),
            received,
            mark,
        };
        if ctx.post_batch.hand_over(ctx.app_data(), entry).await {
            return Ok(());
        }
        // Handed back: prepared again (what the batch held is gone), stored on its own.
        let note = ApubNote::deserialize(activity.object())
            .map_err(|e| AppError::Unprocessable(format!("malformed post: {e}")))?;
        prepared = store::prepare(note, author, Some(group))?;
        received = Received(activity.to_value());
    }
    let (group, author) = (group.clone(), author.clone());
    commit_completing(ctx.app_data(), move |c, out| {
        let g = groups::member_of(c, &group, &author)?;
        let post = store::store_in(c, out, prepared)?;
        if !is_create && post.author_id != author.id {
            return Err(AppError::Forbidden(
                "only the author can edit a post".into(),
            ));
        }
        // The group was read with the membership, the post was just written, both in this
        // transaction.
        groups::relay_in(out, g, received, Some(InTx::Row(Box::new(post))), is_create);
        Ok(())
    })
    .await
}

/// `Update` of an actor by itself (profile changes): the stored copy is refreshed.
async fn update_actor(
    activity: &RawActivity,
    object: &serde_json::Value,
    ctx: &Ctx,
) -> AppResult<()> {
    let json: ApubActor = serde_json::from_value(object.clone())
        .map_err(|e| AppError::Unprocessable(format!("malformed actor: {e}")))?;
    if json.id != activity.actor {
        return Err(AppError::Forbidden(
            "an actor can only update itself".into(),
        ));
    }
    crate::federation::objects::actor::DbActor::verify(&json, &activity.actor, ctx).await?;
    crate::federation::objects::actor::DbActor::from_json(json, ctx).await?;
    Ok(())
}

/// Whether a post mentions a member of this node (then it is kept, and they are notified).
async fn mentions_local(note: &ApubNote, ctx: &Ctx) -> AppResult<bool> {
    let hrefs: Vec<String> = note.mentions().iter().map(|u| u.to_string()).collect();
    Ok(!ctx
        .db
        .run(move |c| db::actors::local_persons(c, &hrefs))
        .await?
        .is_empty())
}

/// Whether the post is already stored here (an edit of it, or new poll results, is applied).
async fn known(note: &ApubNote, ctx: &Ctx) -> AppResult<bool> {
    let id = note.id.to_string();
    Ok(ctx
        .db
        .run(move |c| db::posts::by_ap_id(c, &id))
        .await?
        .is_some())
}

/// Sends a local post (`Create`, or `Update` when `create` is false) where its audience reaches:
/// relayed by its local group, or to its remote group, or to the author's followers, and to the
/// actors it addresses (and `voters`, the remote voters of its poll) — each peer only if the
/// audience rule lets it see the post.
pub fn send(
    conn: &mut DbConnection,
    config: &Config,
    post_id: &str,
    create: bool,
    voters: &[crate::domain::ids::ActorId],
) -> AppResult<()> {
    let urls = Urls::new(config);
    let post = outbound::post(conn, post_id)?;
    let author = outbound::actor(conn, &post.author_id)?;
    let group = match &post.group_id {
        Some(g) => Some(outbound::actor(conn, g)?),
        None => None,
    };
    let mentioned = db::tags::mentions_of(conn, &post.id)?;
    let note = note::document_with(conn, &urls, &post, &author, group.as_ref(), &mentioned)?;
    let strings = |v: &[url::Url]| v.iter().map(|u| u.to_string()).collect::<Vec<_>>();
    let (to, cc) = (strings(&note.to), strings(&note.cc));
    let public = to.iter().chain(cc.iter()).any(|u| u == PUBLIC);
    let mut extra = Map::new();
    if let Some(g) = &group {
        extra.insert("audience".into(), json!(g.ap_id));
    }
    let kind = if create { "Create" } else { "Update" };
    let object = serde_json::to_value(&note)?;
    let activity = deliver::build(&urls, None, kind, &author, object, to, cc, extra);
    deliver::record(conn, &author, &activity, public, Some(&post))?;
    let mut recipients = outbound::post_recipients_with(conn, &post, group.as_ref(), mentioned)?;
    for v in voters {
        recipients.extend(db::actors::by_id(conn, v.as_str())?);
    }
    deliver::queue(
        conn,
        config,
        &author,
        &activity,
        &recipients,
        Gate::Post(&post),
    )?;
    if let Some(g) = group.filter(|g| g.local) {
        announce::relay(conn, config, &g, &activity.json, Some(&post), create)?;
    }
    Ok(())
}

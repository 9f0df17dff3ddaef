//! The one outbound path: services emit [`Outbound`] intents; this module turns each into the
//! activity of its verb (built in that verb's file under `activities/`), addresses it from the
//! content's audience (`address`), and queues it for the peers the audience rule lets receive it
//! (`deliver`). It runs on the use case's connection, inside its transaction.

pub mod address;
pub mod deliver;

use crate::{
    config::Config,
    db::{self, actors::ActorRow, posts::PostRow, DbConnection},
    domain::audience::PostVisibility,
    error::{AppError, AppResult},
    federation::activities::{
        accept, announce, block, create_or_update, delete, featured, flag, follow, like,
        moderators, profile, proposal, proposal_move, undo, update_group, vote,
    },
    service::outbound::{InTx, Outbound, OutboundPort},
};

/// The federation side of the outbound port.
pub struct Federation {
    config: Config,
}

impl Federation {
    /// The port for the node described by `config`.
    pub fn new(config: Config) -> Federation {
        Federation { config }
    }

    /// Builds and queues the activity of one intent (through `deliver`, which counts what it
    /// queues).
    fn build(&self, conn: &mut DbConnection, intent: Outbound) -> AppResult<()> {
        let config = &self.config;
        match intent {
            Outbound::CreatePost { post_id } => {
                create_or_update::send(conn, config, post_id.as_str(), true, &[])
            }
            Outbound::UpdatePost { post_id, voters } => {
                create_or_update::send(conn, config, post_id.as_str(), false, &voters)
            }
            Outbound::DeletePost { post_id, actor_id } => {
                delete::send(conn, config, post_id.as_str(), actor_id.as_str())
            }
            Outbound::Relay {
                group,
                activity,
                post: carried,
                new_post,
            } => {
                let group = group.row(conn, actor)?;
                let item = relayed(conn, activity, carried, new_post)?;
                announce::relay_many(conn, config, &group, vec![item])
            }
            Outbound::RefuseToGroup {
                group_id,
                sender_id,
                activity,
            } => accept::send_refusal(
                conn,
                config,
                group_id.as_str(),
                sender_id.as_str(),
                &activity.0,
            ),
            Outbound::Follow {
                follower_id,
                target_id,
            } => follow::send(conn, config, follower_id.as_str(), target_id.as_str()),
            Outbound::Unfollow {
                follower_id,
                target_id,
                follow_ap_id,
            } => undo::send_unfollow(
                conn,
                config,
                follower_id.as_str(),
                target_id.as_str(),
                &follow_ap_id,
            ),
            Outbound::AnswerFollow {
                target_id,
                follower_id,
                follow_ap_id,
                accept,
            } => accept::send(
                conn,
                config,
                target_id.as_str(),
                follower_id.as_str(),
                &follow_ap_id,
                accept,
            ),
            Outbound::Interaction {
                kind,
                actor_id,
                post_id,
                activity_id,
                ap_id,
                undo,
            } => {
                let me = actor(conn, actor_id.as_str())?;
                let post = post(conn, post_id.as_str())?;
                let ids = (activity_id.as_str(), ap_id.as_str());
                match kind {
                    db::interactions::Interaction::Favourite => {
                        like::send(conn, config, &me, &post, ids, undo)
                    }
                    db::interactions::Interaction::Reblog => {
                        announce::send_boost(conn, config, &me, &post, ids, undo)
                    }
                }
            }
            Outbound::Vote {
                voter_id,
                post_id,
                choice,
                ap_id,
            } => vote::send(
                conn,
                config,
                voter_id.as_str(),
                post_id.as_str(),
                choice,
                &ap_id,
            ),
            Outbound::Profile { actor_id } => profile::send(conn, config, actor_id.as_str()),
            Outbound::Moderator {
                group_id,
                member_id,
                added,
            } => moderators::send(conn, config, group_id.as_str(), member_id.as_str(), added),
            Outbound::ProposalUpdate { proposal_id } => {
                proposal::send_update(conn, config, &proposal_id)
            }
            Outbound::ProposalMove {
                proposal_id,
                actor_id,
                to,
                reason,
            } => proposal_move::send(conn, config, &proposal_id, actor_id.as_str(), &to, reason),
            Outbound::EditRemoteGroup {
                editor_id,
                group_id,
                edit,
            } => update_group::send(conn, config, editor_id.as_str(), group_id.as_str(), &edit),
            Outbound::Block {
                actor_id,
                target_id,
                ap_id,
                undo,
            } => block::send(
                conn,
                config,
                actor_id.as_str(),
                target_id.as_str(),
                &ap_id,
                undo,
            ),
            Outbound::Pin {
                actor_id,
                post_id,
                added,
            } => featured::send(conn, config, actor_id.as_str(), post_id.as_str(), added),
            Outbound::ProposalVote {
                proposal_id,
                voter_id,
            } => proposal::send_vote(conn, config, &proposal_id, voter_id.as_str()),
            Outbound::Flag { report_id } => flag::send(conn, config, &report_id),
        }
    }
}

impl OutboundPort for Federation {
    fn queue(&self, conn: &mut DbConnection, intent: Outbound) -> AppResult<usize> {
        let before = deliver::queued_on_this_thread();
        self.build(conn, intent)?;
        Ok(deliver::queued_on_this_thread().wrapping_sub(before))
    }

    /// As `queue` for each intent, but a run of relays by one group (the posts of a batch of
    /// inbound activities) is relayed together (`announce::relay_many`).
    fn queue_all(&self, conn: &mut DbConnection, intents: Vec<Outbound>) -> AppResult<usize> {
        let before = deliver::queued_on_this_thread();
        let mut rest = intents.into_iter().peekable();
        while let Some(intent) = rest.next() {
            let Outbound::Relay {
                group,
                activity,
                post: carried,
                new_post,
            } = intent
            else {
                self.build(conn, intent)?;
                continue;
            };
            let group = group.row(conn, actor)?;
            let mut items = vec![relayed(conn, activity, carried, new_post)?];
            while let Some(Outbound::Relay { group: next, .. }) = rest.peek() {
                let same = match next {
                    InTx::Row(row) => row.id == group.id,
                    InTx::Id(id) => *id == group.id,
                };
                if !same {
                    break;
                }
                let Some(Outbound::Relay {
                    activity,
                    post: carried,
                    new_post,
                    ..
                }) = rest.next()
                else {
                    unreachable!("the next intent was just seen to be a relay")
                };
                items.push(relayed(conn, activity, carried, new_post)?);
            }
            announce::relay_many(conn, &self.config, &group, items)?;
        }
        Ok(deliver::queued_on_this_thread().wrapping_sub(before))
    }
}

/// A relay intent's activity and post, the post read when only its id is known.
fn relayed(
    conn: &mut DbConnection,
    activity: crate::service::outbound::Received,
    carried: Option<InTx<PostRow>>,
    new_post: bool,
) -> AppResult<announce::Relayed> {
    Ok(announce::Relayed {
        inner: activity.0,
        post: carried.map(|p| p.row(conn, post)).transpose()?,
        new_post,
    })
}

/// A stored actor by id, or an internal error (intents name rows the use case just read).
pub fn actor(conn: &mut DbConnection, id: &str) -> AppResult<ActorRow> {
    db::actors::by_id(conn, id)?.ok_or_else(|| AppError::internal(format!("no actor {id}")))
}

/// A stored post by id.
pub fn post(conn: &mut DbConnection, id: &str) -> AppResult<PostRow> {
    db::posts::by_id(conn, id)?.ok_or_else(|| AppError::internal(format!("no post {id}")))
}

/// Leaves out of `recipients` the actors on nodes that follow `group` when it is a local group: its
/// relay (`Announce`) brings them the activity, and a node sent the same activity twice refuses
/// the second copy (Lemmy answers 400 to a duplicate).
pub fn without_relayed(
    conn: &mut DbConnection,
    group: Option<&ActorRow>,
    recipients: &mut Vec<ActorRow>,
) -> AppResult<()> {
    let Some(group) = group.filter(|g| g.local) else {
        return Ok(());
    };
    let reached: std::collections::HashSet<String> =
        db::follows::remote_follower_hosts(conn, &group.id)?
            .into_iter()
            .collect();
    recipients.retain(|a| !reached.contains(&a.domain));
    Ok(())
}

/// Where an activity about `post` goes besides a local group's relay: its remote group, or the
/// author's followers (not for direct posts), and the remote actors it addresses — less the
/// actors blocked by the author or blocking it.
pub fn post_recipients(conn: &mut DbConnection, post: &PostRow) -> AppResult<Vec<ActorRow>> {
    let mentioned = db::tags::mentions_of(conn, &post.id)?;
    let group = match &post.group_id {
        Some(g) => db::actors::by_id(conn, g)?,
        None => None,
    };
    post_recipients_with(conn, post, group.as_ref(), mentioned)
}

/// [`post_recipients`] from the post's group and mentioned actors, read by the caller.
pub fn post_recipients_with(
    conn: &mut DbConnection,
    post: &PostRow,
    group: Option<&ActorRow>,
    mentioned: Vec<ActorRow>,
) -> AppResult<Vec<ActorRow>> {
    let mut out = mentioned;
    match &post.group_id {
        Some(_) => out.extend(group.filter(|g| !g.local).cloned()),
        None if post.visibility != PostVisibility::Direct => {
            out.extend(db::follows::remote_followers(conn, &post.author_id)?)
        }
        None => {}
    }
    out.retain(|a| !a.local);
    // Nobody the author blocks, or who blocks the author, is sent the author's posts.
    let ids: Vec<&str> = out.iter().map(|a| a.id.as_str()).collect();
    let excluded = db::blocks::excluded_for(conn, &post.author_id, &ids)?;
    out.retain(|a| !excluded.contains(&a.id));
    Ok(out)
}

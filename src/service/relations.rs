//! A member's relations to other accounts beyond following: blocks (which end follows both ways
//! and narrow what each side sees through the audience rule; a block of a peer's account is sent
//! to its node as `Block`), mutes (local only; hide an account's posts from timelines and
//! streams, and optionally its notifications, for a while or for good) and private notes.
//! Blocks that peers' members make of local members arrive through `receive_block`.

use crate::{
    db::{self, actors::ActorRow, blocks::BlockRow, mutes::MuteRow, DbConnection},
    domain::{
        ids::{new_id, ActorId},
        time::now_ms,
    },
    error::{AppError, AppResult},
    service::outbound::{commit, Intents, Outbound},
    state::AppState,
    urls::Urls,
};

/// Longest private note about an account (as Mastodon).
pub const NOTE_MAX_CHARS: usize = 2000;

/// Longest mute duration accepted, in seconds (about 100 years).
const MAX_MUTE_SECS: i64 = 100 * 365 * 24 * 3600;

fn not_yourself(me: &ActorRow, target: &ActorRow, what: &str) -> AppResult<()> {
    if me.id == target.id {
        return Err(AppError::Unprocessable(format!(
            "you cannot {what} yourself"
        )));
    }
    Ok(())
}

/// Ends the follows between `a` (local) and `b`, both ways, telling `b`'s node when it is remote:
/// `Undo(Follow)` for `a`'s follow of `b`, `Reject(Follow)` for `b`'s follow of `a`.
fn end_follows(
    c: &mut DbConnection,
    out: &mut Intents,
    a: &ActorRow,
    b: &ActorRow,
) -> AppResult<()> {
    if let Some(f) = db::follows::by_pair(c, &a.id, &b.id)? {
        db::follows::delete(c, &f.id)?;
        if !b.local {
            out.emit(Outbound::Unfollow {
                follower_id: ActorId(a.id.clone()),
                target_id: ActorId(b.id.clone()),
                follow_ap_id: f.activity_ap_id,
            });
        }
    }
    if let Some(f) = db::follows::by_pair(c, &b.id, &a.id)? {
        db::follows::delete(c, &f.id)?;
        if !b.local {
            out.emit(Outbound::AnswerFollow {
                target_id: ActorId(a.id.clone()),
                follower_id: ActorId(b.id.clone()),
                follow_ap_id: f.activity_ap_id,
                accept: false,
            });
        }
    }
    Ok(())
}

/// `me` blocks `target`: follows end both ways, and a remote target's node hears `Block`.
/// Blocking again changes nothing.
pub async fn block(state: &AppState, me: &ActorRow, target: &ActorRow) -> AppResult<()> {
    not_yourself(me, target, "block")?;
    let (me, target) = (me.clone(), target.clone());
    let ap_id = Urls::new(&state.config).activity(&new_id());
    commit(state, move |c, out| {
        let row = BlockRow {
            id: new_id(),
            actor_id: me.id.clone(),
            target_id: target.id.clone(),
            ap_id,
            created_at: now_ms(),
        };
        if !db::blocks::insert(c, &row)? {
            return Ok(());
        }
        end_follows(c, out, &me, &target)?;
        if !target.local {
            out.emit(Outbound::Block {
                actor_id: ActorId(me.id.clone()),
                target_id: ActorId(target.id.clone()),
                ap_id: row.ap_id,
                undo: false,
            });
        }
        Ok(())
    })
    .await
}

/// `me` stops blocking `target` (a remote target's node hears `Undo(Block)`); nothing happens
/// when there was no block.
pub async fn unblock(state: &AppState, me: &ActorRow, target: &ActorRow) -> AppResult<()> {
    let (me, target) = (me.clone(), target.clone());
    commit(state, move |c, out| {
        let Some(row) = db::blocks::delete(c, &me.id, &target.id)? else {
            return Ok(());
        };
        if !target.local {
            out.emit(Outbound::Block {
                actor_id: ActorId(me.id.clone()),
                target_id: ActorId(target.id.clone()),
                ap_id: row.ap_id,
                undo: true,
            });
        }
        Ok(())
    })
    .await
}

/// A peer's member `blocker` blocked the local member `target` with the `Block` `ap_id`: the
/// block is stored and the follows between them end (so the local member's posts no longer go
/// to the blocker as a follower).
pub async fn receive_block(
    state: &AppState,
    blocker: &ActorRow,
    target: &ActorRow,
    ap_id: &str,
) -> AppResult<()> {
    if blocker.local || !target.local {
        return Err(AppError::Unprocessable(
            "a peer's Block must come from its member against one of ours".into(),
        ));
    }
    let (blocker, target, ap_id) = (blocker.clone(), target.clone(), ap_id.to_string());
    commit(state, move |c, _out| {
        let row = BlockRow {
            id: new_id(),
            actor_id: blocker.id.clone(),
            target_id: target.id.clone(),
            ap_id,
            created_at: now_ms(),
        };
        db::blocks::insert(c, &row)?;
        for (a, b) in [(&blocker, &target), (&target, &blocker)] {
            if let Some(f) = db::follows::by_pair(c, &a.id, &b.id)? {
                db::follows::delete(c, &f.id)?;
            }
        }
        Ok(())
    })
    .await
}

/// A peer's member `blocker` undid its `Block` (named by `ap_id`, or by its object `target`).
pub async fn receive_unblock(
    state: &AppState,
    blocker: &ActorRow,
    ap_id: &str,
    target: Option<ActorRow>,
) -> AppResult<()> {
    let (bid, ap_id) = (blocker.id.clone(), ap_id.to_string());
    state
        .db
        .run(move |c| {
            if !db::blocks::delete_by_ap_id(c, &bid, &ap_id)? {
                if let Some(t) = target {
                    db::blocks::delete(c, &bid, &t.id)?;
                }
            }
            Ok(())
        })
        .await?;
    Ok(())
}

/// Options of a mute.
pub struct MuteOptions {
    /// Also hide the account's notifications (Mastodon's default: true).
    pub notifications: bool,
    /// Seconds until the mute ends; 0 or none: never.
    pub duration: Option<i64>,
}

/// `me` mutes `target` (again: with the new options). Mutes never leave this node.
pub async fn mute(
    state: &AppState,
    me: &ActorRow,
    target: &ActorRow,
    options: MuteOptions,
) -> AppResult<()> {
    not_yourself(me, target, "mute")?;
    let duration = options.duration.unwrap_or(0);
    if !(0..=MAX_MUTE_SECS).contains(&duration) {
        return Err(AppError::Unprocessable(format!(
            "duration must be a number of seconds from 0 (no end) to {MAX_MUTE_SECS}"
        )));
    }
    let now = now_ms();
    let row = MuteRow {
        id: new_id(),
        actor_id: me.id.clone(),
        target_id: target.id.clone(),
        notifications: options.notifications,
        expires_at: (duration > 0).then(|| now + duration * 1000),
        created_at: now,
    };
    state
        .db
        .run(move |c| {
            db::mutes::purge_expired(c, now)?;
            db::mutes::upsert(c, &row)
        })
        .await?;
    Ok(())
}

/// `me` stops muting `target`.
pub async fn unmute(state: &AppState, me: &ActorRow, target: &ActorRow) -> AppResult<()> {
    let (a, b) = (me.id.clone(), target.id.clone());
    state.db.run(move |c| db::mutes::delete(c, &a, &b)).await?;
    Ok(())
}

/// Sets `me`'s private note about `target` (empty removes it).
pub async fn set_note(
    state: &AppState,
    me: &ActorRow,
    target: &ActorRow,
    comment: &str,
) -> AppResult<()> {
    if comment.chars().count() > NOTE_MAX_CHARS {
        return Err(AppError::Unprocessable(format!(
            "comment is longer than {NOTE_MAX_CHARS} characters"
        )));
    }
    let (a, b, text) = (me.id.clone(), target.id.clone(), comment.trim().to_string());
    state
        .db
        .run(move |c| db::mutes::set_note(c, &a, &b, &text, now_ms()))
        .await?;
    Ok(())
}

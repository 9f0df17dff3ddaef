//! What a group does with its members' activities: checks the author is a member, then passes
//! them on to the followers that may see them.

use crate::domain::ids::ActorId;
use crate::{
    db::{self, actors::ActorRow},
    error::{AppError, AppResult},
    service::outbound::{commit, InTx, Intents, Outbound, Received},
    state::Ctx,
};

/// Refuses authors who are neither members (accepted followers) nor moderators of the group.
pub async fn ensure_member(ctx: &Ctx, group: &ActorRow, author: &ActorRow) -> AppResult<()> {
    let (g, a) = (group.clone(), author.clone());
    ctx.db.run(move |c| Ok(is_member(c, &g, &a))).await?
}

/// `ensure_member` on a connection.
pub fn is_member(c: &mut db::DbConnection, group: &ActorRow, author: &ActorRow) -> AppResult<()> {
    member_of(c, group, author).map(drop)
}

/// `is_member`, answering the group as a relay takes it: the row read with the membership (on
/// the caller's connection, so inside its transaction it is current), or the group's id when the
/// author is a moderator without being a member.
pub fn member_of(
    c: &mut db::DbConnection,
    group: &ActorRow,
    author: &ActorRow,
) -> AppResult<InTx<ActorRow>> {
    if let Some(row) = db::follows::accepted_target(c, &author.id, &group.id)? {
        return Ok(InTx::Row(Box::new(row)));
    }
    if db::actors::is_moderator(c, &group.id, &author.id)? {
        return Ok(InTx::Id(group.id.clone()));
    }
    Err(AppError::Forbidden(format!(
        "{} is not a member of {}",
        author.ap_id, group.ap_id
    )))
}

/// A local group passes on what one of its members sent it (a post, an edit, a deletion) to its
/// followers that may see it.
pub async fn relay(
    ctx: &Ctx,
    group: &ActorRow,
    activity: Received,
    post_id: Option<String>,
    new_post: bool,
) -> AppResult<()> {
    let group_id = group.id.clone();
    commit(ctx.app_data(), move |_, out| {
        relay_in(
            out,
            InTx::Id(group_id),
            activity,
            post_id.map(InTx::Id),
            new_post,
        );
        Ok(())
    })
    .await
}

/// `relay` inside a caller's `commit` (a use case that also stores what is relayed), with the
/// group and the post as rows when the caller read or wrote them in that transaction.
pub fn relay_in(
    out: &mut Intents,
    group: InTx<ActorRow>,
    activity: Received,
    post: Option<InTx<db::posts::PostRow>>,
    new_post: bool,
) {
    out.emit(Outbound::Relay {
        group,
        activity,
        post,
        new_post,
    });
}

/// A local group refused what `sender` sent it: the sender hears `Reject`. Runs in its own
/// transaction, after the refused use case rolled back.
pub async fn refuse(
    ctx: &Ctx,
    group: &ActorRow,
    sender: &ActorRow,
    activity: Received,
) -> AppResult<()> {
    let (group_id, sender_id) = (group.id.clone(), sender.id.clone());
    commit(ctx.app_data(), move |_, out| {
        out.emit(Outbound::RefuseToGroup {
            group_id: ActorId(group_id),
            sender_id: ActorId(sender_id),
            activity,
        });
        Ok(())
    })
    .await
}

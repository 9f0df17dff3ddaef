//! Accounts: the signed-in member, lookup by `acct`, and accounts by id. Groups are accounts with
//! `group: true`.
//!
//! The shared look-ups are here; the member's own account is `credentials.rs` (images removed in
//! `profile_image.rs`), finding accounts `lookup.rs`, following `follow.rs`, an account's posts
//! `statuses.rs`, its followers and followings `follow_lists.rs`, blocks, mutes and notes
//! `relations.rs`.

mod credentials;
mod follow;
mod follow_lists;
pub mod follow_requests;
mod lookup;
mod profile_image;
mod relations;
mod statuses;

pub use credentials::{update_credentials, verify_credentials, CredentialsForm};
pub use follow::{follow, relationships, remove_from_followers, unfollow, FollowForm};
pub use follow_lists::{followers, following};
pub use lookup::{get, lookup, LookupQuery};
pub use profile_image::delete_profile_image;
pub use relations::{block, blocks, mute, mutes, note, unblock, unmute};
pub use statuses::statuses;

use super::{entities::Relationship, views};
use crate::{
    db,
    error::{AppError, AppResult},
    state::Ctx,
};

pub(super) async fn target_account(
    ctx: &Ctx,
    id: String,
) -> AppResult<crate::db::actors::ActorRow> {
    ctx.db
        .run(move |c| db::actors::by_id(c, &id))
        .await?
        .filter(|a| a.kind != "Organization")
        .ok_or_else(|| AppError::NotFound("Record not found".into()))
}

pub(super) async fn relationship_of(
    ctx: &Ctx,
    me: &crate::db::actors::ActorRow,
    target_id: String,
) -> AppResult<Relationship> {
    let my_id = me.id.clone();
    Ok(ctx
        .db
        .run(move |c| {
            let out = db::follows::by_pair(c, &my_id, &target_id)?;
            let back = db::follows::by_pair(c, &target_id, &my_id)?;
            let standing = views::Standing::load(c, &my_id, &target_id)?;
            Ok(views::relationship(
                &target_id,
                out.as_ref(),
                back.as_ref(),
                standing,
            ))
        })
        .await?)
}

//! A member's profile: name, biography, whether follows need approval, whether directories list
//! them. Peers hear of changes.

pub use crate::db::actors::Profile;
use crate::domain::ids::ActorId;
use crate::{
    db::{self, actors::ActorRow},
    domain::time::now_ms,
    error::AppResult,
    service::outbound::{commit, Outbound},
    state::Ctx,
};

/// Changes a member's profile (name, biography, approval of follows, listing in directories,
/// profile images) and sends Update(Person) to their followers and groups. Unlocking the account
/// accepts every follow still waiting.
pub async fn update_profile(ctx: &Ctx, me: &ActorRow, profile: Profile) -> AppResult<ActorRow> {
    let (id, locked) = (me.id.clone(), me.manually_approves);
    commit(ctx.app_data(), move |c, out| {
        let unlocked = locked && !profile.manually_approves;
        db::actors::update_profile(c, &id, &profile, now_ms())?;
        if unlocked {
            super::follow_requests::admit_all(c, &id, out)?;
        }
        out.emit(Outbound::Profile {
            actor_id: ActorId(id.clone()),
        });
        Ok(db::actors::by_id(c, &id)?.ok_or(db::DbError::NotFound)?)
    })
    .await
}

//! A member's profile: name, biography, whether follows need approval. Peers hear of changes.

use crate::domain::ids::ActorId;
use crate::{
    db::{self, actors::ActorRow},
    domain::time::now_ms,
    error::AppResult,
    service::outbound::{commit, Outbound},
    state::Ctx,
};

/// Changes a member's profile (name, biography, approval of follows, profile images) and sends
/// Update(Person) to their followers and groups.
pub async fn update_profile(
    ctx: &Ctx,
    me: &ActorRow,
    display_name: &str,
    summary_html: &str,
    locked: bool,
    (avatar, header): (Option<String>, Option<String>),
) -> AppResult<ActorRow> {
    let (id, d, s) = (
        me.id.clone(),
        display_name.to_string(),
        summary_html.to_string(),
    );
    commit(ctx.app_data(), move |c, out| {
        db::actors::update_profile(c, &id, &d, &s, locked, now_ms())?;
        db::actors::set_images(c, &id, avatar.as_deref(), header.as_deref(), now_ms())?;
        out.emit(Outbound::Profile {
            actor_id: ActorId(id.clone()),
        });
        Ok(db::actors::by_id(c, &id)?.ok_or(db::DbError::NotFound)?)
    })
    .await
}

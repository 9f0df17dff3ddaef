//! Which group a remote post belongs to: its `audience`, a group among its addressees or
//! mentions, or the group of the post it replies to.

use crate::{
    db,
    error::AppError,
    federation::{objects::actor::DbActor, protocol::note::ApubNote},
    state::Ctx,
};
use activitypub_federation::fetch::object_id::ObjectId;
use url::Url;

/// The group a post belongs to: its `audience`, a group among its addressees or mentions, or the
/// group of the post it replies to.
pub async fn find_group(json: &ApubNote, data: &Ctx) -> Result<Option<DbActor>, AppError> {
    let mut candidates: Vec<String> = json.addressees().map(Url::to_string).collect();
    candidates.extend(json.mentions().iter().map(Url::to_string));
    let reply_to = json.in_reply_to.as_ref().map(Url::to_string);
    let known = data
        .db
        .run(move |c| {
            let groups: Vec<_> = db::actors::by_ap_ids(c, &candidates)?
                .into_iter()
                .filter(|a| a.kind == "Group")
                .collect();
            // The first group in the order the post names them.
            let first = candidates
                .iter()
                .find_map(|id| groups.iter().find(|g| &g.ap_id == id));
            if let Some(g) = first {
                return Ok(Some(g.clone()));
            }
            if let Some(parent) = reply_to {
                if let Some(p) = db::posts::by_ap_id(c, &parent)? {
                    if let Some(g) = p.group_id {
                        return db::actors::by_id(c, &g);
                    }
                }
            }
            Ok(None)
        })
        .await?;
    if let Some(row) = known {
        return DbActor::new(row).map(Some);
    }
    if let Some(audience) = &json.audience {
        if let Ok(actor) = ObjectId::<DbActor>::from(audience.clone())
            .dereference(data)
            .await
        {
            if actor.is_group() {
                return Ok(Some(actor));
            }
        }
    }
    Ok(None)
}

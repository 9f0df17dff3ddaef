//! A boost as a status: the booster's wrapper around the original.

use super::{account, datetime, status};
use crate::db::{self, actors::ActorRow, DbResult};

/// The status that represents a boost: the booster's wrapper with the original in `reblog`.
pub fn reblog_status(
    conn: &mut db::DbConnection,
    reblog: &db::interactions::InteractionRow,
    original: &db::posts::PostRow,
    viewer: Option<&ActorRow>,
    base_url: &str,
) -> DbResult<crate::api::entities::Status> {
    let inner = status(conn, original, viewer, base_url)?;
    let booster = db::actors::by_id(conn, &reblog.actor_id)?.ok_or(db::DbError::NotFound)?;
    let mut wrapper = inner.clone();
    wrapper.id = reblog.id.clone();
    wrapper.uri = reblog.ap_id.clone();
    wrapper.url = None;
    wrapper.created_at = datetime(reblog.created_at);
    wrapper.account = account(conn, &booster, base_url)?;
    wrapper.content = String::new();
    wrapper.spoiler_text = String::new();
    wrapper.mentions = vec![];
    wrapper.in_reply_to_id = None;
    wrapper.in_reply_to_account_id = None;
    wrapper.edited_at = None;
    wrapper.reblog = Some(Box::new(inner));
    Ok(wrapper)
}

//! The notification entity (only for posts the member may see).

use super::{account, datetime, status};
use crate::{
    db::{self, actors::ActorRow, DbResult},
    service::visibility::{Sight, Viewer},
};

/// The notification entity.
pub fn notification(
    conn: &mut db::DbConnection,
    n: &db::notifications::NotificationRow,
    viewer: &ActorRow,
    base_url: &str,
) -> DbResult<Option<crate::api::entities::Notification>> {
    use crate::api::entities::{Notification, NotificationType};
    let kind = match n.kind.as_str() {
        "follow" => NotificationType::Follow,
        "follow_request" => NotificationType::FollowRequest,
        "mention" => NotificationType::Mention,
        "reblog" => NotificationType::Reblog,
        "favourite" => NotificationType::Favourite,
        "poll" => NotificationType::Poll,
        "status" => NotificationType::Status,
        _ => return Ok(None),
    };
    let Some(from) = db::actors::by_id(conn, &n.from_actor_id)? else {
        return Ok(None);
    };
    let status = match &n.post_id {
        Some(p) => match db::posts::by_id(conn, p)? {
            // A notification whose post the member may not (or no longer) see is not shown.
            Some(post) if Sight::new(Viewer::Local(viewer.id.clone())).may_see(conn, &post)? => {
                Some(status(conn, &post, Some(viewer), base_url)?)
            }
            _ => return Ok(None),
        },
        None => None,
    };
    Ok(Some(Notification {
        id: n.id.clone(),
        kind,
        created_at: datetime(n.created_at),
        group_key: format!("ungrouped-{}", n.id),
        account: account(conn, &from, base_url)?,
        status,
    }))
}

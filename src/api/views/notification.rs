//! The notification entity (only for posts the member may see).

use super::{account_of, datetime, status_of};
use crate::{
    api::entities::{Notification, NotificationType},
    db::{self, actors::ActorRow, notifications::NotificationRow, page::PageFacts, DbResult},
    service::visibility::{Sight, Viewer},
};
use crate::{domain::filter::FilterContext, service::filters::Screen};

fn kind_of(n: &NotificationRow) -> Option<NotificationType> {
    Some(match n.kind.as_str() {
        "follow" => NotificationType::Follow,
        "follow_request" => NotificationType::FollowRequest,
        "mention" => NotificationType::Mention,
        "reblog" => NotificationType::Reblog,
        "favourite" => NotificationType::Favourite,
        "poll" => NotificationType::Poll,
        "status" => NotificationType::Status,
        "admin.report" => NotificationType::AdminReport,
        _ => return None,
    })
}

/// The notification entities of a page of notifications, read in a fixed number of statements.
/// A notification whose post the member may not (or no longer) see is left out.
pub fn notifications(
    conn: &mut db::DbConnection,
    rows: &[NotificationRow],
    viewer: &ActorRow,
    base_url: &str,
) -> DbResult<Vec<Notification>> {
    let post_ids: Vec<String> = rows.iter().filter_map(|n| n.post_id.clone()).collect();
    let mut sight = Sight::new(Viewer::Local(viewer.id.clone()));
    let found = db::posts::by_ids(conn, &post_ids)?;
    let posts = sight.retain(conn, found)?;
    let senders: Vec<String> = rows.iter().map(|n| n.from_actor_id.clone()).collect();
    let refs: Vec<&db::posts::PostRow> = posts.iter().collect();
    let facts = PageFacts::load(conn, &refs, &senders, Some(&viewer.id))?;
    let screen = Screen::load(conn, Some(&viewer.id), FilterContext::Notifications)?;
    let report_ids: Vec<String> = rows.iter().filter_map(|n| n.report_id.clone()).collect();
    // Only admins and moderators have reports among their notifications: nothing read otherwise.
    let reports = if report_ids.is_empty() {
        Vec::new()
    } else {
        let report_rows = db::reports::by_ids(conn, &report_ids)?;
        super::reports(conn, &report_rows, viewer, base_url)?
    };
    let mut out = Vec::new();
    for n in rows {
        let (Some(kind), Some(from)) = (kind_of(n), facts.actors.get(&n.from_actor_id)) else {
            continue;
        };
        let status = match &n.post_id {
            Some(id) => match posts.iter().find(|p| &p.id == id) {
                Some(post) => {
                    let matches = screen.matches(post);
                    if Screen::hides(&matches) {
                        continue;
                    }
                    let mut status = status_of(&facts, post, Some(viewer), base_url)?;
                    status.filtered = super::results(&matches);
                    Some(status)
                }
                None => continue,
            },
            None => None,
        };
        let report = match &n.report_id {
            Some(id) => match reports.iter().find(|r| &r.id == id) {
                Some(r) => Some(r.clone()),
                None => continue,
            },
            None => None,
        };
        out.push(Notification {
            id: n.id.clone(),
            kind,
            created_at: datetime(n.created_at),
            group_key: n.group_key.clone(),
            account: account_of(&facts, from, base_url),
            status,
            report,
        });
    }
    Ok(out)
}

/// The notification entity of one notification.
pub fn notification(
    conn: &mut db::DbConnection,
    n: &NotificationRow,
    viewer: &ActorRow,
    base_url: &str,
) -> DbResult<Option<Notification>> {
    Ok(notifications(conn, std::slice::from_ref(n), viewer, base_url)?.pop())
}

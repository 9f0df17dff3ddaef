//! What a push message says, as Mastodon's do: the token (for the app to fetch more), the
//! notification's id and type, an icon, a title and a short plain-text body.

use crate::{
    db::{self, push::SubscriptionRow, DbConnection, DbResult},
    domain::{notification::NotificationKind, sanitize},
    service::visibility::{Sight, Viewer},
};
use serde::Serialize;

/// The JSON a browser's service worker receives (decrypted).
#[derive(Debug, Serialize)]
pub struct PushMessage {
    pub access_token: String,
    pub preferred_locale: String,
    pub notification_id: String,
    pub notification_type: String,
    pub icon: String,
    pub title: String,
    pub body: String,
}

const BODY_CHARS: usize = 140;

fn shorten(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= BODY_CHARS {
        return text.to_string();
    }
    let mut s: String = text.chars().take(BODY_CHARS - 1).collect();
    s.push('…');
    s
}

/// The message for a notification, or `None` when it is gone (dismissed meanwhile) or its
/// post is no longer there.
pub fn for_notification(
    conn: &mut DbConnection,
    sub: &SubscriptionRow,
    notification_id: &str,
    base_url: &str,
) -> DbResult<Option<PushMessage>> {
    let Some(n) = db::notifications::get(conn, &sub.user_id, notification_id)? else {
        return Ok(None);
    };
    let Some(from) = db::actors::by_id(conn, &n.from_actor_id)? else {
        return Ok(None);
    };
    let post = match &n.post_id {
        Some(id) => match db::posts::by_id(conn, id)?.filter(|p| p.deleted_at.is_none()) {
            // The audience rule again at send time: what the member may no longer see is not sent.
            Some(p) if Sight::new(Viewer::Local(sub.user_id.clone())).may_see(conn, &p)? => Some(p),
            _ => return Ok(None),
        },
        None => None,
    };
    let name = if from.display_name.trim().is_empty() {
        from.username.clone()
    } else {
        from.display_name.clone()
    };
    let title = match n.kind {
        NotificationKind::Mention => format!("You were mentioned by {name}"),
        NotificationKind::Status => format!("{name} just posted"),
        NotificationKind::Reblog => format!("{name} boosted your post"),
        NotificationKind::Favourite => format!("{name} favourited your post"),
        NotificationKind::Follow => format!("{name} is now following you"),
        NotificationKind::FollowRequest => format!("New follow request: {name}"),
        NotificationKind::Poll => "A poll you voted in has ended".to_string(),
        NotificationKind::AdminReport => "New report".to_string(),
    };
    let body = match &post {
        Some(p) => match &p.summary {
            Some(cw) if !cw.trim().is_empty() => shorten(cw),
            _ => shorten(&sanitize::to_text(&p.content)),
        },
        None => shorten(&sanitize::to_text(&from.summary)),
    };
    Ok(Some(PushMessage {
        access_token: sub.access_token.clone(),
        preferred_locale: "en".into(),
        notification_id: n.id,
        notification_type: n.kind.as_str().into(),
        icon: from
            .avatar_url
            .unwrap_or_else(|| format!("{base_url}/static/avatar.png")),
        title,
        body,
    }))
}

//! Storage rows → Mastodon entities. One place decides how Cohort's data looks to apps.

use super::entities::{Account, AccountSource, CredentialAccount, Role, StatusVisibility};
use crate::{
    db::{self, actors::ActorRow, DbResult},
    domain::time,
    service::visibility::{Sight, Viewer},
};

/// Milliseconds → the RFC 3339 form Mastodon uses (with milliseconds).
pub fn datetime(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `acct`: the bare username for local accounts, `name@host` for remote ones.
pub fn acct(actor: &ActorRow) -> String {
    if actor.local {
        actor.username.clone()
    } else {
        format!("{}@{}", actor.username, actor.domain)
    }
}

/// The account entity of an actor; counts are read from storage.
pub fn account(conn: &mut db::DbConnection, actor: &ActorRow, base_url: &str) -> DbResult<Account> {
    let (followers, following, statuses, last) = db::actors::counts(conn, &actor.id)?;
    let avatar = actor
        .avatar_url
        .clone()
        .unwrap_or_else(|| format!("{base_url}/static/avatar.png"));
    let header = actor
        .header_url
        .clone()
        .unwrap_or_else(|| format!("{base_url}/static/header.png"));
    Ok(Account {
        id: actor.id.clone(),
        username: actor.username.clone(),
        acct: acct(actor),
        uri: actor.ap_id.clone(),
        url: Some(actor.ap_id.clone()),
        display_name: if actor.display_name.is_empty() {
            actor.username.clone()
        } else {
            actor.display_name.clone()
        },
        note: actor.summary.clone(),
        avatar: avatar.clone(),
        avatar_static: avatar,
        header: header.clone(),
        header_static: header,
        locked: actor.manually_approves,
        bot: matches!(
            actor.kind.as_str(),
            "Service" | "Application" | "Organization"
        ),
        group: actor.kind == "Group",
        discoverable: Some(true),
        indexable: false,
        hide_collections: Some(false),
        fields: vec![],
        emojis: vec![],
        created_at: datetime(actor.created_at),
        last_status_at: last.map(|ms| time::to_rfc3339(ms)[..10].to_string()),
        statuses_count: statuses,
        followers_count: followers,
        following_count: following,
        noindex: None,
        roles: None,
        moved: None,
        suspended: None,
        limited: None,
        memorial: None,
        avatar_description: None,
        header_description: None,
    })
}

/// The signed-in member's own account, with `source` and `role`.
pub fn credential_account(
    conn: &mut db::DbConnection,
    actor: &ActorRow,
    role: &str,
    base_url: &str,
) -> DbResult<CredentialAccount> {
    let account = account(conn, actor, base_url)?;
    let requests =
        db::follows::count_followers(conn, &actor.id, db::follows::FollowState::Pending)?;
    let admin = role == "admin";
    Ok(CredentialAccount {
        source: AccountSource {
            note: crate::domain::sanitize::to_text(&actor.summary),
            fields: vec![],
            privacy: StatusVisibility::Public,
            sensitive: false,
            language: None,
            discoverable: Some(true),
            indexable: false,
            hide_collections: Some(false),
            follow_requests_count: requests,
            attribution_domains: None,
        },
        role: Role {
            id: if admin { "3" } else { "-99" }.into(),
            name: if admin { "Admin" } else { "" }.into(),
            color: String::new(),
            permissions: if admin { "1" } else { "65536" }.into(),
            highlighted: admin,
        },
        account,
    })
}

/// The status entity of a post. `viewer` personalizes the flags apps read when signed in.
pub fn status(
    conn: &mut db::DbConnection,
    post: &db::posts::PostRow,
    viewer: Option<&ActorRow>,
    base_url: &str,
) -> DbResult<super::entities::Status> {
    use super::entities::{Status, StatusMention};
    let author = db::actors::by_id(conn, &post.author_id)?.ok_or(db::DbError::NotFound)?;
    let group = match &post.group_id {
        Some(g) => db::actors::by_id(conn, g)?,
        None => None,
    };
    let parent = match &post.in_reply_to {
        Some(ap) => db::posts::by_ap_id(conn, ap)?,
        None => None,
    };
    let mentioned = db::tags::mentions_of(conn, &post.id)?;
    let mentions = group
        .iter()
        .chain(mentioned.iter())
        .map(|g| StatusMention {
            id: g.id.clone(),
            username: g.username.clone(),
            acct: acct(g),
            url: g.ap_id.clone(),
        })
        .collect();
    let visibility = match post.visibility.as_str() {
        "unlisted" => StatusVisibility::Unlisted,
        "private" | "followers" => StatusVisibility::Private,
        "direct" => StatusVisibility::Direct,
        _ => StatusVisibility::Public,
    };
    let content = match &post.name {
        Some(title) if !title.is_empty() => {
            format!(
                "<p><strong>{}</strong></p>{}",
                crate::domain::sanitize::escape(title),
                post.content
            )
        }
        _ => post.content.clone(),
    };
    let (favourites_count, reblogs_count) = db::interactions::counts(conn, &post.id)?;
    use db::interactions::Interaction::{Favourite, Reblog};
    let flags = match viewer {
        Some(v) => Some((
            db::interactions::find(conn, Favourite, &v.id, &post.id)?.is_some(),
            db::interactions::find(conn, Reblog, &v.id, &post.id)?.is_some(),
            db::interactions::is_bookmarked(conn, &v.id, &post.id)?,
        )),
        None => None,
    };
    Ok(Status {
        id: post.id.clone(),
        uri: post.ap_id.clone(),
        created_at: datetime(post.published),
        account: account(conn, &author, base_url)?,
        content,
        visibility,
        sensitive: post.sensitive,
        spoiler_text: post.summary.clone().unwrap_or_default(),
        media_attachments: db::media::of_post(conn, &post.id)?
            .iter()
            .map(|m| media_attachment(m, base_url))
            .collect(),
        mentions,
        tags: db::tags::of_post(conn, &post.id)?
            .into_iter()
            .map(|name| super::entities::StatusTag {
                url: crate::urls::tag_url(base_url, &name),
                name,
            })
            .collect(),
        emojis: vec![],
        reblogs_count,
        favourites_count,
        replies_count: db::posts::count_replies(conn, &post.ap_id)?,
        url: Some(post.ap_id.clone()),
        in_reply_to_id: parent.as_ref().map(|p| p.id.clone()),
        in_reply_to_account_id: parent.as_ref().map(|p| p.author_id.clone()),
        reblog: None,
        poll: poll(conn, post, viewer)?,
        card: None,
        language: post.language.clone(),
        edited_at: post.updated.map(datetime),
        application: None,
        text: None,
        quotes_count: None,
        favourited: flags.map(|f| f.0),
        reblogged: flags.map(|f| f.1),
        muted: viewer.map(|_| false),
        bookmarked: flags.map(|f| f.2),
        pinned: None,
    })
}

/// The relationship entity from the two follow rows between the viewer and `target_id`.
pub fn relationship(
    target_id: &str,
    out: Option<&db::follows::FollowRow>,
    back: Option<&db::follows::FollowRow>,
) -> super::entities::Relationship {
    let accepted = |f: Option<&db::follows::FollowRow>| {
        f.is_some_and(|f| f.state == db::follows::FollowState::Accepted)
    };
    super::entities::Relationship {
        id: target_id.to_string(),
        following: accepted(out),
        showing_reblogs: accepted(out),
        notifying: out.is_some_and(|f| f.notify),
        languages: None,
        followed_by: accepted(back),
        blocking: false,
        blocked_by: false,
        muting: false,
        muting_notifications: false,
        muting_expires_at: None,
        requested: out.is_some_and(|f| f.state == db::follows::FollowState::Pending),
        requested_by: back.is_some_and(|f| f.state == db::follows::FollowState::Pending),
        domain_blocking: false,
        endorsed: false,
        note: String::new(),
    }
}

/// The status that represents a boost: the booster's wrapper with the original in `reblog`.
pub fn reblog_status(
    conn: &mut db::DbConnection,
    reblog: &db::interactions::InteractionRow,
    original: &db::posts::PostRow,
    viewer: Option<&ActorRow>,
    base_url: &str,
) -> DbResult<super::entities::Status> {
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

/// The notification entity.
pub fn notification(
    conn: &mut db::DbConnection,
    n: &db::notifications::NotificationRow,
    viewer: &ActorRow,
    base_url: &str,
) -> DbResult<Option<super::entities::Notification>> {
    use super::entities::{Notification, NotificationType};
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

/// The media attachment entity.
pub fn media_attachment(
    m: &db::media::MediaRow,
    base_url: &str,
) -> super::entities::MediaAttachment {
    use super::entities::{MediaAttachment, MediaMeta, MediaType, MetaDetails};
    let url = match (&m.file_name, &m.remote_url) {
        (Some(f), _) => Some(format!("{base_url}/media/{f}")),
        (None, Some(r)) => Some(r.clone()),
        _ => None,
    };
    let kind = match m.kind.as_str() {
        "image" => MediaType::Image,
        "video" => MediaType::Video,
        "audio" => MediaType::Audio,
        _ => MediaType::Unknown,
    };
    let pixels = match (m.width, m.height) {
        (Some(w), Some(h)) if w > 0 && h > 0 => Some((w as i64, h as i64)),
        _ => None,
    };
    let duration = m.duration_ms.map(|d| d as f64 / 1000.0);
    let meta = (pixels.is_some() || duration.is_some()).then(|| MediaMeta {
        original: Some(MetaDetails {
            width: pixels.map(|p| p.0),
            height: pixels.map(|p| p.1),
            aspect: pixels.map(|(w, h)| w as f64 / h as f64),
            duration,
            frame_rate: None,
            bitrate: None,
        }),
        small: None,
        focus: None,
    });
    // Images are their own preview; video and audio have no still image here.
    let preview_url = if m.kind == "image" { url.clone() } else { None };
    MediaAttachment {
        id: m.id.clone(),
        kind,
        preview_url,
        remote_url: m.remote_url.clone(),
        url,
        meta,
        description: m.description.clone(),
        blurhash: None,
    }
}

/// The poll entity of a post, if it has one (id = the status id). Remote polls show the counts
/// their origin reported; local ones are tallied here.
pub fn poll(
    conn: &mut db::DbConnection,
    post: &db::posts::PostRow,
    viewer: Option<&ActorRow>,
) -> DbResult<Option<super::entities::Poll>> {
    use super::entities::{Poll, PollOption};
    let Some(p) = db::polls::get(conn, &post.id)? else {
        return Ok(None);
    };
    let titles = p.titles();
    let (local_counts, local_voters) = db::polls::tally(conn, &post.id, titles.len())?;
    // Remote polls: the origin's counts, but never below the votes cast from here.
    let counts = match (post.local, p.reported()) {
        (false, Some(reported)) => local_counts
            .iter()
            .enumerate()
            .map(|(i, n)| (*n).max(*reported.get(i).unwrap_or(&0)))
            .collect(),
        _ => local_counts,
    };
    let own = match viewer {
        Some(v) => Some(db::polls::choices_of(conn, &post.id, &v.id)?),
        None => None,
    };
    let votes_count = counts.iter().sum();
    Ok(Some(Poll {
        id: post.id.clone(),
        expires_at: p.expires_at.map(datetime),
        expired: p
            .expires_at
            .is_some_and(|e| e < crate::domain::time::now_ms()),
        multiple: p.multiple,
        votes_count,
        voters_count: Some(if post.local {
            local_voters
        } else {
            p.remote_voters.unwrap_or(votes_count).max(local_voters)
        }),
        options: titles
            .iter()
            .enumerate()
            .map(|(i, t)| PollOption {
                title: t.clone(),
                votes_count: Some(*counts.get(i).unwrap_or(&0)),
            })
            .collect(),
        emojis: vec![],
        voted: own.as_ref().map(|o| !o.is_empty()),
        own_votes: own.map(|o| o.into_iter().map(i64::from).collect()),
    }))
}

/// The tag entity of a hashtag: its page and a week of daily use on this node.
pub fn tag(
    conn: &mut db::DbConnection,
    name: &str,
    signed_in: bool,
    base_url: &str,
) -> DbResult<super::entities::Tag> {
    use super::entities::{Tag, TagHistory};
    let history = db::tags::history(conn, name, crate::domain::time::now_ms(), 7)?
        .into_iter()
        .map(|(day, uses, accounts)| TagHistory {
            day: (day / 1000).to_string(),
            uses: uses.to_string(),
            accounts: accounts.to_string(),
        })
        .collect();
    Ok(Tag {
        id: name.to_string(),
        name: name.to_string(),
        url: crate::urls::tag_url(base_url, name),
        history,
        following: signed_in.then_some(false),
    })
}

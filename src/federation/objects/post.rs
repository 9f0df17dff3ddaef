//! `DbPost`: a stored post as a federated object.

use crate::{
    db::{self, posts::PostRow},
    domain::{ids::new_id, time},
    error::AppError,
    federation::{
        jsonld::{self, PUBLIC},
        objects::actor::DbActor,
        protocol::{
            note::{ApubNote, POST_KINDS},
            TextOrMap,
        },
        sanitize,
        urls::{self, Urls},
    },
    state::{AppState, Ctx},
};
use activitypub_federation::{
    fetch::object_id::ObjectId, protocol::verification::verify_domains_match, traits::Object,
};
use async_trait::async_trait;
use serde_json::json;
use url::Url;

/// A stored post with its parsed id.
#[derive(Debug, Clone)]
pub struct DbPost {
    pub row: PostRow,
    pub ap_id: Url,
}

impl DbPost {
    /// Wraps a row.
    pub fn new(row: PostRow) -> Result<DbPost, AppError> {
        let ap_id = Url::parse(&row.ap_id).map_err(AppError::internal)?;
        Ok(DbPost { row, ap_id })
    }
}

#[async_trait]
impl Object for DbPost {
    type DataType = AppState;
    type Kind = ApubNote;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.ap_id
    }

    fn is_deleted(&self) -> bool {
        self.row.deleted_at.is_some()
    }

    async fn read_from_id(object_id: Url, data: &Ctx) -> Result<Option<Self>, AppError> {
        let id = object_id.to_string();
        let row = data.db.run(move |c| db::posts::by_ap_id(c, &id)).await?;
        row.map(DbPost::new).transpose()
    }

    async fn delete(&self, data: &Ctx) -> Result<(), AppError> {
        let id = self.row.id.clone();
        data.db
            .run(move |c| db::posts::mark_deleted(c, &id, time::now_ms()))
            .await?;
        Ok(())
    }

    async fn into_json(self, data: &Ctx) -> Result<ApubNote, AppError> {
        let (author_id, group_id) = (self.row.author_id.clone(), self.row.group_id.clone());
        let post_id = self.row.id.clone();
        let (author, group, media, poll, tags) = data
            .db
            .run(move |c| {
                let a = db::actors::by_id(c, &author_id)?.ok_or(db::DbError::NotFound)?;
                let g = match group_id {
                    Some(g) => db::actors::by_id(c, &g)?,
                    None => None,
                };
                let poll = PollState::load(c, &post_id)?;
                let tags = db::tags::of_post(c, &post_id)?;
                Ok((a, g, db::media::of_post(c, &post_id)?, poll, tags))
            })
            .await?;
        note_json(
            &self.row,
            &author.ap_id,
            group.as_ref().map(|g| g.ap_id.as_str()),
            &media,
            poll.as_ref(),
            &tags,
            &Urls::new(&data.config),
        )
    }

    async fn verify(json: &ApubNote, expected_domain: &Url, _data: &Ctx) -> Result<(), AppError> {
        verify_domains_match(&json.id, expected_domain)?;
        if !POST_KINDS.contains(&json.kind.as_str()) {
            return Err(AppError::Unprocessable(format!(
                "{} is not a post type",
                json.kind
            )));
        }
        let author = json
            .attributed_to
            .first()
            .ok_or_else(|| AppError::Unprocessable("post without attributedTo".into()))?;
        // FEP-fe34: a post is owned by its author's origin.
        verify_domains_match(author, &json.id)?;
        Ok(())
    }

    async fn from_json(json: ApubNote, data: &Ctx) -> Result<Self, AppError> {
        let author_url = json
            .attributed_to
            .first()
            .cloned()
            .ok_or_else(|| AppError::Unprocessable("post without attributedTo".into()))?;
        let author = ObjectId::<DbActor>::from(author_url)
            .dereference(data)
            .await?;
        let group = find_group(&json, data).await?;
        let now = time::now_ms();
        let public = json.addressees().any(|u| u.as_str() == PUBLIC);
        let content = json
            .content
            .as_ref()
            .and_then(TextOrMap::text)
            .unwrap_or_default();
        let row = PostRow {
            id: new_id(),
            ap_id: json.id.to_string(),
            kind: json.kind.clone(),
            author_id: author.row.id.clone(),
            group_id: group.map(|g| g.row.id),
            in_reply_to: json.in_reply_to.as_ref().map(Url::to_string),
            name: json
                .name
                .as_ref()
                .and_then(TextOrMap::text)
                .map(|n| sanitize::plain(&n)),
            summary: json
                .summary
                .as_deref()
                .map(sanitize::plain)
                .filter(|s| !s.is_empty()),
            content: sanitize::html(&content),
            sensitive: json.sensitive.unwrap_or(false),
            visibility: if public { "public" } else { "private" }.into(),
            local: false,
            published: json
                .published
                .as_deref()
                .and_then(time::from_rfc3339)
                .unwrap_or(now),
            updated: json.updated.as_deref().and_then(time::from_rfc3339),
            deleted_at: None,
            created_at: now,
            language: json.language(),
        };
        let note_for_media = json.clone();
        let hashtags = json.hashtags();
        let mentioned: Vec<String> = json.mentions().iter().map(Url::to_string).collect();
        let stored = data
            .db
            .run(move |c| {
                if let Some(existing) = db::posts::by_ap_id(c, &row.ap_id)? {
                    if existing.deleted_at.is_none() {
                        db::posts::update_content(
                            c,
                            &existing,
                            &row.content,
                            row.name.as_deref(),
                            row.summary.as_deref(),
                            row.sensitive,
                            row.updated.unwrap_or(now),
                        )?;
                    }
                } else if db::posts::insert_if_new(c, &row)? {
                    db::notifications::for_new_post(c, &row, now)?;
                    // First time seen: local members it mentions are notified.
                    for m in db::actors::local_persons(c, &mentioned)? {
                        if db::users::exists(c, &m.id)? {
                            db::notifications::insert(
                                c,
                                &db::notifications::NotificationRow {
                                    id: new_id(),
                                    user_id: m.id.clone(),
                                    kind: "mention".into(),
                                    from_actor_id: row.author_id.clone(),
                                    post_id: Some(row.id.clone()),
                                    created_at: now,
                                },
                            )?;
                        }
                    }
                }
                let stored = db::posts::by_ap_id(c, &row.ap_id)?.ok_or(db::DbError::NotFound)?;
                if !stored.local {
                    db::tags::set_for_post(c, &stored.id, &hashtags)?;
                    let mut known = Vec::new();
                    for href in &mentioned {
                        if let Some(a) = db::actors::by_ap_id(c, href)? {
                            if a.kind != "Group" {
                                known.push(a.id);
                            }
                        }
                    }
                    db::tags::set_mentions(c, &stored.id, &known)?;
                    if let Some(p) = remote_poll(&note_for_media, &stored.id) {
                        db::polls::upsert(c, &p)?;
                    }
                    if db::media::of_post(c, &stored.id)?.is_empty() {
                        for m in remote_media(&note_for_media, &stored.id) {
                            db::media::insert(c, &m)?;
                        }
                    }
                }
                Ok(stored)
            })
            .await?;
        DbPost::new(stored)
    }
}

/// The group a post belongs to: its `audience`, a group among its addressees or mentions, or the
/// group of the post it replies to.
pub async fn find_group(json: &ApubNote, data: &Ctx) -> Result<Option<DbActor>, AppError> {
    let mut candidates: Vec<String> = json.addressees().map(Url::to_string).collect();
    candidates.extend(json.mentions().iter().map(Url::to_string));
    let reply_to = json.in_reply_to.as_ref().map(Url::to_string);
    let known = data
        .db
        .run(move |c| {
            for id in &candidates {
                if let Some(a) = db::actors::by_ap_id(c, id)? {
                    if a.kind == "Group" {
                        return Ok(Some(a));
                    }
                }
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

/// The ActivityPub document of a local post.
pub fn note_json(
    row: &PostRow,
    author_ap_id: &str,
    group_ap_id: Option<&str>,
    media: &[crate::db::media::MediaRow],
    poll: Option<&PollState>,
    hashtags: &[String],
    urls: &Urls,
) -> Result<ApubNote, AppError> {
    let parse = |s: &str| Url::parse(s).ok();
    let public = parse(PUBLIC).into_iter();
    let mut to: Vec<Url> = if row.visibility == "public" {
        public.collect()
    } else {
        vec![]
    };
    to.extend(group_ap_id.and_then(parse));
    let cc: Vec<Url> = parse(&urls::sub(author_ap_id, "followers"))
        .into_iter()
        .collect();
    let mut tag = group_ap_id
        .map(|g| {
            let name = g.rsplit('/').next().unwrap_or_default();
            let host = parse(g)
                .and_then(|u| crate::domain::names::authority_of(&u))
                .unwrap_or_default();
            vec![json!({"type": "Mention", "href": g, "name": format!("@{name}@{host}")})]
        })
        .unwrap_or_default();
    tag.extend(
        hashtags
            .iter()
            .map(|h| json!({"type": "Hashtag", "href": urls.tag(h), "name": format!("#{h}")})),
    );
    Ok(ApubNote {
        context: Some(jsonld::context(&urls.context())),
        id: Url::parse(&row.ap_id)?,
        kind: row.kind.clone(),
        attributed_to: parse(author_ap_id).into_iter().collect(),
        content: Some(TextOrMap::Text(row.content.clone())),
        content_map: row.language.as_ref().map(|l| {
            let mut m = serde_json::Map::new();
            m.insert(l.clone(), serde_json::Value::String(row.content.clone()));
            m
        }),
        name: row.name.clone().map(TextOrMap::Text),
        summary: row.summary.clone(),
        sensitive: Some(row.sensitive),
        in_reply_to: row.in_reply_to.as_deref().and_then(parse),
        published: Some(time::to_rfc3339(row.published)),
        updated: row.updated.map(time::to_rfc3339),
        to,
        cc,
        audience: group_ap_id.and_then(parse),
        tag,
        url: Some(serde_json::Value::String(row.ap_id.clone())),
        attachment: media.iter().map(|m| attachment_json(m, urls)).collect(),
        one_of: poll
            .filter(|p| !p.multiple)
            .map(PollState::options_json)
            .unwrap_or_default(),
        any_of: poll
            .filter(|p| p.multiple)
            .map(PollState::options_json)
            .unwrap_or_default(),
        end_time: poll.and_then(|p| p.expires_at).map(time::to_rfc3339),
        voters_count: poll.map(|p| p.voters),
    })
}

/// A poll as it is federated: titles, counts, voters, end.
pub struct PollState {
    pub titles: Vec<String>,
    pub counts: Vec<i64>,
    pub voters: i64,
    pub multiple: bool,
    pub expires_at: Option<i64>,
}

impl PollState {
    /// The poll of a local post, tallied from stored votes.
    pub fn load(c: &mut db::DbConnection, post_id: &str) -> db::DbResult<Option<PollState>> {
        let Some(p) = db::polls::get(c, post_id)? else {
            return Ok(None);
        };
        let titles = p.titles();
        let (counts, voters) = db::polls::tally(c, post_id, titles.len())?;
        Ok(Some(PollState {
            titles,
            counts,
            voters,
            multiple: p.multiple,
            expires_at: p.expires_at,
        }))
    }

    fn options_json(&self) -> Vec<serde_json::Value> {
        self.titles
            .iter()
            .zip(self.counts.iter().chain(std::iter::repeat(&0)))
            .map(|(t, n)| json!({"type": "Note", "name": t, "replies": {"type": "Collection", "totalItems": n}}))
            .collect()
    }
}

/// The poll a remote `Question` carries: titles and the counts its origin reports.
pub fn remote_poll(note: &ApubNote, post_id: &str) -> Option<db::polls::PollRow> {
    let (options, multiple) = if !note.any_of.is_empty() {
        (&note.any_of, true)
    } else {
        (&note.one_of, false)
    };
    if options.is_empty() {
        return None;
    }
    let titles: Vec<String> = options
        .iter()
        .filter_map(|o| o.get("name").and_then(|n| n.as_str()).map(sanitize::plain))
        .take(20)
        .collect();
    let counts: Vec<i64> = options
        .iter()
        .map(|o| {
            o.pointer("/replies/totalItems")
                .and_then(|n| n.as_i64())
                .unwrap_or(0)
        })
        .take(20)
        .collect();
    Some(db::polls::PollRow {
        post_id: post_id.to_string(),
        multiple,
        options: serde_json::to_string(&titles).ok()?,
        remote_counts: serde_json::to_string(&counts).ok(),
        expires_at: note.end_time.as_deref().and_then(time::from_rfc3339),
        created_at: time::now_ms(),
        remote_voters: note.voters_count,
    })
}

/// The `attachment` entry of a media row.
pub fn attachment_json(m: &crate::db::media::MediaRow, urls: &Urls) -> serde_json::Value {
    let url = match (&m.file_name, &m.remote_url) {
        (Some(f), _) => format!("{}/media/{f}", urls.base()),
        (None, Some(r)) => r.clone(),
        (None, None) => String::new(),
    };
    let kind = match m.kind.as_str() {
        "image" => "Image",
        "video" => "Video",
        "audio" => "Audio",
        _ => "Document",
    };
    let mut v = json!({"type": kind, "mediaType": m.mime, "url": url});
    if let Some(ms) = m.duration_ms {
        v["duration"] = json!(time::to_xsd_duration(ms));
    }
    if let Some(d) = &m.description {
        v["name"] = json!(d);
    }
    if let (Some(w), Some(h)) = (m.width, m.height) {
        v["width"] = json!(w);
        v["height"] = json!(h);
    }
    v
}

/// Media rows for the attachments of a remote post (at most four; unusable entries skipped).
pub fn remote_media(note: &ApubNote, post_id: &str) -> Vec<crate::db::media::MediaRow> {
    note.attachment
        .iter()
        .filter_map(|a| {
            let url = match a.get("url") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.get("href").and_then(|h| h.as_str())?.to_string(),
                None => return None,
            };
            let parsed = Url::parse(&url).ok()?;
            if !matches!(parsed.scheme(), "https" | "http") {
                return None;
            }
            let mime = a
                .get("mediaType")
                .and_then(|m| m.as_str())
                .unwrap_or("application/octet-stream");
            let kind = mime
                .split('/')
                .next()
                .filter(|k| matches!(*k, "image" | "video" | "audio"))
                .unwrap_or("unknown");
            Some(crate::db::media::MediaRow {
                id: new_id(),
                owner_id: None,
                post_id: Some(post_id.to_string()),
                kind: kind.into(),
                mime: sanitize::plain(mime),
                file_name: None,
                remote_url: Some(parsed.to_string()),
                size: 0,
                width: a.get("width").and_then(|w| w.as_i64()).map(|w| w as i32),
                height: a.get("height").and_then(|h| h.as_i64()).map(|h| h as i32),
                description: a
                    .get("name")
                    .and_then(|n| n.as_str())
                    .map(sanitize::plain_long),
                created_at: time::now_ms(),
                duration_ms: a
                    .get("duration")
                    .and_then(|d| d.as_str())
                    .and_then(time::parse_xsd_duration_ms),
            })
        })
        .take(4)
        .collect()
}

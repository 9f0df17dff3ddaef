//! A local post as an ActivityPub object (`Note`, `Page`, `Question`) — the one document served
//! by id and carried by `Create`/`Update` — and how a peer's addressing maps back to a visibility.

use crate::{
    db::{self, actors::ActorRow, posts::PostRow, DbConnection},
    domain::{audience::PostVisibility, time},
    error::AppError,
    federation::{
        jsonld::{self, PUBLIC},
        outbound::address,
        protocol::{note::ApubNote, TextOrMap},
    },
    service::visibility::Sight,
    urls::{self, Urls},
};
use serde_json::json;
use url::Url;

/// Everything the document of a local post needs, loaded on one connection.
pub fn document(
    conn: &mut DbConnection,
    urls: &Urls,
    post: &PostRow,
) -> Result<ApubNote, AppError> {
    let author = db::actors::by_id(conn, &post.author_id)?.ok_or(db::DbError::NotFound)?;
    let group = match &post.group_id {
        Some(g) => db::actors::by_id(conn, g)?,
        None => None,
    };
    let mentioned: Vec<ActorRow> = db::tags::mentions_of(conn, &post.id)?;
    document_with(conn, urls, post, &author, group.as_ref(), &mentioned)
}

/// The document of a local post whose author, group and mentioned actors the caller has read.
pub fn document_with(
    conn: &mut DbConnection,
    urls: &Urls,
    post: &PostRow,
    author: &ActorRow,
    group: Option<&ActorRow>,
    mentioned: &[ActorRow],
) -> Result<ApubNote, AppError> {
    let mut sight = Sight::new(crate::service::visibility::Viewer::Anonymous);
    if let Some(g) = group {
        sight = sight.knowing(g);
    }
    let audience = sight.audience(conn, post)?;
    let mention_ids: Vec<String> = mentioned.iter().map(|m| m.ap_id.clone()).collect();
    let (to, cc) = address::of_post(
        &audience,
        &author.ap_id,
        group.map(|g| g.ap_id.as_str()),
        &mention_ids,
    );
    let media = db::media::of_post(conn, &post.id)?;
    let poll = PollState::load(conn, &post.id)?;
    let hashtags = db::tags::of_post(conn, &post.id)?;
    let mut note = note_json(
        post,
        &author.ap_id,
        group.map(|g| g.ap_id.as_str()),
        &media,
        poll.as_ref(),
        &hashtags,
        urls,
    )?;
    note.to = to.iter().filter_map(|u| Url::parse(u).ok()).collect();
    note.cc = cc.iter().filter_map(|u| Url::parse(u).ok()).collect();
    if let Some(terms) = super::proposal::terms_of_post(conn, &post.id)? {
        note.proposal = terms;
    }
    for m in mentioned {
        note.tag.push(json!({
            "type": "Mention",
            "href": m.ap_id,
            "name": format!("@{}@{}", m.username, m.domain),
        }));
    }
    Ok(note)
}

/// The visibility a peer gave a post, read from its addressing: `as:Public` in `to` is public, in
/// `cc` unlisted; addressed `to` its group with the author's followers in `cc`, public within the
/// group (whose own visibility then narrows it); addressed to the author's followers or a group,
/// followers-only; else direct. (`outbound::address` writes it so.)
pub fn visibility_of(
    note: &ApubNote,
    author: &ActorRow,
    group: Option<&ActorRow>,
) -> PostVisibility {
    let is_public = |u: &Url| crate::federation::jsonld::is_public(u.as_str());
    if note.to.iter().any(is_public) {
        return PostVisibility::Public;
    }
    if note.cc.iter().any(is_public) {
        return PostVisibility::Unlisted;
    }
    let followers = author.followers_url.as_deref();
    let group = group.map(|g| g.ap_id.as_str());
    let names = |list: &[Url], what: Option<&str>| {
        what.is_some() && list.iter().any(|u| Some(u.as_str()) == what)
    };
    if names(&note.to, group) && names(&note.cc, followers) && !names(&note.to, followers) {
        return PostVisibility::Public;
    }
    // `audience` names the group a post belongs to, not who it is for: only `to`/`cc` count.
    let collective = note.to.iter().chain(note.cc.iter()).any(|u| {
        let u = Some(u.as_str());
        u == followers || u == group || u.is_some_and(|u| u.ends_with("/followers"))
    });
    if collective {
        PostVisibility::Private
    } else {
        PostVisibility::Direct
    }
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
    let mut to: Vec<Url> = if row.visibility == PostVisibility::Public {
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
        proposal: Default::default(),
        proof: None,
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

    pub fn options_json(&self) -> Vec<serde_json::Value> {
        self.titles
            .iter()
            .zip(self.counts.iter().chain(std::iter::repeat(&0)))
            .map(|(t, n)| json!({"type": "Note", "name": t, "replies": {"type": "Collection", "totalItems": n}}))
            .collect()
    }
}

/// The `attachment` entry of a media row.
pub fn attachment_json(m: &crate::db::media::MediaRow, urls: &Urls) -> serde_json::Value {
    let url = match (&m.file_name, &m.remote_url) {
        (Some(f), _) => format!("{}/media/{f}", urls.base()),
        (None, Some(r)) => r.clone(),
        (None, None) => String::new(),
    };
    // Video and audio go as `Document` with their `mediaType`, as Mastodon sends them: Lemmy
    // reads only `Image`, `Document` and `Link` attachments and refuses a post with any other.
    let kind = match m.kind.as_str() {
        "image" => "Image",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(ap_id: &str, followers: Option<&str>) -> ActorRow {
        ActorRow {
            id: ap_id.into(),
            ap_id: ap_id.into(),
            kind: crate::domain::actor::ActorKind::Person,
            username: "x".into(),
            domain: "b.example".into(),
            local: false,
            display_name: String::new(),
            summary: String::new(),
            inbox: format!("{ap_id}/inbox"),
            shared_inbox: None,
            outbox: None,
            followers_url: followers.map(String::from),
            public_key_pem: String::new(),
            private_key_pem: None,
            ed25519_public: None,
            ed25519_private: None,
            manually_approves: false,
            visibility: "public".into(),
            speaks_cohort: true,
            created_at: 0,
            updated_at: 0,
            last_refreshed_at: 0,
            avatar_url: None,
            header_url: None,
            speaks_lemmy: false,
            discoverable: false,
        }
    }

    fn note(to: &[&str], cc: &[&str]) -> ApubNote {
        serde_json::from_value(json!({
            "id": "https://b.example/posts/1", "type": "Note",
            "attributedTo": "https://b.example/users/bo",
            "audience": "https://a.example/groups/g",
            "to": to, "cc": cc, "content": "hi",
        }))
        .expect("note")
    }

    #[test]
    fn a_single_author_is_written_as_one_id() {
        // Lemmy reads `attributedTo` of a post only as one actor id, not a one-element array.
        let written = serde_json::to_value(note(&[PUBLIC], &[])).expect("json");
        assert_eq!(written["attributedTo"], json!("https://b.example/users/bo"));
        let mut two = note(&[PUBLIC], &[]);
        two.attributed_to
            .push("https://b.example/users/co".parse().expect("url"));
        let written = serde_json::to_value(two).expect("json");
        assert_eq!(written["attributedTo"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn addressing_reads_back_as_the_visibility_it_was_written_for() {
        let f = "https://b.example/users/bo/followers";
        let author = actor("https://b.example/users/bo", Some(f));
        let group = actor("https://a.example/groups/g", None);
        let g = group.ap_id.as_str();
        let m = "https://c.example/users/cy";
        let cases: &[(&[&str], &[&str], PostVisibility)] = &[
            (&[PUBLIC, g], &[f], PostVisibility::Public),
            (&[f, g], &[PUBLIC], PostVisibility::Unlisted),
            (&[g], &[f, m], PostVisibility::Public),
            (&[f, g], &[m], PostVisibility::Private),
            (&[f], &[m], PostVisibility::Private),
            (&[m], &[], PostVisibility::Direct),
            // A direct post names its group only as `audience`: still direct.
            (&[m, "https://x.example/u"], &[], PostVisibility::Direct),
            // A group among the addressees without the followers in `cc` is not public.
            (&[g, m], &[], PostVisibility::Private),
        ];
        for (to, cc, want) in cases {
            let got = visibility_of(&note(to, cc), &author, Some(&group));
            assert_eq!(got, *want, "to {to:?} cc {cc:?}");
        }
    }
}

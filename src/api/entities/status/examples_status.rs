//! The example status for the entity tests in `entities/mod.rs`.

use super::examples::{emoji, media, poll};
use super::*;
use crate::api::entities::account::examples::account;

pub fn status() -> Status {
    Status {
        id: "01JD8Y6W3X0000000000000012".into(),
        uri: "https://a.example/posts/01JD8Y6W3X0000000000000012".into(),
        created_at: "2026-11-21T10:00:00.000Z".into(),
        account: account(),
        content: "<p>Draft protocol is up for review</p>".into(),
        visibility: StatusVisibility::Public,
        sensitive: false,
        spoiler_text: String::new(),
        media_attachments: vec![media()],
        mentions: vec![StatusMention {
            id: "01JD8Y6W3X0000000000000013".into(),
            username: "biobank".into(),
            acct: "biobank@b.example".into(),
            url: "https://b.example/groups/biobank".into(),
        }],
        tags: vec![StatusTag {
            name: "biobank".into(),
            url: "https://a.example/tags/biobank".into(),
        }],
        emojis: vec![emoji()],
        reblogs_count: 0,
        favourites_count: 0,
        replies_count: 0,
        url: Some("https://a.example/@alice/01JD8Y6W3X0000000000000012".into()),
        in_reply_to_id: None,
        in_reply_to_account_id: None,
        reblog: None,
        poll: Some(poll()),
        card: None,
        language: Some("en".into()),
        edited_at: None,
        application: Some(StatusApplication {
            name: "toot".into(),
            website: None,
        }),
        text: None,
        quotes_count: None,
        favourited: Some(false),
        reblogged: Some(false),
        muted: Some(false),
        bookmarked: Some(false),
        pinned: None,
        filtered: None,
    }
}

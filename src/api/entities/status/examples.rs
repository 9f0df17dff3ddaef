//! Example status values (emoji, poll, link card) for the entity tests in `entities/mod.rs`.

use super::*;

pub fn emoji() -> CustomEmoji {
    CustomEmoji {
        shortcode: "dna".into(),
        url: "https://a.example/emoji/dna.png".into(),
        static_url: "https://a.example/emoji/dna.png".into(),
        visible_in_picker: true,
        category: None,
    }
}

pub fn poll() -> Poll {
    Poll {
        id: "01JD8Y6W3X0000000000000010".into(),
        expires_at: Some("2026-11-28T10:00:00.000Z".into()),
        expired: false,
        multiple: false,
        votes_count: 1,
        voters_count: None,
        options: vec![PollOption {
            title: "Adopt".into(),
            votes_count: Some(1),
        }],
        emojis: vec![],
        voted: Some(true),
        own_votes: Some(vec![0]),
    }
}

pub(super) fn media() -> MediaAttachment {
    let details = MetaDetails {
        width: Some(640),
        height: Some(480),
        aspect: Some(1.333),
        duration: None,
        frame_rate: None,
        bitrate: None,
    };
    MediaAttachment {
        id: "01JD8Y6W3X0000000000000011".into(),
        kind: MediaType::Image,
        url: Some("https://a.example/media/1.png".into()),
        preview_url: Some("https://a.example/media/1-small.png".into()),
        remote_url: None,
        meta: Some(MediaMeta {
            original: Some(details.clone()),
            small: Some(details),
            focus: Some(MediaFocus {
                x: Some(0.0),
                y: Some(0.0),
            }),
        }),
        description: Some("Sample flow chart".into()),
        blurhash: None,
    }
}

pub fn preview_card() -> PreviewCard {
    PreviewCard {
        url: "https://x.example/article".into(),
        title: "Article".into(),
        description: String::new(),
        kind: "link".into(),
        authors: vec![PreviewCardAuthor {
            name: "Carol".into(),
            url: "https://x.example/carol".into(),
            account: None,
        }],
        author_name: "Carol".into(),
        author_url: "https://x.example/carol".into(),
        provider_name: "X".into(),
        provider_url: "https://x.example".into(),
        html: String::new(),
        width: 0,
        height: 0,
        embed_url: String::new(),
        image: None,
        blurhash: None,
        published_at: None,
    }
}

pub use super::examples_status::status;

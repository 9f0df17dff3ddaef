//! Example instance values (rules, limits, the v1 document) for the entity tests in `entities/mod.rs`.

use super::super::account::examples::account;
use super::*;

pub(super) const VERSION: &str = "4.3.0 (compatible; Cohort 0.1.0)";

pub fn rule() -> Rule {
    Rule {
        id: "1".into(),
        text: "Share only de-identified data".into(),
        hint: String::new(),
    }
}

pub(super) fn limits() -> (AccountLimits, StatusLimits, MediaLimits, PollLimits) {
    let accounts = AccountLimits {
        max_featured_tags: 10,
        max_pinned_statuses: 5,
        max_display_name_length: None,
        max_note_length: None,
        max_profile_fields: None,
        profile_field_name_limit: None,
        profile_field_value_limit: None,
    };
    let statuses = StatusLimits {
        max_characters: 500,
        max_media_attachments: 4,
        characters_reserved_per_url: 23,
    };
    let media = MediaLimits {
        supported_mime_types: vec!["image/png".into(), "image/jpeg".into()],
        image_size_limit: 16_777_216,
        image_matrix_limit: 33_177_600,
        video_size_limit: 103_809_024,
        video_frame_rate_limit: 120,
        video_matrix_limit: 8_294_400,
        description_limit: None,
    };
    let polls = PollLimits {
        max_options: 4,
        max_characters_per_option: 50,
        min_expiration: 300,
        max_expiration: 2_629_746,
    };
    (accounts, statuses, media, polls)
}

pub fn instance_v1() -> InstanceV1 {
    let (accounts, statuses, media_attachments, polls) = limits();
    InstanceV1 {
        uri: "a.example".into(),
        title: "Node A".into(),
        short_description: String::new(),
        description: String::new(),
        email: "admin@a.example".into(),
        version: VERSION.into(),
        urls: InstanceV1Urls {
            streaming_api: "wss://a.example".into(),
        },
        stats: InstanceV1Stats {
            user_count: 1,
            status_count: 0,
            domain_count: 1,
        },
        thumbnail: None,
        languages: vec!["en".into()],
        registrations: false,
        approval_required: false,
        invites_enabled: false,
        configuration: InstanceV1Configuration {
            accounts: InstanceV1AccountLimits {
                max_featured_tags: accounts.max_featured_tags,
                max_pinned_statuses: Some(accounts.max_pinned_statuses),
            },
            statuses,
            media_attachments,
            polls,
            vapid: None,
        },
        contact_account: Some(account()),
        rules: vec![rule()],
    }
}

pub use super::examples_v2::instance_v2;

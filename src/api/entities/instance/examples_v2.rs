//! The example v2 instance document for the entity tests in `entities/mod.rs`.

use super::examples::{limits, rule, VERSION};
use super::*;

pub fn instance_v2() -> InstanceV2 {
    let (accounts, statuses, media_attachments, polls) = limits();
    InstanceV2 {
        domain: "a.example".into(),
        title: "Node A".into(),
        version: VERSION.into(),
        source_url: "https://a.example/source".into(),
        description: String::new(),
        usage: InstanceUsage {
            users: InstanceUsageUsers { active_month: 1 },
        },
        thumbnail: InstanceThumbnail {
            url: "https://a.example/banner.png".into(),
            blurhash: None,
            versions: None,
            description: None,
        },
        icon: vec![InstanceIcon {
            src: "https://a.example/icon-48.png".into(),
            size: "48x48".into(),
        }],
        languages: vec!["en".into()],
        configuration: InstanceConfiguration {
            urls: ConfigurationUrls {
                streaming: Some("wss://a.example".into()),
                status: None,
                about: None,
                privacy_policy: None,
                terms_of_service: None,
            },
            accounts,
            statuses,
            media_attachments,
            polls,
            translation: TranslationConfiguration { enabled: false },
            limited_federation: None,
            vapid: None,
        },
        registrations: InstanceRegistrations {
            enabled: false,
            approval_required: false,
            message: None,
            url: None,
            min_age: None,
            reason_required: None,
        },
        api_versions: ApiVersions { mastodon: 2 },
        contact: InstanceContact {
            email: "admin@a.example".into(),
            account: None,
        },
        rules: vec![rule()],
    }
}

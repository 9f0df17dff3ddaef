//! Instance information for apps: `/api/v1/instance`, `/api/v2/instance`, rules, and the default
//! images accounts point at.

use super::{
    entities::{
        AccountLimits, ApiVersions, ConfigurationUrls, InstanceConfiguration, InstanceContact,
        InstanceRegistrations, InstanceThumbnail, InstanceUsage, InstanceUsageUsers, InstanceV1,
        InstanceV1AccountLimits, InstanceV1Configuration, InstanceV1Stats, InstanceV1Urls,
        InstanceV2, MediaLimits, PollLimits, Rule, StatusLimits, TranslationConfiguration,
    },
    views,
};
use crate::{db, error::AppResult, state::Ctx};
use axum::{http::header, response::IntoResponse, Json};

/// Longest post text accepted, in characters.
pub const MAX_CHARACTERS: i64 = crate::domain::limits::MAX_POST_CHARACTERS as i64;
/// Media types accepted for upload.
pub const MEDIA_TYPES: &[&str] = crate::service::media::MEDIA_TYPES;
/// Largest image accepted, in bytes.
pub const IMAGE_SIZE_LIMIT: i64 = crate::service::media::MAX_IMAGE_BYTES as i64;
/// Poll limits.
pub const POLL_MAX_OPTIONS: i64 = crate::domain::limits::POLL_MAX_OPTIONS as i64;
pub const POLL_MAX_OPTION_CHARS: i64 = crate::domain::limits::POLL_MAX_OPTION_CHARS as i64;

fn version() -> String {
    format!("4.3.0 (compatible; Cohort {})", env!("CARGO_PKG_VERSION"))
}

async fn vapid(ctx: &Ctx) -> AppResult<super::entities::VapidConfiguration> {
    Ok(super::entities::VapidConfiguration {
        public_key: crate::service::push::ensure_vapid_key(ctx.app_data()).await?,
    })
}

fn host_only(domain: &str) -> &str {
    domain.split(':').next().unwrap_or(domain)
}

fn rules(ctx: &Ctx) -> Vec<Rule> {
    ctx.config
        .instance
        .rules
        .iter()
        .enumerate()
        .map(|(i, text)| Rule {
            id: (i + 1).to_string(),
            text: text.clone(),
            hint: String::new(),
        })
        .collect()
}

fn contact_email(ctx: &Ctx) -> String {
    if ctx.config.instance.contact_email.is_empty() {
        format!("admin@{}", host_only(&ctx.config.instance.domain))
    } else {
        ctx.config.instance.contact_email.clone()
    }
}

fn statuses() -> StatusLimits {
    StatusLimits {
        max_characters: MAX_CHARACTERS,
        max_media_attachments: 4,
        characters_reserved_per_url: 23,
    }
}

fn media() -> MediaLimits {
    MediaLimits {
        supported_mime_types: MEDIA_TYPES.iter().map(|s| s.to_string()).collect(),
        image_size_limit: IMAGE_SIZE_LIMIT,
        image_matrix_limit: 33_177_600,
        video_size_limit: crate::service::media::MAX_AV_BYTES as i64,
        // Video is stored as uploaded (not transcoded); clients check these before uploading.
        video_frame_rate_limit: 120,
        video_matrix_limit: 8_294_400,
        description_limit: Some(1500),
    }
}

fn polls(cfg: &crate::config::PollsConfig) -> PollLimits {
    PollLimits {
        max_options: POLL_MAX_OPTIONS,
        max_characters_per_option: POLL_MAX_OPTION_CHARS,
        min_expiration: cfg.min_expiration_secs,
        max_expiration: cfg.max_expiration_secs,
    }
}

/// Numbers and the contact account (the first admin) from storage.
async fn facts(ctx: &Ctx) -> AppResult<(i64, i64, i64, Option<super::entities::Account>)> {
    let base = ctx.config.base_url();
    Ok(ctx
        .db
        .run(move |c| {
            let users = db::users::count(c)?;
            let posts = db::posts::count_local(c)?;
            let peers = db::peers::count(c)?;
            let admin = db::users::list(c)?
                .into_iter()
                .find(|(_, u)| u.role == "admin")
                .map(|(a, _)| views::account(c, &a, &base))
                .transpose()?;
            Ok((users, posts, peers, admin))
        })
        .await?)
}

/// Where apps open the streaming API: this node itself (`ws://` when it serves plain HTTP).
fn streaming_url(c: &crate::config::Config) -> String {
    let base = c.base_url();
    match base.strip_prefix("https://") {
        Some(host) => format!("wss://{host}"),
        None => format!("ws://{}", base.trim_start_matches("http://")),
    }
}

/// GET /api/v1/instance
pub async fn v1(ctx: Ctx) -> AppResult<Json<InstanceV1>> {
    let (users, posts, peers, admin) = facts(&ctx).await?;
    let c = &ctx.config;
    let streaming = streaming_url(c);
    Ok(Json(InstanceV1 {
        uri: c.instance.domain.clone(),
        title: c.instance.name.clone(),
        short_description: c.instance.description.clone(),
        description: c.instance.description.clone(),
        email: contact_email(&ctx),
        version: version(),
        urls: InstanceV1Urls {
            streaming_api: streaming,
        },
        stats: InstanceV1Stats {
            user_count: users,
            status_count: posts,
            domain_count: peers,
        },
        thumbnail: Some(format!("{}/static/header.png", c.base_url())),
        languages: vec!["en".into()],
        registrations: false,
        approval_required: false,
        invites_enabled: false,
        configuration: InstanceV1Configuration {
            accounts: InstanceV1AccountLimits {
                max_featured_tags: crate::service::pins::MAX_FEATURED_TAGS as i64,
                max_pinned_statuses: Some(crate::service::pins::MAX_PINS),
            },
            statuses: statuses(),
            media_attachments: media(),
            polls: polls(&ctx.config.polls),
            vapid: Some(vapid(&ctx).await?),
        },
        contact_account: admin,
        rules: rules(&ctx),
    }))
}

/// GET /api/v2/instance
pub async fn v2(ctx: Ctx) -> AppResult<Json<InstanceV2>> {
    let (users, _, _, admin) = facts(&ctx).await?;
    let c = &ctx.config;
    let base = c.base_url();
    Ok(Json(InstanceV2 {
        domain: c.instance.domain.clone(),
        title: c.instance.name.clone(),
        version: version(),
        source_url: if c.instance.source_url.is_empty() {
            format!("{base}/")
        } else {
            c.instance.source_url.clone()
        },
        description: c.instance.description.clone(),
        usage: InstanceUsage {
            users: InstanceUsageUsers {
                active_month: users,
            },
        },
        thumbnail: InstanceThumbnail {
            url: format!("{base}/static/header.png"),
            blurhash: None,
            versions: None,
            description: None,
        },
        icon: vec![],
        languages: vec!["en".into()],
        configuration: InstanceConfiguration {
            urls: ConfigurationUrls {
                streaming: Some(streaming_url(c)),
                status: None,
                about: Some(format!("{base}/")),
                privacy_policy: None,
                terms_of_service: None,
            },
            accounts: AccountLimits {
                max_featured_tags: crate::service::pins::MAX_FEATURED_TAGS as i64,
                max_pinned_statuses: crate::service::pins::MAX_PINS,
                max_display_name_length: Some(30),
                max_note_length: Some(500),
                max_profile_fields: Some(0),
                profile_field_name_limit: None,
                profile_field_value_limit: None,
            },
            statuses: statuses(),
            media_attachments: media(),
            polls: polls(&ctx.config.polls),
            translation: TranslationConfiguration { enabled: false },
            limited_federation: Some(
                c.federation.mode == crate::domain::policy::FederationMode::Allowlist,
            ),
            vapid: Some(vapid(&ctx).await?),
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
            email: contact_email(&ctx),
            account: admin,
        },
        rules: rules(&ctx),
    }))
}

/// GET /api/v1/instance/rules
pub async fn instance_rules(ctx: Ctx) -> Json<Vec<Rule>> {
    Json(rules(&ctx))
}

/// GET /static/avatar.png — the default avatar.
pub async fn avatar() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "image/png")],
        include_bytes!("../../assets/avatar.png").as_slice(),
    )
}

/// GET /static/header.png — the default header and instance thumbnail.
pub async fn header_image() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "image/png")],
        include_bytes!("../../assets/header.png").as_slice(),
    )
}

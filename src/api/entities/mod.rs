//! Mastodon API entities as the OpenAPI description defines them; handlers build these from storage rows.
//!
//! Conventions: ids are ULID text, date-times are RFC 3339 strings (`2026-11-21T10:00:00.000Z`),
//! `Account.last_status_at` is a date (`2026-11-21`). A field the description requires is never
//! skipped. An optional field that Mastodon always sends is a plain `Option` (serialized as
//! `null`); one it sends only sometimes (viewer-specific, rare) is skipped when `None`.

pub mod account;
pub mod instance;
pub mod misc;
pub mod personal;
pub mod report;
pub mod status;

pub use account::{
    Account, AccountRole, AccountSource, CredentialAccount, Field, Relationship, Role,
};
pub use instance::{
    AccountLimits, ApiVersions, ConfigurationUrls, InstanceConfiguration, InstanceContact,
    InstanceIcon, InstanceRegistrations, InstanceThumbnail, InstanceUsage, InstanceUsageUsers,
    InstanceV1, InstanceV1AccountLimits, InstanceV1Configuration, InstanceV1Stats, InstanceV1Urls,
    InstanceV2, MediaLimits, PollLimits, Rule, StatusLimits, ThumbnailVersions,
    TranslationConfiguration, VapidConfiguration,
};
pub use misc::{
    Application, CredentialApplication, Error, ExpandMedia, FamiliarFollowers, FeaturedTag,
    InstanceText, Marker, Markers, Notification, NotificationType, Preferences, Search, Tag,
    TagHistory, Token, ValidationDetail, ValidationError, WeeklyActivity,
};
pub use personal::{
    Conversation, Filter, FilterKeyword, FilterResult, FilterStatus, List, Suggestion, V1Filter,
};
pub use report::Report;
pub use status::{
    Context, CustomEmoji, MediaAttachment, MediaFocus, MediaMeta, MediaType, MetaDetails, Poll,
    PollOption, PreviewCard, PreviewCardAuthor, Status, StatusApplication, StatusEdit,
    StatusMention, StatusSource, StatusTag, StatusVisibility,
};

#[cfg(test)]
mod tests {
    //! Every key the OpenAPI description (Mastodon 4.7) requires is serialized and not `null`,
    //! nested required objects included (checked through JSON pointers). The key lists were taken
    //! from the description by hand; the examples live next to each type (`examples` modules).

    use super::{account::examples as a, instance::examples as i, misc::examples as m};
    use super::{status::examples as s, *};
    use serde::{de::DeserializeOwned, Serialize};
    use serde_json::Value;

    /// Serializes `v`, checks the space-separated `keys` at each `(pointer, keys)`, and that the JSON
    /// deserializes again.
    fn check<V: Serialize + DeserializeOwned>(v: &V, checks: &[(&str, &str)]) -> Value {
        let json = serde_json::to_value(v).unwrap();
        for (pointer, keys) in checks {
            let obj = json.pointer(pointer).and_then(Value::as_object);
            let obj = obj.unwrap_or_else(|| panic!("no object at {pointer:?} in {json}"));
            for key in keys.split_whitespace() {
                let present = obj.get(key).is_some_and(|x| !x.is_null());
                assert!(
                    present,
                    "required key {key:?} missing or null at {pointer:?}"
                );
            }
        }
        serde_json::from_value::<V>(json.clone()).unwrap();
        json
    }

    const ACCOUNT: &str = "acct avatar avatar_static bot created_at display_name emojis fields \
        followers_count following_count group header header_static id indexable locked note \
        statuses_count uri username";
    const FIELD: &str = "name value";
    const EMOJI: &str = "shortcode static_url url visible_in_picker";
    const STATUS: &str = "account content created_at emojis favourites_count id media_attachments \
        mentions reblogs_count replies_count sensitive spoiler_text tags uri visibility";
    const POLL: &str = "emojis expired id multiple options votes_count";
    const CARD: &str = "author_name author_url authors description embed_url height html \
        provider_name provider_url title type url width";
    const RULE: &str = "hint id text";
    const STATUS_LIMITS: &str = "characters_reserved_per_url max_characters max_media_attachments";
    const MEDIA_LIMITS: &str = "image_matrix_limit image_size_limit supported_mime_types \
        video_frame_rate_limit video_matrix_limit video_size_limit";
    const POLL_LIMITS: &str = "max_characters_per_option max_expiration max_options min_expiration";
    const APPLICATION: &str = "id name redirect_uri redirect_uris scopes vapid_key";
    const MARKER: &str = "last_read_id updated_at version";

    #[test]
    fn account_entities() {
        check(
            &a::account(),
            &[("", ACCOUNT), ("/fields/0", FIELD), ("/emojis/0", EMOJI)],
        );
        let mut with_roles = a::account();
        with_roles.roles = Some(vec![a::account_role()]);
        check(&with_roles, &[("/roles/0", "color id name")]);
        check(
            &a::credential_account(),
            &[
                ("", ACCOUNT),
                ("", "role source"),
                (
                    "/source",
                    "fields follow_requests_count indexable note privacy sensitive",
                ),
                ("/source/fields/0", FIELD),
                ("/role", "color highlighted id name permissions"),
            ],
        );
        let relationship = "blocked_by blocking domain_blocking endorsed followed_by following id \
            muting muting_notifications note notifying requested requested_by showing_reblogs";
        check(&a::relationship(), &[("", relationship)]);
    }

    #[test]
    fn status_entities() {
        let json = check(
            &s::status(),
            &[
                ("", STATUS),
                ("/account", ACCOUNT),
                ("/media_attachments/0", "id type"),
                ("/mentions/0", "acct id url username"),
                ("/tags/0", "name url"),
                ("/emojis/0", EMOJI),
                ("/application", "name"),
                ("/poll", POLL),
                ("/poll/options/0", "title"),
            ],
        );
        // Optional fields Mastodon always sends are null; viewer-only ones are absent when unset.
        assert!(json.get("reblog").is_some_and(Value::is_null));
        assert!(json.get("pinned").is_none());
        let mut boost = s::status();
        boost.reblog = Some(Box::new(s::status()));
        boost.card = Some(s::preview_card());
        check(
            &boost,
            &[
                ("/reblog", STATUS),
                ("/card", CARD),
                ("/card/authors/0", "name url"),
            ],
        );
        let context = Context {
            ancestors: vec![s::status()],
            descendants: vec![],
        };
        check(
            &context,
            &[("", "ancestors descendants"), ("/ancestors/0", STATUS)],
        );
        check(&s::poll(), &[("", POLL)]);
    }

    #[test]
    fn instance_entities() {
        let v1 = "approval_required configuration description email invites_enabled languages \
            registrations rules short_description stats title uri urls version";
        check(
            &i::instance_v1(),
            &[
                ("", v1),
                ("/urls", "streaming_api"),
                ("/stats", "domain_count status_count user_count"),
                (
                    "/configuration",
                    "accounts media_attachments polls statuses",
                ),
                ("/configuration/accounts", "max_featured_tags"),
                ("/configuration/statuses", STATUS_LIMITS),
                ("/configuration/media_attachments", MEDIA_LIMITS),
                ("/configuration/polls", POLL_LIMITS),
                ("/contact_account", ACCOUNT),
                ("/rules/0", RULE),
            ],
        );
        let v2 = "api_versions configuration contact description domain icon languages \
            registrations rules source_url thumbnail title usage version";
        check(
            &i::instance_v2(),
            &[
                ("", v2),
                ("/usage", "users"),
                ("/usage/users", "active_month"),
                ("/thumbnail", "url"),
                ("/icon/0", "size src"),
                (
                    "/configuration",
                    "accounts media_attachments polls statuses translation urls",
                ),
                (
                    "/configuration/accounts",
                    "max_featured_tags max_pinned_statuses",
                ),
                ("/configuration/statuses", STATUS_LIMITS),
                ("/configuration/media_attachments", MEDIA_LIMITS),
                ("/configuration/polls", POLL_LIMITS),
                ("/configuration/translation", "enabled"),
                ("/configuration/urls", ""),
                ("/registrations", "approval_required enabled"),
                ("/api_versions", "mastodon"),
                ("/contact", "email"),
                ("/rules/0", RULE),
            ],
        );
        check(&i::rule(), &[("", RULE)]);
    }

    #[test]
    fn misc_entities() {
        let json = check(
            &m::notification(),
            &[
                ("", "account created_at group_key id type"),
                ("/account", ACCOUNT),
                ("/status", STATUS),
            ],
        );
        assert_eq!(json["type"], "follow_request");
        let mut reported = m::notification();
        reported.kind = NotificationType::AdminReport;
        reported.status = None;
        reported.report = Some(report::examples::report());
        let report_keys = "action_taken category comment created_at forwarded id target_account";
        let json = check(
            &reported,
            &[
                ("/report", report_keys),
                ("/report/target_account", ACCOUNT),
            ],
        );
        assert_eq!(json["type"], "admin.report");
        let sign_up = serde_json::to_value(NotificationType::AdminSignUp).unwrap();
        assert_eq!(sign_up, "admin.sign_up");
        check(&m::marker(), &[("", MARKER)]);
        let markers = Markers {
            home: Some(m::marker()),
            notifications: None,
        };
        check(&markers, &[("/home", MARKER)]);
        check(&m::application(), &[("", APPLICATION)]);
        check(
            &m::credential_application(),
            &[("", APPLICATION), ("", "client_id client_secret")],
        );
        check(
            &m::token(),
            &[("", "access_token created_at scope token_type")],
        );
        check(
            &m::search(),
            &[
                ("", "accounts hashtags statuses"),
                ("/accounts/0", ACCOUNT),
                ("/statuses/0", STATUS),
                ("/hashtags/0", "history id name url"),
                ("/hashtags/0/history/0", "accounts day uses"),
            ],
        );
        let preferences = "posting:default:sensitive posting:default:visibility \
            reading:expand:media reading:expand:spoilers";
        check(&m::preferences(), &[("", preferences)]);
        check(&m::error(), &[("", "error")]);
        check(
            &m::validation_error(),
            &[
                ("", "details error"),
                ("/details/username/0", "description error"),
            ],
        );
    }
}

//! HTTP endpoints outside federation: operator endpoints, the Mastodon-compatible client API and
//! the Cohort API (`/api/cohort/v1/`, proposals and governance).
//! Handlers are thin: extract, call one service, shape the response.

pub mod accounts;
pub mod auth;
pub mod conversations;
pub mod directory;
pub mod entities;
pub mod fallback;
pub mod featured_tags;
pub mod filters;
pub mod form;
pub mod groups;
pub mod instance;
pub mod instance_more;
pub mod lists;
pub mod media;
pub mod notifications;
pub mod notifications_v2;
pub mod oauth;
use tower_http::set_header::SetResponseHeaderLayer;
pub mod ops;
pub mod polls;
pub mod proposals;
pub mod push;
pub mod reports;
pub mod scheduled;
pub mod search;
pub mod startup;
pub mod statuses;
pub mod streaming;
pub mod suggestions;
pub mod tags;
pub mod timelines;
pub mod views;

use axum::{
    extract::DefaultBodyLimit,
    middleware,
    routing::{get, patch, post},
    Router,
};

/// The client API and OAuth routes (rate limited).
pub fn router() -> Router {
    Router::new()
        .route("/api/v1/apps", post(oauth::create_app))
        .route("/api/v1/apps/verify_credentials", get(oauth::verify_app))
        .route(
            "/oauth/authorize",
            get(oauth::authorize_page).post(oauth::authorize_submit),
        )
        .route(
            "/oauth/token",
            // Token responses must not be cached (RFC 6749 §5.1).
            post(oauth::token).layer(SetResponseHeaderLayer::overriding(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            )),
        )
        .route("/oauth/revoke", post(oauth::revoke))
        .route("/oauth/userinfo", get(oauth::userinfo))
        .route(
            "/.well-known/oauth-authorization-server",
            get(oauth::metadata),
        )
        .route("/api/v1/instance", get(instance::v1))
        .route("/api/v2/instance", get(instance::v2))
        .route("/api/v1/instance/rules", get(instance::instance_rules))
        .route("/api/v1/instance/peers", get(instance_more::peers))
        .route(
            "/api/v1/instance/extended_description",
            get(instance_more::extended_description),
        )
        .route(
            "/api/v1/instance/privacy_policy",
            get(instance_more::privacy_policy),
        )
        .route(
            "/api/v1/instance/translation_languages",
            get(instance_more::translation_languages),
        )
        .route("/api/v1/instance/activity", get(instance_more::activity))
        .route("/api/v1/directory", get(directory::directory))
        .route("/api/v1/suggestions", get(suggestions::v1))
        .route("/api/v2/suggestions", get(suggestions::v2))
        .route(
            "/api/v1/suggestions/{account_id}",
            axum::routing::delete(suggestions::dismiss),
        )
        .route(
            "/api/v1/accounts/familiar_followers",
            get(directory::familiar_followers),
        )
        .route(
            "/api/v1/accounts/verify_credentials",
            get(accounts::verify_credentials),
        )
        .route("/api/v1/accounts/lookup", get(accounts::lookup))
        .route(
            "/api/v1/accounts/relationships",
            get(accounts::relationships),
        )
        .route("/api/v1/accounts/{id}", get(accounts::get))
        .route("/api/v1/accounts/{id}/statuses", get(accounts::statuses))
        .route("/api/v1/accounts/{id}/follow", post(accounts::follow))
        .route("/api/v1/accounts/{id}/unfollow", post(accounts::unfollow))
        .route(
            "/api/v1/accounts/{id}/remove_from_followers",
            post(accounts::remove_from_followers),
        )
        .route("/api/v1/accounts/{id}/block", post(accounts::block))
        .route("/api/v1/accounts/{id}/unblock", post(accounts::unblock))
        .route("/api/v1/accounts/{id}/mute", post(accounts::mute))
        .route("/api/v1/accounts/{id}/unmute", post(accounts::unmute))
        .route("/api/v1/accounts/{id}/note", post(accounts::note))
        .route(
            "/api/v1/accounts/{id}/featured_tags",
            get(featured_tags::of_account),
        )
        .route(
            "/api/v1/featured_tags",
            get(featured_tags::list).post(featured_tags::create),
        )
        .route(
            "/api/v1/featured_tags/suggestions",
            get(featured_tags::suggestions),
        )
        .route(
            "/api/v1/featured_tags/{id}",
            axum::routing::delete(featured_tags::delete),
        )
        .route("/api/v1/statuses/{id}/pin", post(statuses::pin))
        .route("/api/v1/statuses/{id}/mute", post(statuses::mute))
        .route("/api/v1/statuses/{id}/unmute", post(statuses::unmute))
        .route("/api/v1/statuses/{id}/unpin", post(statuses::unpin))
        .route(
            "/api/v1/statuses",
            post(statuses::create).get(statuses::many),
        )
        .route(
            "/api/v1/statuses/{id}",
            get(statuses::get)
                .delete(statuses::delete)
                .put(statuses::edit),
        )
        .route("/api/v1/statuses/{id}/history", get(statuses::history))
        .route("/api/v1/statuses/{id}/source", get(statuses::source))
        .route("/api/v1/statuses/{id}/context", get(statuses::context))
        .route("/api/v1/statuses/{id}/favourite", post(statuses::favourite))
        .route(
            "/api/v1/statuses/{id}/unfavourite",
            post(statuses::unfavourite),
        )
        .route("/api/v1/statuses/{id}/reblog", post(statuses::reblog))
        .route("/api/v1/statuses/{id}/unreblog", post(statuses::unreblog))
        .route("/api/v1/statuses/{id}/bookmark", post(statuses::bookmark))
        .route(
            "/api/v1/statuses/{id}/unbookmark",
            post(statuses::unbookmark),
        )
        .route(
            "/api/v1/statuses/{id}/favourited_by",
            get(statuses::favourited_by),
        )
        .route(
            "/api/v1/statuses/{id}/reblogged_by",
            get(statuses::reblogged_by),
        )
        .route("/api/v1/favourites", get(timelines::favourites))
        .route("/api/v1/bookmarks", get(timelines::bookmarks))
        .route("/api/v1/notifications", get(notifications::list))
        .route("/api/v1/notifications/clear", post(notifications::clear))
        .route(
            "/api/v1/notifications/unread_count",
            get(notifications_v2::unread_count_v1),
        )
        .route("/api/v2/notifications", get(notifications_v2::list))
        .route(
            "/api/v2/notifications/unread_count",
            get(notifications_v2::unread_count_v2),
        )
        .route("/api/v2/notifications/{key}", get(notifications_v2::get))
        .route(
            "/api/v2/notifications/{key}/accounts",
            get(notifications_v2::accounts),
        )
        .route(
            "/api/v2/notifications/{key}/dismiss",
            post(notifications_v2::dismiss),
        )
        .route(
            "/api/v1/push/subscription",
            post(push::create)
                .get(push::get)
                .put(push::update)
                .delete(push::delete),
        )
        .route("/api/v1/scheduled_statuses", get(scheduled::list))
        .route(
            "/api/v1/scheduled_statuses/{id}",
            get(scheduled::get)
                .put(scheduled::update)
                .delete(scheduled::delete),
        )
        .route("/api/v1/notifications/{id}", get(notifications::get))
        .route(
            "/api/v1/notifications/{id}/dismiss",
            post(notifications::dismiss),
        )
        .route(
            "/api/v2/media",
            post(media::upload).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/api/v1/media",
            post(media::upload).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/api/v1/media/{id}",
            get(media::get).put(media::update).delete(media::delete),
        )
        .route("/api/v1/polls/{id}", get(polls::get))
        .route("/api/v1/polls/{id}/votes", post(polls::vote))
        .route("/media/{file}", get(media::file))
        .route(
            "/api/v1/markers",
            get(notifications::get_markers).post(notifications::set_markers),
        )
        .route("/api/v1/timelines/home", get(timelines::home))
        .route("/api/v1/timelines/public", get(timelines::public))
        .route("/api/v1/timelines/tag/{hashtag}", get(tags::timeline))
        .route("/api/v1/timelines/direct", get(timelines::direct))
        .route("/api/v1/tags/{name}", get(tags::info))
        .route("/api/v1/tags/{name}/follow", post(tags::follow))
        .route("/api/v1/tags/{name}/unfollow", post(tags::unfollow))
        .route(
            "/api/v1/accounts/update_credentials",
            patch(accounts::update_credentials).layer(axum::extract::DefaultBodyLimit::max(
                2 * crate::service::media::MAX_PROFILE_IMAGE_BYTES + 256 * 1024,
            )),
        )
        .route(
            "/api/v1/profile/{image}",
            axum::routing::delete(accounts::delete_profile_image),
        )
        .route("/api/v1/accounts/{id}/followers", get(accounts::followers))
        .route("/api/v1/accounts/{id}/following", get(accounts::following))
        .route("/api/v2/search", get(search::search))
        .route("/api/v1/accounts/search", get(search::accounts))
        .route("/api/v1/preferences", get(startup::preferences))
        .route("/api/v1/custom_emojis", get(startup::empty))
        .route("/api/v1/trends", get(startup::empty))
        .route("/api/v1/trends/tags", get(startup::empty))
        .route("/api/v1/trends/statuses", get(startup::empty))
        .route("/api/v1/trends/links", get(startup::empty))
        .merge(filters::router())
        .merge(lists_router())
        .route("/api/v1/followed_tags", get(tags::followed))
        .route("/api/v1/announcements", get(startup::empty_for_user))
        .route("/api/v1/blocks", get(accounts::blocks))
        .route("/api/v1/mutes", get(accounts::mutes))
        .route("/api/v1/domain_blocks", get(startup::empty_for_user))
        .route("/api/v1/conversations", get(conversations::list))
        .route(
            "/api/v1/conversations/{id}",
            axum::routing::delete(conversations::remove),
        )
        .route("/api/v1/conversations/{id}/read", post(conversations::read))
        .route(
            "/api/v1/follow_requests",
            get(accounts::follow_requests::list),
        )
        .route(
            "/api/v1/follow_requests/{id}/authorize",
            post(accounts::follow_requests::authorize),
        )
        .route(
            "/api/v1/follow_requests/{id}/reject",
            post(accounts::follow_requests::reject),
        )
        .route("/api/v1/reports", post(reports::create))
        .merge(proposals::router())
        .route(
            "/api/cohort/v1/groups/{group}",
            axum::routing::patch(groups::edit),
        )
        .route("/static/avatar.png", get(instance::avatar))
        .route("/static/header.png", get(instance::header_image))
        .layer(middleware::from_fn(auth::rate_limit))
}

/// Lists, their accounts and the list timeline.
fn lists_router() -> Router {
    Router::new()
        .route("/api/v1/lists", get(lists::all).post(lists::create))
        .route(
            "/api/v1/lists/{id}",
            get(lists::get).put(lists::update).delete(lists::delete),
        )
        .route(
            "/api/v1/lists/{id}/accounts",
            get(lists::accounts).post(lists::add).delete(lists::remove),
        )
        .route("/api/v1/accounts/{id}/lists", get(lists::of_account))
        .route("/api/v1/timelines/list/{id}", get(lists::timeline))
}

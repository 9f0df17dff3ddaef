//! Storage rows → Mastodon entities. One place decides how Cohort's data looks to apps.
//!
//! The shared forms (dates, `acct`) are here; each entity's mapping has its own file. Lists are
//! rendered from the facts read for the whole page at once (`db::page`), never row by row.

mod account;
mod filter;
mod media;
mod notification;
mod poll;
mod reblog;
mod relationship;
mod report;
mod status;
mod tag;

pub use account::{account, account_of, credential_account};
pub use filter::{filter, filter_keyword, filter_status, results, screened, v1_filters};
pub use media::media_attachment;
pub use notification::{notification, notifications};
pub use poll::{poll, poll_of};
pub use reblog::reblog_status;
pub use relationship::{relationship, Standing};
pub use report::reports;
pub use status::{status, status_of, statuses};
pub use tag::tag;

use crate::db::actors::ActorRow;

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

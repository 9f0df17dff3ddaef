//! Use cases. The only layer that combines storage, domain rules and outbound federation intents;
//! the CLI, the HTTP API and the inbox all call into it, so local and remote members are treated alike.

pub mod compose;
pub mod editing;
pub mod events;
pub mod follows;
pub mod groups;
pub mod interactions;
pub mod media;
pub mod members;
pub mod notifications;
pub mod oauth;
pub mod outbound;
pub mod peers;
pub mod pins;
pub mod polls;
pub mod posting;
pub mod profile;
pub mod proposals;
pub mod reading;
pub mod relations;
pub mod remote;
pub mod search;
pub mod setup;
mod sight_prefetch;
pub mod streams;
pub mod users;
pub mod visibility;

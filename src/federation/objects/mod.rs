//! Conversions between stored rows and wire types, as the federation library's `Object` trait.

pub mod actor;
pub mod lemmy;
pub mod note;
pub mod post;
pub mod proposal;

//! Plain domain types and rules: ids, names, policy levels, the audience rule, keys, object proofs,
//! proposals and governance, the terms of group leads, and time.
//!
//! Imports nothing from `db`, `service`, `federation` or `api`; every other layer may use it.

pub mod actor;
pub mod audience;
pub mod filter;
pub mod follow;
pub mod governance;
pub mod ids;
pub mod keys;
pub mod lead_term;
pub mod limits;
pub mod names;
pub mod notification;
pub mod policy;
pub mod proof;
pub mod proposal;
pub mod push;
pub mod redirect_uri;
pub mod report;
pub mod sanitize;
pub mod scopes;
pub mod text_enum;
pub mod time;
pub mod webpush;

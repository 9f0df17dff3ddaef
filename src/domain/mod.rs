//! Plain domain types and rules: ids, names, policy levels, keys and time.
//!
//! Imports nothing from `db`, `service`, `federation` or `api`; every other layer may use it.

pub mod ids;
pub mod keys;
pub mod limits;
pub mod names;
pub mod policy;
pub mod scopes;
pub mod time;

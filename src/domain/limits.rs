//! Limits every layer agrees on (the client API advertises them; the services enforce them).

/// Longest post text accepted, in characters.
pub const MAX_POST_CHARACTERS: usize = 5000;

/// Most options a poll may have.
pub const POLL_MAX_OPTIONS: usize = 4;
/// Longest poll option, in characters.
pub const POLL_MAX_OPTION_CHARS: usize = 100;

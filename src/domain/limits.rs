//! Limits every layer agrees on (the client API advertises them; the services enforce them).

/// Longest post text accepted, in characters.
pub const MAX_POST_CHARACTERS: usize = 5000;

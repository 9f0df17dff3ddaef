//! Expectations for the activity fixtures (`*/activities/*`): see `tests/fixtures_inbound.rs`.

use crate::fixtures::{Check::*, Entry, Expect::*, Local, Prep::*};

/// One row per activity fixture.
pub const ACTIVITIES: &[Entry] = &[];

//! Expectations for the object and collection fixtures: see `tests/fixtures_inbound.rs`.

use crate::fixtures::{Check::*, Entry, Expect::*, Local, Prep::*};

/// One row per object or collection fixture.
pub const OBJECTS: &[Entry] = &[];

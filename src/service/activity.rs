//! The node's weekly activity for apps (`/api/v1/instance/activity`): twelve weeks read from the
//! counters `db::weekly` keeps where the events happen. A status is a local status stored (any
//! visibility, replies and proposals included; boosts are not statuses); a login is a member's
//! first sign-in of the week: a token issued to the member, or a token of theirs used for the first
//! time that week, each member counted once a week; a registration is a member created.

use crate::{
    db::{self, weekly::WEEK, weekly::WEEKS},
    domain::{policy::FederationMode, time::now_ms},
    error::{AppError, AppResult},
    state::AppState,
};

/// One week's counts; `week` is the Unix time (seconds) of its Monday 00:00 UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    pub week: i64,
    pub statuses: i64,
    pub logins: i64,
    pub registrations: i64,
}

/// The current week and the eleven before it, newest first (weeks without events count zero).
/// On an allowlist node, as for its peers, the numbers are for its members only (Mastodon asks
/// for a user's token in its limited federation mode); Cohort has no setting that hides them.
pub async fn weeks(state: &AppState, signed_in: bool) -> AppResult<Vec<Week>> {
    if state.config.federation.mode == FederationMode::Allowlist && !signed_in {
        return Err(AppError::Unauthorized(
            "This method requires an authenticated user".into(),
        ));
    }
    let current = db::weekly::week_of(now_ms());
    let oldest = current - (WEEKS - 1) * WEEK;
    let stored = state
        .db
        .run(move |c| db::weekly::weeks(c, oldest, current))
        .await?;
    Ok((0..WEEKS)
        .map(|i| {
            let week = current - i * WEEK;
            let found = stored.iter().find(|(w, ..)| *w == week);
            let (statuses, logins, registrations) =
                found.map_or((0, 0, 0), |&(_, s, l, r)| (s, l, r));
            Week {
                week: week / 1000,
                statuses,
                logins,
                registrations,
            }
        })
        .collect())
}

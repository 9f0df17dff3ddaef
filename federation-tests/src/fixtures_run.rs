//! Running fixtures through the inbound path (shared by `tests/fixtures_inbound.rs`, the real
//! servers' fixtures, and `tests/lemmy_inbound.rs`, Lemmy's JSON recorded as our own test data):
//! preparing what a fixture needs, and judging its outcome against its expectation.

use crate::{
    fixtures::{Entry, Expect, Prep},
    fixtures_world::{Outcome, World},
};
use serde_json::Value;
use std::{collections::BTreeMap, future::Future, pin::Pin};

pub type Prepared = Result<(Value, BTreeMap<String, String>), String>;

/// The fixture's activity, after the node holds everything it needs (its `Prep::Fixture`s
/// dispatched first, recursively).
pub fn prepare<'a>(
    w: &'a World,
    table: &'a [Entry],
    path: &'a str,
    prep: &'a [Prep],
) -> Pin<Box<dyn Future<Output = Prepared> + Send + 'a>> {
    Box::pin(async move {
        let (activity, rw) = w
            .activity(path, prep)
            .ok_or_else(|| format!("{path} is not an activity"))?;
        // Groups first, so an actor that is a group is not stored as a person.
        let groups = |s: &&Prep| matches!(s, Prep::Group(_) | Prep::FollowedGroup(_));
        for step in prep.iter().filter(groups) {
            w.prepare(step, &rw).await?;
        }
        w.store_named_actors(&activity).await?;
        for step in prep.iter().filter(|s| !groups(s)) {
            if let Prep::Fixture(dep) = step {
                let e = table
                    .iter()
                    .find(|e| e.path == *dep)
                    .ok_or(format!("{dep} not in the table"))?;
                let (a, _) = prepare(w, table, dep, e.prep).await?;
                match w.dispatch(a).await {
                    Outcome::Ok => {}
                    other => return Err(format!("preparing fixture {dep}: {other:?}")),
                }
            } else {
                w.prepare(step, &rw).await?;
            }
        }
        Ok((activity, rw))
    })
}

pub fn verdict(expect: &Expect, outcome: &Outcome, changes: &[&str]) -> Result<(), String> {
    match (expect, outcome) {
        (Expect::Stored(_), Outcome::Ok) => Ok(()),
        (Expect::Refused(text), Outcome::Err(status, msg))
            if (400..500).contains(status) && msg.contains(text) =>
        {
            match changes {
                [] => Ok(()),
                c => Err(format!("refused ({status} {msg}) but changed {c:?}")),
            }
        }
        (Expect::Rejected(text), Outcome::Err(status, msg))
            if (400..500).contains(status) && msg.contains(text) =>
        {
            match changes {
                ["deliveries"] => Ok(()),
                c => Err(format!(
                    "refused ({status} {msg}) and changed {c:?}, not the queue alone"
                )),
            }
        }
        (Expect::Ignored(_), Outcome::Ok) => match changes {
            [] => Ok(()),
            c => Err(format!("ignored but changed {c:?}")),
        },
        _ => Err(format!("outcome {outcome:?}, changed {changes:?}")),
    }
}

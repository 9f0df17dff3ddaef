//! Inbound parsing against ActivityPub JSON as 14 real servers emit it (the shared fixture set).
//! Skips with a message on a clone without `../shared`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use cohort::federation::protocol::{
    activities::RawActivity,
    actor::{ApubActor, ACTOR_KINDS},
    note::{ApubNote, POST_KINDS},
    type_of,
};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/activitypub");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: {} not found (the shared fixtures exist only in CI and on the team's machines)", dir.display());
        None
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

#[test]
fn real_server_json_parses() {
    let Some(dir) = fixtures_dir() else { return };
    let mut files = Vec::new();
    walk(&dir, &mut files);
    assert!(
        files.len() > 50,
        "fixture set looks incomplete: {}",
        files.len()
    );
    let (mut actors, mut posts, mut activities) = (0, 0, 0);
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        let v: Value = serde_json::from_str(&text).expect("fixtures are JSON");
        let kind = type_of(&v).unwrap_or("").to_string();
        let result = if ACTOR_KINDS.contains(&kind.as_str()) {
            actors += 1;
            serde_json::from_value::<ApubActor>(v.clone()).map(|_| ())
        } else if POST_KINDS.contains(&kind.as_str()) {
            posts += 1;
            serde_json::from_value::<ApubNote>(v.clone()).map(|_| ())
        } else if v.get("actor").is_some() {
            activities += 1;
            serde_json::from_value::<RawActivity>(v.clone()).map(|_| ())
        } else {
            Ok(())
        };
        if let Err(e) = result {
            failures.push(format!(
                "{}: {e}",
                f.strip_prefix(&dir).unwrap_or(f).display()
            ));
        }
    }
    eprintln!(
        "parsed {actors} actors, {posts} posts, {activities} activities from {} files",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "unparsed fixtures:\n{}",
        failures.join("\n")
    );
}

//! The real-server fixtures (`../shared/fixtures/activitypub`, 14 servers) through Cohort's
//! INBOUND path: each activity goes to `cohort::federation::activities::dispatch`, the function
//! the inbox calls once an activity is verified, on one real SQLite node (`sqlite_node`) that has
//! every host named in the fixtures as a full peer. The tables in `federation_tests::fixtures_table`
//! (activities) and `fixtures_table_objects` (objects, collections) say, per file, whether it is
//! stored (and what must then be stored), refused (a 4xx-class error with this text, and nothing
//! changed), ignored (accepted, nothing changed) or not something an inbox receives. An unexpected
//! outcome (a 5xx, a panic, a hang past 20 s) fails the test with the fixture's name; so does a
//! file missing from the table, and a table row naming a file that is gone. Fixtures run in table
//! order on the one node, so a later fixture sees what earlier ones stored (an `Undo` meets its
//! `Follow`, a `Delete` its post). "Nothing changed" is read from a fingerprint of every table an
//! activity may write, over a second SQLite connection (`fixtures_state`).
//!
//! What is bypassed, deliberately: the HTTP signature (and Digest, Date) check, which needs the
//! senders' private keys and is tested with real nodes elsewhere (`bad_input.rs`, `policy.rs`), and
//! the inbox's replay dedupe. Everything after it runs as in production.
//!
//! How the node is made to hold what it would have fetched (this machine has no network; a fetch
//! of an unknown id fails at once on DNS, so every fixture takes milliseconds):
//! - the remote actors an activity names (`actor`, an inner activity's `actor`, embedded objects'
//!   `attributedTo`) are stored first: from the fixture set's own actor document when there is one,
//!   through `DbActor::verify` + `DbActor::from_json` (what a fetch runs), else as a synthesized
//!   remote row with a generated RSA key (`fixtures_world`);
//! - a Lemmy/mbin/lotide/… community is stored as a REMOTE group that a local member follows
//!   (`Prep::FollowedGroup`), which is how a Cohort member meets such a community: it exercises
//!   the remote-group branch of `Create`, `find_group`, `visibility_of` with a group and relayed
//!   moderation, and needs no rewriting of the fixture. Only where a fixture is addressed TO this
//!   node (a `Follow` of one of its groups or members, an `Accept` of its member's follow, a private
//!   message) is the target id rewritten to a local actor (`Prep::Rewrite`);
//! - posts an activity refers to come from the Create fixture that carries them (`Prep::Fixture`)
//!   or, when the set has none, from a stored placeholder (`Prep::HasPost`); see `fixtures_prep`.
//!
//! Objects (`objects/`) arrive as the object of a synthesized `Create` from their first
//! `attributedTo` (actors as an `Update` of themselves, a `Tombstone` as a `Delete` from its
//! origin), the way other servers deliver them, so they pass the verb handler's checks before
//! `DbPost::verify`/`from_json`; collections are never delivered to inboxes and are not fed.
//!
//! Outside CI a missing fixture folder skips loudly; with `CI=true` it fails.
//! Run: `cargo test -p federation-tests --test fixtures_inbound -- --nocapture` (a per-server
//! table of outcomes); `FIXTURES_VERBOSE=1` also prints each fixture's outcome and what it changed.

use federation_tests::{
    fixtures::{fixture_files, fixtures_dir, Entry, Expect},
    fixtures_run::{prepare, verdict},
    fixtures_state::{changed, check, Fingerprint},
    fixtures_table::ACTIVITIES,
    fixtures_table_objects::OBJECTS,
    fixtures_world::World,
};
use std::collections::BTreeMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_server_fixtures_through_the_inbound_path() {
    let Some(dir) = fixtures_dir() else { return };
    let files = fixture_files(&dir);
    assert!(
        files.len() > 50,
        "fixture set looks incomplete: {}",
        files.len()
    );
    let table: Vec<Entry> = ACTIVITIES.iter().chain(OBJECTS).copied().collect();
    let started = std::time::Instant::now();
    let world = World::start(&dir, &files).await;
    let mut fp = Fingerprint::open(&world);
    let mut failures: Vec<String> = table
        .iter()
        .filter(|e| !files.iter().any(|f| f == e.path))
        .map(|e| format!("{}: in the table but not in the fixture set", e.path))
        .collect();
    // server → [stored, refused, ignored, not inbound]
    let mut tally: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    // Table order (a later fixture sees what earlier ones stored), then unclassified files.
    let order: Vec<(&str, Option<&Entry>)> = table
        .iter()
        .filter(|e| files.iter().any(|f| f == e.path))
        .map(|e| (e.path, Some(e)))
        .chain(
            files
                .iter()
                .filter(|f| !table.iter().any(|e| e.path == f.as_str()))
                .map(|f| (f.as_str(), None)),
        )
        .collect();
    for (f, entry) in order {
        let server = f.split('/').next().unwrap_or("").to_string();
        let prep = entry.map(|e| e.prep).unwrap_or(&[]);
        if let Some(Expect::NotInbound(_)) = entry.map(|e| &e.expect) {
            tally.entry(server).or_default()[3] += 1;
            continue;
        }
        let prepared = prepare(&world, &table, f, prep).await;
        let (activity, rw) = match prepared {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{f}: preparation failed: {e}"));
                continue;
            }
        };
        let before = fp.take();
        let t0 = std::time::Instant::now();
        let outcome = world.dispatch(activity).await;
        let took = t0.elapsed();
        let changes = changed(&before, &fp.take());
        let Some(entry) = entry else {
            failures.push(format!(
                "{f}: not in the expectation table (classify it): {outcome:?}, changed {changes:?}"
            ));
            continue;
        };
        let mut result = verdict(&entry.expect, &outcome, &changes);
        if let (Ok(()), Expect::Stored(c)) = (&result, &entry.expect) {
            result = check(&world, c, &rw).await;
        }
        if std::env::var("FIXTURES_VERBOSE").is_ok() {
            eprintln!("{f} [{took:?}]: {outcome:?} changed {changes:?} -> {result:?}");
        }
        match result {
            Ok(()) => {
                let i = match entry.expect {
                    Expect::Stored(_) => 0,
                    Expect::Refused(_) | Expect::Rejected(_) => 1,
                    _ => 2,
                };
                tally.entry(server).or_default()[i] += 1;
            }
            Err(e) => failures.push(format!("{f}: expected {:?}: {e}", entry.expect)),
        }
    }
    eprintln!("server       stored refused ignored not-inbound");
    for (s, [a, b, c, d]) in &tally {
        eprintln!("{s:<12} {a:>6} {b:>7} {c:>7} {d:>11}");
    }
    eprintln!("{} fixtures in {:?}", files.len(), started.elapsed());
    assert!(
        failures.is_empty(),
        "{} fixtures failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

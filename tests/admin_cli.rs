//! The operator's view of refused deliveries, through the `cohort` binary itself: `admin
//! deliveries` lists the latest refusals with the peer's status and answer, `admin peer list`
//! shows each peer's refusals and its latest one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cohort::{
    config::Config,
    db::{self, deliveries::DeliveryRow, Db},
    domain::{ids::new_id, time::now_ms},
};
use std::process::Command;

fn row(peer: &str, activity: &str) -> DeliveryRow {
    let now = now_ms();
    DeliveryRow {
        id: new_id(),
        peer: peer.into(),
        inbox: format!("https://{peer}/inbox"),
        actor_ap_id: "https://here.example/users/a".into(),
        activity_ap_id: activity.into(),
        payload: "{}".into(),
        status: db::deliveries::PENDING.into(),
        attempts: 1,
        next_attempt_at: now,
        locked_until: None,
        last_error: None,
        created_at: now,
        updated_at: now,
        last_status: None,
    }
}

fn cohort(dir: &std::path::Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "cohort {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cohort"))
        .args(args)
        .current_dir(dir)
        .env(
            "COHORT_DATABASE_URL",
            format!("sqlite://{}/node.sqlite3", dir.display()),
        )
        .env("COHORT_INSTANCE_DOMAIN", "here.example")
        .env("COHORT_CONFIG", dir.join("none.toml"))
        .output()
        .expect("run cohort")
}

#[tokio::test]
async fn refusals_show_in_admin_deliveries_and_peer_list() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("none.toml"), "").expect("config");
    // The node's own migrations and first start, as an operator would run them.
    cohort(dir.path(), &["migrate"]);
    let mut config = Config::default();
    config.database.url = format!("sqlite://{}/node.sqlite3", dir.path().display());
    let db = Db::open(&config.database_backend().expect("backend"), 1).expect("open");
    let (refused, failed) = (
        row("lemmy.example", "https://here.example/activities/1"),
        row("gone.example", "https://here.example/activities/2"),
    );
    let (r, f) = (refused.clone(), failed.clone());
    let answer = "data did not match any variant of untagged enum AnnouncableActivities";
    db.run(move |c| {
        db::deliveries::enqueue(c, &[r.clone(), f.clone(), row("ok.example", "x")])?;
        db::peers::record_success(c, "lemmy.example", now_ms())?;
        db::deliveries::refuse(c, &r.id, 400, answer, now_ms())?;
        let error = Some("connection refused");
        db::deliveries::finish(c, &f.id, db::deliveries::FAILED, error, now_ms())
    })
    .await
    .expect("write");

    let out = cohort(dir.path(), &["admin", "deliveries"]);
    assert!(out.contains("refused\t1"), "{out}");
    assert!(out.contains("pending\t1"), "{out}");
    let problems: Vec<&str> = out.lines().filter(|l| l.contains("example\t")).collect();
    assert_eq!(problems.len(), 2, "{out}");
    assert!(
        out.contains(&format!(
            "lemmy.example\tHTTP 400\t{}\t{answer}",
            refused.activity_ap_id
        )),
        "{out}"
    );
    assert!(out.contains("gone.example\tfailed"), "{out}");
    assert!(out.contains("connection refused"), "{out}");

    // One peer only, and a bound on how many are listed.
    let out = cohort(
        dir.path(),
        &["admin", "deliveries", "--peer", "gone.example"],
    );
    assert!(!out.contains("lemmy.example"), "{out}");
    let out = cohort(dir.path(), &["admin", "deliveries", "--recent", "1"]);
    assert_eq!(out.lines().filter(|l| l.contains("example\t")).count(), 1);

    let out = cohort(dir.path(), &["admin", "peer", "list"]);
    let lemmy = out
        .lines()
        .find(|l| l.starts_with("lemmy.example\t"))
        .unwrap_or_else(|| panic!("lemmy.example listed: {out}"));
    let cols: Vec<&str> = lemmy.split('\t').collect();
    assert_eq!(cols[5], "1", "one refusal: {lemmy}");
    assert!(cols[6].contains("HTTP 400: data did not match"), "{lemmy}");
}

#[test]
fn operators_edit_a_group() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("none.toml"), "").expect("config");
    cohort(dir.path(), &["migrate"]);
    cohort(
        dir.path(),
        &["admin", "group", "create", "wg", "--approval"],
    );
    let out = cohort(
        dir.path(),
        &[
            "admin",
            "group",
            "edit",
            "wg",
            "--display-name",
            "Cell biology",
            "--summary",
            "We study cells.",
            "--approval",
            "no",
            "--discoverable",
            "off",
        ],
    );
    assert_eq!(
        out.trim(),
        "https://here.example/groups/wg: display name \"Cell biology\", approval not required, \
         discoverable false"
    );

    // Refused with a reason, and nothing changes.
    for (args, why) in [
        (
            vec!["--approval", "sometimes"],
            "invalid value 'sometimes' for '--approval",
        ),
        (vec!["--display-name", " "], "display name cannot be empty"),
        (vec!["--summary", &"c".repeat(5001)], "summary is too long"),
    ] {
        let mut argv = vec!["admin", "group", "edit", "wg"];
        argv.extend(args);
        let out = run(dir.path(), &argv);
        assert!(!out.status.success(), "{argv:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{argv:?}: {err}");
    }
    let out = run(
        dir.path(),
        &["admin", "group", "edit", "nowhere", "--approval", "yes"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no group named nowhere"));
    let out = cohort(dir.path(), &["admin", "group", "edit", "wg"]);
    assert!(
        out.contains("\"Cell biology\", approval not required, discoverable false"),
        "{out}"
    );
}

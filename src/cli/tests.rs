//! Argument parsing: what operators type is read, or refused with a message that says why.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{args::Admin, groups::GroupCmd, Cli, Command};
use clap::Parser;

fn add_moderator(extra: &[&str]) -> Result<Option<u32>, String> {
    let mut argv = vec![
        "cohort",
        "admin",
        "group",
        "add-moderator",
        "wg",
        "@ann@here",
    ];
    argv.extend_from_slice(extra);
    match Cli::try_parse_from(argv) {
        Ok(Cli {
            command: Command::Admin(Admin::Group(GroupCmd::AddModerator { term_days, .. })),
            ..
        }) => Ok(term_days),
        Ok(_) => panic!("parsed as another command"),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn term_days_are_read_or_refused_clearly() {
    assert_eq!(add_moderator(&[]), Ok(None));
    assert_eq!(add_moderator(&["--term-days", "90"]), Ok(Some(90)));
    assert_eq!(add_moderator(&["--term-days=1"]), Ok(Some(1)));
    for (bad, why) in [
        ("0", "a term must be at least 1 day, not 0"),
        ("-5", "a term must be at least 1 day, not -5"),
        ("36501", "a term may be at most 36500 days"),
        ("soon", "\"soon\" is not a whole number of days"),
        ("2.5", "\"2.5\" is not a whole number of days"),
    ] {
        let err = add_moderator(&["--term-days", bad]).unwrap_err();
        assert!(err.contains("--term-days"), "{bad}: {err}");
        assert!(err.contains(why), "{bad}: {err}");
    }
}

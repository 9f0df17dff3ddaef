//! Reports (Mastodon's `Report`, ActivityPub's `Flag`): the categories a report may have and the
//! rules a new one must follow before anything is stored.

use crate::text_enum;

text_enum! {
    /// Why an account is reported (Mastodon's names).
    ReportCategory {
        Spam => "spam",
        Legal => "legal",
        Violation => "violation",
        Other => "other",
    }
}

/// Longest comment a member may give (as Mastodon's default).
pub const COMMENT_MAX_CHARS: usize = 1000;

/// Most statuses one report may name.
pub const MAX_STATUSES: usize = 100;

/// Longest comment kept from a peer's `Flag` (longer ones are cut, not refused: the peer may
/// allow more than this node).
pub const INBOUND_COMMENT_MAX_CHARS: usize = 5000;

/// Why a new report is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportError {
    CommentTooLong,
    UnknownCategory(String),
    UnknownRule(String),
    TooManyStatuses,
}

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReportError::CommentTooLong => write!(
                f,
                "Validation failed: Comment is too long (maximum is {COMMENT_MAX_CHARS} characters)"
            ),
            ReportError::UnknownCategory(c) => write!(
                f,
                "Validation failed: Category {c:?} is not one of spam, legal, violation or other"
            ),
            ReportError::UnknownRule(r) => {
                write!(
                    f,
                    "Validation failed: Rule {r:?} is not a rule of this server"
                )
            }
            ReportError::TooManyStatuses => write!(
                f,
                "Validation failed: a report may name at most {MAX_STATUSES} statuses"
            ),
        }
    }
}

/// The category a report gets, as Mastodon decides it: `violation` whenever rules are cited
/// (whatever was asked), else the category asked for, else `other`. Every cited rule must be one
/// of the node's `rule_count` rules (ids "1" to "N").
pub fn category_of(
    asked: Option<&str>,
    rule_ids: &[String],
    rule_count: usize,
) -> Result<ReportCategory, ReportError> {
    for r in rule_ids {
        let known = r.parse::<usize>().is_ok_and(|n| n >= 1 && n <= rule_count);
        if !known {
            return Err(ReportError::UnknownRule(r.clone()));
        }
    }
    let asked = match asked.filter(|a| !a.is_empty()) {
        Some(a) => a
            .parse::<ReportCategory>()
            .map_err(|_| ReportError::UnknownCategory(a.to_string()))?,
        None => ReportCategory::Other,
    };
    Ok(if rule_ids.is_empty() {
        asked
    } else {
        ReportCategory::Violation
    })
}

/// Checks a comment's length (in characters, as Mastodon counts).
pub fn check_comment(comment: &str) -> Result<(), ReportError> {
    if comment.chars().count() > COMMENT_MAX_CHARS {
        return Err(ReportError::CommentTooLong);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_make_a_violation_and_unknown_values_are_refused() {
        let none: Vec<String> = vec![];
        assert_eq!(category_of(None, &none, 0), Ok(ReportCategory::Other));
        assert_eq!(category_of(Some(""), &none, 0), Ok(ReportCategory::Other));
        assert_eq!(
            category_of(Some("spam"), &none, 0),
            Ok(ReportCategory::Spam)
        );
        assert_eq!(
            category_of(Some("spam"), &["2".into()], 2),
            Ok(ReportCategory::Violation)
        );
        assert_eq!(
            category_of(None, &["3".into()], 2),
            Err(ReportError::UnknownRule("3".into()))
        );
        assert_eq!(
            category_of(None, &["0".into()], 2),
            Err(ReportError::UnknownRule("0".into()))
        );
        assert_eq!(
            category_of(Some("rude"), &none, 2),
            Err(ReportError::UnknownCategory("rude".into()))
        );
    }

    #[test]
    fn comments_are_counted_in_characters() {
        assert!(check_comment(&"é".repeat(COMMENT_MAX_CHARS)).is_ok());
        assert_eq!(
            check_comment(&"a".repeat(COMMENT_MAX_CHARS + 1)),
            Err(ReportError::CommentTooLong)
        );
    }
}

//! Governance documents: which decision scopes a community vote binds (open), advises (shared) or
//! does not touch (reserved to the organization). Each node and each group has one, versioned.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::text_enum! {
    /// How far a community vote reaches in a scope.
    ScopeLevel {
        /// The vote is binding.
        Open => "open",
        /// The vote advises; the organization decides with a published rationale.
        Shared => "shared",
        /// The organization decides; there is no vote.
        Reserved => "reserved",
    }
}

/// A version of a governance document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Scope name → level.
    pub scopes: BTreeMap<String, ScopeLevel>,
    /// Free text: how decisions are made here.
    pub text: String,
    pub code_of_conduct: String,
}

/// A scope that the governing documents do not open to a vote.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error("decision scope {scope:?} is not in {document} (it lists: {listed})")]
    Unknown {
        scope: String,
        document: String,
        listed: String,
    },
    #[error("decision scope {scope:?} is reserved to the organization by {document}: it is not decided by vote")]
    Reserved { scope: String, document: String },
}

/// The level of `scope` for a proposal in a group: a scope the node reserves is reserved; else
/// the group's document must list it, and the node's document, where it lists the scope too, may
/// make it stricter.
/// `group_doc`/`node_doc` are (name shown in errors, document).
pub fn level_of(
    scope: &str,
    group_doc: (&str, &Document),
    node_doc: (&str, &Document),
) -> Result<ScopeLevel, ScopeError> {
    if node_doc.1.scopes.get(scope) == Some(&ScopeLevel::Reserved) {
        return Err(ScopeError::Reserved {
            scope: scope.to_string(),
            document: node_doc.0.to_string(),
        });
    }
    let Some(level) = group_doc.1.scopes.get(scope).copied() else {
        return Err(ScopeError::Unknown {
            scope: scope.to_string(),
            document: group_doc.0.to_string(),
            listed: group_doc
                .1
                .scopes
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    let level = match node_doc.1.scopes.get(scope) {
        Some(n) if *n > level => *n,
        _ => level,
    };
    if level == ScopeLevel::Reserved {
        return Err(ScopeError::Reserved {
            scope: scope.to_string(),
            document: group_doc.0.to_string(),
        });
    }
    Ok(level)
}

fn scopes(list: &[(&str, ScopeLevel)]) -> BTreeMap<String, ScopeLevel> {
    list.iter().map(|(s, l)| (s.to_string(), *l)).collect()
}

/// The document a new node starts with.
pub fn node_default() -> Document {
    use ScopeLevel::*;
    Document {
        scopes: scopes(&[
            ("research", Open),
            ("protocols", Open),
            ("documents", Open),
            ("governance", Open),
            ("leads", Open),
            ("budget", Shared),
            ("data-access", Reserved),
            ("institutional-membership", Reserved),
        ]),
        text: "Working groups decide their research questions, protocol reviews, shared documents, \
               governance rules and leads by binding vote. Spending is advised by vote and decided by \
               the institution with a published rationale. Access to data and the institution's own \
               membership of the consortium are decided by the institution."
            .into(),
        code_of_conduct: "Be respectful and constructive. Credit the work of others. Protect the \
                          privacy of patients and participants. Report conduct that breaks this code \
                          to the group's leads or the node's moderators."
            .into(),
    }
}

/// The document a new group starts with: the node's scopes that are open to votes.
pub fn group_default() -> Document {
    let node = node_default();
    Document {
        scopes: node
            .scopes
            .into_iter()
            .filter(|(_, l)| *l != ScopeLevel::Reserved)
            .collect(),
        text:
            "Members decide by vote under each proposal's rule. This document changes only by an \
               accepted proposal of kind governanceRule."
                .into(),
        code_of_conduct: node.code_of_conduct,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_levels_and_refusals_name_the_document() {
        let (node, mut group) = (node_default(), group_default());
        let n = (
            "the governance document of node a.example (version 1)",
            &node,
        );
        assert_eq!(
            level_of("research", ("group g v1", &group), n),
            Ok(ScopeLevel::Open)
        );
        assert_eq!(
            level_of("budget", ("group g v1", &group), n),
            Ok(ScopeLevel::Shared)
        );
        let unknown = level_of("weather", ("group g v1", &group), n).unwrap_err();
        assert!(
            unknown
                .to_string()
                .contains("\"weather\" is not in group g v1"),
            "{unknown}"
        );
        // The group opens a scope the node reserves: the node's document wins and is named.
        group.scopes.insert("data-access".into(), ScopeLevel::Open);
        let reserved = level_of("data-access", ("group g v2", &group), n).unwrap_err();
        assert!(
            reserved
                .to_string()
                .contains("reserved to the organization by the governance document of node"),
            "{reserved}"
        );
        // The group may be stricter than the node.
        group.scopes.insert("research".into(), ScopeLevel::Shared);
        assert_eq!(
            level_of("research", ("group g v3", &group), n),
            Ok(ScopeLevel::Shared)
        );
        group
            .scopes
            .insert("protocols".into(), ScopeLevel::Reserved);
        let own = level_of("protocols", ("group g v4", &group), n).unwrap_err();
        assert!(own.to_string().contains("by group g v4"), "{own}");
    }
}

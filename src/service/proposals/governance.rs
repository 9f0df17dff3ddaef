//! Governance documents: the node's and each local group's, versioned. A new group (and the node
//! on first use) starts from the domain's defaults; a group's document changes only through an
//! accepted proposal of kind governanceRule.

use crate::{
    db::{self, actors::ActorRow, proposals::governance::DocumentRow, DbConnection},
    domain::{
        governance::{self, Document, ScopeError, ScopeLevel},
        ids::new_id,
        time::now_ms,
    },
    error::{AppError, AppResult},
};

/// The node's organization actor (the owner of the node's document).
pub fn node_actor(c: &mut DbConnection) -> AppResult<ActorRow> {
    db::actors::list_local(c, "Organization")?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal("the node has no organization actor"))
}

/// Parses a stored version.
pub fn document_of(row: &DocumentRow) -> AppResult<Document> {
    Ok(Document {
        scopes: serde_json::from_str(&row.scopes).map_err(AppError::internal)?,
        text: row.body.clone(),
        code_of_conduct: row.code_of_conduct.clone(),
    })
}

/// The current version of `owner`'s document, created from `default` when it has none.
pub fn current(
    c: &mut DbConnection,
    owner: &ActorRow,
    default: fn() -> Document,
) -> AppResult<DocumentRow> {
    if let Some(row) = db::proposals::governance::current(c, &owner.id)? {
        return Ok(row);
    }
    add_version(c, &owner.id, 1, &default(), None)?;
    db::proposals::governance::current(c, &owner.id)?
        .ok_or_else(|| AppError::internal("governance document vanished"))
}

/// Stores version `version` of a document (a concurrent writer of the same version wins).
pub fn add_version(
    c: &mut DbConnection,
    owner_id: &str,
    version: i32,
    doc: &Document,
    proposal_id: Option<&str>,
) -> AppResult<()> {
    db::proposals::governance::add(
        c,
        &DocumentRow {
            id: new_id(),
            owner_id: owner_id.to_string(),
            version,
            scopes: serde_json::to_string(&doc.scopes).map_err(AppError::internal)?,
            body: doc.text.clone(),
            code_of_conduct: doc.code_of_conduct.clone(),
            proposal_id: proposal_id.map(str::to_string),
            created_at: now_ms(),
        },
    )?;
    Ok(())
}

/// What a document is called in errors and pages.
pub fn title(owner: &ActorRow, version: i32) -> String {
    let what = if owner.kind == "Group" {
        "group"
    } else {
        "node"
    };
    format!(
        "the governance document of {what} {}@{} (version {version})",
        owner.username, owner.domain
    )
}

/// The level of `scope` in a local group under its own and the node's documents, or the refusal
/// naming the document and the scope.
pub fn level_in(c: &mut DbConnection, group: &ActorRow, scope: &str) -> AppResult<ScopeLevel> {
    let node = node_actor(c)?;
    let (g, n) = (
        current(c, group, governance::group_default)?,
        current(c, &node, governance::node_default)?,
    );
    let (gd, nd) = (document_of(&g)?, document_of(&n)?);
    let (gt, nt) = (title(group, g.version), title(&node, n.version));
    governance::level_of(scope, (&gt, &gd), (&nt, &nd)).map_err(|e| match e {
        ScopeError::Unknown { .. } | ScopeError::Reserved { .. } => super::refused(e),
    })
}

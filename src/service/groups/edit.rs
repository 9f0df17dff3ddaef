//! Changing a local group's profile after it was created: the name it shows, its charter, whether
//! joining waits for a moderator, and whether directories list it. The group's moderators (leads)
//! and the node's admins may change it; its followers hear `Update(Group)`, sent where the group's
//! profile may go. Turning approval off lets in everyone who was waiting, as Mastodon does when an
//! account is unlocked.

use crate::domain::ids::ActorId;
use crate::{
    config::Config,
    db::{self, actors::ActorRow, DbConnection},
    domain::{sanitize, time::now_ms},
    error::{AppError, AppResult},
    service::{
        markup,
        members::Profile,
        outbound::{commit, Outbound},
        visibility::{peer_level, Sight, Viewer},
    },
    state::Ctx,
    urls::Urls,
};

/// The longest name a group shows, in characters.
pub const MAX_DISPLAY_NAME: usize = 100;
/// The longest charter (the group's summary), in characters.
pub const MAX_SUMMARY: usize = 5000;

/// Who asks for the change.
pub enum Editor {
    /// The node's operator (the command line).
    Operator,
    /// A member of this node, by actor id: a moderator of the group or an admin.
    Member(String),
    /// A moderator on another node (by actor id), whose node is `domain`: it asked with
    /// `Update{Group}`.
    Peer { actor_id: String, domain: String },
}

/// What changes; `None` keeps what the group has.
#[derive(Default, Clone)]
pub struct GroupChanges {
    pub display_name: Option<String>,
    /// The charter, as plain text.
    pub summary: Option<String>,
    /// Follows wait for a moderator's decision.
    pub approval_required: Option<bool>,
    /// Listed in directories and follow suggestions.
    pub discoverable: Option<bool>,
}

/// Checks a group's display name and charter as given (plain text): the name sanitized, 1 to
/// [`MAX_DISPLAY_NAME`] characters; the charter at most [`MAX_SUMMARY`]. Answers the name and the
/// charter as stored: HTML paragraphs with hashtags linked, as a member's biography is.
pub fn checked_texts(
    display_name: Option<&str>,
    summary: Option<&str>,
    urls: &Urls,
) -> AppResult<(Option<String>, Option<String>)> {
    let name = display_name.map(|d| sanitize::plain(d).trim().to_string());
    match name.as_ref().map(|n| n.chars().count()) {
        Some(0) => return Err(refused("a group's display name cannot be empty")),
        Some(n) if n > MAX_DISPLAY_NAME => {
            return Err(refused(&format!(
                "display name is too long (maximum is {MAX_DISPLAY_NAME} characters)"
            )))
        }
        _ => {}
    }
    if summary.is_some_and(|s| s.chars().count() > MAX_SUMMARY) {
        return Err(refused(&format!(
            "summary is too long (maximum is {MAX_SUMMARY} characters)"
        )));
    }
    Ok((name, summary.map(|s| markup::text_to_html(s, urls))))
}

fn refused(why: &str) -> AppError {
    AppError::Unprocessable(format!("Validation failed: {why}"))
}

/// Changes local group `name` as `editor` asks. A member who may not see the group gets 404, one
/// who sees it but does not lead it 403; bad values 422. Nothing changes unless all is valid.
pub async fn edit_group(
    ctx: &Ctx,
    name: &str,
    editor: Editor,
    changes: GroupChanges,
) -> AppResult<ActorRow> {
    let urls = Urls::new(&ctx.config);
    let (display_name, summary) = checked_texts(
        changes.display_name.as_deref(),
        changes.summary.as_deref(),
        &urls,
    )?;
    let name = name.to_string();
    let config = ctx.config.clone();
    commit(ctx.app_data(), move |c, out| {
        let group = editable(c, &config, &name, &editor)?;
        let before = Profile::of(&group);
        let after = Profile {
            display_name: display_name.unwrap_or_else(|| before.display_name.clone()),
            summary: summary.unwrap_or_else(|| before.summary.clone()),
            manually_approves: changes
                .approval_required
                .unwrap_or(before.manually_approves),
            discoverable: changes.discoverable.unwrap_or(before.discoverable),
            ..before.clone()
        };
        if after == before {
            return Ok(group);
        }
        db::actors::update_profile(c, &group.id, &after, now_ms())?;
        if before.manually_approves && !after.manually_approves {
            crate::service::follow_requests::admit_all(c, &group.id, out)?;
        }
        out.emit(Outbound::Profile {
            actor_id: ActorId(group.id.clone()),
        });
        Ok(db::actors::by_id(c, &group.id)?.ok_or(db::DbError::NotFound)?)
    })
    .await
}

/// The local group `name` if `editor` may change it: the group is one the editor may see, and the
/// editor leads it.
fn editable(
    c: &mut DbConnection,
    config: &Config,
    name: &str,
    editor: &Editor,
) -> AppResult<ActorRow> {
    let (viewer, actor_id) = match editor {
        Editor::Operator => return super::visible_local(c, None, name),
        Editor::Member(id) => (Viewer::Local(id.clone()), id),
        Editor::Peer { actor_id, domain } => {
            let level = peer_level(c, config, domain)?;
            let domain = domain.clone();
            (Viewer::Peer { domain, level }, actor_id)
        }
    };
    let group = super::visible_local(c, Some(&mut Sight::new(viewer)), name)?;
    if !super::is_lead(c, &group, actor_id)? {
        return Err(AppError::Forbidden(format!(
            "only the moderators of {name} and the node's admins may change it"
        )));
    }
    Ok(group)
}

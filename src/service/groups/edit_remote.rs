//! A member of this node who leads a group on another node asks that node to change the group's
//! profile (`Update{Group}` from the member to the group). The group's node decides and, when it
//! agrees, tells its followers, this node among them: the copy here changes only then.

use super::{checked_texts, GroupChanges};
use crate::{
    db::{self, actors::ActorRow},
    domain::{ids::ActorId, names::parse_handle},
    error::{AppError, AppResult},
    service::outbound::{commit, Outbound},
    state::Ctx,
    urls::Urls,
};

/// What a moderator asks a remote group to change; `None` keeps what the group has.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RemoteGroupEdit {
    pub display_name: Option<String>,
    /// The charter as the member wrote it (plain text) and as HTML.
    pub summary: Option<(String, String)>,
    pub approval_required: Option<bool>,
    pub discoverable: Option<bool>,
}

/// Sends `changes` of the remote group `handle` (`name@host`) for `member_id`, one of its
/// moderators as this node knows them. Answers the group as stored here (unchanged until its node
/// answers). An unknown group gets 404, a member who does not lead it 403, bad values and a Lemmy
/// community 422; then nothing is sent.
pub async fn edit_remote_group(
    ctx: &Ctx,
    handle: &str,
    member_id: &str,
    changes: GroupChanges,
) -> AppResult<ActorRow> {
    let missing = format!("no group named {handle}");
    let unknown = move || AppError::NotFound(missing.clone());
    let (name, host) = parse_handle(handle).ok_or_else(unknown.clone())?;
    let urls = Urls::new(&ctx.config);
    let (display_name, html) = checked_texts(
        changes.display_name.as_deref(),
        changes.summary.as_deref(),
        &urls,
    )?;
    let edit = RemoteGroupEdit {
        display_name,
        summary: changes.summary.zip(html),
        approval_required: changes.approval_required,
        discoverable: changes.discoverable,
    };
    let member_id = member_id.to_string();
    commit(ctx.app_data(), move |c, out| {
        let group = db::actors::remote_by_handle(c, &name, &host)?
            .filter(|g| g.kind == "Group")
            .ok_or_else(unknown)?;
        if group.speaks_lemmy {
            // Lemmy takes a moderator's change only as the community's whole document, which
            // only its own server has.
            return Err(AppError::Unprocessable(format!(
                "{name}@{host} is a Lemmy community: change it on its own server"
            )));
        }
        if !db::actors::is_moderator(c, &group.id, &member_id)? {
            return Err(AppError::Forbidden(format!(
                "only the moderators of {name}@{host} may change it"
            )));
        }
        if edit != RemoteGroupEdit::default() {
            out.emit(Outbound::EditRemoteGroup {
                editor_id: ActorId(member_id),
                group_id: ActorId(group.id.clone()),
                edit,
            });
        }
        Ok(group)
    })
    .await
}

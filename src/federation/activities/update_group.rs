//! `Update{Group}` from one of a group's moderators rather than from the group itself: a lead on
//! another node asks the group's node to change the group's profile (Lemmy's moderators send the
//! same to a community). The object carries the properties that change; absent ones are kept.
//! The group's node checks that the sender leads the group and may see it, changes the profile
//! and sends its own `Update` to its followers (`profile.rs`).

use super::actor_of;
use crate::{
    config::Config,
    db::DbConnection,
    error::{AppError, AppResult},
    federation::{
        outbound::{
            self,
            deliver::{self, Gate},
        },
        protocol::activities::RawActivity,
    },
    service::groups::{self, Editor, GroupChanges, RemoteGroupEdit},
    state::Ctx,
    urls::Urls,
};
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// Sends a local member's `edit` to the remote group `group_id`, addressed to the group alone.
pub fn send(
    conn: &mut DbConnection,
    config: &Config,
    editor_id: &str,
    group_id: &str,
    edit: &RemoteGroupEdit,
) -> AppResult<()> {
    let urls = Urls::new(config);
    let (editor, group) = (
        outbound::actor(conn, editor_id)?,
        outbound::actor(conn, group_id)?,
    );
    let mut object = Map::new();
    object.insert("id".into(), json!(group.ap_id));
    object.insert("type".into(), json!("Group"));
    object.insert("preferredUsername".into(), json!(group.username));
    if let Some(name) = &edit.display_name {
        object.insert("name".into(), json!(name));
    }
    if let Some((text, html)) = &edit.summary {
        object.insert("summary".into(), json!(html));
        object.insert(
            "source".into(),
            json!({"content": text, "mediaType": "text/plain"}),
        );
    }
    if let Some(approval) = edit.approval_required {
        object.insert("manuallyApprovesFollowers".into(), json!(approval));
    }
    if let Some(listed) = edit.discoverable {
        object.insert("discoverable".into(), json!(listed));
    }
    let to = vec![group.ap_id.clone()];
    let activity = deliver::build(
        &urls,
        None,
        "Update",
        &editor,
        Value::Object(object),
        to,
        vec![],
        Map::new(),
    );
    // Only the group's node hears it; its profile is that node's own.
    deliver::publish(
        conn,
        config,
        &editor,
        &activity,
        &[group],
        Gate::Public,
        false,
    )?;
    Ok(())
}

/// The properties of a group a moderator may change, as received.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Changed {
    id: url::Url,
    name: Option<String>,
    summary: Option<String>,
    source: Option<Source>,
    manually_approves_followers: Option<bool>,
    discoverable: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Source {
    content: String,
    media_type: Option<String>,
}

impl Changed {
    /// The charter as text: the source when it is text (plain, or Lemmy's Markdown), else the
    /// summary's HTML read as text.
    fn charter(&self) -> Option<String> {
        let text = self.source.as_ref().filter(|s| {
            matches!(
                s.media_type.as_deref(),
                Some("text/plain" | "text/markdown") | None
            )
        });
        match text {
            Some(s) => Some(s.content.clone()),
            None => self
                .summary
                .as_deref()
                .map(crate::domain::sanitize::to_text),
        }
    }
}

/// A moderator's `Update` of a local group: applied when the sender leads the group and its node
/// may see it (else 403 or 404, and nothing changes). An `Update` of a group that is not local
/// and not the sender itself is refused.
pub async fn receive(activity: &RawActivity, object: &Value, ctx: &Ctx) -> AppResult<()> {
    let changed = Changed::deserialize(object)
        .map_err(|e| AppError::Unprocessable(format!("malformed Group: {e}")))?;
    let Some(group) = super::local_actor(ctx, changed.id.as_str())
        .await?
        .filter(|g| g.kind == "Group")
    else {
        return Err(AppError::Forbidden(
            "an actor can only update itself or a group of this node it leads".into(),
        ));
    };
    let editor = actor_of(activity, ctx).await?.row;
    let changes = GroupChanges {
        summary: changed.charter(),
        display_name: changed.name,
        approval_required: changed.manually_approves_followers,
        discoverable: changed.discoverable,
    };
    let by = Editor::Peer {
        actor_id: editor.id,
        domain: editor.domain,
    };
    groups::edit_group(ctx, &group.username, by, changes).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Changed;
    use serde::Deserialize;
    use serde_json::json;

    fn changed(v: serde_json::Value) -> Changed {
        Changed::deserialize(&v).expect("a group")
    }

    #[test]
    fn the_charter_is_read_from_text_sources_first() {
        // As Lemmy 0.19 writes a community: its title in `name`, the description as HTML and as
        // Markdown in `source`; no approval or listing flags.
        let lemmy = changed(json!({
            "type": "Group", "id": "https://cohort.example/groups/wg",
            "preferredUsername": "wg", "name": "Working group",
            "summary": "<p>Read <strong>this</strong></p>\n",
            "source": {"content": "Read **this**", "mediaType": "text/markdown"},
            "sensitive": false, "postingRestrictedToMods": false
        }));
        assert_eq!(lemmy.charter().as_deref(), Some("Read **this**"));
        assert_eq!(lemmy.name.as_deref(), Some("Working group"));
        assert_eq!(
            (lemmy.manually_approves_followers, lemmy.discoverable),
            (None, None),
            "what is absent is kept"
        );
        let plain = changed(json!({
            "type": "Group", "id": "https://cohort.example/groups/wg",
            "summary": "<p>a &lt;b&gt;</p>",
            "source": {"content": "a <b>", "mediaType": "text/plain"},
            "manuallyApprovesFollowers": true
        }));
        assert_eq!(plain.charter().as_deref(), Some("a <b>"));
        assert_eq!(plain.manually_approves_followers, Some(true));
        // An HTML source is not text: the summary is read as text instead.
        let html = changed(json!({
            "type": "Group", "id": "https://cohort.example/groups/wg",
            "summary": "<p>One</p><p>Two</p>",
            "source": {"content": "<p>One</p>", "mediaType": "text/html"}
        }));
        assert_eq!(html.charter().as_deref(), Some("One\nTwo"));
        let none = changed(json!({"type": "Group", "id": "https://cohort.example/groups/wg"}));
        assert_eq!(none.charter(), None);
        assert!(
            Changed::deserialize(&json!({"type": "Group"})).is_err(),
            "an id is required"
        );
    }
}

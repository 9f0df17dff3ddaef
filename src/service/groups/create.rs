//! Creating a local working group: its actor, keys, visibility and first moderator (who serves
//! the default term, `groups.lead_term_days`).

use crate::{
    db::{self, actors::ActorRow, follows::FollowRow},
    domain::{actor::ActorKind, ids::new_id, lead_term, policy::Visibility, time::now_ms},
    error::{AppError, AppResult},
    service::users::{self, NewLocalActor},
    state::AppState,
};

/// Options for a new group.
pub struct NewGroup {
    pub name: String,
    pub display_name: Option<String>,
    pub summary: Option<String>,
    /// Follows wait for a moderator's decision.
    pub approval_required: bool,
    pub visibility: Visibility,
    /// A local member who moderates the group from the start.
    pub moderator: Option<String>,
}

/// Creates a local group.
pub async fn create_group(state: &AppState, spec: NewGroup) -> AppResult<ActorRow> {
    let name = spec.name.clone();
    if state
        .db
        .run(move |c| db::actors::local_by_username(c, &name))
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "the name {} is taken",
            spec.name
        )));
    }
    let urls = crate::urls::Urls::new(&state.config);
    let (display_name, summary) =
        super::checked_texts(spec.display_name.as_deref(), spec.summary.as_deref(), &urls)?;
    let moderator = match &spec.moderator {
        Some(m) => Some(users::member(state, m).await?),
        None => None,
    };
    let row = users::new_local_actor(
        state,
        NewLocalActor {
            kind: ActorKind::Group,
            name: &spec.name,
            display_name: display_name.as_deref().unwrap_or(&spec.name),
            summary: summary.as_deref().unwrap_or(""),
            manually_approves: spec.approval_required,
            visibility: spec.visibility,
        },
    )
    .await?;
    let r = row.clone();
    let days = state.config.groups.lead_term_days();
    state
        .db
        .tx(move |c| {
            db::actors::insert(c, &r)?;
            // A new group starts with the default proposal templates and governance document.
            crate::service::proposals::templates::ensure_defaults(c, &r.id)?;
            crate::service::proposals::governance::current(
                c,
                &r,
                crate::domain::governance::group_default,
            )?;
            if let Some(m) = moderator {
                let now = now_ms();
                db::leads::add(c, &r.id, &m.id, now, lead_term::term_end(now, days))?;
                // A moderator is a member.
                let follow = FollowRow {
                    id: new_id(),
                    follower_id: m.id.clone(),
                    target_id: r.id.clone(),
                    activity_ap_id: format!("{}#moderator-{}", r.ap_id, m.username),
                    state: db::follows::FollowState::Accepted,
                    created_at: now_ms(),
                    notify: false,
                };
                db::follows::upsert(c, &follow)?;
            }
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(row)
}

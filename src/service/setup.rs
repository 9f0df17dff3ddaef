//! First start: the node's Organization actor, the first admin, and peers from the config file.

use crate::{
    db::{self, actors::ActorRow},
    domain::{policy::Visibility, time::now_ms},
    error::AppResult,
    service::users::{self, NewLocalActor},
    state::AppState,
};

/// Username of the node's own actor (reserved for members and groups).
pub const ORGANIZATION_NAME: &str = "actor";

/// What first start did.
pub struct SetupReport {
    pub organization: ActorRow,
    /// `(username, password)` when this start created the first admin.
    pub first_admin: Option<(String, String)>,
}

/// Ensures the Organization actor exists, creates the first admin on an empty database, and
/// applies `federation.peers` from the config.
pub async fn ensure_instance(state: &AppState) -> AppResult<SetupReport> {
    let organization = match state
        .db
        .run(|c| db::actors::local_by_username(c, ORGANIZATION_NAME))
        .await?
    {
        Some(org) => org,
        None => {
            let row = users::new_local_actor(
                state,
                NewLocalActor {
                    kind: crate::domain::actor::ActorKind::Organization,
                    name: ORGANIZATION_NAME,
                    display_name: &state.config.instance.name,
                    summary: &state.config.instance.description,
                    manually_approves: true,
                    visibility: Visibility::Public,
                },
            )
            .await?;
            let r = row.clone();
            // Another process may have created it meanwhile: keep whichever is stored.
            let _ = state.db.run(move |c| db::actors::insert(c, &r)).await;
            state
                .db
                .run(|c| db::actors::local_by_username(c, ORGANIZATION_NAME))
                .await?
                .unwrap_or(row)
        }
    };
    let first_admin = if state.db.run(db::users::count).await? == 0
        && state
            .db
            .run(|c| db::settings::set_if_absent(c, "first_admin", "admin"))
            .await?
    {
        let (_, password) = users::create_user(state, "admin", true, None).await?;
        Some(("admin".to_string(), password))
    } else {
        None
    };
    let peers: Vec<(String, String)> = state
        .config
        .federation
        .peers
        .iter()
        .map(|(d, l)| (d.to_ascii_lowercase(), l.as_str().to_string()))
        .collect();
    state
        .db
        .run(move |c| {
            for (domain, level) in &peers {
                db::peers::set_level(c, domain, level, Some("from config"), now_ms())?;
            }
            Ok(())
        })
        .await?;
    // The VAPID key that signs Web Push messages, made once per node.
    crate::service::push::ensure_vapid_key(state).await?;
    super::instance_texts::record(state).await?;
    Ok(SetupReport {
        organization,
        first_admin,
    })
}

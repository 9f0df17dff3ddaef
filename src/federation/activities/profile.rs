//! `Update` of a local actor's profile: to its followers and to the nodes of the groups it belongs
//! to (they show its posts). A member's profile is public, so any peer that is not blocked may
//! receive it; a group's goes only where the group's profile may be seen (its visibility).
//! (A peer's profile `Update` is received in `create_or_update`.)

use crate::{
    config::Config,
    db::{self, DbConnection},
    error::AppResult,
    federation::{
        jsonld::PUBLIC,
        objects::actor::local_actor_json,
        outbound::{
            self, address,
            deliver::{self, Gate},
        },
    },
    service::visibility::group_profile_audience,
    urls::{self, Urls},
};
use serde_json::Map;

/// Sends the current profile of the local actor `actor_id`.
pub fn send(conn: &mut DbConnection, config: &Config, actor_id: &str) -> AppResult<()> {
    let urls = Urls::new(config);
    let actor = outbound::actor(conn, actor_id)?;
    let person = serde_json::to_value(local_actor_json(&actor, &urls)?)?;
    // A group's profile is addressed, gated and served (by the update's id) as its visibility
    // says; a member's is public.
    let (to, cc, gate) = match actor.kind.as_str() {
        "Group" => {
            let (to, cc) = address::of_relay(&group_profile_audience(&actor), &actor.ap_id);
            (to, cc, Gate::Group(&actor, true))
        }
        _ => {
            let followers = urls::sub(&actor.ap_id, "followers");
            (vec![PUBLIC.to_string()], vec![followers], Gate::Public)
        }
    };
    let public = to.iter().any(|u| u == PUBLIC);
    let update = deliver::build(&urls, None, "Update", &actor, person, to, cc, Map::new());
    let mut recipients = db::follows::remote_followers(conn, &actor.id)?;
    recipients.extend(
        db::follows::page(
            conn,
            &actor.id,
            false,
            db::Keys {
                max: None,
                min: None,
                ascending: false,
                limit: 1000,
            },
        )?
        .into_iter()
        .map(|(_, a)| a)
        .filter(|a| a.kind == "Group"),
    );
    deliver::publish(conn, config, &actor, &update, &recipients, gate, public)?;
    Ok(())
}

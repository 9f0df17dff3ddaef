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
            self,
            deliver::{self, Gate},
        },
    },
    urls::{self, Urls},
};
use serde_json::Map;

/// Sends the current profile of the local actor `actor_id`.
pub fn send(conn: &mut DbConnection, config: &Config, actor_id: &str) -> AppResult<()> {
    let urls = Urls::new(config);
    let actor = outbound::actor(conn, actor_id)?;
    let person = serde_json::to_value(local_actor_json(&actor, &urls)?)?;
    let to = vec![PUBLIC.to_string()];
    let cc = vec![urls::sub(&actor.ap_id, "followers")];
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
    let gate = match actor.kind.as_str() {
        "Group" => Gate::Group(&actor, true),
        _ => Gate::Public,
    };
    deliver::publish(conn, config, &actor, &update, &recipients, gate, true)?;
    Ok(())
}

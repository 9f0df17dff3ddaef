//! A vote in a remote poll: `Create(Note{name, inReplyTo})` to the poll's author (and its group),
//! as Mastodon sends it. (Votes from peers on local polls arrive in `create_or_update`.)

use crate::{
    config::Config,
    db::{self, DbConnection},
    error::{AppError, AppResult},
    federation::outbound::{
        self,
        deliver::{self, Gate},
    },
    urls::Urls,
};
use serde_json::{json, Map};

/// Sends the vote of `voter_id` for option `choice` of the poll of `post_id`, under `ap_id`.
pub fn send(
    conn: &mut DbConnection,
    config: &Config,
    voter_id: &str,
    post_id: &str,
    choice: usize,
    ap_id: &str,
) -> AppResult<()> {
    let urls = Urls::new(config);
    let voter = outbound::actor(conn, voter_id)?;
    let post = outbound::post(conn, post_id)?;
    let author = outbound::actor(conn, &post.author_id)?;
    let poll = db::polls::get(conn, post_id)?.ok_or_else(|| AppError::internal("no poll"))?;
    let title = poll.titles().get(choice).cloned().unwrap_or_default();
    let note = json!({
        "id": ap_id,
        "type": "Note",
        "name": title,
        "inReplyTo": post.ap_id,
        "attributedTo": voter.ap_id,
        "to": [author.ap_id],
    });
    let to = vec![author.ap_id.clone()];
    let create = deliver::build(&urls, None, "Create", &voter, note, to, vec![], Map::new());
    let mut recipients = vec![author];
    if let Some(g) = &post.group_id {
        recipients.extend(db::actors::by_id(conn, g)?.filter(|g| !g.local));
    }
    deliver::publish(
        conn,
        config,
        &voter,
        &create,
        &recipients,
        Gate::Post(&post),
        false,
    )?;
    Ok(())
}

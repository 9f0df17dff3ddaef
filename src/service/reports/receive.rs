//! A peer's node reports an account or statuses of this node (`Flag`): stored once per `Flag`,
//! about only what is here and what the peer may see, and told to the admins and the
//! moderators of the local groups concerned.

use super::notify_staff;
use crate::{
    db::{self, actors::ActorRow, posts::PostRow, reports::ReportRow},
    domain::{
        ids::new_id,
        report::{ReportCategory, INBOUND_COMMENT_MAX_CHARS},
        sanitize,
        time::now_ms,
    },
    error::{AppError, AppResult},
    service::{
        outbound::commit,
        visibility::{peer_level, Sight, Viewer},
    },
    state::AppState,
};

/// The `Flag` `ap_id` sent by `reporter` (an actor of the peer `peer`) names `objects` (actor
/// and status ids) with `comment`. The report is about the first actor named (or the author of
/// the first status), with the statuses of that account the peer may see. It is refused unless
/// that account is a member of this node or a status was posted in a group of this node; a
/// `Flag` already stored changes nothing.
pub async fn receive_flag(
    state: &AppState,
    reporter: &ActorRow,
    peer: &str,
    ap_id: &str,
    objects: Vec<String>,
    comment: &str,
) -> AppResult<()> {
    let (reporter, peer, ap_id) = (reporter.clone(), peer.to_string(), ap_id.to_string());
    let comment: String = sanitize::to_text(comment)
        .chars()
        .take(INBOUND_COMMENT_MAX_CHARS)
        .collect();
    let config = state.config.clone();
    commit(state, move |c, out| {
        let mut actors: Vec<ActorRow> = Vec::new();
        let mut posts: Vec<PostRow> = Vec::new();
        for id in objects.iter().take(1 + crate::domain::report::MAX_STATUSES) {
            if let Some(a) = db::actors::by_ap_id(c, id)? {
                actors.push(a);
            } else if let Some(p) = db::posts::by_ap_id(c, id)? {
                posts.push(p);
            }
        }
        let target = match actors.into_iter().next() {
            Some(a) => Some(a),
            None => match posts.first() {
                Some(p) => db::actors::by_id(c, &p.author_id)?,
                None => None,
            },
        };
        let Some(target) = target else {
            return Err(AppError::NotFound(
                "the Flag names no account or status known on this node".into(),
            ));
        };
        let level = peer_level(c, &config, &peer)?;
        let mut sight = Sight::new(Viewer::Peer {
            domain: peer.clone(),
            level,
        });
        let mut statuses = Vec::new();
        for p in posts.into_iter().filter(|p| p.author_id == target.id) {
            if sight.may_see(c, &p)? && !statuses.iter().any(|s: &PostRow| s.id == p.id) {
                statuses.push(p);
            }
        }
        let mut ours = target.local;
        for g in statuses.iter().filter_map(|p| p.group_id.as_deref()) {
            ours |= db::actors::by_id(c, g)?.is_some_and(|g| g.local);
        }
        if !ours {
            return Err(AppError::Unprocessable(
                "the Flag names no account or status of this node".into(),
            ));
        }
        let row = ReportRow {
            id: new_id(),
            ap_id: Some(ap_id.clone()),
            reporter_id: reporter.id.clone(),
            target_id: target.id.clone(),
            comment: comment.clone(),
            category: ReportCategory::Other,
            rule_ids: "[]".into(),
            forwarded: false,
            created_at: now_ms(),
            action_taken: false,
            resolved_at: None,
            resolved_by: None,
        };
        let post_ids: Vec<String> = statuses.iter().map(|p| p.id.clone()).collect();
        if db::reports::insert(c, &row, &post_ids)? {
            notify_staff(c, out, &row, &statuses)?;
        }
        Ok(())
    })
    .await
}

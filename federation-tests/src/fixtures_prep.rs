//! The preparation steps of the fixture table (`Prep`), applied to the node before a fixture
//! arrives: what the node would hold had it fetched, followed or stored them itself.

use crate::{fixtures::Prep, fixtures_world::World};
use cohort::{
    db::{self, follows::FollowRow, posts::PostRow},
    domain::{ids::new_id, time::now_ms},
};
use std::collections::BTreeMap;

impl World {
    /// Applies one preparation step (other than `Fixture` and `Rewrite`).
    pub async fn prepare(&self, step: &Prep, rw: &BTreeMap<String, String>) -> Result<(), String> {
        let res = |u: &str| rw.get(u).cloned().unwrap_or_else(|| u.to_string());
        let db = self.node.node_state.db.clone();
        let alice = self.alice.id.clone();
        let follow = |follower: String, target: String, state, id: Option<String>| FollowRow {
            id: new_id(),
            follower_id: follower,
            target_id: target,
            activity_ap_id: id
                .unwrap_or_else(|| format!("{}/activities/{}", self.node.base(), new_id())),
            state,
            created_at: now_ms(),
            notify: false,
        };
        let err = |e: cohort::db::DbError| e.to_string();
        match *step {
            Prep::Fixture(_) | Prep::Rewrite(..) => Ok(()),
            Prep::Group(g) => self.actor(&res(g), "Group").await.map(|_| ()),
            Prep::FollowedGroup(t) | Prep::Follows(t) => {
                let kind = if matches!(step, Prep::Follows(_)) {
                    "Person"
                } else {
                    "Group"
                };
                let target = self.actor(&res(t), kind).await?;
                let row = follow(alice, target.id, db::follows::FollowState::Accepted, None);
                db.run(move |c| db::follows::upsert(c, &row))
                    .await
                    .map(|_| ())
                    .map_err(err)
            }
            Prep::Pending {
                follower,
                target,
                id,
            } => {
                let f = self.actor(&res(follower), "Person").await?;
                let t = self.actor(&res(target), "Group").await?;
                let row = follow(
                    f.id,
                    t.id,
                    db::follows::FollowState::Pending,
                    id.map(String::from),
                );
                db.run(move |c| {
                    // A fresh pending follow: an earlier accepted one would never be downgraded.
                    if let Some(old) = db::follows::by_pair(c, &row.follower_id, &row.target_id)? {
                        db::follows::delete(c, &old.id)?;
                    }
                    db::follows::upsert(c, &row)
                })
                .await
                .map(|_| ())
                .map_err(err)
            }
            Prep::HasModerator { group, actor } => {
                let g = self.actor(&res(group), "Group").await?;
                let a = self.actor(&res(actor), "Person").await?;
                db.run(move |c| db::actors::add_moderator(c, &g.id, &a.id, now_ms()))
                    .await
                    .map_err(err)
            }
            Prep::HasPost { id, author, group } => {
                let a = self.actor(&res(author), "Person").await?;
                let g = match group {
                    Some(g) => Some(self.actor(&res(g), "Group").await?.id),
                    None => None,
                };
                let now = now_ms();
                let row = PostRow {
                    id: new_id(),
                    ap_id: res(id),
                    kind: "Note".into(),
                    author_id: a.id,
                    group_id: g,
                    in_reply_to: None,
                    name: None,
                    summary: None,
                    content: "<p>stored before the fixture</p>".into(),
                    sensitive: false,
                    visibility: cohort::domain::audience::PostVisibility::Public,
                    local: false,
                    published: now,
                    updated: None,
                    deleted_at: None,
                    created_at: now,
                    language: None,
                };
                db.run(move |c| db::posts::insert_if_new(c, &row))
                    .await
                    .map(|_| ())
                    .map_err(err)
            }
            Prep::HasFavourite { post, by, id } => {
                let p = self
                    .post(&res(post))
                    .await
                    .ok_or(format!("no post {post}"))?;
                let a = self.actor(&res(by), "Person").await?;
                let row = db::interactions::InteractionRow {
                    id: new_id(),
                    actor_id: a.id,
                    post_id: p.id,
                    ap_id: id.into(),
                    created_at: now_ms(),
                };
                let fav = db::interactions::Interaction::Favourite;
                db.run(move |c| {
                    // Under this Like id, replacing one an earlier fixture made with another id.
                    db::interactions::remove(c, fav, &row.actor_id, &row.post_id)?;
                    db::interactions::add(c, fav, &row)
                })
                .await
                .map(|_| ())
                .map_err(err)
            }
        }
    }
}

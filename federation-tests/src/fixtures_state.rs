//! What a fixture changed: a fingerprint of the tables an inbound activity may write (read over a
//! second SQLite connection, so nothing of the node is bypassed), and the stored-outcome checks.

use crate::{fixtures::Check, fixtures_world::World};
use diesel::{
    sql_query, sql_types::Text, Connection, QueryableByName, RunQueryDsl, SqliteConnection,
};
use std::collections::BTreeMap;

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    v: String,
}

/// Per table, one line per row of what an activity may change (counts for append-only tables).
const TABLES: &[(&str, &str)] = &[
    ("posts", "ap_id||'|'||visibility||'|'||COALESCE(group_id,'')||'|'||COALESCE(deleted_at,'')||'|'||COALESCE(name,'')||'|'||content FROM posts"),
    ("follows", "follower_id||'>'||target_id||':'||state FROM follows"),
    ("favourites", "actor_id||'>'||post_id FROM favourites"),
    ("reblogs", "actor_id||'>'||post_id FROM reblogs"),
    ("group_moderators", "group_id||'>'||actor_id FROM group_moderators"),
    ("actors", "ap_id||'|'||kind||'|'||display_name||'|'||summary FROM actors"),
    ("polls", "post_id||'|'||options||'|'||COALESCE(remote_counts,'') FROM polls"),
    ("poll_votes", "CAST(COUNT(*) AS TEXT) FROM poll_votes"),
    ("media", "CAST(COUNT(*) AS TEXT) FROM media"),
    ("notifications", "CAST(COUNT(*) AS TEXT) FROM notifications"),
    ("deliveries", "CAST(COUNT(*) AS TEXT) FROM deliveries"),
    ("post_tags", "CAST(COUNT(*) AS TEXT) FROM post_tags"),
];

/// A read-only view of the node's SQLite file.
pub struct Fingerprint {
    conn: SqliteConnection,
}

impl Fingerprint {
    /// Opens the node's database (WAL mode: this connection sees every committed write).
    pub fn open(world: &World) -> Fingerprint {
        let url = &world.node.config.database.url;
        let path = url.strip_prefix("sqlite://").expect("a SQLite node");
        let conn = SqliteConnection::establish(path).expect("open the node's database");
        Fingerprint { conn }
    }

    /// The current contents, table by table.
    pub fn take(&mut self) -> BTreeMap<&'static str, String> {
        TABLES
            .iter()
            .map(|(table, select)| {
                let q = format!(
                    "SELECT COALESCE(group_concat(v, char(10)), '') AS v FROM (SELECT {select_v} ORDER BY 1)",
                    select_v = select.replacen(" FROM ", " AS v FROM ", 1)
                );
                let row: Row = sql_query(q).get_result(&mut self.conn).expect("fingerprint query");
                (*table, row.v)
            })
            .collect()
    }
}

/// The tables whose contents differ.
pub fn changed(
    before: &BTreeMap<&'static str, String>,
    after: &BTreeMap<&'static str, String>,
) -> Vec<&'static str> {
    before
        .iter()
        .filter(|(t, v)| after.get(*t) != Some(*v))
        .map(|(t, _)| *t)
        .collect()
}

/// Whether the stored outcome is there; `Err` says what is not.
pub async fn check(w: &World, c: &Check, rw: &BTreeMap<String, String>) -> Result<(), String> {
    // Ids are stored as parsed URLs (`https://host?q` becomes `https://host/?q`).
    let res = |u: &str| {
        let u = rw.get(u).cloned().unwrap_or_else(|| u.to_string());
        url::Url::parse(&u).map(String::from).unwrap_or(u)
    };
    let actor = |u: &'static str| async move {
        w.by_ap_id(&res(u))
            .await
            .ok_or(format!("actor {u} not stored"))
    };
    let post = |u: &'static str| async move {
        w.post(&res(u)).await.ok_or(format!("post {u} not stored"))
    };
    let db = &w.node.node_state.db;
    let fav = cohort::db::interactions::Interaction::Favourite;
    let follow = |f: String, t: String| async move {
        db.run(move |c| cohort::db::follows::by_pair(c, &f, &t))
            .await
            .map_err(|e| e.to_string())
    };
    let ensure = |ok: bool, what: String| if ok { Ok(()) } else { Err(what) };
    match *c {
        Check::Post {
            id,
            text,
            visibility,
            group,
        } => {
            let p = post(id).await?;
            let g = match group {
                Some(g) => Some(actor(g).await?.id),
                None => None,
            };
            let name = p.name.clone().unwrap_or_default();
            let found = p.content.contains(text) || name.contains(text);
            ensure(found, format!("text is {:?} / {name:?}", p.content))?;
            ensure(
                p.visibility.as_str() == visibility,
                format!("visibility is {}", p.visibility),
            )?;
            ensure(
                p.group_id == g,
                format!("group is {:?}, not {group:?}", p.group_id),
            )?;
            ensure(p.deleted_at.is_none(), "post is deleted".into())
        }
        Check::Message { id, text } => {
            let p = post(id).await?;
            ensure(p.content.contains(text), format!("text is {:?}", p.content))?;
            ensure(
                p.visibility.as_str() == "direct",
                format!("visibility is {}", p.visibility),
            )?;
            let (pid, me) = (p.id.clone(), w.alice.id.clone());
            let to_her = db
                .run(move |c| cohort::db::tags::mentions(c, &pid, &me))
                .await
                .map_err(|e| e.to_string())?;
            ensure(to_her, "not addressed to alice".into())
        }
        Check::Edited { id, text } => {
            let p = post(id).await?;
            let name = p.name.clone().unwrap_or_default();
            let found = p.content.contains(text) || name.contains(text);
            ensure(found, format!("text is {:?} / {name:?}", p.content))
        }
        Check::Deleted(id) => ensure(
            post(id).await?.deleted_at.is_some(),
            format!("{id} not deleted"),
        ),
        Check::Favourite { post: p, by } | Check::Unfavourited { post: p, by } => {
            let (pid, aid) = (post(p).await?.id, actor(by).await?.id);
            let found = db
                .run(move |c| cohort::db::interactions::find(c, fav, &aid, &pid))
                .await
                .map_err(|e| e.to_string())?;
            let want = matches!(c, Check::Favourite { .. });
            ensure(
                found.is_some() == want,
                format!("favourite present: {}", found.is_some()),
            )
        }
        Check::Follow {
            follower,
            target,
            state,
        } => {
            let f = follow(actor(follower).await?.id, actor(target).await?.id).await?;
            let got = f.map(|f| f.state.as_str());
            ensure(got == Some(state), format!("follow state {got:?}"))
        }
        Check::Unfollowed { follower, target } => {
            let f = follow(actor(follower).await?.id, actor(target).await?.id).await?;
            ensure(f.is_none(), "follow still stored".into())
        }
        Check::Moderator {
            group,
            actor: who,
            is,
        } => {
            let (g, a) = (actor(group).await?.id, actor(who).await?.id);
            let m = db
                .run(move |c| cohort::db::actors::is_moderator(c, &g, &a))
                .await
                .map_err(|e| e.to_string())?;
            ensure(m == is, format!("moderator: {m}"))
        }
        Check::Profile {
            actor: who,
            name,
            kind,
        } => {
            let a = actor(who).await?;
            ensure(
                a.display_name == name,
                format!("display name {:?}", a.display_name),
            )?;
            ensure(a.kind == kind, format!("kind {}", a.kind))
        }
    }
}

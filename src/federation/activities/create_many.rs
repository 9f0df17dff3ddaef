//! The transaction of a batch of members' posts into local groups (`batch`): what
//! `create_or_update::into_local_group` does for one post, done for all of them with one
//! statement per step. Each post gets the outcome the single path would give it, or is handed
//! back to that path: its author is not a member (the single path refuses it and tells the
//! sender), or the batch as a whole failed (nothing of it was written).

use super::batch::{take_marks, Batched, Mark, Outcome};
use crate::{
    db::{self, actors::ActorRow, posts::PostRow, DbConnection},
    error::AppResult,
    federation::objects::post::store::{self, Prepared},
    service::{
        groups, notifications,
        outbound::{InTx, Intents, Received},
    },
};

/// A member's post into a local group, checked and prepared by the inbox.
pub struct Entry {
    pub prepared: Prepared,
    pub group: ActorRow,
    pub author: ActorRow,
    pub received: Received,
    pub mark: Mark,
}

/// The batch of members' posts into local groups.
pub struct Posts;

impl Batched for Posts {
    type Entry = Entry;

    fn mark(entry: &Entry) -> &Mark {
        &entry.mark
    }

    fn store_many(
        c: &mut DbConnection,
        out: &mut Intents,
        entries: Vec<Entry>,
    ) -> AppResult<Vec<Outcome>> {
        store_many(c, out, entries)
    }
}

/// The batch's writes: membership, marks, rows, what comes with each post, the bell, relays.
fn store_many(
    c: &mut DbConnection,
    out: &mut Intents,
    entries: Vec<Entry>,
) -> AppResult<Vec<Outcome>> {
    let mut outcomes = vec![Outcome::Fallback; entries.len()];
    let groups = members(c, &entries)?;
    let members = (0..entries.len()).filter(|&i| groups[i].is_some());
    let admitted = take_marks::<Posts>(c, &entries, members, &mut outcomes)?;
    let rows: Vec<PostRow> = admitted
        .iter()
        .map(|&i| entries[i].prepared.row().clone())
        .collect();
    let new = db::batch::insert_posts(c, &rows)?;
    let mut stored = Vec::with_capacity(admitted.len());
    let mut entries: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
    for i in admitted {
        let (Some(e), Some(group)) = (entries[i].take(), groups[i].clone()) else {
            continue;
        };
        let first_seen = new.contains(&e.prepared.row().id);
        let (post, told) = store::complete(c, out, e.prepared, first_seen)?;
        if e.mark.1 {
            db::activities::finish_received(c, &e.mark.0)?;
        }
        outcomes[i] = Outcome::Stored;
        stored.push((post, told, group, e.received));
    }
    let told: Vec<(&PostRow, &[ActorRow])> = stored
        .iter()
        .filter_map(|(p, t, _, _)| t.as_deref().map(|t| (p, t)))
        .collect();
    notifications::for_new_posts(c, out, &told)?;
    for (post, _, group, received) in stored {
        let (group, post) = (InTx::Row(Box::new(group)), Some(InTx::Row(Box::new(post))));
        groups::relay_in(out, group, received, post, true);
    }
    Ok(outcomes)
}

/// For each entry, its group read in this transaction when the author may post there (a member,
/// or a moderator), else `None`: one read of each group with its members among the authors.
fn members(c: &mut DbConnection, entries: &[Entry]) -> AppResult<Vec<Option<ActorRow>>> {
    let mut found: Vec<Option<ActorRow>> = vec![None; entries.len()];
    let mut group_ids: Vec<&str> = entries.iter().map(|e| e.group.id.as_str()).collect();
    group_ids.sort_unstable();
    group_ids.dedup();
    for gid in group_ids {
        let here: Vec<usize> = (0..entries.len())
            .filter(|&i| entries[i].group.id == gid)
            .collect();
        let authors: Vec<String> = here.iter().map(|&i| entries[i].author.id.clone()).collect();
        let members = db::batch::members_among(c, gid, &authors)?;
        let mut group = members.first().map(|(_, g)| g.clone());
        for i in here {
            let author = &entries[i].author.id;
            if !members.iter().any(|(m, _)| m == author) {
                if !db::actors::is_moderator(c, gid, author)? {
                    continue;
                }
                if group.is_none() {
                    group = db::actors::by_id(c, gid)?;
                }
            }
            found[i] = group.clone();
        }
    }
    Ok(found)
}

//! The transaction of a batch of peers' favourites (`batch`): what `interactions::receive` does
//! for one `Like`, done for all of them with one statement per step (the marks, the favourites,
//! the relays). A batch that fails hands every favourite back to that single path.

use super::batch::{take_marks, Batched, Mark, Outcome};
use crate::{
    db::{
        self,
        interactions::{Interaction, InteractionRow},
        posts::WithActors,
        DbConnection,
    },
    error::AppResult,
    service::{
        interactions::relay_in_group,
        notifications,
        outbound::{Intents, Received},
    },
};

/// A peer's favourite of a live post, checked by the inbox.
pub struct Entry {
    pub row: InteractionRow,
    pub post: WithActors,
    pub received: Received,
    pub mark: Mark,
}

/// The batch of favourites.
pub struct Likes;

impl Batched for Likes {
    type Entry = Entry;

    fn mark(entry: &Entry) -> &Mark {
        &entry.mark
    }

    fn store_many(
        c: &mut DbConnection,
        out: &mut Intents,
        entries: Vec<Entry>,
    ) -> AppResult<Vec<Outcome>> {
        let mut outcomes = vec![Outcome::Fallback; entries.len()];
        let held = take_marks::<Likes>(c, &entries, 0..entries.len(), &mut outcomes)?;
        let rows: Vec<InteractionRow> = held.iter().map(|&i| entries[i].row.clone()).collect();
        let new = db::batch::add_favourites(c, &rows)?;
        let mut entries: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
        for i in held {
            let Some(e) = entries[i].take() else { continue };
            if e.mark.1 {
                db::activities::finish_received(c, &e.mark.0)?;
            }
            outcomes[i] = Outcome::Stored;
            // The actor favourited the post before: counted once, as on the single path.
            if !new.contains(&e.row.id) {
                continue;
            }
            let (post, author, _) = &e.post;
            // A remote author has no member here to notify.
            if author.local {
                let kind = Interaction::Favourite.notification();
                notifications::raise(c, out, &post.author_id, kind, &e.row.actor_id, Some(post))?;
            }
            relay_in_group(out, Some(e.post), e.received);
        }
        Ok(outcomes)
    }
}

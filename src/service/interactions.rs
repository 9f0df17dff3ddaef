//! Favourites (Like), reblogs (Announce by a member), bookmarks and notifications: local actions,
//! their federation, and what arrives from peers.

use crate::{
    db::{
        self,
        actors::ActorRow,
        interactions::{Interaction, InteractionRow},
        notifications::NotificationRow,
        posts::PostRow,
    },
    domain::{ids::new_id, time::now_ms},
    error::AppResult,
    federation::{
        jsonld::PUBLIC,
        outbox::{self, followers_of},
        policy::Audience,
        urls::Urls,
    },
    state::{AppState, Ctx},
};
use serde_json::{json, Map};

/// Notifies a local member (not of their own actions). Missing members are ignored.
pub async fn notify(
    state: &AppState,
    recipient_actor_id: &str,
    kind: &str,
    from: &ActorRow,
    post_id: Option<&str>,
) -> AppResult<()> {
    if recipient_actor_id == from.id {
        return Ok(());
    }
    let row = NotificationRow {
        id: new_id(),
        user_id: recipient_actor_id.to_string(),
        kind: kind.to_string(),
        from_actor_id: from.id.clone(),
        post_id: post_id.map(String::from),
        created_at: now_ms(),
    };
    state
        .db
        .run(move |c| {
            if db::users::exists(c, &row.user_id)? {
                db::notifications::insert(c, &row)?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}

/// The remote actors who should hear about an interaction with `post`: its author and its group.
async fn interested(ctx: &Ctx, post: &PostRow) -> AppResult<Vec<ActorRow>> {
    let (author, group) = (post.author_id.clone(), post.group_id.clone());
    Ok(ctx
        .db
        .run(move |c| {
            let mut out: Vec<ActorRow> = db::actors::by_id(c, &author)?.into_iter().collect();
            if let Some(g) = group {
                out.extend(db::actors::by_id(c, &g)?);
            }
            Ok(out)
        })
        .await?
        .into_iter()
        .filter(|a| !a.local)
        .collect())
}

/// Who an interaction's activity (and its `Undo`) is addressed to: a boost is public and goes to
/// the member's followers too; a favourite goes only to the post's author and group.
fn addressing(kind: Interaction, me: &ActorRow) -> (Vec<String>, Vec<String>) {
    match kind {
        Interaction::Favourite => (vec![], vec![]),
        Interaction::Reblog => (vec![PUBLIC.to_string()], vec![followers_of(me)]),
    }
}

async fn recipients(
    ctx: &Ctx,
    kind: Interaction,
    me: &ActorRow,
    post: &PostRow,
) -> AppResult<Vec<ActorRow>> {
    let mut to = match kind {
        Interaction::Favourite => vec![],
        Interaction::Reblog => {
            let id = me.id.clone();
            ctx.db
                .run(move |c| db::follows::accepted_followers(c, &id))
                .await?
        }
    };
    to.extend(interested(ctx, post).await?);
    Ok(to)
}

/// A member favourites (Like) or boosts (Announce) a post. Idempotent: an existing one is
/// returned unchanged.
pub async fn add(
    ctx: &Ctx,
    kind: Interaction,
    me: &ActorRow,
    post: &PostRow,
) -> AppResult<InteractionRow> {
    let (a, p) = (me.id.clone(), post.id.clone());
    if let Some(existing) = ctx
        .db
        .run(move |c| db::interactions::find(c, kind, &a, &p))
        .await?
    {
        return Ok(existing);
    }
    let urls = Urls::new(&ctx.config);
    let (to, cc) = addressing(kind, me);
    let activity = outbox::build(
        &urls,
        kind.activity(),
        me,
        json!(post.ap_id),
        to,
        cc,
        Map::new(),
    );
    let row = InteractionRow {
        id: activity.local_id.clone(),
        actor_id: me.id.clone(),
        post_id: post.id.clone(),
        ap_id: activity.ap_id.clone(),
        created_at: now_ms(),
    };
    let r = row.clone();
    if !ctx
        .db
        .run(move |c| db::interactions::add(c, kind, &r))
        .await?
    {
        return Ok(row);
    }
    notify(
        ctx.app_data(),
        &post.author_id,
        kind.notification(),
        me,
        Some(&post.id),
    )
    .await?;
    let to = recipients(ctx, kind, me, post).await?;
    outbox::publish(ctx.app_data(), me, &activity, &to, &Audience::public()).await?;
    Ok(row)
}

/// A member takes back a favourite or boost (Undo); nothing happens when there is none.
pub async fn remove(ctx: &Ctx, kind: Interaction, me: &ActorRow, post: &PostRow) -> AppResult<()> {
    let (a, p) = (me.id.clone(), post.id.clone());
    let Some(existing) = ctx
        .db
        .run(move |c| {
            let found = db::interactions::find(c, kind, &a, &p)?;
            if found.is_some() {
                db::interactions::remove(c, kind, &a, &p)?;
            }
            Ok(found)
        })
        .await?
    else {
        return Ok(());
    };
    let urls = Urls::new(&ctx.config);
    let inner = json!({"id": existing.ap_id, "type": kind.activity(), "actor": me.ap_id, "object": post.ap_id});
    let (to, cc) = addressing(kind, me);
    let undo = outbox::build(&urls, "Undo", me, inner, to, cc, Map::new());
    let to = recipients(ctx, kind, me, post).await?;
    outbox::publish(ctx.app_data(), me, &undo, &to, &Audience::public()).await?;
    Ok(())
}

/// A peer's Like or member boost of a post known here; its author is notified once.
pub async fn receive(
    ctx: &Ctx,
    kind: Interaction,
    actor: &ActorRow,
    post: &PostRow,
    ap_id: &str,
) -> AppResult<()> {
    let row = InteractionRow {
        id: new_id(),
        actor_id: actor.id.clone(),
        post_id: post.id.clone(),
        ap_id: ap_id.to_string(),
        created_at: now_ms(),
    };
    if ctx
        .db
        .run(move |c| db::interactions::add(c, kind, &row))
        .await?
    {
        notify(
            ctx.app_data(),
            &post.author_id,
            kind.notification(),
            actor,
            Some(&post.id),
        )
        .await?;
    }
    Ok(())
}

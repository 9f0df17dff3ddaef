//! Favourites (Like), reblogs (Announce by a member), bookmarks and notifications: local actions,
//! their federation, and what arrives from peers.

use crate::{
    db::{
        self,
        actors::ActorRow,
        interactions::{FavouriteRow, ReblogRow},
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

/// Favourites a post (Like). Idempotent.
pub async fn favourite(ctx: &Ctx, me: &ActorRow, post: &PostRow) -> AppResult<()> {
    let urls = Urls::new(&ctx.config);
    let like = outbox::build(
        &urls,
        "Like",
        me,
        json!(post.ap_id),
        vec![],
        vec![],
        Map::new(),
    );
    let row = FavouriteRow {
        id: new_id(),
        actor_id: me.id.clone(),
        post_id: post.id.clone(),
        ap_id: like.ap_id.clone(),
        created_at: now_ms(),
    };
    if !ctx
        .db
        .run(move |c| db::interactions::add_favourite(c, &row))
        .await?
    {
        return Ok(());
    }
    notify(
        ctx.app_data(),
        &post.author_id,
        "favourite",
        me,
        Some(&post.id),
    )
    .await?;
    let to = interested(ctx, post).await?;
    outbox::publish(ctx.app_data(), me, &like, &to, &Audience::public()).await?;
    Ok(())
}

/// Removes a favourite (Undo(Like)).
pub async fn unfavourite(ctx: &Ctx, me: &ActorRow, post: &PostRow) -> AppResult<()> {
    let (a, p) = (me.id.clone(), post.id.clone());
    let Some(existing) = ctx
        .db
        .run(move |c| db::interactions::favourite(c, &a, &p))
        .await?
    else {
        return Ok(());
    };
    let (a, p) = (me.id.clone(), post.id.clone());
    ctx.db
        .run(move |c| db::interactions::remove_favourite(c, &a, &p))
        .await?;
    let urls = Urls::new(&ctx.config);
    let inner =
        json!({"id": existing.ap_id, "type": "Like", "actor": me.ap_id, "object": post.ap_id});
    let undo = outbox::build(&urls, "Undo", me, inner, vec![], vec![], Map::new());
    let to = interested(ctx, post).await?;
    outbox::publish(ctx.app_data(), me, &undo, &to, &Audience::public()).await?;
    Ok(())
}

/// Reblogs (boosts) a post: Announce to the member's followers and the post's author and group.
pub async fn reblog(ctx: &Ctx, me: &ActorRow, post: &PostRow) -> AppResult<ReblogRow> {
    let (a, p) = (me.id.clone(), post.id.clone());
    if let Some(existing) = ctx
        .db
        .run(move |c| db::interactions::reblog(c, &a, &p))
        .await?
    {
        return Ok(existing);
    }
    let urls = Urls::new(&ctx.config);
    let announce = outbox::build(
        &urls,
        "Announce",
        me,
        json!(post.ap_id),
        vec![PUBLIC.to_string()],
        vec![followers_of(me)],
        Map::new(),
    );
    let row = ReblogRow {
        id: announce.local_id.clone(),
        actor_id: me.id.clone(),
        post_id: post.id.clone(),
        ap_id: announce.ap_id.clone(),
        created_at: now_ms(),
    };
    let r = row.clone();
    ctx.db
        .run(move |c| db::interactions::add_reblog(c, &r))
        .await?;
    notify(
        ctx.app_data(),
        &post.author_id,
        "reblog",
        me,
        Some(&post.id),
    )
    .await?;
    let id = me.id.clone();
    let mut to = ctx
        .db
        .run(move |c| db::follows::accepted_followers(c, &id))
        .await?;
    to.extend(interested(ctx, post).await?);
    outbox::publish(ctx.app_data(), me, &announce, &to, &Audience::public()).await?;
    Ok(row)
}

/// Undoes a reblog (Undo(Announce)).
pub async fn unreblog(ctx: &Ctx, me: &ActorRow, post: &PostRow) -> AppResult<()> {
    let (a, p) = (me.id.clone(), post.id.clone());
    let Some(existing) = ctx
        .db
        .run(move |c| db::interactions::reblog(c, &a, &p))
        .await?
    else {
        return Ok(());
    };
    let (a, p) = (me.id.clone(), post.id.clone());
    ctx.db
        .run(move |c| db::interactions::remove_reblog(c, &a, &p))
        .await?;
    let urls = Urls::new(&ctx.config);
    let inner =
        json!({"id": existing.ap_id, "type": "Announce", "actor": me.ap_id, "object": post.ap_id});
    let undo = outbox::build(
        &urls,
        "Undo",
        me,
        inner,
        vec![PUBLIC.to_string()],
        vec![followers_of(me)],
        Map::new(),
    );
    let id = me.id.clone();
    let mut to = ctx
        .db
        .run(move |c| db::follows::accepted_followers(c, &id))
        .await?;
    to.extend(interested(ctx, post).await?);
    outbox::publish(ctx.app_data(), me, &undo, &to, &Audience::public()).await?;
    Ok(())
}

/// A peer's Like of a post known here.
pub async fn receive_like(
    ctx: &Ctx,
    actor: &ActorRow,
    post: &PostRow,
    ap_id: &str,
) -> AppResult<()> {
    let row = FavouriteRow {
        id: new_id(),
        actor_id: actor.id.clone(),
        post_id: post.id.clone(),
        ap_id: ap_id.to_string(),
        created_at: now_ms(),
    };
    if ctx
        .db
        .run(move |c| db::interactions::add_favourite(c, &row))
        .await?
    {
        notify(
            ctx.app_data(),
            &post.author_id,
            "favourite",
            actor,
            Some(&post.id),
        )
        .await?;
    }
    Ok(())
}

/// A peer member's boost of a post known here.
pub async fn receive_reblog(
    ctx: &Ctx,
    actor: &ActorRow,
    post: &PostRow,
    ap_id: &str,
) -> AppResult<()> {
    let row = ReblogRow {
        id: new_id(),
        actor_id: actor.id.clone(),
        post_id: post.id.clone(),
        ap_id: ap_id.to_string(),
        created_at: now_ms(),
    };
    if ctx
        .db
        .run(move |c| db::interactions::add_reblog(c, &row))
        .await?
    {
        notify(
            ctx.app_data(),
            &post.author_id,
            "reblog",
            actor,
            Some(&post.id),
        )
        .await?;
    }
    Ok(())
}

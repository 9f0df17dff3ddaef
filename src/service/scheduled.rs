//! Scheduled statuses: a member posts with `scheduled_at` (at least five minutes ahead, as in
//! Mastodon) and the form is kept until then; the scheduler publishes due ones through the
//! normal posting path (`compose`). Publishing claims the row with a lease (a conditional
//! update only one process wins) and posts with the idempotency key `scheduled:{id}`, so a
//! status is published once even when a process dies between posting and removing the row.

use crate::{
    db::{self, actors::ActorRow, scheduled::ScheduledRow},
    domain::{ids::new_id, limits::POLL_MAX_OPTIONS, time::now_ms},
    error::{AppError, AppResult},
    service::{
        compose::{self, Compose},
        media,
        members::NewPoll,
    },
    state::Ctx,
};
use serde::{Deserialize, Serialize};

/// How far ahead a status must be scheduled (Mastodon's five minutes).
pub const MIN_AHEAD_MS: i64 = 5 * 60 * 1000;
/// How many statuses a member may have scheduled (Mastodon's limits).
pub const MAX_SCHEDULED: i64 = 300;
pub const MAX_SCHEDULED_PER_DAY: i64 = 25;
/// How long a publication holds its claim.
const LEASE_MS: i64 = 120_000;

/// The form as it was posted (Mastodon's ScheduledStatus `params`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Params {
    pub text: String,
    pub in_reply_to_id: Option<String>,
    pub sensitive: bool,
    pub spoiler_text: Option<String>,
    pub visibility: String,
    pub media_ids: Vec<String>,
    pub poll: Option<PollParams>,
    pub language: Option<String>,
    pub idempotency: Option<String>,
}

/// A scheduled poll.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PollParams {
    pub options: Vec<String>,
    pub expires_in: i64,
    pub multiple: bool,
    pub hide_totals: bool,
}

/// A scheduled status with its parsed form.
pub struct Scheduled {
    pub row: ScheduledRow,
    pub params: Params,
}

fn parsed(row: ScheduledRow) -> Scheduled {
    let params = serde_json::from_str(&row.params).unwrap_or(Params {
        text: String::new(),
        in_reply_to_id: None,
        sensitive: false,
        spoiler_text: None,
        visibility: "public".into(),
        media_ids: vec![],
        poll: None,
        language: None,
        idempotency: None,
    });
    Scheduled { row, params }
}

fn invalid(m: &str) -> AppError {
    AppError::Unprocessable(format!("Validation failed: {m}"))
}

fn check_time(at: i64, now: i64) -> AppResult<()> {
    if at < now + MIN_AHEAD_MS {
        return Err(invalid(
            "Scheduled at the scheduled date must be at least 5 minutes in the future",
        ));
    }
    Ok(())
}

/// Keeps `c` to be posted at `at` (ms); checks what can be checked now. Nothing is stored on
/// bad input.
pub async fn schedule(ctx: &Ctx, me: &ActorRow, c: Compose, at: i64) -> AppResult<Scheduled> {
    let now = now_ms();
    check_time(at, now)?;
    let visibility = match c.visibility.as_deref() {
        None | Some("") => "public".to_string(),
        Some(v @ ("public" | "unlisted" | "private" | "direct")) => v.to_string(),
        Some(other) => return Err(invalid(&format!("visibility {other:?} is not valid"))),
    };
    if c.text.trim().is_empty() && c.media_ids.is_empty() {
        return Err(invalid("Text can't be blank"));
    }
    if let Some(p) = &c.poll {
        if p.options.len() < 2 || p.options.len() > POLL_MAX_OPTIONS || p.expires_in_secs <= 0 {
            return Err(invalid("the poll needs 2 to 4 options and a duration"));
        }
    }
    media::for_new_post(ctx.app_data(), me, c.media_ids.clone()).await?;
    let params = Params {
        text: c.text,
        in_reply_to_id: c.in_reply_to_id.filter(|s| !s.is_empty()),
        sensitive: c.sensitive,
        spoiler_text: c.spoiler_text,
        visibility,
        media_ids: c.media_ids,
        poll: c.poll.map(|p| PollParams {
            options: p.options,
            expires_in: p.expires_in_secs,
            multiple: p.multiple,
            hide_totals: false,
        }),
        language: c.language,
        idempotency: c.idempotency_key,
    };
    let row = ScheduledRow {
        id: new_id(),
        user_id: me.id.clone(),
        scheduled_at: at,
        params: serde_json::to_string(&params).map_err(|e| AppError::internal(e.to_string()))?,
        locked_until: None,
        created_at: now,
    };
    let r = row.clone();
    let stored = ctx
        .db
        .tx(move |c| {
            if db::scheduled::count_of_user(c, &r.user_id, None)? >= MAX_SCHEDULED {
                return Ok(Err("you have too many scheduled statuses"));
            }
            if db::scheduled::count_of_user(c, &r.user_id, Some(r.scheduled_at))?
                >= MAX_SCHEDULED_PER_DAY
            {
                return Ok(Err("you have too many statuses scheduled for that day"));
            }
            db::scheduled::insert(c, &r)?;
            Ok::<_, db::DbError>(Ok(()))
        })
        .await?;
    stored.map_err(invalid)?;
    Ok(Scheduled { row, params })
}

/// A member's scheduled statuses, newest first.
pub async fn list(
    ctx: &Ctx,
    user_id: &str,
    max_id: Option<String>,
    min_id: Option<String>,
    limit: i64,
) -> AppResult<Vec<Scheduled>> {
    let u = user_id.to_string();
    let rows = ctx
        .db
        .run(move |c| db::scheduled::list(c, &u, max_id.as_deref(), min_id.as_deref(), limit))
        .await?;
    Ok(rows.into_iter().map(parsed).collect())
}

/// One of a member's scheduled statuses; 404 when it is not theirs (or already published).
pub async fn get(ctx: &Ctx, user_id: &str, id: &str) -> AppResult<Scheduled> {
    let (u, i) = (user_id.to_string(), id.to_string());
    ctx.db
        .run(move |c| db::scheduled::get(c, &u, &i))
        .await?
        .map(parsed)
        .ok_or_else(|| AppError::NotFound("Record not found".into()))
}

/// Moves a scheduled status to `at` (at least five minutes ahead).
pub async fn reschedule(ctx: &Ctx, user_id: &str, id: &str, at: i64) -> AppResult<Scheduled> {
    get(ctx, user_id, id).await?;
    check_time(at, now_ms())?;
    let (u, i) = (user_id.to_string(), id.to_string());
    if !ctx
        .db
        .run(move |c| db::scheduled::reschedule(c, &u, &i, at))
        .await?
    {
        return Err(AppError::NotFound("Record not found".into()));
    }
    get(ctx, user_id, id).await
}

/// Cancels a scheduled status.
pub async fn cancel(ctx: &Ctx, user_id: &str, id: &str) -> AppResult<()> {
    get(ctx, user_id, id).await?;
    let i = id.to_string();
    ctx.db.run(move |c| db::scheduled::delete(c, &i)).await?;
    Ok(())
}

/// Publishes the statuses due at `now`; returns how many this process published. Each is
/// claimed first, so another process never publishes the same one.
pub async fn publish_due(ctx: &Ctx, now: i64) -> AppResult<usize> {
    let due = ctx.db.run(move |c| db::scheduled::due(c, now, 50)).await?;
    let mut published = 0;
    for id in due {
        let i = id.clone();
        let Some(row) = ctx
            .db
            .run(move |c| db::scheduled::claim(c, &i, now, LEASE_MS))
            .await?
        else {
            continue;
        };
        let uid = row.user_id.clone();
        let Some(me) = ctx.db.run(move |c| db::actors::by_id(c, &uid)).await? else {
            ctx.db.run(move |c| db::scheduled::delete(c, &id)).await?;
            continue;
        };
        let p = parsed(row).params;
        let compose = Compose {
            text: p.text,
            in_reply_to_id: p.in_reply_to_id,
            sensitive: p.sensitive,
            spoiler_text: p.spoiler_text,
            visibility: Some(p.visibility),
            media_ids: p.media_ids,
            poll: p.poll.map(|p| NewPoll {
                options: p.options,
                expires_in_secs: p.expires_in,
                multiple: p.multiple,
            }),
            language: p.language,
            idempotency_key: Some(format!("scheduled:{id}")),
        };
        match compose::compose(ctx, &me, compose).await {
            Ok(post) => {
                tracing::info!(scheduled = %id, post = %post.id, "scheduled status published");
                published += 1;
            }
            // What can no longer be posted (the parent or the media gone) is dropped, as Mastodon does.
            Err(
                e @ (AppError::Unprocessable(_) | AppError::NotFound(_) | AppError::Forbidden(_)),
            ) => {
                tracing::warn!(scheduled = %id, error = %e, "scheduled status could not be posted; dropped");
            }
            // Anything else is retried when the claim expires.
            Err(e) => {
                tracing::error!(scheduled = %id, error = %e, "scheduled status not posted yet");
                continue;
            }
        }
        ctx.db.run(move |c| db::scheduled::delete(c, &id)).await?;
    }
    Ok(published)
}

/// Runs the scheduler every `api.scheduled_interval_secs` until `stop` turns true.
pub async fn run_worker(ctx: Ctx, mut stop: tokio::sync::watch::Receiver<bool>) {
    let every = std::time::Duration::from_secs(ctx.config.api.scheduled_interval_secs.max(1));
    loop {
        if *stop.borrow() {
            break;
        }
        if let Err(e) = publish_due(&ctx, now_ms()).await {
            tracing::error!(error = %e, "scheduled statuses round failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => {}
        }
    }
}

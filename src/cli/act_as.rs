//! `cohort admin as <user> …`: acting as a local member (following, posting, editing, reading;
//! proposals are in `proposals.rs`).

use clap::Subcommand;
use cohort::{
    service::{self, members::NewPost},
    state::Ctx,
};

#[derive(Subcommand)]
pub(crate) enum AsCmd {
    /// Follow (join) a group or actor by @name@host.
    Follow { handle: String },
    /// Leave a group.
    Unfollow { handle: String },
    /// Post into a group.
    Post {
        group: String,
        text: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        reply_to: Option<String>,
        #[arg(long)]
        content_warning: Option<String>,
    },
    /// Edit one of your posts (by URL).
    Edit { post: String, text: String },
    /// Delete one of your posts (by URL).
    Delete { post: String },
    /// Newest posts in your groups.
    Timeline {
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    #[command(flatten)]
    Proposal(super::proposals::ProposalAct),
}

pub(crate) async fn run(ctx: &Ctx, user: &str, action: AsCmd) -> anyhow::Result<()> {
    use service::members;
    match action {
        AsCmd::Proposal(cmd) => println!("{}", super::proposals::act(ctx, user, cmd).await?),
        AsCmd::Follow { handle } => {
            let state = members::follow(ctx, user, &handle).await?;
            println!("{user} follows {handle}: {state}");
        }
        AsCmd::Unfollow { handle } => {
            members::unfollow(ctx, user, &handle).await?;
            println!("{user} left {handle}");
        }
        AsCmd::Post {
            group,
            text,
            title,
            reply_to,
            content_warning,
        } => {
            let post = members::post(
                ctx,
                user,
                &group,
                NewPost {
                    text,
                    title,
                    in_reply_to: reply_to,
                    sensitive: false,
                    content_warning,
                    visibility: None,
                    language: None,
                },
            )
            .await?;
            println!("{}", post.ap_id);
        }
        AsCmd::Edit { post, text } => {
            let p = members::edit(ctx, user, &post, &text).await?;
            println!("edited {}", p.ap_id);
        }
        AsCmd::Delete { post } => {
            members::delete(ctx, user, &post).await?;
            println!("deleted {post}");
        }
        AsCmd::Timeline { limit } => {
            for e in members::timeline(ctx.app_data(), user, limit).await? {
                let group = e
                    .group
                    .map(|g| format!("@{}@{}", g.username, g.domain))
                    .unwrap_or_default();
                println!(
                    "{}  {} in {}\n  {}\n  {}\n",
                    cohort::domain::time::to_rfc3339(e.post.published),
                    format_args!("@{}@{}", e.author.username, e.author.domain),
                    group,
                    strip_tags(&e.post.content),
                    e.post.ap_id
                );
            }
        }
    }
    Ok(())
}

fn strip_tags(html: &str) -> String {
    cohort::federation::sanitize::to_text(html)
}

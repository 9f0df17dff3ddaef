//! `cohort admin group …`: creating groups, their join requests and their moderators.

use clap::Subcommand;
use cohort::{
    domain::{lead_term, policy::Visibility, time},
    service::{
        self,
        groups::{Editor, Grant, GroupChanges, NewGroup},
    },
    state::{AppState, Ctx},
};

#[derive(Subcommand)]
pub(crate) enum GroupCmd {
    /// Create a working group.
    Create {
        name: String,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        summary: Option<String>,
        /// Follows wait for a moderator's approval.
        #[arg(long)]
        approval: bool,
        /// public, consortium, members or local.
        #[arg(long, default_value = "public")]
        visibility: String,
        /// A local member who moderates the group.
        #[arg(long)]
        moderator: Option<String>,
    },
    /// Change a group's profile; its followers hear Update(Group). Turning approval off admits
    /// everyone waiting.
    Edit {
        group: String,
        #[arg(long)]
        display_name: Option<String>,
        /// The charter, as plain text.
        #[arg(long)]
        summary: Option<String>,
        /// Whether follows wait for a moderator's approval (true/false, yes/no, on/off).
        #[arg(long, value_parser = clap::builder::BoolishValueParser::new())]
        approval: Option<bool>,
        /// Whether directories and follow suggestions list the group.
        #[arg(long, value_parser = clap::builder::BoolishValueParser::new())]
        discoverable: Option<bool>,
    },
    /// List groups.
    List,
    /// Pending follow requests of an approval-only group.
    Requests { group: String },
    /// Accept a pending request (the follower's actor URL).
    Approve { group: String, actor: String },
    /// Reject a pending request.
    Reject { group: String, actor: String },
    /// Make a member (@name@host) a moderator (lead) for a term, announced with Add; for a
    /// current moderator, start a new term from today (no Add).
    AddModerator {
        group: String,
        handle: String,
        /// Length of the term in days (default: groups.lead_term_days). The role ends at the
        /// end of the term's last day (UTC).
        #[arg(long, value_parser = lead_term::parse_term_days, allow_hyphen_values = true)]
        term_days: Option<u32>,
    },
    /// List a group's moderators and when their terms end.
    Moderators { group: String },
    /// Remove a moderator; announced with Remove.
    RemoveModerator { group: String, handle: String },
}

pub(crate) async fn run(state: &AppState, ctx: &Ctx, cmd: GroupCmd) -> anyhow::Result<()> {
    match cmd {
        GroupCmd::Create {
            name,
            display_name,
            summary,
            approval,
            visibility,
            moderator,
        } => {
            let visibility: Visibility = visibility.parse().map_err(anyhow::Error::msg)?;
            let group = service::groups::create_group(
                state,
                NewGroup {
                    name,
                    display_name,
                    summary,
                    approval_required: approval,
                    visibility,
                    moderator,
                },
            )
            .await?;
            println!(
                "created group {} (@{}@{})",
                group.ap_id, group.username, group.domain
            );
        }
        GroupCmd::Edit {
            group,
            display_name,
            summary,
            approval,
            discoverable,
        } => {
            let changes = GroupChanges {
                display_name,
                summary,
                approval_required: approval,
                discoverable,
            };
            let g = service::groups::edit_group(ctx, &group, Editor::Operator, changes).await?;
            println!(
                "{}: display name {:?}, approval {}, discoverable {}",
                g.ap_id,
                g.display_name,
                if g.manually_approves {
                    "required"
                } else {
                    "not required"
                },
                g.discoverable
            );
        }
        GroupCmd::List => {
            for (g, members) in service::groups::list_groups(state).await? {
                println!(
                    "{}\t{}\t{} member(s)\t{}",
                    g.username, g.visibility, members, g.ap_id
                );
            }
        }
        GroupCmd::Requests { group } => {
            for a in service::groups::requests(state, &group).await? {
                println!("{}\t@{}@{}", a.ap_id, a.username, a.domain);
            }
        }
        GroupCmd::Approve { group, actor } => {
            service::groups::decide(ctx, &group, &actor, true).await?;
            println!("accepted {actor} into {group}");
        }
        GroupCmd::Reject { group, actor } => {
            service::groups::decide(ctx, &group, &actor, false).await?;
            println!("rejected {actor}");
        }
        GroupCmd::AddModerator {
            group,
            handle,
            term_days,
        } => {
            let g = service::groups::add_moderator(ctx, &group, &handle, term_days).await?;
            let what = match g.grant {
                Grant::Added => "now moderates",
                Grant::Renewed => "was re-appointed to moderate",
            };
            let until = term_label(Some(g.term_ends_at));
            println!("{} {what} {group}, {until}", g.actor.ap_id);
        }
        GroupCmd::Moderators { group } => {
            for (a, end) in service::groups::leads(state, &group).await? {
                let until = term_label(end);
                println!("@{}@{}	{until}	{}", a.username, a.domain, a.ap_id);
            }
        }
        GroupCmd::RemoveModerator { group, handle } => {
            let who = service::groups::remove_moderator(ctx, &group, &handle).await?;
            println!("{} no longer moderates {group}", who.ap_id);
        }
    }
    Ok(())
}

/// When a term ends, as operators read it: the last day of the role.
fn term_label(term_ends_at: Option<i64>) -> String {
    match term_ends_at {
        Some(end) => {
            let date = time::to_rfc3339(end);
            let day = date.split('T').next().unwrap_or(&date);
            format!("until the end of {day} (UTC)")
        }
        None => "no term end".into(),
    }
}

//! The `cohort` command: parse arguments, load config, call into the library. Nothing else.

use clap::{Parser, Subcommand};
use cohort::{
    config::Config,
    domain::policy::{PeerLevel, Visibility},
    service::{self, groups::NewGroup, members::NewPost},
    Node,
};
use std::{path::PathBuf, process::ExitCode};

#[derive(Parser)]
#[command(
    name = "cohort",
    version,
    about = "A federated server for research consortia"
)]
struct Cli {
    /// Config file (default: config/cohort.toml when it exists). Also COHORT_CONFIG.
    #[arg(long, global = true, env = "COHORT_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the node (HTTP server and delivery worker).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Administration.
    #[command(subcommand)]
    Admin(Admin),
}

#[derive(Subcommand)]
enum Admin {
    /// Member accounts.
    #[command(subcommand)]
    User(UserCmd),
    /// Working groups.
    #[command(subcommand)]
    Group(GroupCmd),
    /// Peer nodes and their policy level.
    #[command(subcommand)]
    Peer(PeerCmd),
    /// Act as a local member (for scripts and admins; members use Mastodon apps).
    As {
        /// The member's username.
        user: String,
        #[command(subcommand)]
        action: AsCmd,
    },
    /// Recent audit log entries (what was shared with, or refused to, which peer).
    Audit {
        #[arg(long)]
        peer: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Delivery queue counts by status.
    Deliveries {
        #[arg(long)]
        peer: Option<String>,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Create a member (a password is generated when none is given).
    Create {
        name: String,
        #[arg(long)]
        admin: bool,
        #[arg(long)]
        password: Option<String>,
    },
    /// List members.
    List,
    /// Set a new password (generated when none is given).
    SetPassword {
        name: String,
        #[arg(long)]
        password: Option<String>,
    },
}

#[derive(Subcommand)]
enum GroupCmd {
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
    /// List groups.
    List,
    /// Pending follow requests of an approval-only group.
    Requests { group: String },
    /// Accept a pending request (the follower's actor URL).
    Approve { group: String, actor: String },
    /// Reject a pending request.
    Reject { group: String, actor: String },
    /// Make a member (@name@host) a moderator; announced with Add.
    AddModerator { group: String, handle: String },
    /// Remove a moderator; announced with Remove.
    RemoveModerator { group: String, handle: String },
}

#[derive(Subcommand)]
enum PeerCmd {
    /// Full federation with a peer.
    Allow {
        domain: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Public content only.
    Limit {
        domain: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Nothing in either direction.
    Block {
        domain: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// List peers, their level and delivery health.
    List,
}

#[derive(Subcommand)]
enum AsCmd {
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
}

fn load_config(path: Option<PathBuf>) -> Result<Config, String> {
    let default = PathBuf::from("config/cohort.toml");
    let path = path.or_else(|| default.exists().then_some(default));
    Config::load(path.as_deref(), std::env::vars()).map_err(|e| e.to_string())
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&config.logging.level));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if config.logging.json {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match load_config(cli.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config);
    match run(cli.command, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    if let Command::Migrate = command {
        let db = cohort::db::Db::open(&config.database_backend()?, 1)?;
        let applied = tokio::task::spawn_blocking(move || db.migrate()).await??;
        println!(
            "applied {} migration(s): {}",
            applied.len(),
            applied.join(", ")
        );
        return Ok(());
    }
    let serving = matches!(command, Command::Serve);
    let (node, report) = Node::build(config).await?;
    if let Some((name, password)) = &report.first_admin {
        println!(
            "\nFirst start: created the admin account.\n  username: {name}\n  password: {password}\n\
             Keep it safe; change it with `cohort admin user set-password {name}`.\n\
             Sign in with it from a Mastodon app (see docs/clients.md), or act as a member with `cohort admin as <user> …`.\n"
        );
    }
    match command {
        Command::Serve => serve(node).await,
        Command::Admin(cmd) => admin(&node, cmd).await,
        Command::Migrate => Ok(()),
    }
    .inspect(|_| {
        if !serving {
            tracing::debug!("done");
        }
    })
}

async fn serve(node: Node) -> anyhow::Result<()> {
    let config = &node.state.config;
    if config.federation.debug {
        tracing::warn!("federation.debug is on: http:// peers and loopback addresses are allowed; never use this in production");
    }
    let addr = config.listen_addr()?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr} (server.listen): {e}"))?;
    println!(
        "Cohort {} serving {} on http://{addr} ({} database)",
        env!("CARGO_PKG_VERSION"),
        config.base_url(),
        node.state.db.backend().name()
    );
    node.serve(listener, async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(t) => t,
                    Err(_) => {
                        let _ = ctrl_c.await;
                        return;
                    }
                };
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        tracing::info!("shutting down");
    })
    .await
}

async fn admin(node: &Node, cmd: Admin) -> anyhow::Result<()> {
    let state = &node.state;
    let ctx = node.ctx();
    match cmd {
        Admin::User(UserCmd::Create {
            name,
            admin,
            password,
        }) => {
            let given = password.is_some();
            let (actor, password) =
                service::users::create_user(state, &name, admin, password).await?;
            println!(
                "created {} ({})",
                actor.ap_id,
                if admin { "admin" } else { "member" }
            );
            if !given {
                println!("password: {password}");
            }
        }
        Admin::User(UserCmd::List) => {
            for (actor, user) in service::users::list_users(state).await? {
                println!("{}\t{}\t{}", actor.username, user.role, actor.ap_id);
            }
        }
        Admin::User(UserCmd::SetPassword { name, password }) => {
            let given = password.is_some();
            let password = service::users::set_password(state, &name, password).await?;
            println!("password changed for {name}");
            if !given {
                println!("password: {password}");
            }
        }
        Admin::Group(GroupCmd::Create {
            name,
            display_name,
            summary,
            approval,
            visibility,
            moderator,
        }) => {
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
        Admin::Group(GroupCmd::List) => {
            for (g, members) in service::groups::list_groups(state).await? {
                println!(
                    "{}\t{}\t{} member(s)\t{}",
                    g.username, g.visibility, members, g.ap_id
                );
            }
        }
        Admin::Group(GroupCmd::Requests { group }) => {
            for a in service::groups::requests(state, &group).await? {
                println!("{}\t@{}@{}", a.ap_id, a.username, a.domain);
            }
        }
        Admin::Group(GroupCmd::Approve { group, actor }) => {
            service::groups::decide(&ctx, &group, &actor, true).await?;
            println!("accepted {actor} into {group}");
        }
        Admin::Group(GroupCmd::Reject { group, actor }) => {
            service::groups::decide(&ctx, &group, &actor, false).await?;
            println!("rejected {actor}");
        }
        Admin::Group(GroupCmd::AddModerator { group, handle }) => {
            let who = service::groups::add_moderator(&ctx, &group, &handle).await?;
            println!("{} now moderates {group}", who.ap_id);
        }
        Admin::Group(GroupCmd::RemoveModerator { group, handle }) => {
            let who = service::groups::remove_moderator(&ctx, &group, &handle).await?;
            println!("{} no longer moderates {group}", who.ap_id);
        }
        Admin::Peer(cmd) => peer(state, cmd).await?,
        Admin::As { user, action } => act_as(&ctx, &user, action).await?,
        Admin::Audit { peer, limit } => {
            let rows = state
                .db
                .run(move |c| cohort::db::audit::recent(c, peer.as_deref(), limit))
                .await?;
            for r in rows {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    cohort::domain::time::to_rfc3339(r.created_at),
                    r.peer,
                    r.action,
                    r.object,
                    r.detail
                );
            }
        }
        Admin::Deliveries { peer } => {
            let rows = state
                .db
                .run(move |c| cohort::db::deliveries::count_by_status(c, peer.as_deref()))
                .await?;
            for (status, n) in rows {
                println!("{status}\t{n}");
            }
        }
    }
    Ok(())
}

async fn peer(state: &cohort::state::AppState, cmd: PeerCmd) -> anyhow::Result<()> {
    let (domain, level, note) = match cmd {
        PeerCmd::Allow { domain, note } => (domain, PeerLevel::Full, note),
        PeerCmd::Limit { domain, note } => (domain, PeerLevel::Limited, note),
        PeerCmd::Block { domain, note } => (domain, PeerLevel::Blocked, note),
        PeerCmd::List => {
            println!("peer\tlevel\tfailures\tdead_since\tqueued");
            for (p, queued) in service::peers::list(state).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    p.domain,
                    p.level.as_deref().unwrap_or("(mode default)"),
                    p.consecutive_failures,
                    p.dead_since
                        .map(cohort::domain::time::to_rfc3339)
                        .unwrap_or_else(|| "-".into()),
                    queued
                );
            }
            return Ok(());
        }
    };
    service::peers::set_level(state, &domain, level, note).await?;
    println!("{domain}: {level}");
    Ok(())
}

async fn act_as(ctx: &cohort::state::Ctx, user: &str, action: AsCmd) -> anyhow::Result<()> {
    use service::members;
    match action {
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

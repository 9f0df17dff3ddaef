//! The commands of the `cohort` binary: argument types (`args.rs`), one file per command group, and
//! `run`, which builds the node and hands each command to its file. Only the binary uses this.

mod act_as;
mod admin;
mod args;
mod groups;
mod peers;
mod proposal_text;
mod proposals;
mod reports;
mod serve;
mod users;

#[cfg(test)]
mod proposal_tests;
#[cfg(test)]
mod report_tests;
#[cfg(test)]
mod tests;

pub(crate) use args::{Cli, Command};
use cohort::{config::Config, Node};

pub(crate) async fn run(command: Command, config: Config) -> anyhow::Result<()> {
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
        Command::Serve => serve::serve(node).await,
        Command::Admin(cmd) => admin::admin(&node, cmd).await,
        Command::Migrate => Ok(()),
    }
    .inspect(|_| {
        if !serving {
            tracing::debug!("done");
        }
    })
}

//! `cohort admin user …`: creating and listing members and setting their passwords.

use clap::Subcommand;
use cohort::{service, state::AppState};

#[derive(Subcommand)]
pub(crate) enum UserCmd {
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

pub(crate) async fn run(state: &AppState, cmd: UserCmd) -> anyhow::Result<()> {
    match cmd {
        UserCmd::Create {
            name,
            admin,
            password,
        } => {
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
        UserCmd::List => {
            for (actor, user) in service::users::list_users(state).await? {
                println!("{}\t{}\t{}", actor.username, user.role, actor.ap_id);
            }
        }
        UserCmd::SetPassword { name, password } => {
            let given = password.is_some();
            let password = service::users::set_password(state, &name, password).await?;
            println!("password changed for {name}");
            if !given {
                println!("password: {password}");
            }
        }
    }
    Ok(())
}

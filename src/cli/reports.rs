//! `cohort admin reports [--unresolved]` lists the reports made to this node (by its members, and
//! by peers' nodes through `Flag`), newest first; `cohort admin reports resolve ID [--by ADMIN]`
//! marks one resolved. Each command returns the text it prints, so tests read what an operator
//! sees.

use clap::{Args, Subcommand};
use cohort::{domain::time::to_rfc3339, service::reports::admin, state::AppState};

/// The arguments of `cohort admin reports`.
#[derive(Args, Debug)]
pub(crate) struct ReportsArgs {
    /// Only reports not resolved yet.
    #[arg(long)]
    pub(crate) unresolved: bool,
    /// How many of the newest reports to list.
    #[arg(long, default_value_t = 50)]
    pub(crate) limit: i64,
    #[command(subcommand)]
    pub(crate) action: Option<ReportCmd>,
}

/// What an admin does to a report.
#[derive(Subcommand, Debug)]
pub(crate) enum ReportCmd {
    /// Mark a report resolved (an action was taken).
    Resolve {
        id: String,
        /// The admin resolving it (a username), recorded with the report.
        #[arg(long)]
        by: Option<String>,
    },
}

/// `@name@host` of an account.
fn handle(actor: &cohort::db::actors::ActorRow) -> String {
    format!("@{}@{}", actor.username, actor.domain)
}

pub(crate) async fn run(state: &AppState, args: ReportsArgs) -> anyhow::Result<String> {
    if let Some(ReportCmd::Resolve { id, by }) = args.action {
        let row = admin::resolve(state, &id, by.as_deref()).await?;
        return Ok(format!(
            "resolved {} at {}",
            row.id,
            row.resolved_at.map(to_rfc3339).unwrap_or_default()
        ));
    }
    let mut out = String::from(
        "id\tcreated\tstate\tcategory\treporter\taccount\tforwarded\tstatuses\tcomment",
    );
    for r in admin::list(state, args.unresolved, args.limit).await? {
        let report = &r.report;
        let state = match report.resolved_at {
            Some(at) => format!("resolved {}", to_rfc3339(at)),
            None => "open".into(),
        };
        out.push_str(&format!(
            "\n{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            report.id,
            to_rfc3339(report.created_at),
            state,
            report.category,
            handle(&r.reporter),
            handle(&r.target),
            if report.forwarded { "yes" } else { "no" },
            if r.status_ap_ids.is_empty() {
                "-".to_string()
            } else {
                r.status_ap_ids.join(" ")
            },
            report.comment.replace(['\n', '\t'], " ")
        ));
    }
    Ok(out)
}

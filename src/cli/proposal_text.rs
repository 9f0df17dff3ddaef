//! How the command line prints a proposal: a one-line summary, or the full detail with its tally,
//! what the count decides while voting, the decision and the lifecycle log.

use cohort::{
    db::{self, proposals::log::LogRow},
    domain::{proposal::ProposalState, time::to_rfc3339},
    service::proposals::{member::counted_outcome, read::View},
    state::Ctx,
};

fn acct(a: &db::actors::ActorRow) -> String {
    format!("@{}@{}", a.username, a.domain)
}

/// `state · title (group) · approve/object/abstain`.
pub(crate) fn summary(v: &View) -> String {
    let (p, t) = (&v.proposal, &v.tally.total);
    format!(
        "{} · {} ({}) · {} approve, {} object, {} abstain",
        p.state,
        p.title,
        acct(&v.group),
        t.approve,
        t.object,
        t.abstain
    )
}

/// The proposal in full, then its log.
pub(crate) async fn detail(ctx: &Ctx, v: &View, log: Vec<LogRow>) -> anyhow::Result<String> {
    let (p, t) = (&v.proposal, &v.tally);
    let level = v.level.map(|l| format!(" ({l})")).unwrap_or_default();
    let mut out = vec![
        format!("{} · {}", p.id, p.title),
        format!("  group {} · author {}", acct(&v.group), acct(&v.author)),
        format!(
            "  state {} · kind {} · rule {} · quorum {} · scope {}{level}",
            p.state,
            p.kind.as_str(),
            p.decision_rule,
            p.quorum,
            p.scope
        ),
    ];
    if let Some(ap) = &p.ap_id {
        out.push(format!("  post {ap}"));
    }
    if let Some(end) = p.voting_ends_at {
        out.push(format!("  voting ends {}", to_rfc3339(end)));
    }
    out.push(format!(
        "  tally {} approve, {} object, {} abstain · {} voter(s) · {} reasoned objection(s)",
        t.total.approve,
        t.total.object,
        t.total.abstain,
        t.total.voters(),
        t.reasoned_objections
    ));
    for (host, c) in &t.institutions {
        out.push(format!(
            "    {host}: {} approve, {} object, {} abstain",
            c.approve, c.object, c.abstain
        ));
    }
    if p.state == ProposalState::Voting {
        let (to, outcome) = counted_outcome(v);
        out.push(format!("  the count now decides: {to} ({:?})", outcome.why));
    }
    if let (Some(o), Some(r)) = (&p.outcome, &p.rationale) {
        out.push(format!("  decision {o}: {r}"));
    }
    out.push("log:".into());
    let actors: Vec<String> = ids_of(&log);
    let names = ctx
        .db
        .run(move |c| {
            actors
                .iter()
                .map(|id| Ok(db::actors::by_id(c, id)?.map(|a| acct(&a))))
                .collect::<db::DbResult<Vec<_>>>()
        })
        .await?;
    for (l, who) in log.iter().zip(names) {
        out.push(format!(
            "  {}  {} → {}  by {}{}",
            to_rfc3339(l.at),
            l.from_state.as_deref().unwrap_or("-"),
            l.to_state,
            who.unwrap_or_else(|| "?".into()),
            l.reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ));
    }
    Ok(out.join("\n"))
}

fn ids_of(log: &[LogRow]) -> Vec<String> {
    log.iter().map(|l| l.actor_id.clone()).collect()
}

//! Drafting a proposal (from a group's template or from scratch) and editing it while it is a
//! draft. A draft is seen by its author only; it reaches the group when it is opened.

use super::{governance, load, log_move, refused, templates};
use crate::{
    db::{self, actors::ActorRow, proposals::ProposalRow},
    domain::{
        ids::new_id,
        proposal::{
            lifecycle::editable,
            rule::{DecisionRule, Quorum},
            template::{check_answers, Template},
            Election, ProposalKind, ProposalState,
        },
        sanitize,
        time::now_ms,
    },
    error::{AppError, AppResult},
    service::{follows::resolve_handle, groups},
    state::Ctx,
};

/// What a member asks for. Unset terms come from the template, else the defaults.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// The group: a local name, or `name@host`.
    pub group: String,
    pub title: String,
    pub body: String,
    pub kind: Option<String>,
    pub template: Option<String>,
    pub answers: Vec<(String, String)>,
    pub rule: Option<String>,
    pub quorum: Option<String>,
    pub scope: Option<String>,
    pub discussion_days: Option<i32>,
    pub voting_days: Option<i32>,
    /// A lead election's candidate (`@name@host`) and term in days.
    pub candidate: Option<String>,
    pub term_days: Option<i32>,
}

const MAX_TITLE: usize = 200;
const MAX_BODY: usize = 20_000;

/// Creates a draft in a group for `me`.
pub async fn create(ctx: &Ctx, me: &ActorRow, d: Draft) -> AppResult<ProposalRow> {
    let group = super::read::resolve_known(ctx, &d.group).await?;
    let candidate = match d.candidate.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(h) => Some(resolve_handle(ctx, h).await?.ap_id),
        None => None,
    };
    // A remote group's templates are read from its node.
    let remote_template = match d.template.as_deref().filter(|t| !t.is_empty()) {
        Some(slug) if !group.local => {
            let all = ctx.remote.templates_of(ctx, &group).await?;
            let names: Vec<String> = all.iter().map(|t| t.slug.clone()).collect();
            Some(all.into_iter().find(|t| t.slug == slug).ok_or_else(|| {
                refused(format!(
                    "the group has no template {slug:?} (it has: {})",
                    names.join(", ")
                ))
            })?)
        }
        _ => None,
    };
    let me = me.clone();
    ctx.db
        .tx(move |c| {
            if group.local {
                groups::is_member(c, &group, &me)?;
            }
            let template = match d.template.as_deref().filter(|t| !t.is_empty()) {
                Some(slug) if group.local => Some(templates::get(c, &group.id, slug)?),
                Some(_) => remote_template,
                None => None,
            };
            let mut row = fresh(&me, &group, template.as_ref(), &d, candidate)?;
            if group.local {
                governance::level_in(c, &group, &row.scope)?;
            }
            row.id = new_id();
            db::proposals::insert(c, &row)?;
            log_move(c, &row, None, &me.id, Some("drafted"), row.created_at)?;
            Ok(row)
        })
        .await
}

/// Builds the draft's row from the request and the template, checking every term.
fn fresh(
    me: &ActorRow,
    group: &ActorRow,
    t: Option<&Template>,
    d: &Draft,
    candidate: Option<String>,
) -> AppResult<ProposalRow> {
    check_text(&d.title, &d.body)?;
    if let Some(t) = t {
        check_answers(t, &d.answers).map_err(refused)?;
    } else if !d.answers.is_empty() {
        return Err(refused("answers need a template"));
    }
    let kind = match (&d.kind, t) {
        (Some(k), _) => ProposalKind::parse(k).map_err(refused)?,
        (None, Some(t)) => t.kind.clone(),
        (None, None) => return Err(refused("kind is required without a template")),
    };
    let rule = match (&d.rule, t) {
        (Some(r), _) => DecisionRule::parse(r).map_err(refused)?,
        (None, Some(t)) => t.rule,
        (None, None) => DecisionRule::Majority,
    };
    let quorum = match (&d.quorum, t) {
        (Some(q), _) => Quorum::parse(q).map_err(refused)?,
        (None, Some(t)) => t.quorum,
        (None, None) => Quorum::Count(0),
    };
    let scope = match (&d.scope, t) {
        (Some(s), _) => s.trim().to_string(),
        (None, Some(t)) => t.scope.clone(),
        (None, None) => return Err(refused("scope is required without a template")),
    };
    let days = |given: Option<i32>, dflt: u32, what: &str| -> AppResult<i32> {
        let n = given.unwrap_or(dflt as i32);
        if !(0..=90).contains(&n) || (what == "voting" && n == 0) {
            return Err(refused(format!(
                "{what}_days must be between {} and 90",
                (what == "voting") as i32
            )));
        }
        Ok(n)
    };
    let payload = payload_of(&kind, &d.answers, candidate, d.term_days)?;
    let now = now_ms();
    Ok(ProposalRow {
        id: String::new(),
        post_id: None,
        ap_id: None,
        group_id: group.id.clone(),
        author_id: me.id.clone(),
        local: true,
        title: sanitize::plain(d.title.trim()),
        body: d.body.trim().to_string(),
        kind,
        template: t.map(|t| t.slug.clone()),
        answers: serde_json::to_string(
            &d.answers
                .iter()
                .cloned()
                .collect::<std::collections::BTreeMap<_, _>>(),
        )
        .map_err(AppError::internal)?,
        payload,
        decision_rule: rule,
        quorum,
        scope,
        state: ProposalState::Draft,
        discussion_days: days(
            d.discussion_days,
            t.map_or(7, |t| t.discussion_days),
            "discussion",
        )?,
        voting_days: days(d.voting_days, t.map_or(7, |t| t.voting_days), "voting")?,
        members_at_open: None,
        voting_ends_at: None,
        outcome: None,
        rationale: None,
        tally: None,
        decided_at: None,
        decision_json: None,
        created_at: now,
        updated_at: now,
    })
}

fn check_text(title: &str, body: &str) -> AppResult<()> {
    if title.trim().is_empty() || title.chars().count() > MAX_TITLE {
        return Err(refused(format!(
            "a title of 1 to {MAX_TITLE} characters is required"
        )));
    }
    if body.chars().count() > MAX_BODY {
        return Err(refused(format!(
            "the body is limited to {MAX_BODY} characters"
        )));
    }
    Ok(())
}

/// What a kind needs beyond text: a lead election its candidate and term; a governance rule the
/// new document (JSON in the template's `document` answer).
fn payload_of(
    kind: &ProposalKind,
    answers: &[(String, String)],
    candidate: Option<String>,
    term_days: Option<i32>,
) -> AppResult<Option<String>> {
    let answer = |n: &str| {
        answers
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.trim().to_string())
    };
    match kind {
        ProposalKind::LeadElection => {
            let who = candidate.ok_or_else(|| refused("a lead election needs a candidate"))?;
            let term = term_days
                .or_else(|| answer("term_days").and_then(|t| t.parse().ok()))
                .unwrap_or(365);
            if !(1..=3650).contains(&term) {
                return Err(refused("term_days must be between 1 and 3650"));
            }
            let e = Election {
                candidate: who,
                term_days: term,
            };
            Ok(Some(serde_json::to_string(&e).map_err(AppError::internal)?))
        }
        ProposalKind::GovernanceRule => {
            let text = answer("document")
                .ok_or_else(|| refused("a governance rule needs the new document"))?;
            let doc: crate::domain::governance::Document = serde_json::from_str(&text).map_err(|e| {
                refused(format!("the new governance document is not valid ({e}); give {{\"scopes\": {{\"research\": \"open\", …}}, \"text\": …, \"code_of_conduct\": …}}"))
            })?;
            Ok(Some(
                serde_json::to_string(&doc).map_err(AppError::internal)?,
            ))
        }
        _ => Ok(None),
    }
}

/// Edits a draft (its author only): the title, body, rule, quorum and scope.
pub async fn edit(ctx: &Ctx, me: &ActorRow, id: &str, d: Draft) -> AppResult<ProposalRow> {
    let (me, id) = (me.clone(), id.to_string());
    ctx.db
        .tx(move |c| {
            let mut p = load(c, &id)?;
            if p.author_id != me.id {
                return Err(AppError::Forbidden("only the author edits a draft".into()));
            }
            if !editable(p.state) {
                return Err(refused(format!(
                    "a proposal is edited only while it is a draft (it is {})",
                    p.state
                )));
            }
            if !d.title.is_empty() {
                check_text(&d.title, &d.body)?;
                p.title = sanitize::plain(d.title.trim());
            }
            if !d.body.is_empty() {
                check_text(&p.title, &d.body)?;
                p.body = d.body.trim().to_string();
            }
            if let Some(r) = &d.rule {
                p.decision_rule = DecisionRule::parse(r).map_err(refused)?;
            }
            if let Some(q) = &d.quorum {
                p.quorum = Quorum::parse(q).map_err(refused)?;
            }
            if let Some(s) = &d.scope {
                let group = super::group_of(c, &p)?;
                if group.local {
                    governance::level_in(c, &group, s.trim())?;
                }
                p.scope = s.trim().to_string();
            }
            p.updated_at = now_ms();
            db::proposals::save(c, &p)?;
            Ok(p)
        })
        .await
}

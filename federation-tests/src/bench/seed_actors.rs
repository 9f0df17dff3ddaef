//! The seeder's cast: members, groups, memberships and follows, made through the same service
//! calls the client API and the CLI use (creating an account, creating a group, following), and
//! access tokens through the OAuth service (an app, then the password grant). Everything here is
//! idempotent: what already exists is looked up and kept.

use super::seedfile::SeedAccount;
use cohort::{
    db::{self, actors::ActorRow},
    domain::policy::Visibility,
    service::{follows, groups, oauth, users},
    state::Ctx,
};
use futures::{StreamExt, TryStreamExt};

/// The password of every seeded member.
pub const PASSWORD: &str = "seed-password";

/// Seeded members and groups, and which groups each member belongs to (indexes into `groups`).
pub struct Cast {
    pub members: Vec<ActorRow>,
    pub groups: Vec<ActorRow>,
    pub member_groups: Vec<Vec<usize>>,
}

pub fn member_name(i: usize) -> String {
    format!("seed{i}")
}

pub fn group_name(i: usize) -> String {
    format!("seedgroup{i}")
}

async fn local(ctx: &Ctx, name: String) -> anyhow::Result<Option<ActorRow>> {
    Ok(ctx
        .db
        .run(move |c| db::actors::local_by_username(c, &name))
        .await?)
}

/// Members `seed0…seed{n-1}`, created when missing; returns them and how many were created.
async fn ensure_members(
    ctx: &Ctx,
    n: usize,
    tasks: usize,
) -> anyhow::Result<(Vec<ActorRow>, usize)> {
    let all: Vec<(ActorRow, bool)> = futures::stream::iter(0..n)
        .map(|i| async move {
            if let Some(a) = local(ctx, member_name(i)).await? {
                return Ok::<_, anyhow::Error>((a, false));
            }
            let name = member_name(i);
            let (a, _) =
                users::create_user(ctx.app_data(), &name, false, Some(PASSWORD.into())).await?;
            Ok((a, true))
        })
        .buffered(tasks)
        .try_collect()
        .await?;
    let created = all.iter().filter(|(_, new)| *new).count();
    Ok((all.into_iter().map(|(a, _)| a).collect(), created))
}

/// Public groups `seedgroup0…`, each moderated by a member, created when missing.
async fn ensure_groups(ctx: &Ctx, n: usize, members: usize) -> anyhow::Result<Vec<ActorRow>> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let g = match local(ctx, group_name(i)).await? {
            Some(g) => g,
            None => {
                let spec = groups::NewGroup {
                    name: group_name(i),
                    display_name: Some(format!("Seeded group {i}")),
                    summary: None,
                    approval_required: false,
                    visibility: Visibility::Public,
                    moderator: Some(member_name(i % members.max(1))),
                };
                groups::create_group(ctx.app_data(), spec).await?
            }
        };
        out.push(g);
    }
    Ok(out)
}

/// Builds (or finds) the cast: member `i` joins `per_member` groups from `i % groups` on and follows
/// the `follows` members after it.
pub async fn cast(
    ctx: &Ctx,
    (m, g, per_member, follows_n): (usize, usize, usize, usize),
    tasks: usize,
) -> anyhow::Result<Cast> {
    let (members, created) = ensure_members(ctx, m, tasks).await?;
    let groups = ensure_groups(ctx, g, m).await?;
    let member_groups: Vec<Vec<usize>> = (0..m)
        .map(|i| (0..per_member.min(g)).map(|j| (i + j) % g).collect())
        .collect();
    let mut pairs: Vec<(usize, ActorRow)> = Vec::new();
    for (i, gs) in member_groups.iter().enumerate() {
        pairs.extend(gs.iter().map(|&j| (i, groups[j].clone())));
        let others = follows_n.min(m.saturating_sub(1));
        pairs.extend((1..=others).map(|j| (i, members[(i + j) % m].clone())));
    }
    let joined = pairs.len();
    futures::stream::iter(pairs)
        .map(|(i, target)| {
            let me = members[i].clone();
            async move { follows::follow_with(ctx, &me, &target, None).await }
        })
        .buffer_unordered(tasks)
        .try_collect::<Vec<()>>()
        .await?;
    println!(
        "cast: {m} members ({created} new), {g} groups, {joined} follows and memberships ensured"
    );
    Ok(Cast {
        members,
        groups,
        member_groups,
    })
}

/// Issues an access token (scopes read write follow) for each of the first `n` members.
pub async fn tokens(ctx: &Ctx, cast: &Cast, n: usize) -> anyhow::Result<Vec<SeedAccount>> {
    let scopes = "read write follow";
    let app = oauth::register_app(
        ctx.app_data(),
        "cohort-seed",
        vec!["urn:ietf:wg:oauth:2.0:oob".into()],
        scopes,
        None,
    )
    .await?;
    let mut out = Vec::new();
    for (i, m) in cast.members.iter().take(n).enumerate() {
        let t = oauth::password_grant(
            ctx.app_data(),
            &app.app,
            &m.username,
            PASSWORD,
            Some(scopes),
        )
        .await
        .map_err(|e| anyhow::anyhow!("token for {}: {} {}", m.username, e.error, e.description))?;
        out.push(SeedAccount {
            id: m.id.clone(),
            username: m.username.clone(),
            token: t.access_token,
            groups: cast.member_groups[i]
                .iter()
                .map(|&g| cast.groups[g].username.clone())
                .collect(),
        });
    }
    Ok(out)
}

//! Hashtag timelines with extra hashtags (`any[]`, `all[]`, `none[]`, with `local`, `remote`
//! and `only_media`) and followed hashtags (follow, unfollow, the paged list, `following`, and
//! their public statuses in the home timeline), through the client API on one node, on SQLite and
//! on PostgreSQL, with the audience rule and the refusals.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{db, domain::actor::ActorKind, Node};
use serde_json::{json, Value};
use support::{http::serve, personal::*, *};

async fn anonymous_get(base: &str, path: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Every status of a hashtag timeline, read two a page by following `next` links.
async fn walked(m: &Member, path: &str) -> Vec<String> {
    let (mut out, mut next) = (Vec::new(), Some(path.to_string()));
    while let Some(p) = next.take() {
        let (status, page, link) = m.call("GET", &p, None).await;
        assert_eq!(status, 200, "{p}: {page}");
        let got = ids(&page);
        if got.is_empty() {
            break;
        }
        out.extend(got);
        next = link
            .split(", ")
            .find(|l| l.ends_with("rel=\"next\""))
            .and_then(|l| l.split('>').next())
            .and_then(|l| l.strip_prefix('<'))
            .and_then(|l| l.find("/api/").map(|i| l[i..].to_string()));
        let kept = next.as_deref().unwrap_or_default();
        assert!(next.is_none() || kept.contains("limit=2"), "{kept}");
    }
    out
}

async fn tag_filters(n: Node) {
    let base = serve(&n).await;
    let alice = Member::new(&n, &base, "alice").await;
    let bob = Member::new(&n, &base, "bob").await;
    let only_cells = alice.post("only #cells", json!({})).await;
    let cells_mice = alice.post("#cells and #mice", json!({})).await;
    let only_mice = alice.post("only #mice", json!({})).await;
    let all_three = alice.post("#cells #mice #rats", json!({})).await;
    let only_rats = alice.post("only #rats", json!({})).await;
    let owner = db_actor(&n, &alice.id).await;
    let png = include_bytes!("../assets/avatar.png").to_vec();
    let media = cohort::service::media::upload(&n.state, &owner, png, None)
        .await
        .unwrap();
    let pictured = alice
        .post("a #cells picture", json!({"media_ids": [media.id]}))
        .await;
    alice
        .post("#cells for followers", json!({"visibility": "private"}))
        .await;
    let peer = remote(&n, "pat", "full.example", ActorKind::Person).await;
    let far = remote_post(&n, &peer, None, "#cells from afar").await;
    let far_id = far.id.clone();
    n.state
        .db
        .run(move |c| db::tags::set_for_post(c, &far_id, &["cells".to_string()]))
        .await
        .unwrap();
    let far = far.id;

    let t = "/api/v1/timelines/tag/cells?limit=2";
    let cases: Vec<(String, Vec<&String>)> = vec![
        (
            t.into(),
            vec![&far, &pictured, &all_three, &cells_mice, &only_cells],
        ),
        (
            format!("{t}&any[]=rats"),
            vec![
                &far,
                &pictured,
                &only_rats,
                &all_three,
                &cells_mice,
                &only_cells,
            ],
        ),
        (
            format!("{t}&any[]=rats&any[]=mice"),
            vec![
                &far,
                &pictured,
                &only_rats,
                &all_three,
                &only_mice,
                &cells_mice,
                &only_cells,
            ],
        ),
        (format!("{t}&all[]=mice"), vec![&all_three, &cells_mice]),
        (format!("{t}&all[]=mice&all[]=rats"), vec![&all_three]),
        (
            format!("{t}&none[]=mice"),
            vec![&far, &pictured, &only_cells],
        ),
        (format!("{t}&all[]=mice&none[]=rats"), vec![&cells_mice]),
        (
            format!("{t}&any[]=rats&none[]=mice"),
            vec![&far, &pictured, &only_rats, &only_cells],
        ),
        (
            format!("{t}&local=true&any[]=rats&none[]=mice"),
            vec![&pictured, &only_rats, &only_cells],
        ),
        (format!("{t}&remote=true&none[]=mice"), vec![&far]),
        (format!("{t}&only_media=true&none[]=mice"), vec![&pictured]),
        (format!("{t}&all[]=nowhere"), vec![]),
    ];
    for (path, want) in &cases {
        let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(walked(&alice, path).await, want, "{path}");
    }
    // Anonymous visitors read the same public statuses, and `min_id` pages upwards.
    let (status, page) =
        anonymous_get(&base, "/api/v1/timelines/tag/cells?all[]=mice&none[]=rats").await;
    assert_eq!(status, 200);
    assert_eq!(ids(&page), std::slice::from_ref(&cells_mice));
    let up = alice
        .ok(
            "GET",
            &format!("/api/v1/timelines/tag/mice?any[]=rats&min_id={only_mice}&limit=2"),
            None,
        )
        .await;
    assert_eq!(ids(&up), [only_rats.clone(), all_three.clone()]);

    // Blocking the author removes their statuses from the blocker's hashtag timelines.
    bob.ok(
        "POST",
        &format!("/api/v1/accounts/{}/block", alice.id),
        None,
    )
    .await;
    let seen = walked(&bob, &format!("{t}&any[]=rats")).await;
    assert_eq!(seen, std::slice::from_ref(&far));

    // Refusals.
    for bad in [
        "/api/v1/timelines/tag/cells?any[]=not%20a%20tag",
        "/api/v1/timelines/tag/cells?none[]=%23",
        "/api/v1/timelines/tag/cells?all[]=a&all[]=b&all[]=c&all[]=d&all[]=e",
    ] {
        alice.refused("GET", bad, None, 422).await;
    }
    alice
        .refused(
            "GET",
            "/api/v1/timelines/tag/no%20tag?any[]=rats",
            None,
            404,
        )
        .await;
}

both!(
    tag_filters_on_sqlite,
    tag_filters_on_postgres,
    tag_filters,
    "tagfilters"
);

async fn followed_tags(n: Node) {
    let base = serve(&n).await;
    let alice = Member::new(&n, &base, "alice").await;
    let bob = Member::new(&n, &base, "bob").await;
    let carol = Member::new(&n, &base, "carol").await;
    let before = alice.post("#cells before the follow", json!({})).await;

    let followed = bob.ok("POST", "/api/v1/tags/Cells/follow", None).await;
    assert_eq!(followed["name"], "cells");
    assert_eq!(followed["following"], true);
    let again = bob.ok("POST", "/api/v1/tags/%23cells/follow", None).await;
    assert_eq!(again["following"], true, "following twice is no error");
    assert_eq!(
        bob.ok("GET", "/api/v1/tags/cells", None).await["following"],
        true
    );
    assert_eq!(
        carol.ok("GET", "/api/v1/tags/cells", None).await["following"],
        false
    );
    let (_, anon) = anonymous_get(&base, "/api/v1/tags/cells").await;
    assert!(anon.get("following").is_none(), "{anon}");

    // Bob follows nobody: the hashtag's public statuses come to his home timeline, others not.
    let public = alice.post("#cells in public", json!({})).await;
    alice
        .post("#cells unlisted", json!({"visibility": "unlisted"}))
        .await;
    alice
        .post("#cells for followers", json!({"visibility": "private"}))
        .await;
    let mice = alice.post("#mice only", json!({})).await;
    let own = bob.post("bob's own", json!({})).await;
    let home = bob.ok("GET", "/api/v1/timelines/home", None).await;
    assert_eq!(ids(&home), [own.clone(), public.clone(), before.clone()]);
    assert_eq!(
        heard(&n, &bob.id, cohort::service::streams::Stream::User, &public).await,
        ["update"]
    );
    assert!(heard(
        &n,
        &carol.id,
        cohort::service::streams::Stream::User,
        &public
    )
    .await
    .is_empty());
    // Paging over the followed hashtag's statuses.
    let older = bob
        .ok(
            "GET",
            &format!("/api/v1/timelines/home?limit=1&max_id={public}"),
            None,
        )
        .await;
    assert_eq!(ids(&older), std::slice::from_ref(&before));
    let newer = bob
        .ok(
            "GET",
            &format!("/api/v1/timelines/home?min_id={before}&limit=1"),
            None,
        )
        .await;
    assert_eq!(ids(&newer), std::slice::from_ref(&public));

    // Muting or blocking the author takes them out again.
    bob.ok("POST", &format!("/api/v1/accounts/{}/mute", alice.id), None)
        .await;
    assert_eq!(
        ids(&bob.ok("GET", "/api/v1/timelines/home", None).await),
        std::slice::from_ref(&own)
    );
    bob.ok(
        "POST",
        &format!("/api/v1/accounts/{}/unmute", alice.id),
        None,
    )
    .await;
    carol
        .ok("POST", &format!("/api/v1/accounts/{}/block", bob.id), None)
        .await;
    let blocked = carol.post("#cells from carol", json!({})).await;
    let home = ids(&bob.ok("GET", "/api/v1/timelines/home", None).await);
    assert!(
        !home.contains(&blocked) && home.contains(&public),
        "{home:?}"
    );

    // The list, newest follow first, paged with links.
    bob.ok("POST", "/api/v1/tags/mice/follow", None).await;
    bob.ok("POST", "/api/v1/tags/rats/follow", None).await;
    let (status, page, link) = bob.call("GET", "/api/v1/followed_tags?limit=2", None).await;
    assert_eq!(status, 200);
    let names: Vec<&str> = page
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["rats", "mice"]);
    assert!(page
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["following"] == true));
    let next = link
        .split(", ")
        .find(|l| l.ends_with("rel=\"next\""))
        .unwrap();
    let next = &next[next.find("/api/").unwrap()..next.find('>').unwrap()];
    let rest = bob.ok("GET", next, None).await;
    assert_eq!(rest[0]["name"], "cells");
    assert_eq!(rest.as_array().unwrap().len(), 1);
    assert_eq!(
        carol.ok("GET", "/api/v1/followed_tags", None).await,
        json!([])
    );

    // Unfollowing: the hashtag's statuses leave the home timeline (the other followed one's
    // stay).
    let unfollowed = bob.ok("POST", "/api/v1/tags/cells/unfollow", None).await;
    assert_eq!(unfollowed["following"], false);
    bob.ok("POST", "/api/v1/tags/cells/unfollow", None).await;
    assert_eq!(
        ids(&bob.ok("GET", "/api/v1/timelines/home", None).await),
        [own.clone(), mice]
    );
    assert_eq!(
        bob.ok("GET", "/api/v1/followed_tags", None)
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Refusals change nothing.
    bob.refused("POST", "/api/v1/tags/not%20a%20tag/follow", None, 404)
        .await;
    bob.refused("POST", "/api/v1/tags/%23/unfollow", None, 404)
        .await;
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/tags/cells/follow"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let (status, _) = anonymous_get(&base, "/api/v1/followed_tags").await;
    assert_eq!(status, 401);
    assert_eq!(
        bob.ok("GET", "/api/v1/followed_tags", None)
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

both!(
    followed_tags_on_sqlite,
    followed_tags_on_postgres,
    followed_tags,
    "followedtags"
);

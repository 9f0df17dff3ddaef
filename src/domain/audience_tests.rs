//! Table tests of the audience rule: every post visibility × group visibility × kind of reader.

use super::*;
use PostVisibility::{Direct, Private, Public as PPublic, Unlisted};
use Visibility::{Consortium, Local, Members, Public as GPublic};

fn group(visibility: Visibility) -> Option<GroupScope> {
    Some(GroupScope {
        visibility,
        approval_required: false,
    })
}

fn approval(visibility: Visibility) -> Option<GroupScope> {
    Some(GroupScope {
        visibility,
        approval_required: true,
    })
}

fn anon() -> Reader {
    Reader::anonymous()
}
fn local() -> Reader {
    Reader::local()
}
fn follower() -> Reader {
    Reader {
        follower: true,
        ..Reader::local()
    }
}
fn member() -> Reader {
    Reader {
        member: true,
        ..Reader::local()
    }
}
fn moderator() -> Reader {
    Reader {
        moderator: true,
        ..Reader::local()
    }
}
fn addressee() -> Reader {
    Reader {
        addressee: true,
        ..Reader::local()
    }
}
fn author() -> Reader {
    Reader {
        author: true,
        ..Reader::local()
    }
}
fn full() -> Reader {
    Reader::peer(PeerLevel::Full)
}
fn full_with(member: bool, follower: bool, addressee: bool) -> Reader {
    Reader {
        member,
        follower,
        addressee,
        ..Reader::peer(PeerLevel::Full)
    }
}
fn limited_with(member: bool, follower: bool, addressee: bool) -> Reader {
    Reader {
        member,
        follower,
        addressee,
        ..Reader::peer(PeerLevel::Limited)
    }
}
fn blocked_with_everything() -> Reader {
    Reader {
        author: true,
        member: true,
        follower: true,
        addressee: true,
        moderator: true,
        ..Reader::peer(PeerLevel::Blocked)
    }
}

#[test]
fn posts_outside_groups() {
    // (visibility, reader, expected)
    let table: Vec<(PostVisibility, Reader, bool)> = vec![
        (PPublic, anon(), true),
        (Unlisted, anon(), true),
        (Private, anon(), false),
        (Direct, anon(), false),
        (Private, local(), false),
        (Private, follower(), true),
        (Private, addressee(), true),
        (Private, member(), false),
        (Direct, follower(), false),
        (Direct, addressee(), true),
        (Direct, author(), true),
        (Private, author(), true),
        (PPublic, full(), true),
        (Private, full(), false),
        (Private, full_with(false, true, false), true),
        (Private, full_with(false, false, true), true),
        (Direct, full_with(false, true, false), false),
        (Direct, full_with(false, false, true), true),
        (PPublic, limited_with(false, false, false), true),
        (Unlisted, limited_with(false, false, false), true),
        (Private, limited_with(false, true, true), false),
        (Direct, limited_with(false, false, true), false),
        (PPublic, blocked_with_everything(), false),
        (Direct, blocked_with_everything(), false),
    ];
    for (i, (v, r, want)) in table.into_iter().enumerate() {
        assert_eq!(
            may_see(&Audience::of_post(v, None), &r),
            want,
            "row {i}: {v:?} for {r:?}"
        );
    }
}

#[test]
fn public_posts_in_groups() {
    // (group, reader, expected) for a public post.
    let table: Vec<(Option<GroupScope>, Reader, bool)> = vec![
        (group(GPublic), anon(), true),
        (group(GPublic), limited_with(false, false, false), true),
        (group(Consortium), anon(), false),
        (group(Consortium), local(), true),
        (group(Consortium), full(), true),
        (group(Consortium), limited_with(true, true, true), false),
        (group(Members), anon(), false),
        (group(Members), local(), false),
        (group(Members), member(), true),
        (group(Members), moderator(), true),
        (group(Members), full(), false),
        (group(Members), full_with(false, true, true), false),
        (group(Members), full_with(true, false, false), true),
        (group(Members), limited_with(true, true, true), false),
        (group(Local), anon(), false),
        (group(Local), local(), true),
        (group(Local), member(), true),
        (group(Local), full_with(true, true, true), false),
        (group(Local), limited_with(true, true, true), false),
        (approval(GPublic), anon(), false),
        (approval(GPublic), local(), false),
        (approval(GPublic), member(), true),
        (approval(GPublic), full(), false),
        (approval(GPublic), full_with(true, false, false), true),
        (approval(Consortium), full_with(false, true, true), false),
        (approval(Local), full_with(true, false, false), false),
        (group(Members), author(), true),
        (group(Local), blocked_with_everything(), false),
    ];
    for (i, (g, r, want)) in table.into_iter().enumerate() {
        assert_eq!(
            may_see(&Audience::of_post(PPublic, g), &r),
            want,
            "row {i}: {g:?} for {r:?}"
        );
    }
}

#[test]
fn narrow_posts_in_groups() {
    // In a group, followers-only means the group's members; a mention never widens the group.
    let table: Vec<(PostVisibility, Option<GroupScope>, Reader, bool)> = vec![
        (Private, group(GPublic), anon(), false),
        (Private, group(GPublic), follower(), false),
        (Private, group(GPublic), member(), true),
        (Private, group(GPublic), moderator(), true),
        (Private, group(GPublic), addressee(), true),
        (Private, group(GPublic), full_with(true, false, false), true),
        (
            Private,
            group(GPublic),
            full_with(false, true, false),
            false,
        ),
        (
            Private,
            group(GPublic),
            limited_with(true, false, false),
            false,
        ),
        (Direct, group(GPublic), member(), false),
        (Direct, group(GPublic), addressee(), true),
        (Direct, group(Members), addressee(), false),
        (Direct, group(Members), full_with(false, false, true), false),
        (
            Direct,
            group(Consortium),
            limited_with(false, false, true),
            false,
        ),
        (
            Unlisted,
            group(Members),
            full_with(false, false, true),
            false,
        ),
        (Unlisted, group(Local), full_with(true, true, true), false),
        (Unlisted, group(Consortium), full(), true),
    ];
    for (i, (v, g, r, want)) in table.into_iter().enumerate() {
        assert_eq!(
            may_see(&Audience::of_post(v, g), &r),
            want,
            "row {i}: {v:?} in {g:?} for {r:?}"
        );
    }
}

#[test]
fn labels_keep_content_on_this_node() {
    let mut a = Audience::of_post(PPublic, group(GPublic));
    a.labels.push(Label::Embargoed);
    assert!(!may_see(&a, &anon()));
    assert!(!may_see(&a, &full_with(true, true, true)));
    assert!(may_see(&a, &local()));
    assert!(may_see(&a, &author()));
    assert!(!a.is_public());
}

#[test]
fn public_and_listed() {
    assert!(Audience::public().is_listed());
    assert!(!Audience::of_post(Unlisted, None).is_listed());
    assert!(Audience::of_post(Unlisted, None).is_public());
    assert!(!Audience::of_post(PPublic, group(Consortium)).is_public());
    assert!(!Audience::of_post(PPublic, approval(GPublic)).is_public());
    assert!(!Audience::of_post(Private, None).is_public());
}

#[test]
fn protocol_messages_go_to_their_party_only() {
    assert!(may_exchange(PeerLevel::Limited, true));
    assert!(may_exchange(PeerLevel::Full, true));
    assert!(!may_exchange(PeerLevel::Full, false));
    assert!(!may_exchange(PeerLevel::Blocked, true));
}

#[test]
fn stored_visibility_never_widens() {
    assert_eq!(PostVisibility::from_stored("public"), PPublic);
    assert_eq!(PostVisibility::from_stored("private"), Private);
    assert_eq!(PostVisibility::from_stored("bogus"), Direct);
    assert!("followers".parse::<PostVisibility>().is_err());
}

#[test]
fn a_blocked_reader_sees_only_what_anyone_may() {
    let blocked = |r: Reader| Reader { blocked: true, ..r };
    for v in [PPublic, Unlisted] {
        assert!(may_see(&Audience::of_post(v, None), &blocked(follower())));
    }
    for v in [Private, Direct] {
        assert!(!may_see(&Audience::of_post(v, None), &blocked(follower())));
        assert!(!may_see(&Audience::of_post(v, None), &blocked(addressee())));
    }
    assert!(!may_see(
        &Audience::of_post(PPublic, group(Local)),
        &blocked(member())
    ));
    assert!(may_see(
        &Audience::of_post(PPublic, group(GPublic)),
        &blocked(member())
    ));
}

#[test]
fn a_blocker_no_longer_sees_the_blocked_author() {
    let blocking = |r: Reader| Reader {
        blocking: true,
        ..r
    };
    for v in [PPublic, Unlisted, Private, Direct] {
        assert!(!may_see(
            &Audience::of_post(v, None),
            &blocking(addressee())
        ));
        assert!(!may_see(&Audience::of_post(v, None), &blocking(follower())));
    }
    assert!(may_see(
        &Audience::of_post(Direct, None),
        &Reader {
            blocking: true,
            ..author()
        }
    ));
}

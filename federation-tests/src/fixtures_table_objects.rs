//! Expectations for the object and collection fixtures: see `tests/fixtures_inbound.rs`. Posts
//! arrive in a `Create` from their author, actors in an `Update` of themselves.

use crate::fixtures::{Check::*, Entry, Expect::*, Local, Prep::*};

const TENFORWARD: &str = "https://enterprise.lemmy.ml/c/tenforward";
const TESTCOM: &str = "https://ds9.lemmy.ml/c/testcom";

const fn e(
    path: &'static str,
    prep: &'static [crate::fixtures::Prep],
    expect: crate::fixtures::Expect,
) -> Entry {
    Entry { path, prep, expect }
}

const fn profile(
    path: &'static str,
    actor: &'static str,
    name: &'static str,
    kind: &'static str,
) -> Entry {
    e(path, &[], Stored(Profile { actor, name, kind }))
}

const NOT_INBOUND: crate::fixtures::Expect =
    NotInbound("a collection: read by fetching, never delivered to an inbox");

/// One row per object or collection fixture.
#[rustfmt::skip]
pub const OBJECTS: &[Entry] = &[
    profile("discourse/objects/group.json", "https://socialhub.activitypub.rocks/ap/actor/797217cf18c0e819dfafc52425590146", "Threadiverse Working Group (SocialHub)", "Group"),
    e("discourse/objects/page.json", &[FollowedGroup("https://socialhub.activitypub.rocks/ap/actor/797217cf18c0e819dfafc52425590146")],
        Stored(Post { id: "https://socialhub.activitypub.rocks/ap/object/1899f65c062200daec50a4c89ed76dc9", text: "Last Meeting", visibility: "direct", group: Some("https://socialhub.activitypub.rocks/ap/actor/797217cf18c0e819dfafc52425590146") })),
    profile("discourse/objects/person.json", "https://socialhub.activitypub.rocks/ap/actor/495843076e9e469fbd35ccf467ae9fb1", "Angus McLeod", "Person"),
    e("friendica/objects/note_1.json", &[FollowedGroup("https://lemmy.schuerz.at/c/test")],
        Stored(Post { id: "https://soc.schuerz.at/objects/4edd2508-4361-edb8-c4d8-b45181083984", text: "jakob", visibility: "public", group: Some("https://lemmy.schuerz.at/c/test") })),
    e("friendica/objects/note_2.json", &[FollowedGroup("https://lemmy.ml/c/fediversefutures")],
        Stored(Post { id: "https://nerdica.net/objects/a85d7459-7262-66e9-f901-f05552414769", text: "Friendica", visibility: "public", group: Some("https://lemmy.ml/c/fediversefutures") })),
    e("friendica/objects/page_1.json", &[FollowedGroup(TESTCOM)],
        Stored(Post { id: "https://pirati.ca/objects/ec054ce7-8062-3c1b-016c-910426317080", text: "Expedition 66", visibility: "unlisted", group: Some(TESTCOM) })),
    e("friendica/objects/page_2.json", &[FollowedGroup(TESTCOM)],
        Stored(Post { id: "https://pirati.ca/objects/ec054ce7-5162-3bf2-504c-16d024994850", text: "Hello Lemmy!", visibility: "unlisted", group: Some(TESTCOM) })),
    profile("friendica/objects/person_1.json", "https://soc.schuerz.at/profile/jakob", "Jakob :friendica:", "Person"),
    profile("friendica/objects/person_2.json", "https://poliverso.org/profile/informapirata", "Informa Pirata", "Organization"),
    e("gnusocial/objects/group.json", &[], Refused("public key of https://instance.gnusocial.test/actor/21 belongs to another actor")),
    e("gnusocial/objects/note.json", &[Follows("https://instance.gnusocial.test/actor/42")],
        Stored(Post { id: "https://instance.gnusocial.test/object/note/1339", text: "yay ^^", visibility: "public", group: None })),
    e("gnusocial/objects/page.json", &[FollowedGroup("https://instance.gnusocial.test/actor/21")],
        Stored(Post { id: "https://instance.gnusocial.test/object/note/1338", text: "interesting page", visibility: "public", group: Some("https://instance.gnusocial.test/actor/21") })),
    profile("gnusocial/objects/person.json", "https://instance.gnusocial.test/actor/42", "Diogo Peralta Cordeiro", "Person"),
    e("lemmy/collections/group_featured_posts.json", &[], NOT_INBOUND),
    e("lemmy/collections/group_followers.json", &[], NOT_INBOUND),
    e("lemmy/collections/group_moderators.json", &[], NOT_INBOUND),
    e("lemmy/collections/group_outbox.json", &[], NOT_INBOUND),
    e("lemmy/collections/person_outbox.json", &[], NOT_INBOUND),
    e("lemmy/objects/comment.json", &[FollowedGroup(TENFORWARD)],
        Stored(Post { id: "https://enterprise.lemmy.ml/comment/38741", text: "first comment!", visibility: "public", group: Some(TENFORWARD) })),
    profile("lemmy/objects/group.json", TENFORWARD, "Ten Forward", "Group"),
    profile("lemmy/objects/instance.json", "https://enterprise.lemmy.ml/", "Enterprise", "Application"),
    e("lemmy/objects/page.json", &[FollowedGroup(TENFORWARD)],
        Stored(Post { id: "https://enterprise.lemmy.ml/post/55143", text: "This is a post in the /c/tenforward community", visibility: "public", group: Some(TENFORWARD) })),
    e("lemmy/objects/page_image_and_link.json", &[FollowedGroup(TENFORWARD)],
        Stored(Post { id: "https://enterprise.lemmy.ml/post/55999", text: "both an image and a link", visibility: "public", group: Some(TENFORWARD) })),
    profile("lemmy/objects/person.json", "https://enterprise.lemmy.ml/u/picard", "Jean-Luc Picard", "Person"),
    e("lemmy/objects/private_message.json", &[Rewrite("https://queer.hacktivis.me/users/lanodan", Local::Member)],
        Stored(Message { id: "https://enterprise.lemmy.ml/private_message/1621", text: "Hello hello, testing" })),
    e("lemmy/objects/tombstone.json", &[HasPost { id: "https://lemmy.ml/comment/110273", author: "https://lemmy.ml/fixture-deleter", group: None }],
        Stored(Deleted("https://lemmy.ml/comment/110273"))),
    profile("lotide/objects/group.json", "https://narwhal.city/communities/12", "Iotide", "Group"),
    e("lotide/objects/note.json", &[FollowedGroup("https://narwhal.city/communities/4")],
        Stored(Post { id: "https://narwhal.city/comments/3", text: "Bob Dylan", visibility: "unlisted", group: Some("https://narwhal.city/communities/4") })),
    e("lotide/objects/page.json", &[FollowedGroup("https://narwhal.city/communities/4")],
        Stored(Post { id: "https://narwhal.city/posts/9", text: "Dylan Grillin", visibility: "unlisted", group: Some("https://narwhal.city/communities/4") })),
    profile("lotide/objects/person.json", "https://narwhal.city/users/3", "57H", "Person"),
    // lotide/activities/delete_note.json stored this post, by another author than this Delete's.
    e("lotide/objects/tombstone.json", &[], Refused("only the author or a moderator can delete a post")),
    e("mastodon/collections/featured.json", &[], NOT_INBOUND),
    e("mastodon/objects/note_1.json", &[Follows("https://mastodon.madrid/users/felix")],
        Stored(Post { id: "https://mastodon.madrid/users/felix/statuses/107224289116410645", text: "retiolus", visibility: "unlisted", group: None })),
    e("mastodon/objects/note_2.json", &[FollowedGroup("https://lemmy.kde.social/c/kde")],
        Stored(Post { id: "https://floss.social/users/kde/statuses/113306831140126616", text: "kde", visibility: "public", group: Some("https://lemmy.kde.social/c/kde") })),
    e("mastodon/objects/page.json", &[FollowedGroup(TENFORWARD)],
        Stored(Post { id: "https://masto.qa.urbanwildlife.biz/users/mastodon/statuses/110830743680706519", text: "tenforward", visibility: "public", group: Some(TENFORWARD) })),
    profile("mastodon/objects/person.json", "https://masto.qa.urbanwildlife.biz/users/mastodon", "Mastodon", "Person"),
    profile("mbin/objects/instance.json", "https://fedia.io/i/actor", "Mbin", "Application"),
    e("mobilizon/objects/event.json", &[Follows("https://rendezvous.nomagic.uk/@devon_caledonian_society")], Ignored("Event is not a post type Cohort stores")),
    profile("mobilizon/objects/group.json", "https://mobilizon.fr/@contribateliers", "Contribateliers", "Group"),
    profile("mobilizon/objects/person.json", "https://mobilizon.fr/@sanof44", "Sanof44", "Person"),
    profile("nodebb/objects/group.json", "https://bb.devnull.land/category/2", "General Discussion", "Group"),
    e("nodebb/objects/page.json", &[FollowedGroup("https://bb.devnull.land/category/2")],
        Stored(Post { id: "https://bb.devnull.land/post/1", text: "Welcome to your brand new NodeBB forum!", visibility: "public", group: Some("https://bb.devnull.land/category/2") })),
    profile("nodebb/objects/person.json", "https://bb.devnull.land/uid/1", "julian", "Person"),
    profile("peertube/objects/group.json", "https://tilvids.com/video-channels/thelinuxexperiment_channel", "The Linux Experiment", "Group"),
    e("peertube/objects/note.json", &[Follows("https://video.antopie.org/accounts/yoge6785555")],
        Stored(Post { id: "https://video.antopie.org/videos/watch/4294a720-f263-4ea4-9392-cf9cea4d5277/comments/200873", text: "idk", visibility: "public", group: None })),
    profile("peertube/objects/person.json", "https://tilvids.com/accounts/thelinuxexperiment", "The Linux Experiment", "Person"),
    e("peertube/objects/video.json", &[Follows("https://tilvids.com/accounts/thelinuxexperiment")], Ignored("Video is not a post type Cohort stores")),
    e("pleroma/objects/chat_message.json", &[Rewrite("https://enterprise.lemmy.ml/u/picard", Local::Member)], Ignored("ChatMessage is not a post type Cohort stores")),
    e("pleroma/objects/note.json", &[Follows("https://queer.hacktivis.me/users/lanodan")],
        Stored(Post { id: "https://queer.hacktivis.me/objects/8d4973f4-53de-49cd-8c27-df160e16a9c2", text: "Have what?", visibility: "unlisted", group: Some(TENFORWARD) })),
    profile("pleroma/objects/person.json", "https://queer.hacktivis.me/users/lanodan", "Haelwenn /элвэн/ :bzh: ", "Person"),
    e("smithereen/objects/note.json", &[Follows("https://friends.grishka.me/users/1")],
        Stored(Post { id: "https://friends.grishka.me/posts/66561", text: "So does this federate now?", visibility: "public", group: None })),
    profile("smithereen/objects/person.json", "https://friends.grishka.me/users/1", "Григорий Клюшников", "Person"),
    profile("wordpress/objects/group.json", "https://dbzer0.com/?author=0", "A Division by Zer0", "Group"),
    e("wordpress/objects/note.json", &[Follows("https://pfefferle.org/author/pfefferle/")],
        Stored(Post { id: "https://pfefferle.org?c=148", text: "Hello from WordPress!", visibility: "public", group: None })),
    e("wordpress/objects/page.json", &[FollowedGroup("https://dbzer0.com/?author=0")],
        Stored(Post { id: "https://dbzer0.com/?p=27948", text: "3D printer", visibility: "public", group: Some("https://dbzer0.com/?author=0") })),
    profile("wordpress/objects/person.json", "https://pfefferle.org/author/pfefferle/", "Matthias Pfefferle", "Person"),
];

//! Lemmy 0.19's shapes of what it receives, as our own serde structs written from the structs in
//! LemmyNet/lemmy `crates/apub/src/protocol/` (tag 0.19.20) and its inbox's activity lists
//! (`activity_lists.rs`): the same required fields, the same single ids where Lemmy reads an
//! `ObjectId` (one URL, never an array), the same one-or-many lists, the same enumerated types.
//! Unknown fields are ignored, as Lemmy ignores them. Where Lemmy skips a malformed optional field
//! (`deserialize_skip_error`) these structs are stricter on purpose, so that Cohort's output is
//! the form Lemmy uses, not one it merely tolerates (a group's `attributedTo`).
//!
//! `Reject` of a `Follow` has no shape in 0.19 (its inboxes refuse it); it is checked against
//! Lemmy's later `RejectFollow` (the shape it has since 0.20), which names the `Follow` embedded.

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use url::Url;

/// One URL or a list of them (Lemmy's `deserialize_one_or_many`).
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Url>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Url),
        Many(Vec<Url>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(u) => vec![u],
        OneOrMany::Many(v) => v,
    })
}

/// A field that must be absent (Lemmy's `deserialize_not_present`: a `Page` with `inReplyTo` is
/// a comment and must not be read as a post).
fn not_present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let _ = Value::deserialize(d)?;
    Err(serde::de::Error::custom(
        "inReplyTo must not be present on a Page",
    ))
}

macro_rules! kinds {
    ($name:ident: $($v:ident),+) => {
        #[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
        pub enum $name { $($v),+ }
    };
}
kinds!(AnnounceType: Announce);
kinds!(CreateOrUpdateType: Create, Update);
kinds!(DeleteType: Delete);
kinds!(UndoType: Undo);
kinds!(VoteType: Like, Dislike);
kinds!(AddType: Add);
kinds!(RemoveType: Remove);
kinds!(FollowType: Follow);
kinds!(AcceptType: Accept);
kinds!(RejectType: Reject);
kinds!(NoteType: Note);
kinds!(PageType: Page, Article, Note, Video, Event);
kinds!(TombstoneType: Tombstone);
kinds!(GroupType: Group);
kinds!(UserTypes: Person, Service, Organization);
kinds!(OrderedCollectionType: OrderedCollection);
kinds!(ImageType: Image);
kinds!(DocumentType: Document);
kinds!(LinkType: Link);

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub enum MediaType {
    #[serde(rename = "text/html")]
    Html,
    #[serde(rename = "text/markdown")]
    Markdown,
}

/// `IdOrNestedObject<T>`: a bare id or the object embedded.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum IdOrNested<T> {
    Id(Url),
    Nested(T),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Announce {
    pub actor: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<Url>,
    pub object: IdOrNested<Announcable>,
    #[serde(deserialize_with = "one_or_many")]
    pub cc: Vec<Url>,
    #[serde(rename = "type")]
    pub kind: AnnounceType,
    pub id: Url,
}

/// `AnnouncableActivities`, in Lemmy's order (an untagged enum: the first that parses wins).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Announcable {
    CreateOrUpdateComment(CreateOrUpdateNote),
    CreateOrUpdatePost(CreateOrUpdatePage),
    Vote(Vote),
    UndoVote(UndoVote),
    Delete(Delete),
    CollectionAdd(CollectionAdd),
    CollectionRemove(CollectionRemove),
    /// Sent by Lemmy to microblogging servers only; its inbox refuses it.
    Page(Page),
}

impl Announcable {
    /// The variant's name, as Lemmy's enum names it.
    pub fn variant(&self) -> &'static str {
        match self {
            Announcable::CreateOrUpdateComment(_) => "CreateOrUpdateComment",
            Announcable::CreateOrUpdatePost(_) => "CreateOrUpdatePost",
            Announcable::Vote(_) => "Vote",
            Announcable::UndoVote(_) => "UndoVote",
            Announcable::Delete(_) => "Delete",
            Announcable::CollectionAdd(_) => "CollectionAdd",
            Announcable::CollectionRemove(_) => "CollectionRemove",
            Announcable::Page(_) => "Page",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOrUpdateNote {
    pub actor: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<Url>,
    pub object: Note,
    #[serde(deserialize_with = "one_or_many")]
    pub cc: Vec<Url>,
    #[serde(default)]
    pub tag: Vec<Value>,
    #[serde(rename = "type")]
    pub kind: CreateOrUpdateType,
    pub id: Url,
    pub audience: Option<Url>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOrUpdatePage {
    pub actor: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<Url>,
    pub object: Page,
    #[serde(deserialize_with = "one_or_many")]
    pub cc: Vec<Url>,
    #[serde(rename = "type")]
    pub kind: CreateOrUpdateType,
    pub id: Url,
    pub audience: Option<Url>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LanguageTag {
    pub identifier: String,
    pub name: String,
}

/// A comment.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub r#type: NoteType,
    pub id: Url,
    pub attributed_to: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<Url>,
    #[serde(deserialize_with = "one_or_many", default)]
    pub cc: Vec<Url>,
    pub content: String,
    pub in_reply_to: Url,
    pub media_type: Option<MediaType>,
    pub published: Option<String>,
    pub updated: Option<String>,
    #[serde(default)]
    pub tag: Vec<Value>,
    pub distinguished: Option<bool>,
    pub language: Option<LanguageTag>,
    pub audience: Option<Url>,
    #[serde(default)]
    pub attachment: Vec<Attachment>,
}

/// A post.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    #[serde(rename = "type")]
    pub kind: PageType,
    pub id: Url,
    pub attributed_to: AttributedTo,
    #[serde(deserialize_with = "one_or_many", default)]
    pub to: Vec<Url>,
    #[serde(deserialize_with = "not_present", default)]
    pub in_reply_to: Option<String>,
    pub name: Option<String>,
    #[serde(deserialize_with = "one_or_many", default)]
    pub cc: Vec<Url>,
    pub content: Option<String>,
    pub media_type: Option<MediaType>,
    #[serde(default)]
    pub attachment: Vec<Attachment>,
    pub image: Option<ImageObject>,
    pub sensitive: Option<bool>,
    pub published: Option<String>,
    pub updated: Option<String>,
    pub language: Option<LanguageTag>,
    pub audience: Option<Url>,
}

/// A post's `attributedTo`: one actor id (Lemmy) or PeerTube's list of typed actors.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AttributedTo {
    Lemmy(Url),
    Peertube(Vec<AttributedToPeertube>),
}

#[derive(Debug, Clone, Deserialize)]
pub struct AttributedToPeertube {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageObject {
    #[serde(rename = "type")]
    pub kind: ImageType,
    pub url: Url,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Attachment {
    Link {
        href: Url,
        #[serde(rename = "type")]
        kind: LinkType,
    },
    Image {
        #[serde(rename = "type")]
        kind: ImageType,
        url: Url,
        name: Option<String>,
    },
    Document {
        #[serde(rename = "type")]
        kind: DocumentType,
        url: Url,
        #[serde(rename = "mediaType")]
        media_type: Option<String>,
        name: Option<String>,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vote {
    pub actor: Url,
    pub object: Url,
    #[serde(rename = "type")]
    pub kind: VoteType,
    pub id: Url,
    pub audience: Option<Url>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UndoVote {
    pub actor: Url,
    pub object: Vote,
    #[serde(rename = "type")]
    pub kind: UndoType,
    pub id: Url,
    pub audience: Option<Url>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tombstone {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: TombstoneType,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delete {
    pub actor: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<Url>,
    pub object: IdOrNested<Tombstone>,
    #[serde(rename = "type")]
    pub kind: DeleteType,
    pub id: Url,
    pub audience: Option<Url>,
    #[serde(deserialize_with = "one_or_many", default)]
    pub cc: Vec<Url>,
    /// Present: a moderator's removal; absent: the author's own deletion.
    pub summary: Option<String>,
    pub remove_data: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectionAdd {
    pub actor: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<Url>,
    pub object: Url,
    pub target: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub cc: Vec<Url>,
    #[serde(rename = "type")]
    pub kind: AddType,
    pub id: Url,
    pub audience: Option<Url>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectionRemove {
    pub actor: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<Url>,
    pub object: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub cc: Vec<Url>,
    #[serde(rename = "type")]
    pub kind: RemoveType,
    pub target: Url,
    pub id: Url,
    pub audience: Option<Url>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Follow {
    pub actor: Url,
    pub object: Url,
    #[serde(rename = "type")]
    pub kind: FollowType,
    pub id: Url,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptFollow {
    pub actor: Url,
    pub object: Follow,
    #[serde(rename = "type")]
    pub kind: AcceptType,
    pub id: Url,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectFollow {
    pub actor: Url,
    pub object: Follow,
    #[serde(rename = "type")]
    pub kind: RejectType,
    pub id: Url,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UndoFollow {
    pub actor: Url,
    pub object: Follow,
    #[serde(rename = "type")]
    pub kind: UndoType,
    pub id: Url,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    pub id: String,
    pub owner: Url,
    pub public_key_pem: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    pub shared_inbox: Url,
}

/// A community. `attributedTo` must be the moderators collection's id.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    #[serde(rename = "type")]
    pub kind: GroupType,
    pub id: Url,
    pub preferred_username: String,
    pub inbox: Url,
    pub followers: Option<Url>,
    pub public_key: PublicKey,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub sensitive: Option<bool>,
    pub attributed_to: Option<Url>,
    pub posting_restricted_to_mods: Option<bool>,
    pub outbox: Url,
    pub endpoints: Option<Endpoints>,
    pub featured: Option<Url>,
    pub published: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    #[serde(rename = "type")]
    pub kind: UserTypes,
    pub id: Url,
    pub preferred_username: String,
    pub inbox: Url,
    pub outbox: Url,
    pub public_key: PublicKey,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub endpoints: Option<Endpoints>,
    pub published: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupModerators {
    pub r#type: OrderedCollectionType,
    pub id: Url,
    pub ordered_items: Vec<Url>,
}

/// Which of Lemmy's shapes a captured document must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `Announce` by a community, its object the named `AnnouncableActivities` variant.
    Announce(&'static str),
    /// Sent to a community or a person directly: the named `AnnouncableActivities` variant.
    Announcable(&'static str),
    Follow,
    AcceptFollow,
    RejectFollow,
    UndoFollow,
    Group,
    Person,
    GroupModerators,
}

fn parse<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, String> {
    serde_json::from_value(v.clone()).map_err(|e| e.to_string())
}

/// Parses `doc` as Lemmy would read it in `shape`; the error says where it fails. Published and
/// updated times must be RFC 3339 (Lemmy reads them as `DateTime<Utc>`).
pub fn check(shape: Shape, doc: &Value) -> Result<(), String> {
    let variant = |a: &Announcable, want: &str| match a.variant() {
        got if got == want => Ok(()),
        got => Err(format!("parsed as {got}, expected {want}")),
    };
    match shape {
        Shape::Announce(want) => match parse::<Announce>(doc)?.object {
            IdOrNested::Nested(inner) => variant(&inner, want),
            IdOrNested::Id(u) => Err(format!("announced a bare id {u}, which Lemmy rejects")),
        },
        Shape::Announcable(want) => variant(&parse::<Announcable>(doc)?, want),
        Shape::Follow => parse::<Follow>(doc).map(drop),
        Shape::AcceptFollow => parse::<AcceptFollow>(doc).map(drop),
        Shape::RejectFollow => parse::<RejectFollow>(doc).map(drop),
        Shape::UndoFollow => parse::<UndoFollow>(doc).map(drop),
        Shape::Group => parse::<Group>(doc).map(drop),
        Shape::Person => parse::<Person>(doc).map(drop),
        Shape::GroupModerators => parse::<GroupModerators>(doc).map(drop),
    }?;
    times(doc)
}

fn times(v: &Value) -> Result<(), String> {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if matches!(k.as_str(), "published" | "updated") {
                    let s = x.as_str().ok_or(format!("{k} is not a string"))?;
                    cohort::domain::time::from_rfc3339(s)
                        .ok_or(format!("{k} {s:?} is not RFC 3339"))?;
                }
                times(x)?;
            }
            Ok(())
        }
        Value::Array(a) => a.iter().try_for_each(times),
        _ => Ok(()),
    }
}

use super::{Stream, StreamError};

#[test]
fn streams_are_named_as_mastodon_names_them() {
    let tag = Stream::parse("hashtag:local", Some("#Biobank"), None, false).unwrap();
    assert_eq!(
        tag,
        Stream::Hashtag {
            tag: "biobank".into(),
            local: true
        }
    );
    assert_eq!(tag.names(), ["hashtag:local", "biobank"]);
    for name in [
        "public",
        "public:local",
        "public:remote",
        "public:media",
        "public:local:media",
        "public:remote:media",
    ] {
        assert_eq!(
            Stream::parse(name, None, None, false).unwrap().names(),
            [name]
        );
    }
    for name in ["user", "user:notification", "direct"] {
        assert_eq!(
            Stream::parse(name, None, None, true).unwrap().names(),
            [name]
        );
    }
}

#[test]
fn member_streams_need_a_token_and_bad_names_are_refused() {
    for name in ["user", "user:notification", "direct"] {
        assert_eq!(
            Stream::parse(name, None, None, false),
            Err(StreamError::NeedsToken)
        );
    }
    assert_eq!(
        Stream::parse("hashtag", None, None, false),
        Err(StreamError::NoTag)
    );
    assert_eq!(
        Stream::parse("list", Some("x"), Some("01J"), true),
        Ok(Stream::List("01J".into()))
    );
    assert_eq!(
        Stream::parse("list", None, None, true),
        Err(StreamError::NoList)
    );
    assert_eq!(
        Stream::parse("list", None, Some("01J"), false),
        Err(StreamError::NeedsToken)
    );
    assert_eq!(
        Stream::parse("firehose", None, None, true),
        Err(StreamError::Unknown)
    );
}

//! Addressing (`to`/`cc`) computed from a post's audience, never passed in by callers: public
//! content names `as:Public`; content its group or visibility narrows names only its group, the
//! author's followers and its addressees; a direct post names its addressees alone. A public post
//! in a group that keeps its content from the public goes `to` the group with the followers in
//! `cc`; a followers-only one names the followers in `to` (`objects::note::visibility_of` reads
//! it back).

use crate::{
    domain::audience::{Audience, PostVisibility},
    federation::jsonld::PUBLIC,
    urls,
};

/// `to` and `cc` of a post by `author` (in `group`, mentioning `mentions`).
pub fn of_post(
    audience: &Audience,
    author: &str,
    group: Option<&str>,
    mentions: &[String],
) -> (Vec<String>, Vec<String>) {
    let followers = urls::sub(author, "followers");
    let public = audience.is_public();
    let mut to = Vec::new();
    let mut cc = Vec::new();
    match audience.visibility {
        PostVisibility::Public => {
            if public {
                to.push(PUBLIC.to_string());
            }
            to.extend(group.map(String::from));
            cc.push(followers);
        }
        // Inside a group that keeps its content from the public, public and unlisted are alike:
        // addressed to the group, with the followers in `cc` (which marks them as not private).
        PostVisibility::Unlisted if !public => {
            to.extend(group.map(String::from));
            cc.push(followers);
        }
        PostVisibility::Unlisted => {
            to.push(followers);
            to.extend(group.map(String::from));
            cc.push(PUBLIC.to_string());
        }
        PostVisibility::Private => {
            to.push(followers);
            to.extend(group.map(String::from));
        }
        PostVisibility::Direct => {}
    }
    let target = if audience.visibility == PostVisibility::Direct {
        &mut to
    } else {
        &mut cc
    };
    for m in mentions {
        if !target.contains(m) {
            target.push(m.clone());
        }
    }
    (to, cc)
}

/// `to` and `cc` of a group's relay (`Announce`) of a post with `audience`: public when the post
/// is, else its members (the group's followers) only.
pub fn of_relay(audience: &Audience, group: &str) -> (Vec<String>, Vec<String>) {
    let followers = urls::sub(group, "followers");
    if audience.is_public() && audience.visibility == PostVisibility::Public {
        (vec![PUBLIC.to_string()], vec![followers])
    } else {
        (vec![followers], vec![])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audience::{GroupScope, Visibility};

    const ME: &str = "https://a.example/users/me";
    const G: &str = "https://a.example/groups/g";

    fn mentions() -> Vec<String> {
        vec!["https://b.example/users/you".to_string()]
    }

    #[test]
    fn public_posts_name_public_and_followers() {
        let (to, cc) = of_post(&Audience::public(), ME, None, &mentions());
        assert_eq!(to, vec![PUBLIC]);
        assert_eq!(cc, vec![format!("{ME}/followers"), mentions()[0].clone()]);
    }

    #[test]
    fn direct_posts_name_only_their_addressees() {
        let a = Audience::of_post(PostVisibility::Direct, None);
        let (to, cc) = of_post(&a, ME, None, &mentions());
        assert_eq!(to, mentions());
        assert!(cc.is_empty());
        let (to, cc) = of_post(&a, ME, None, &[]);
        assert!(to.is_empty() && cc.is_empty());
    }

    #[test]
    fn followers_only_posts_never_name_public() {
        let a = Audience::of_post(PostVisibility::Private, None);
        let (to, cc) = of_post(&a, ME, None, &mentions());
        assert_eq!(to, vec![format!("{ME}/followers")]);
        assert_eq!(cc, mentions());
        let a = Audience::of_post(PostVisibility::Unlisted, None);
        let (to, cc) = of_post(&a, ME, None, &[]);
        assert_eq!(
            (to, cc),
            (vec![format!("{ME}/followers")], vec![PUBLIC.to_string()])
        );
    }

    #[test]
    fn narrow_groups_drop_public_even_for_public_posts() {
        for visibility in [
            Visibility::Consortium,
            Visibility::Members,
            Visibility::Local,
        ] {
            let scope = GroupScope {
                visibility,
                approval_required: false,
            };
            let a = Audience::of_post(PostVisibility::Public, Some(scope));
            let (to, cc) = of_post(&a, ME, Some(G), &[]);
            assert_eq!(to, vec![G]);
            assert_eq!(cc, vec![format!("{ME}/followers")]);
            let unlisted = Audience::of_post(PostVisibility::Unlisted, Some(scope));
            assert_eq!(of_post(&unlisted, ME, Some(G), &[]), (to, cc));
            let private = Audience::of_post(PostVisibility::Private, Some(scope));
            assert_eq!(
                of_post(&private, ME, Some(G), &[]).0,
                vec![format!("{ME}/followers"), G.to_string()]
            );
            assert_eq!(of_relay(&a, G), (vec![format!("{G}/followers")], vec![]));
        }
        let open = Audience::of_post(
            PostVisibility::Public,
            Some(GroupScope {
                visibility: Visibility::Public,
                approval_required: false,
            }),
        );
        assert_eq!(of_post(&open, ME, Some(G), &[]).0, vec![PUBLIC, G]);
        assert_eq!(of_relay(&open, G).0, vec![PUBLIC]);
    }
}

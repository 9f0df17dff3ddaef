//! Posts as Lemmy 0.19 reads them. Lemmy knows no polls: its posts are `Page`s (or `Note`, `Article`,
//! `Video`, `Event`) and its comments `Note`s, and an activity carrying a `Question` matches none
//! of the activities it accepts, so it is refused whole. Lemmy servers get a poll as the post it
//! is — a `Page` (a `Note` when it answers another post) whose content lists the options with
//! their counts — and the same activity otherwise unchanged. Everyone else gets the `Question`.

use serde_json::{json, Value};

/// The activity as Lemmy servers get it: `activity` with a `Question` object (or the `Question`
/// carried by an inner activity, for a group's relay) made a post; `None` when nothing changes.
pub fn for_lemmy(activity: &Value) -> Option<Value> {
    let object = activity.get("object")?;
    if is_question(object) {
        let mut out = activity.clone();
        out["object"] = as_post(object);
        return Some(out);
    }
    let inner = object.get("object")?;
    if !is_question(inner) {
        return None;
    }
    let mut out = activity.clone();
    out["object"]["object"] = as_post(inner);
    Some(out)
}

fn is_question(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str) == Some("Question")
}

/// A `Question` as a Lemmy post: the options and counts appended to its content.
fn as_post(question: &Value) -> Value {
    let mut post = question.clone();
    let kind = if question.get("inReplyTo").is_some() {
        "Note"
    } else {
        "Page"
    };
    post["type"] = json!(kind);
    let options: Vec<Value> = ["oneOf", "anyOf"]
        .iter()
        .filter_map(|k| question.get(*k).and_then(Value::as_array))
        .flatten()
        .cloned()
        .collect();
    let mut list = String::new();
    for o in &options {
        let name = o.get("name").and_then(Value::as_str).unwrap_or_default();
        let count = o
            .pointer("/replies/totalItems")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        list.push_str(&format!(
            "<li>{} ({count})</li>",
            crate::domain::sanitize::escape(name)
        ));
    }
    if !list.is_empty() {
        let content = question
            .get("content")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let text = format!("{content}<p>Poll:</p><ul>{list}</ul>");
        post["content"] = json!(text);
        if let Some(map) = post.get_mut("contentMap").and_then(Value::as_object_mut) {
            for v in map.values_mut() {
                *v = json!(text);
            }
        }
    }
    if let Some(o) = post.as_object_mut() {
        for k in ["oneOf", "anyOf", "votersCount", "endTime", "closed"] {
            o.remove(k);
        }
    }
    post
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relayed_poll_becomes_a_page_with_its_options() {
        let relay = json!({"type": "Announce", "object": {"type": "Create", "object": {
            "type": "Question", "id": "https://a.example/posts/1", "content": "<p>Lunch?</p>",
            "oneOf": [{"type": "Note", "name": "soup & bread", "replies": {"totalItems": 2}},
                      {"type": "Note", "name": "salad", "replies": {"totalItems": 0}}],
            "votersCount": 2}}});
        let out = for_lemmy(&relay).expect("changed");
        let post = &out["object"]["object"];
        assert_eq!(post["type"], "Page");
        assert_eq!(
            post["content"],
            "<p>Lunch?</p><p>Poll:</p><ul><li>soup &amp; bread (2)</li><li>salad (0)</li></ul>"
        );
        assert!(post.get("oneOf").is_none() && post.get("votersCount").is_none());
        assert_eq!(out["object"]["type"], "Create");
    }

    #[test]
    fn other_posts_are_left_alone_and_replies_become_notes() {
        let note = json!({"type": "Create", "object": {"type": "Note", "content": "hi"}});
        assert!(for_lemmy(&note).is_none());
        let reply = json!({"type": "Update", "object": {"type": "Question",
            "inReplyTo": "https://a.example/posts/1", "anyOf": []}});
        assert_eq!(
            for_lemmy(&reply).expect("changed")["object"]["type"],
            "Note"
        );
    }
}

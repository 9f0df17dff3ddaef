//! The node's longer texts for apps and visitors: the extended description and the privacy
//! policy (`instance.extended_description`, `instance.privacy_policy` in the config). Each start
//! records when a text last changed, so apps are told a true `updated_at`.

use crate::{
    db,
    domain::{sanitize::escape, time::now_ms},
    error::AppResult,
    state::AppState,
};
use serde::{Deserialize, Serialize};

/// Which text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    ExtendedDescription,
    PrivacyPolicy,
}

impl Text {
    fn key(self) -> &'static str {
        match self {
            Text::ExtendedDescription => "text.extended_description",
            Text::PrivacyPolicy => "text.privacy_policy",
        }
    }

    fn configured(self, state: &AppState) -> String {
        let i = &state.config.instance;
        match self {
            Text::ExtendedDescription => i.extended_description.clone(),
            Text::PrivacyPolicy => i.privacy_policy.clone(),
        }
    }
}

/// A text as stored: what it said and since when.
#[derive(Serialize, Deserialize)]
struct Recorded {
    text: String,
    updated_at: i64,
}

/// Notes the configured texts at start: a text that differs from the one recorded gets now as
/// its time of change.
pub async fn record(state: &AppState) -> AppResult<()> {
    for which in [Text::ExtendedDescription, Text::PrivacyPolicy] {
        let text = which.configured(state);
        state
            .db
            .run(move |c| {
                let stored = db::settings::get(c, which.key())?
                    .and_then(|v| serde_json::from_str::<Recorded>(&v).ok());
                if stored.is_none_or(|r| r.text != text) {
                    let value = serde_json::to_string(&Recorded {
                        text,
                        updated_at: now_ms(),
                    })
                    .unwrap_or_default();
                    db::settings::set(c, which.key(), &value)?;
                }
                Ok(())
            })
            .await?;
    }
    Ok(())
}

/// Plain text as HTML: paragraphs at blank lines, line breaks kept, everything escaped.
pub fn to_html(text: &str) -> String {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
        .collect()
}

/// A text as HTML with the time it last changed. An empty extended description is the node's
/// one-line description; an empty privacy policy says that none was published.
pub async fn html(state: &AppState, which: Text) -> AppResult<(String, i64)> {
    let recorded = state
        .db
        .run(move |c| db::settings::get(c, which.key()))
        .await?
        .and_then(|v| serde_json::from_str::<Recorded>(&v).ok());
    let configured = which.configured(state);
    let updated_at = match recorded {
        Some(r) if r.text == configured => r.updated_at,
        _ => now_ms(),
    };
    let text = match (which, configured.trim().is_empty()) {
        (Text::ExtendedDescription, true) => state.config.instance.description.clone(),
        (Text::PrivacyPolicy, true) => {
            "The operators of this node have not published a privacy policy.".to_string()
        }
        (_, false) => configured,
    };
    Ok((to_html(&text), updated_at))
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn paragraphs_and_escaping() {
        assert_eq!(
            to_html("We keep <logs>.\nFor 7 days.\n\n\nAsk us."),
            "<p>We keep &lt;logs&gt;.<br>For 7 days.</p><p>Ask us.</p>"
        );
        assert_eq!(to_html("  \n\n "), "");
    }
}

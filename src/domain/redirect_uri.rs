//! Which redirect URIs an app may register: absolute URIs (web, loopback or an app's own scheme)
//! or the out-of-band URN, never a scheme that runs or reads something in the browser.

/// The redirect URI that shows the code on a page instead of redirecting.
pub const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

/// Schemes that would run script, show attacker content or read local files when the sign-in
/// page redirects to them.
const REFUSED_SCHEMES: &[&str] = &["javascript", "data", "vbscript", "file", "blob", "about"];

/// Checks one redirect URI; the error says why it is refused.
pub fn check(uri: &str) -> Result<(), String> {
    if uri == OOB {
        return Ok(());
    }
    let parsed =
        url::Url::parse(uri).map_err(|_| format!("redirect_uri {uri:?} is not an absolute URI"))?;
    // `Url` lowercases the scheme, so `JavaScript:` is caught too.
    if REFUSED_SCHEMES.contains(&parsed.scheme()) {
        return Err(format!(
            "redirect_uri {uri:?} uses the {}: scheme, which is not allowed",
            parsed.scheme()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn browser_schemes_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
            "file:///etc/passwd",
            "not a uri",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
        for good in [
            super::OOB,
            "https://app.example/callback",
            "http://127.0.0.1:8080/cb",
            "com.example.app://cb",
            "myapp:/oauth",
        ] {
            assert_eq!(check(good), Ok(()), "{good}");
        }
    }
}

//! GraphiQL, served entirely from this server: the page at `GET /graphql`
//! (for browsers, `Accept: text/html`) and its script and stylesheet at
//! `/graphiql/app.js` and `/graphiql/app.css`.
//!
//! The assets are built from `graphiql/` (`npm ci && npm run build`) into
//! `api/assets/graphiql/`, which is committed, and compiled into the binary
//! here, so building hiregraph never needs Node. The page loads nothing from
//! anywhere else: its Content-Security-Policy allows scripts, styles and
//! connections to this origin only (plus WebSocket to the same host, for
//! subscriptions), and it has no inline script: the bundle reads its
//! settings from `data-` attributes.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The script (React, GraphiQL, the explorer and our page code).
const APP_JS: &[u8] = include_bytes!("../../assets/graphiql/app.js");
/// The stylesheet, images inlined.
const APP_CSS: &[u8] = include_bytes!("../../assets/graphiql/app.css");
/// The SHA-256 of each built file, written by the build; the asset URLs
/// carry it so that browsers may cache them for good.
const SUMS: &str = include_str!("../../assets/graphiql/SHA256SUMS");

/// The path of the script.
pub const APP_JS_PATH: &str = "/graphiql/app.js";
/// The path of the stylesheet.
pub const APP_CSS_PATH: &str = "/graphiql/app.css";

/// The first 16 hex digits of `file`'s SHA-256, from the build's sums.
fn version(file: &str) -> &'static str {
    SUMS.lines()
        .filter_map(|line| line.split_once("  "))
        .find(|(_, name)| name.trim() == file)
        .and_then(|(hash, _)| hash.get(..16))
        .unwrap_or("0")
}

/// The policy of the page. `'self'` covers `ws:`/`wss:` to the same host in
/// current browsers; the host is also named for those that do not.
fn content_security_policy(host: Option<&str>) -> String {
    let websocket = host
        .filter(|host| {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .map(|host| format!(" ws://{host} wss://{host}"))
        .unwrap_or_default();
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; \
         connect-src 'self'{websocket}; img-src 'self' data:; font-src 'self' data:; \
         manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
}

/// The GraphiQL page, pointed at `endpoint`.
pub fn page(headers: &HeaderMap, endpoint: &str) -> Response {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let html = format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hiregraph GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{css}?v={css_version}">
<script defer src="{js}?v={js_version}"></script>
</head>
<body>
<div id="graphiql" data-endpoint="{endpoint}" data-subscriptions="{endpoint}">Loading GraphiQL…</div>
<noscript>GraphiQL needs JavaScript. The API is at {endpoint}: POST a JSON body with a query.</noscript>
</body>
</html>
"#,
        css = APP_CSS_PATH,
        css_version = version("app.css"),
        js = APP_JS_PATH,
        js_version = version("app.js"),
    );
    let mut response = (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        html,
    )
        .into_response();
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(host)) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

/// `GET /graphiql/app.js`.
pub async fn app_js(headers: HeaderMap, uri: axum::http::Uri) -> Response {
    asset(
        &headers,
        &uri,
        APP_JS,
        "text/javascript; charset=utf-8",
        version("app.js"),
    )
}

/// `GET /graphiql/app.css`.
pub async fn app_css(headers: HeaderMap, uri: axum::http::Uri) -> Response {
    asset(
        &headers,
        &uri,
        APP_CSS,
        "text/css; charset=utf-8",
        version("app.css"),
    )
}

/// One built file, with an `ETag` of its hash. Asked for with that hash
/// (`?v=…`, as the page does) it may be cached for a year; otherwise it is
/// revalidated every time. `If-None-Match` with the current tag is 304.
fn asset(
    headers: &HeaderMap,
    uri: &axum::http::Uri,
    body: &'static [u8],
    content_type: &'static str,
    version: &'static str,
) -> Response {
    let etag = format!("\"{version}\"");
    let versioned = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .any(|pair| pair == format!("v={version}"));
    let cache = if versioned {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag));
    let common = [
        (header::CACHE_CONTROL, cache.to_owned()),
        (header::ETAG, etag),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        StatusCode::OK,
        common,
        [(header::CONTENT_TYPE, content_type)],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_sums_name_both_assets() {
        assert_ne!(version("app.js"), "0");
        assert_ne!(version("app.css"), "0");
        assert_eq!(version("app.js").len(), 16);
    }

    #[test]
    fn the_policy_names_only_this_host() {
        let policy = content_security_policy(Some("api.example:8080"));
        assert!(
            policy.contains("connect-src 'self' ws://api.example:8080 wss://api.example:8080;")
        );
        assert!(policy.contains("script-src 'self';"));
        let odd = content_security_policy(Some("evil; script-src *"));
        assert!(odd.contains("connect-src 'self';"), "{odd}");
        assert!(!odd.contains('*'));
    }
}

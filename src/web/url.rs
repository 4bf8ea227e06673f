//! Resolves the `url` option into the socket URL, with the token as a query parameter.

use crate::prelude::*;

use web_sys::Url;

use crate::core::text::join;

/// The socket URL: `ws://`/`wss://` as given, or a path resolved against `location` (wss on
/// https pages), with `token` set as `token_param`. Errors name the option, never the token.
pub(crate) fn socket_url(url: &str, token: Option<&str>, token_param: &str) -> Result<String, String> {
    let bad = |why: &str| join(&["option \"url\": ", why]);
    let parsed = match Url::new(url) {
        Ok(absolute) => absolute,
        Err(_) => {
            let base = web_sys::window()
                .and_then(|w| w.location().href().ok())
                .ok_or_else(|| bad("a path needs a page location to resolve against; give a ws:// or wss:// URL"))?;
            let resolved = Url::new_with_base(url, &base).map_err(|_| bad("could not be parsed as a URL or path"))?;
            match resolved.protocol().as_str() {
                "http:" => resolved.set_protocol("ws:"),
                "https:" => resolved.set_protocol("wss:"),
                _ => {}
            }
            resolved
        }
    };
    if !matches!(parsed.protocol().as_str(), "ws:" | "wss:") {
        return Err(bad("expected a ws:// or wss:// URL, or a path such as \"/ws/realtime/\""));
    }
    if let Some(token) = token {
        parsed.search_params().set(token_param, token);
    }
    Ok(parsed.href())
}


//! Frame decoding: a parsed frame becomes messages to route, or a reason it was dropped.
//!
//! The shell parses text with `JSON.parse` (no copy into wasm) and lets this module walk the
//! result through the [`JsonView`] trait; tests walk `serde_json` values the same way.

/// Why a frame, or one element of a batch, was not routed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// A binary frame: only JSON text is routed.
    Binary,
    /// Text that is not valid JSON.
    InvalidJson,
    /// Valid JSON that is neither an object nor an array of objects.
    NotAnObject,
    /// An object whose route key is missing or not a string.
    MissingRouteKey,
}

impl Malformed {
    /// The `kind` reported to `onError`.
    pub fn kind(self) -> &'static str {
        match self {
            Malformed::Binary => "binary_frame",
            Malformed::InvalidJson => "invalid_json",
            Malformed::NotAnObject => "not_an_object",
            Malformed::MissingRouteKey => "missing_route_key",
        }
    }

    /// The `message` reported to `onError`.
    pub fn message(self) -> &'static str {
        match self {
            Malformed::Binary => "binary frame dropped: only JSON text frames are routed",
            Malformed::InvalidJson => "frame dropped: not valid JSON",
            Malformed::NotAnObject => "message dropped: not a JSON object",
            Malformed::MissingRouteKey => "message dropped: its route key is missing or not a string",
        }
    }
}

/// Read access to a parsed JSON value.
pub trait JsonView: Sized {
    /// How a field name is held (a JS string in the browser).
    type Key: ?Sized;
    /// The number of elements, if this is an array.
    fn array_len(&self) -> Option<u32>;
    /// Element `index` of an array.
    fn item(&self, index: u32) -> Self;
    /// Whether this is an object (and not an array or null).
    fn is_object(&self) -> bool;
    /// The value of field `key` if it is a string.
    fn text_field(&self, key: &Self::Key) -> Option<Self>;
}

/// Walks a parsed frame: an object is one message, an array is a batch routed element by
/// element in order. `on` gets `(message, route value)` or why an element was dropped.
pub fn decode<V: JsonView>(frame: V, route_key: &V::Key, on: &mut impl FnMut(Result<(V, V), Malformed>)) {
    match frame.array_len() {
        Some(len) => (0..len).for_each(|i| on(message(frame.item(i), route_key))),
        None => on(message(frame, route_key)),
    }
}

fn message<V: JsonView>(value: V, route_key: &V::Key) -> Result<(V, V), Malformed> {
    if !value.is_object() {
        return Err(Malformed::NotAnObject);
    }
    match value.text_field(route_key) {
        Some(route) => Ok((value, route)),
        None => Err(Malformed::MissingRouteKey),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    impl JsonView for Value {
        type Key = str;
        fn array_len(&self) -> Option<u32> {
            self.as_array().map(|a| a.len() as u32)
        }
        fn item(&self, index: u32) -> Self {
            self[index as usize].clone()
        }
        fn is_object(&self) -> bool {
            self.is_object()
        }
        fn text_field(&self, key: &str) -> Option<Self> {
            self.get(key).filter(|v| v.is_string()).cloned()
        }
    }

    /// What the shell does: parse, then decode; routes as text or the reason.
    fn decode_text(text: &str, route_key: &str) -> Vec<Result<String, Malformed>> {
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            return vec![Err(Malformed::InvalidJson)];
        };
        let mut out = Vec::new();
        decode(frame, route_key, &mut |r| out.push(r.map(|(_, route)| route.as_str().unwrap().to_owned())));
        out
    }

    #[test]
    fn every_input_class_decodes_as_expected() {
        use Malformed::*;
        let ok = |s: &str| Ok(s.to_owned());
        let cases: Vec<(&str, Vec<Result<String, Malformed>>)> = vec![
            (r#"{"type":"notification","notification":{"id":1}}"#, vec![ok("notification")]),
            (r#"[{"type":"a"},{"type":"b"},{"type":"a"}]"#, vec![ok("a"), ok("b"), ok("a")]),
            (r#"[{"type":"a"},3,{"kind":"x"},[{"type":"nested"}],{"type":"b"}]"#,
             vec![ok("a"), Err(NotAnObject), Err(MissingRouteKey), Err(NotAnObject), ok("b")]),
            ("[]", vec![]),
            ("not json", vec![Err(InvalidJson)]),
            (r#"{"type":"a""#, vec![Err(InvalidJson)]),
            ("", vec![Err(InvalidJson)]),
            ("42", vec![Err(NotAnObject)]),
            (r#""text""#, vec![Err(NotAnObject)]),
            ("null", vec![Err(NotAnObject)]),
            ("true", vec![Err(NotAnObject)]),
            ("{}", vec![Err(MissingRouteKey)]),
            (r#"{"type":null}"#, vec![Err(MissingRouteKey)]),
            (r#"{"type":7}"#, vec![Err(MissingRouteKey)]),
            (r#"{"type":{"nested":"x"}}"#, vec![Err(MissingRouteKey)]),
        ];
        for (text, expected) in cases {
            assert_eq!(decode_text(text, "type"), expected, "{text}");
        }
    }

    #[test]
    fn the_route_key_is_configurable() {
        let text = r#"{"event_type":"new_message","type":"TEXT"}"#;
        assert_eq!(decode_text(text, "event_type"), vec![Ok("new_message".to_owned())]);
    }

    #[test]
    fn every_reason_has_a_kind_and_a_message() {
        use Malformed::*;
        for m in [Binary, InvalidJson, NotAnObject, MissingRouteKey] {
            assert!(!m.kind().is_empty() && !m.message().is_empty());
        }
    }
}

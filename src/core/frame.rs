//! Frame decoding: a parsed frame becomes messages to route, or a reason it was dropped.
//!
//! The shell parses text with `JSON.parse` (no copy into wasm) and lets this module walk the
//! result through the [`JsonView`] trait, which reads a message's route in one step (one
//! crossing of the wasm boundary in the browser); tests walk `serde_json` values the same way.

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

/// What a parsed frame, or one element of a batch, is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An array of this many elements.
    Batch(u32),
    /// A message with this type id (`None`: a route value nobody registered).
    Message(Option<u32>),
    /// Not routable.
    Dropped(Malformed),
}

/// Read access to a parsed JSON value.
pub trait JsonView: Sized {
    /// The route key and the table of registered route values (in the browser, a JS string
    /// and a `Map` from route value to type id).
    type Routes: ?Sized;
    /// What this value is, in one step (one crossing of the wasm boundary in the browser):
    /// anything but an array or a plain object is `NotAnObject`; an object whose route key is
    /// absent or not a string is `MissingRouteKey`.
    fn shape(&self, routes: &Self::Routes) -> Shape;
    /// Element `index` of an array.
    fn item(&self, index: u32) -> Self;
}

/// Walks a parsed frame: an object is one message, an array is a batch routed element by
/// element in order (an array inside a batch is not a message). `on` gets
/// `(message, type id)` or why an element was dropped.
pub fn decode<V: JsonView>(frame: V, routes: &V::Routes, on: &mut impl FnMut(Result<(V, Option<u32>), Malformed>)) {
    match frame.shape(routes) {
        Shape::Message(type_id) => on(Ok((frame, type_id))),
        Shape::Dropped(reason) => on(Err(reason)),
        Shape::Batch(len) => {
            for i in 0..len {
                let item = frame.item(i);
                on(match item.shape(routes) {
                    Shape::Message(type_id) => Ok((item, type_id)),
                    Shape::Dropped(reason) => Err(reason),
                    Shape::Batch(_) => Err(Malformed::NotAnObject),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::test::*;
    use super::*;
    use serde_json::Value;

    /// The route key and the registered route values, as the shell holds them.
    pub struct Routes(&'static str, &'static [&'static str]);

    impl JsonView for Value {
        type Routes = Routes;
        fn shape(&self, routes: &Routes) -> Shape {
            if let Some(items) = self.as_array() {
                return Shape::Batch(items.len() as u32);
            }
            let Some(object) = self.as_object() else { return Shape::Dropped(Malformed::NotAnObject) };
            match object.get(routes.0).and_then(Value::as_str) {
                Some(route) => Shape::Message(routes.1.iter().position(|t| *t == route).map(|i| i as u32)),
                None => Shape::Dropped(Malformed::MissingRouteKey),
            }
        }
        fn item(&self, index: u32) -> Self {
            self[index as usize].clone()
        }
    }

    /// What the shell does: parse, then decode; type ids or the reason.
    type Decoded = Vec<Result<Option<u32>, Malformed>>;

    fn decode_text(text: &str, route_key: &'static str) -> Decoded {
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            return vec![Err(Malformed::InvalidJson)];
        };
        let mut out = Vec::new();
        decode(frame, &Routes(route_key, &["a", "b", "notification", "new_message"]), &mut |r| out.push(r.map(|(_, t)| t)));
        out
    }

    #[test]
    fn every_input_class_decodes_as_expected() {
        use Malformed::*;
        let (a, b, unknown) = (Ok(Some(0)), Ok(Some(1)), Ok(None));
        let cases: Vec<(&str, Decoded)> = vec![
            (r#"{"type":"notification","notification":{"id":1}}"#, vec![Ok(Some(2))]),
            (r#"{"type":"nobody_listens"}"#, vec![unknown]),
            (r#"[{"type":"a"},{"type":"b"},{"type":"a"}]"#, vec![a, b, a]),
            (r#"[{"type":"a"},3,{"kind":"x"},[{"type":"nested"}],{"type":"b"}]"#,
             vec![a, Err(NotAnObject), Err(MissingRouteKey), Err(NotAnObject), b]),
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
        assert_eq!(decode_text(text, "event_type"), vec![Ok(Some(3))]);
    }

    #[test]
    fn every_reason_has_a_kind_and_a_message() {
        use Malformed::*;
        for m in [Binary, InvalidJson, NotAnObject, MissingRouteKey] {
            assert!(!m.kind().is_empty() && !m.message().is_empty());
        }
    }
}

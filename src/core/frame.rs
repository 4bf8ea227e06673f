//! Why a frame, or one element of a batch, is not routed: the kinds `onError` reports.

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
    /// A frame larger than `maxFrameBytes`, dropped unparsed.
    Oversize,
}

impl Malformed {
    /// The `kind` reported to `onError`.
    pub fn kind(self) -> &'static str {
        match self {
            Malformed::Binary => "binary_frame",
            Malformed::InvalidJson => "invalid_json",
            Malformed::NotAnObject => "not_an_object",
            Malformed::MissingRouteKey => "missing_route_key",
            Malformed::Oversize => "oversize",
        }
    }

    /// The `message` reported to `onError`.
    pub fn message(self) -> &'static str {
        match self {
            Malformed::Binary => "binary frame dropped: only JSON text frames are routed",
            Malformed::InvalidJson => "frame dropped: not valid JSON",
            Malformed::NotAnObject => "message dropped: not a JSON object",
            Malformed::MissingRouteKey => "message dropped: its route key is missing or not a string",
            Malformed::Oversize => "frame dropped unparsed: larger than maxFrameBytes",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Malformed::*;

    #[test]
    fn every_reason_has_its_own_kind_and_a_message() {
        let all = [Binary, InvalidJson, NotAnObject, MissingRouteKey, Oversize];
        for (i, m) in all.iter().enumerate() {
            assert!(!m.message().is_empty());
            assert!(all[..i].iter().all(|other| other.kind() != m.kind()));
        }
    }
}

//! Counters behind `stats()`.

/// Traffic and problem counters; all only ever grow.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Stats {
    /// Frames received.
    pub messages_in: u64,
    /// Frames written (pings included).
    pub messages_out: u64,
    /// Size of frames received: UTF-16 code units of text, bytes of binary.
    pub bytes_in: u64,
    /// Size of frames written, in UTF-16 code units.
    pub bytes_out: u64,
    /// Frames or batch elements dropped as malformed.
    pub malformed_dropped: u64,
    /// Listener calls that threw.
    pub listener_errors: u64,
    /// Messages dropped as duplicates (`idKey`).
    pub duplicates_dropped: u64,
}

//! Time as the core sees it: milliseconds on a monotonic clock the shell reads.

/// Milliseconds on the shell's monotonic clock (`performance.now()` in the browser).
pub type Millis = u64;

/// The largest delay a browser timer accepts (`setTimeout` wraps above 2^31 - 1 ms).
pub const MAX_TIMER_MS: Millis = (1 << 31) - 1;

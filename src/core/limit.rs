//! The browser notifications' rate limit: at most [`BURST`] in any [`PERIOD_MS`] per context;
//! beyond that they coalesce into one "N new messages" notification.

use super::time::Millis;

/// Notifications shown at most in any [`PERIOD_MS`].
pub const BURST: usize = 5;
/// The rate limit's sliding window.
pub const PERIOD_MS: Millis = 10_000;

/// What to do with one more notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// Show it.
    Show,
    /// Show (or replace) the one summary notification: this many were held back since the
    /// last one shown.
    Coalesce(u32),
}

/// When the last [`BURST`] notifications were shown (a ring, oldest at `next`).
#[derive(Debug, Default)]
pub struct Limiter {
    shown: [Option<Millis>; BURST],
    next: usize,
    held_back: u32,
}

impl Limiter {
    /// Decides for a notification at `now`.
    pub fn admit(&mut self, now: Millis) -> Admit {
        let oldest = &mut self.shown[self.next % BURST];
        if oldest.is_some_and(|at| now.saturating_sub(at) < PERIOD_MS) {
            self.held_back += 1;
            return Admit::Coalesce(self.held_back);
        }
        *oldest = Some(now);
        self.next = (self.next + 1) % BURST;
        self.held_back = 0;
        Admit::Show
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_in_ten_seconds_then_one_summary_counting_up() {
        let mut l = Limiter::default();
        for t in 0..5 {
            assert_eq!(l.admit(t * 100), Admit::Show);
        }
        assert_eq!(l.admit(600), Admit::Coalesce(1));
        assert_eq!(l.admit(9_999), Admit::Coalesce(2));
        assert_eq!(l.admit(10_000), Admit::Show, "the first one left the window");
        assert_eq!(l.admit(10_001), Admit::Coalesce(1), "a new summary starts from one");
        assert_eq!(l.admit(10_400), Admit::Show);
    }
}

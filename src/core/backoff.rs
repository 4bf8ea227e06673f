//! The reconnect policy: how long to wait before each retry, and when to give up.

use crate::prelude::*;

use super::rng::Rng;
use super::time::{Millis, MAX_TIMER_MS};

/// How retry delays grow.
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// `initial * multiplier^k`, capped at `max`.
    Exponential {
        /// Delay before the first retry.
        initial: f64,
        /// Cap on the base delay.
        max: f64,
        /// Growth factor per retry.
        multiplier: f64,
    },
    /// Fixed delays; the last one repeats.
    Fixed(Vec<f64>),
}

/// A validated reconnect policy (`reconnect` option).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The delay schedule.
    pub schedule: Schedule,
    /// Fraction in `[0, 1]` of each delay that is random: a delay is drawn uniformly from
    /// `[base × (1 − jitter), base]`. `1` is "full jitter" (uniform in `[0, base]`): a server
    /// restart's reconnect wave spreads over the whole first delay.
    pub jitter: f64,
    /// Consecutive failed attempts (the first counts) before giving up.
    pub max_attempts: u32,
}

/// The default first delay: with full jitter the first retry comes after 750 ms at the median,
/// and 10,000 clients dropped at once spread over 1.5 s (under 7% of them in any 100 ms).
pub const DEFAULT_INITIAL_MS: f64 = 1_500.0;

impl Default for Policy {
    fn default() -> Self {
        Policy {
            schedule: Schedule::Exponential { initial: DEFAULT_INITIAL_MS, max: 30_000.0, multiplier: 2.0 },
            jitter: 1.0,
            max_attempts: 10,
        }
    }
}

/// Draws the delays of a [`Policy`] from an injected random source.
#[derive(Debug, Clone)]
pub struct Backoff {
    policy: Policy,
    rng: Rng,
}

impl Backoff {
    /// A backoff for `policy` whose jitter replays from `seed`.
    pub fn new(policy: Policy, seed: u64) -> Self {
        Backoff { policy, rng: Rng::new(seed) }
    }

    /// The base delay (before jitter) of retry number `retry` (0 = the first retry).
    pub fn base_delay(&self, retry: u32) -> f64 {
        match &self.policy.schedule {
            Schedule::Exponential { initial, max, multiplier } => {
                let mut delay = *initial;
                for _ in 0..retry {
                    if delay >= *max {
                        break;
                    }
                    delay *= multiplier;
                }
                delay.min(*max)
            }
            Schedule::Fixed(delays) => {
                let last = delays.len().saturating_sub(1);
                delays.get((retry as usize).min(last)).copied().unwrap_or(0.0)
            }
        }
    }

    /// The jittered delay of retry number `retry`, in whole ms below 2^31.
    pub fn delay(&mut self, retry: u32) -> Millis {
        let ms = self.base_delay(retry) * (1.0 - self.rng.next_unit() * self.policy.jitter);
        ((ms.max(0.0) + 0.5) as Millis).min(MAX_TIMER_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exponential(jitter: f64) -> Backoff {
        Backoff::new(Policy { jitter, ..Policy::default() }, 42)
    }

    #[test]
    fn default_schedule_doubles_up_to_the_cap() {
        let b = exponential(0.0);
        let bases: Vec<f64> = (0..7).map(|k| b.base_delay(k)).collect();
        assert_eq!(bases, [1500.0, 3000.0, 6000.0, 12000.0, 24000.0, 30000.0, 30000.0]);
    }

    #[test]
    fn default_jitter_is_full_jitter_over_the_first_delay() {
        let mut b = Backoff::new(Policy::default(), 5);
        let mut delays: Vec<Millis> = (0..10_000).map(|_| b.delay(0)).collect();
        delays.sort_unstable();
        assert!(delays[0] < 20 && delays[9_999] > 1_480 && delays[9_999] <= 1_500, "{}..{}", delays[0], delays[9_999]);
        assert!((700..=800).contains(&delays[5_000]), "median {}", delays[5_000]);
    }

    #[test]
    fn without_jitter_delays_are_exact() {
        let mut b = exponential(0.0);
        assert_eq!((0..4).map(|k| b.delay(k)).collect::<Vec<_>>(), [1500, 3000, 6000, 12000]);
    }

    #[test]
    fn jitter_stays_within_bounds_and_spreads() {
        let mut b = exponential(0.3);
        let (mut lo, mut hi) = (u64::MAX, 0);
        for _ in 0..10_000 {
            let d = b.delay(2);
            assert!((4200..=6000).contains(&d), "{d}");
            lo = lo.min(d);
            hi = hi.max(d);
        }
        assert!(lo < 4250 && hi > 5950, "jitter should cover its range: {lo}..{hi}");
    }

    #[test]
    fn jitter_replays_from_the_seed() {
        let (mut a, mut b) = (exponential(0.3), exponential(0.3));
        for k in 0..50 {
            assert_eq!(a.delay(k), b.delay(k));
        }
    }

    #[test]
    fn fixed_schedule_repeats_its_last_delay() {
        let policy = Policy {
            schedule: Schedule::Fixed(vec![500.0, 2000.0, 5000.0]),
            jitter: 0.0,
            max_attempts: 10,
        };
        let mut b = Backoff::new(policy, 1);
        assert_eq!((0..5).map(|k| b.delay(k)).collect::<Vec<_>>(), [500, 2000, 5000, 5000, 5000]);
    }

    #[test]
    fn huge_delays_are_capped_below_two_to_the_31() {
        let policy = Policy {
            schedule: Schedule::Exponential { initial: 1e12, max: 1e15, multiplier: 10.0 },
            jitter: 0.5,
            max_attempts: 3,
        };
        let mut b = Backoff::new(policy, 9);
        for k in 0..2000 {
            assert!(b.delay(k) <= MAX_TIMER_MS);
        }
    }
}

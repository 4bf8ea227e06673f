//! Reconnect storm: 10,000 clients lose the server at the same instant; how hard do they hit it
//! while it is down and when it comes back?
//!
//! Model: every client detects the drop at t = 0 and then follows its reconnect policy exactly as
//! the connection state machine does (retry k waits `Backoff::delay(k)`; after `max_attempts`
//! failed attempts it gives up). The server is down for 30 s: an attempt that starts before
//! t = 30 s fails after 50 ms (the time to be refused), one that starts later succeeds. Client i's
//! jitter seed is i. Reported: the most attempts starting in any 100 ms window (sliding), overall
//! and from t = 30 s on, with the attempts made, clients that gave up and when the last one got back;
//! and the two figures of the first wave: the largest share of the clients whose first retry falls
//! in any 100 ms window (the goal: at most 10%), and when one client retries at the median (the
//! goal: within 1 s of the drop).
//!
//! `cargo run --release --example reconnect_storm [-- --json]`

use realtime_context::core::backoff::{Backoff, Policy, Schedule};

const CLIENTS: u64 = 10_000;
const DOWN_MS: u64 = 30_000;
const FAILED_ATTEMPT_MS: u64 = 50;
const WINDOW_MS: u64 = 100;

/// What one policy did to the server.
struct Storm {
    name: String,
    /// Start time of every attempt, sorted.
    attempts: Vec<u64>,
    /// Every client's first retry, sorted.
    first: Vec<u64>,
    gave_up: u64,
    last_back_ms: u64,
}

fn policies() -> Vec<(&'static str, Policy)> {
    let fixed = |delays: &[f64], max_attempts| Policy {
        schedule: Schedule::Fixed(delays.to_vec()),
        jitter: 0.0,
        max_attempts,
    };
    vec![
        ("realtime-context default", Policy::default()),
        ("seed 002", fixed(&[3000.0], u32::MAX)),
        (
            "seed 004",
            fixed(&[1000.0, 2000.0, 4000.0, 8000.0, 16000.0], 5),
        ),
    ]
}

/// `exponential 500 ms x2 to 30000 ms, jitter ±30%, 10 attempts`, from the policy itself.
fn describe(p: &Policy) -> String {
    let schedule = match &p.schedule {
        Schedule::Exponential {
            initial,
            max,
            multiplier,
        } => format!("exponential {initial} ms x{multiplier} to {max} ms"),
        Schedule::Fixed(d) => format!(
            "fixed {} ms",
            d.iter().map(f64::to_string).collect::<Vec<_>>().join("-")
        ),
    };
    let attempts = match p.max_attempts {
        u32::MAX => "no limit".to_string(),
        n => format!("{n} attempts"),
    };
    let jitter = match p.jitter {
        j if j == 1.0 => "full jitter".to_string(),
        0.0 => "no jitter".to_string(),
        j => format!("jitter {}% of each delay", j * 100.0),
    };
    format!("{schedule}, {jitter}, {attempts}")
}

fn simulate(name: &str, policy: &Policy) -> Storm {
    let mut storm = Storm {
        name: format!("{name}: {}", describe(policy)),
        attempts: Vec::new(),
        first: Vec::new(),
        gave_up: 0,
        last_back_ms: 0,
    };
    for client in 0..CLIENTS {
        let mut backoff = Backoff::new(policy.clone(), client);
        let mut now = 0;
        let mut retry = 0;
        loop {
            if retry >= policy.max_attempts {
                storm.gave_up += 1;
                break;
            }
            now += backoff.delay(retry);
            if retry == 0 {
                storm.first.push(now);
            }
            retry += 1;
            storm.attempts.push(now);
            if now >= DOWN_MS {
                storm.last_back_ms = storm.last_back_ms.max(now);
                break;
            }
            now += FAILED_ATTEMPT_MS;
        }
    }
    storm.attempts.sort_unstable();
    storm.first.sort_unstable();
    storm
}

/// The most attempts starting within any window [t, t + WINDOW_MS) among `times` (sorted).
fn peak(times: &[u64]) -> usize {
    let (mut best, mut lo) = (0, 0);
    for hi in 0..times.len() {
        while times[hi] - times[lo] >= WINDOW_MS {
            lo += 1;
        }
        best = best.max(hi - lo + 1);
    }
    best
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let mut rows = Vec::new();
    for (name, policy) in policies() {
        let s = simulate(name, &policy);
        let after = s.attempts.partition_point(|&t| t < DOWN_MS);
        let back = (s.gave_up < CLIENTS).then_some(s.last_back_ms);
        let first_wave = peak(&s.first) as f64 * 100.0 / CLIENTS as f64;
        let median_first = s.first[s.first.len() / 2];
        rows.push((
            s.name,
            peak(&s.attempts),
            peak(&s.attempts[after..]),
            s.attempts.len(),
            s.gave_up,
            back,
            first_wave,
            median_first,
        ));
    }
    if json {
        let policies: Vec<String> = rows
            .iter()
            .map(|(name, all, up, attempts, gave_up, back, wave, median)| {
                let back = back.map_or("null".to_string(), |ms| ms.to_string());
                format!(
                    "{{\"policy\":\"{name}\",\"peak\":{all},\"peakAfterUp\":{up},\"attempts\":{attempts},\"gaveUp\":{gave_up},\"lastBackMs\":{back},\"firstWavePeakPercent\":{wave:.2},\"medianFirstRetryMs\":{median}}}"
                )
            })
            .collect();
        println!(
            "{{\"clients\":{CLIENTS},\"downMs\":{DOWN_MS},\"failedAttemptMs\":{FAILED_ATTEMPT_MS},\"windowMs\":{WINDOW_MS},\"policies\":[{}]}}",
            policies.join(",")
        );
        return;
    }
    println!("{CLIENTS} clients, server down {DOWN_MS} ms, failed attempt {FAILED_ATTEMPT_MS} ms, window {WINDOW_MS} ms");
    println!(
        "{:<88} {:>6} {:>14} {:>9} {:>8} {:>13} {:>16} {:>17}",
        "policy", "peak", "peak after up", "attempts", "gave up", "all back (s)", "first wave peak", "median 1st retry"
    );
    for (name, all, up, attempts, gave_up, back, wave, median) in rows {
        let back = back.map_or("never".to_string(), |ms| {
            format!("{:.1}", ms as f64 / 1000.0)
        });
        println!("{name:<88} {all:>6} {up:>14} {attempts:>9} {gave_up:>8} {back:>13} {wave:>15.2}% {median:>14} ms");
    }
}

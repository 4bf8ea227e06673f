//! Native tests of the connection state machine, on fake time only.
//!
//! In the manner of quinn-proto's tests: a small harness owns the connection and the clock,
//! every input carries an explicit `now`, actions are drained after each input, and time moves
//! by jumping straight to `poll_timeout()` — never by sleeping or reading a real clock.

use crate::prelude::test::*;

use super::*;
use crate::core::backoff::{Policy, Schedule};
use crate::core::outbox::QueueFull;
use crate::core::time::Millis;

// ---- harness ----

/// The clock starts away from zero so that absolute and relative deadlines cannot be confused.
const START: Millis = 1_000;
const SEED: u64 = 7;
/// Far enough in the future to pass any deadline the tests configure.
const LATER: Millis = 10 * 3_600_000;

type Act = Action<String>;

/// Every action the connection has queued, in order.
fn drain(conn: &mut Connection<String>) -> Vec<Act> {
    std::iter::from_fn(|| conn.poll_action()).collect()
}

/// Jumps the clock to the next deadline, fires it and returns the new `now`.
fn step(conn: &mut Connection<String>) -> Millis {
    let at = conn.poll_timeout().expect("step: no deadline is pending");
    conn.handle_timeout(at);
    at
}

/// Actions as short strings, so whole sequences compare at a glance (close reasons left out).
fn show(actions: &[Act]) -> Vec<String> {
    actions
        .iter()
        .map(|a| match a {
            Action::Open { generation } => format!("open {generation}"),
            Action::Close { generation, code, .. } => format!("close {generation} {code}"),
            Action::Transmit(frame) => format!("tx {frame}"),
            Action::TransmitAcked(frame) => format!("tx* {frame}"),
            Action::Ping => "ping".to_string(),
            Action::Resume => "resume".to_string(),
            Action::RefreshToken => "refresh".to_string(),
            Action::AckTimeout(seq) => format!("timeout {seq}"),
        })
        .collect()
}

fn opens(actions: &[Act]) -> Vec<u32> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Open { generation } => Some(*generation),
            _ => None,
        })
        .collect()
}

/// The generation of the single `Open` that `actions` must consist of.
fn expect_open(actions: &[Act]) -> u32 {
    match actions {
        [Action::Open { generation }] => *generation,
        other => panic!("expected exactly one Open, got {other:?}"),
    }
}

#[track_caller]
fn assert_quiet(actions: &[Act]) {
    assert!(actions.is_empty(), "expected no actions, got {actions:?}");
}

/// A connection and its fake clock.
struct Sim {
    conn: Connection<String>,
    now: Millis,
}

impl Sim {
    fn new(settings: Settings) -> Self {
        Self::seeded(settings, SEED)
    }

    fn seeded(settings: Settings, seed: u64) -> Self {
        Sim { conn: Connection::new(settings, seed, START), now: START }
    }

    fn drain(&mut self) -> Vec<Act> {
        drain(&mut self.conn)
    }

    /// Fires the next deadline and returns the actions it caused.
    fn step(&mut self) -> Vec<Act> {
        self.now = step(&mut self.conn);
        self.drain()
    }

    /// Lets `ms` pass with no deadline falling due on the way (panics if one would be skipped).
    #[track_caller]
    fn pass(&mut self, ms: Millis) {
        let to = self.now + ms;
        if let Some(at) = self.conn.poll_timeout() {
            assert!(at > to, "pass({ms}) would skip the deadline at {at} (now {})", self.now);
        }
        self.now = to;
    }

    /// Moves the clock by `ms` and fires whatever fell due.
    fn advance(&mut self, ms: Millis) -> Vec<Act> {
        self.now += ms;
        self.conn.handle_timeout(self.now);
        self.drain()
    }

    /// Time left until the next deadline.
    fn wait(&self) -> Option<Millis> {
        self.conn.poll_timeout().map(|at| at.checked_sub(self.now).expect("a deadline in the past"))
    }

    /// `connect()`, which must open exactly one socket; returns its generation.
    #[track_caller]
    fn connect(&mut self) -> u32 {
        self.conn.connect(self.now);
        expect_open(&self.drain())
    }

    fn open(&mut self, generation: u32) -> Vec<Act> {
        self.conn.handle_open(generation, self.now);
        self.drain()
    }

    fn close(&mut self, generation: u32, code: u16) -> Vec<Act> {
        self.conn.handle_close(generation, code, self.now);
        self.drain()
    }

    fn frame(&mut self, generation: u32) -> bool {
        self.conn.handle_frame(generation)
    }

    fn disconnect(&mut self) -> Vec<Act> {
        self.conn.disconnect(self.now);
        self.drain()
    }

    fn retry(&mut self) -> Vec<Act> {
        self.conn.retry(self.now);
        self.drain()
    }

    /// Steps to the pending retry, which must open exactly one socket; returns its generation.
    #[track_caller]
    fn fire_retry(&mut self) -> u32 {
        assert_eq!(self.conn.status(), Status::Reconnecting);
        assert!(self.conn.next_retry_in().is_some(), "no retry is pending");
        let actions = self.step();
        expect_open(&actions)
    }

    /// Whether the state-change flag was set; also checks that taking it clears it.
    #[track_caller]
    fn changed(&mut self) -> bool {
        let was = self.conn.take_state_change();
        assert!(!self.conn.take_state_change(), "take_state_change must clear the flag");
        was
    }

    /// The status, error and attempt counter at once.
    fn state(&self) -> (Status, Option<ConnectionError>, u32) {
        (self.conn.status(), self.conn.error(), self.conn.attempt())
    }
}

/// Exact (unjittered) retry delays of 500, 1000, 2000, ... up to 30 000, and `max_attempts`.
fn doubling(max_attempts: u32) -> Policy {
    Policy { schedule: Schedule::Exponential { initial: 500.0, max: 30_000.0, multiplier: 2.0 }, jitter: 0.0, max_attempts }
}

/// Default settings with exact retry delays: 500, 1000, 2000, ... up to 30 000.
fn exact() -> Settings {
    Settings { reconnect: Some(doubling(10)), ..Settings::default() }
}

fn exact_attempts(max_attempts: u32) -> Settings {
    Settings { reconnect: Some(doubling(max_attempts)), ..Settings::default() }
}

fn no_reconnect() -> Settings {
    Settings { reconnect: None, ..Settings::default() }
}

fn heartbeat(interval: Millis, timeout: Millis) -> Settings {
    Settings { heartbeat: Some(Heartbeat { interval, timeout }), ..exact() }
}

/// Places the state machine can be driven to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Stage {
    Idle,
    /// First attempt in flight.
    Connecting,
    Open,
    /// The open socket dropped; a retry is scheduled.
    RetryPending,
    /// The scheduled retry fired; its socket is in flight.
    Retrying,
    GaveUp,
    Unauthorized,
    Disconnected,
}

const EVERY_STAGE: [Stage; 8] = [
    Stage::Idle,
    Stage::Connecting,
    Stage::Open,
    Stage::RetryPending,
    Stage::Retrying,
    Stage::GaveUp,
    Stage::Unauthorized,
    Stage::Disconnected,
];

/// A connection driven to `stage`, with its actions drained and its change flag taken; the
/// generation of its live socket comes along, if it has one.
fn at(stage: Stage, settings: Settings) -> (Sim, Option<u32>) {
    let (mut sim, live) = match stage {
        Stage::Idle => (Sim::new(settings), None),
        Stage::Connecting => {
            let mut sim = Sim::new(settings);
            let g = sim.connect();
            (sim, Some(g))
        }
        Stage::Open => {
            let mut sim = Sim::new(settings);
            let g = sim.connect();
            sim.pass(10);
            let actions = sim.open(g);
            assert!(actions.iter().all(|a| *a == Action::Resume), "only a resume frame on open: {actions:?}");
            (sim, Some(g))
        }
        Stage::RetryPending => {
            let (mut sim, g) = at(Stage::Open, settings);
            sim.pass(10);
            assert_quiet(&sim.close(g.unwrap(), ABNORMAL_CLOSE_CODE));
            (sim, None)
        }
        Stage::Retrying => {
            let (mut sim, _) = at(Stage::RetryPending, settings);
            let g = sim.fire_retry();
            (sim, Some(g))
        }
        Stage::GaveUp => {
            let mut sim = Sim::new(settings);
            let mut g = sim.connect();
            loop {
                sim.close(g, ABNORMAL_CLOSE_CODE);
                if sim.conn.status() == Status::Closed {
                    break;
                }
                g = sim.fire_retry();
            }
            assert!(matches!(sim.conn.error(), Some(ConnectionError::GaveUp(_))));
            (sim, None)
        }
        Stage::Unauthorized => {
            let (mut sim, g) = at(Stage::Open, settings);
            sim.close(g.unwrap(), 4001);
            (sim, None)
        }
        Stage::Disconnected => {
            let (mut sim, _) = at(Stage::Open, settings);
            sim.disconnect();
            (sim, None)
        }
    };
    sim.drain();
    sim.conn.take_state_change();
    (sim, live)
}

// ---- 1. idle and connect ----

#[test]
fn new_connection_is_idle_and_quiet() {
    let mut sim = Sim::new(exact());
    assert_eq!(sim.state(), (Status::Idle, None, 0));
    assert_eq!(sim.conn.next_retry_in(), None);
    assert_eq!(sim.conn.since(), START);
    assert_eq!(sim.conn.poll_timeout(), None);
    assert_eq!((sim.conn.queued(), sim.conn.reconnects(), sim.conn.last_rtt()), (0, 0, None));
    assert_quiet(&sim.drain());
    assert!(!sim.changed());
    // Nothing fires, however late it gets.
    sim.conn.handle_timeout(LATER);
    assert_quiet(&sim.drain());
    assert_eq!(sim.conn.status(), Status::Idle);
}

#[test]
fn connect_opens_a_socket_and_arms_the_connect_timeout() {
    let mut sim = Sim::new(Settings { connect_timeout: 3_000, ..exact() });
    sim.pass(250);
    let g = sim.connect();
    assert_eq!(sim.state(), (Status::Connecting, None, 1));
    assert_eq!(sim.conn.next_retry_in(), None);
    assert_eq!(sim.conn.poll_timeout(), Some(START + 250 + 3_000));
    assert_eq!(sim.conn.since(), START + 250);
    assert!(sim.changed());
    // The socket is not open until the shell says so.
    assert!(!sim.frame(g));
    assert_eq!(sim.conn.status(), Status::Connecting);
}

#[test]
fn connect_is_a_noop_while_connecting_open_or_reconnecting() {
    for stage in [Stage::Connecting, Stage::Open, Stage::RetryPending, Stage::Retrying] {
        let (mut sim, _) = at(stage, exact());
        let before = (sim.state(), sim.conn.poll_timeout(), sim.conn.next_retry_in(), sim.conn.since());
        sim.pass(1);
        sim.conn.connect(sim.now);
        assert_quiet(&sim.drain());
        let after = (sim.state(), sim.conn.poll_timeout(), sim.conn.next_retry_in(), sim.conn.since());
        assert_eq!(after, before, "{stage:?}");
        assert!(!sim.changed(), "{stage:?}");
    }
}

#[test]
fn connect_after_a_stop_starts_a_new_series() {
    for stage in [Stage::GaveUp, Stage::Unauthorized, Stage::Disconnected] {
        let (mut sim, _) = at(stage, exact());
        let g = sim.connect();
        assert_eq!(sim.state(), (Status::Connecting, None, 1), "{stage:?}");
        assert_eq!(sim.wait(), Some(exact().connect_timeout), "{stage:?}");
        assert_quiet(&sim.open(g));
        assert_eq!(sim.conn.status(), Status::Open, "{stage:?}");
    }
}

// ---- 2. open, flush, generations ----

#[test]
fn open_resets_the_attempt_and_arms_the_ping() {
    let mut sim = Sim::new(heartbeat(7_000, 3_000));
    let g1 = sim.connect();
    sim.close(g1, ABNORMAL_CLOSE_CODE);
    assert_eq!(sim.state(), (Status::Reconnecting, Some(ConnectionError::AttemptFailed(1006)), 2));
    let g2 = sim.fire_retry();
    sim.pass(1_200);
    assert_quiet(&sim.open(g2));
    assert_eq!(sim.state(), (Status::Open, None, 0));
    assert_eq!(sim.conn.next_retry_in(), None);
    // The connect timeout (due sooner) is gone: the ping is the next deadline.
    assert_eq!(sim.conn.poll_timeout(), Some(sim.now + 7_000));
    assert!(sim.changed());
}

#[test]
fn open_flushes_queued_frames_in_order() {
    let mut sim = Sim::new(exact());
    let g1 = sim.connect();
    for frame in ["a", "b"] {
        assert_eq!(sim.conn.send(frame.to_string()), Ok(false));
    }
    sim.close(g1, ABNORMAL_CLOSE_CODE);
    assert_eq!(sim.conn.send("c".to_string()), Ok(false));
    let g2 = sim.fire_retry();
    assert_eq!(sim.conn.send("d".to_string()), Ok(false));
    assert_eq!(sim.conn.queued(), 4);
    assert_eq!(show(&sim.open(g2)), ["tx a", "tx b", "tx c", "tx d"]);
    assert_eq!(sim.conn.queued(), 0);
    // Later frames go straight out, after the flushed ones.
    assert_eq!(sim.conn.send("e".to_string()), Ok(true));
    assert_eq!(show(&sim.drain()), ["tx e"]);
}

#[test]
fn events_from_an_old_generation_are_ignored() {
    let mut sim = Sim::new(exact());
    let g1 = sim.connect();
    sim.close(g1, ABNORMAL_CLOSE_CODE);
    let g2 = sim.fire_retry();
    assert_ne!(g1, g2);
    sim.changed();
    let before = (sim.state(), sim.conn.poll_timeout());

    // While the new socket is in flight.
    assert_quiet(&sim.open(g1));
    assert_quiet(&sim.close(g1, 4001));
    assert!(!sim.frame(g1));
    assert_eq!((sim.state(), sim.conn.poll_timeout()), before);
    assert!(!sim.changed());

    // While the new socket is open.
    sim.open(g2);
    sim.changed();
    sim.pass(1_000);
    let ping_at = sim.conn.poll_timeout();
    assert!(!sim.frame(g1), "a stale frame must not count");
    assert_eq!(sim.conn.poll_timeout(), ping_at, "a stale frame must not re-arm the ping");
    assert_quiet(&sim.open(g1));
    for code in [1000, 1006, 4001] {
        assert_quiet(&sim.close(g1, code));
    }
    assert_eq!(sim.state(), (Status::Open, None, 0));
    assert!(!sim.changed());

    // A generation never issued is ignored too.
    assert_quiet(&sim.open(g2 + 1));
    assert_quiet(&sim.close(g2 + 1, 1006));
    assert!(!sim.frame(g2 + 1));
    assert_eq!(sim.conn.status(), Status::Open);
    assert!(sim.frame(g2));
}

#[test]
fn every_socket_gets_a_fresh_generation() {
    let (mut sim, _) = at(Stage::Idle, exact());
    let mut seen = vec![sim.connect()];
    loop {
        let g = *seen.last().unwrap();
        sim.close(g, ABNORMAL_CLOSE_CODE);
        if sim.conn.status() == Status::Closed {
            break;
        }
        seen.push(sim.fire_retry());
    }
    seen.extend(opens(&sim.retry()));
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "generations repeat: {seen:?}");
}

// ---- 3. send queue ----

#[test]
fn send_while_open_transmits_at_once() {
    let (mut sim, _) = at(Stage::Open, exact());
    for frame in ["x", "y"] {
        assert_eq!(sim.conn.send(frame.to_string()), Ok(true));
    }
    assert_eq!(show(&sim.drain()), ["tx x", "tx y"]);
    assert_eq!(sim.conn.queued(), 0);
}

#[test]
fn send_while_not_open_queues() {
    for stage in EVERY_STAGE.into_iter().filter(|s| *s != Stage::Open) {
        let (mut sim, _) = at(stage, exact());
        let status = sim.conn.status();
        for (n, frame) in ["x", "y"].into_iter().enumerate() {
            assert_eq!(sim.conn.send(frame.to_string()), Ok(false), "{stage:?}");
            assert_eq!(sim.conn.queued(), n + 1, "{stage:?}");
        }
        assert_quiet(&sim.drain());
        assert_eq!(sim.conn.status(), status, "{stage:?}");
    }
}

#[test]
fn send_refuses_a_full_queue_and_hands_the_frame_back() {
    let (mut sim, g) = at(Stage::Connecting, Settings { queue_max: 2, ..exact() });
    assert_eq!(sim.conn.send("a".to_string()), Ok(false));
    assert_eq!(sim.conn.send("b".to_string()), Ok(false));
    assert_eq!(sim.conn.send("c".to_string()), Err((QueueFull, "c".to_string())));
    assert_eq!(sim.conn.queued(), 2);
    assert_eq!(show(&sim.open(g.unwrap())), ["tx a", "tx b"]);
    // Once flushed, there is room again.
    sim.close(g.unwrap(), ABNORMAL_CLOSE_CODE);
    assert_eq!(sim.conn.send("d".to_string()), Ok(false));
}

#[test]
fn frames_the_closing_socket_refused_go_out_first_and_in_order() {
    // Taken back while open: the socket was already closing when the shell tried to write.
    let (mut sim, g) = at(Stage::Open, Settings { queue_max: 2, ..exact() });
    assert_eq!(sim.conn.send("first".to_string()), Ok(true));
    assert_eq!(show(&sim.drain()), ["tx first"]);
    sim.conn.unsent("first".to_string());
    assert_eq!(sim.conn.queued(), 1);
    // Still open to the core, but every later send queues behind what was refused.
    assert_eq!(sim.conn.status(), Status::Open);
    assert_eq!(sim.conn.send("a".to_string()), Ok(false));
    assert_quiet(&sim.drain());
    sim.close(g.unwrap(), ABNORMAL_CLOSE_CODE);
    assert_eq!(sim.conn.send("b".to_string()), Err((QueueFull, "b".to_string())));
    let g2 = sim.fire_retry();
    assert_eq!(show(&sim.open(g2)), ["tx first", "tx a"]);
    // The new socket takes sends at once again.
    assert_eq!(sim.conn.send("c".to_string()), Ok(true));
}

#[test]
fn a_flush_the_closing_socket_refused_keeps_its_order_and_loses_nothing() {
    let (mut sim, g) = at(Stage::Connecting, Settings { queue_max: 3, ..exact() });
    for frame in ["a", "b", "c"] {
        assert_eq!(sim.conn.send(frame.to_string()), Ok(false));
    }
    sim.conn.handle_open(g.unwrap(), sim.now);
    // Frames leave one at a time: the shell could not write the first, so it comes back and
    // no other is offered on this socket; a send made then queues behind them.
    assert_eq!(sim.conn.poll_action(), Some(Action::Transmit("a".to_string())));
    sim.conn.unsent("a".to_string());
    assert_quiet(&sim.drain());
    assert_eq!(sim.conn.queued(), 3);
    assert_eq!(sim.conn.send("d".to_string()), Err((QueueFull, "d".to_string())), "the queue is full");
    sim.close(g.unwrap(), ABNORMAL_CLOSE_CODE);
    let g2 = sim.fire_retry();
    assert_eq!(show(&sim.open(g2)), ["tx a", "tx b", "tx c"]);
}

// ---- 4. abrupt close of an open socket ----

#[test]
fn reconnects_after_abrupt_close() {
    for code in [1000, 1001, 1006, 1011, TIMEOUT_CLOSE_CODE, 4500] {
        let (mut sim, g) = at(Stage::Open, exact());
        sim.pass(2_000);
        assert_quiet(&sim.close(g.unwrap(), code));
        assert_eq!(sim.state(), (Status::Reconnecting, Some(ConnectionError::Dropped(code)), 1), "{code}");
        assert_eq!(sim.conn.next_retry_in(), Some(500), "{code}");
        assert_eq!(sim.conn.poll_timeout(), Some(sim.now + 500), "{code}");
        assert_eq!(sim.conn.reconnects(), 0, "{code}");
        assert!(sim.changed(), "{code}");
    }
}

#[test]
fn retry_deadline_opens_a_new_socket_and_counts_a_reconnect() {
    let (mut sim, g1) = at(Stage::Open, exact());
    sim.close(g1.unwrap(), 1011);
    let dropped_at = sim.now;
    // Nothing happens a moment before the deadline.
    assert_quiet(&sim.advance(499));
    assert_eq!(sim.conn.reconnects(), 0);
    let g2 = expect_open(&sim.advance(1));
    assert_eq!(sim.now, dropped_at + 500);
    assert_ne!(g2, g1.unwrap());
    assert_eq!(sim.state(), (Status::Reconnecting, Some(ConnectionError::Dropped(1011)), 1));
    assert_eq!(sim.conn.reconnects(), 1);
    assert_eq!(sim.conn.next_retry_in(), None, "no retry is pending while one is in flight");
    assert_eq!(sim.wait(), Some(exact().connect_timeout));
    assert!(sim.changed());
    assert_quiet(&sim.open(g2));
    assert_eq!(sim.state(), (Status::Open, None, 0));
    assert_eq!(sim.conn.reconnects(), 1);
}

// ---- 5. backoff and giving up ----

#[test]
fn failed_attempts_back_off_exponentially_then_give_up() {
    let (mut sim, g) = at(Stage::Open, exact());
    sim.close(g.unwrap(), ABNORMAL_CLOSE_CODE);
    let mut delays = Vec::new();
    for attempt in 1..=10 {
        let expected_error =
            if attempt == 1 { ConnectionError::Dropped(1006) } else { ConnectionError::AttemptFailed(1006) };
        assert_eq!(sim.state(), (Status::Reconnecting, Some(expected_error), attempt));
        let delay = sim.conn.next_retry_in().expect("a retry is pending");
        assert_eq!(sim.wait(), Some(delay));
        delays.push(delay);
        let g = sim.fire_retry();
        assert_eq!(sim.conn.reconnects(), attempt as u64);
        sim.pass(100);
        assert_quiet(&sim.close(g, ABNORMAL_CLOSE_CODE));
    }
    assert_eq!(delays, [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    assert_eq!(sim.state(), (Status::Closed, Some(ConnectionError::GaveUp(10)), 0));
    assert_eq!((sim.conn.poll_timeout(), sim.conn.next_retry_in()), (None, None));
    sim.conn.handle_timeout(LATER);
    assert_quiet(&sim.drain());
    assert_eq!(sim.conn.status(), Status::Closed);
}

#[test]
fn first_connect_that_never_succeeds_gives_up_after_max_attempts() {
    let cases: [(u32, &[Millis]); 4] = [(1, &[]), (2, &[500]), (3, &[500, 1_000]), (5, &[500, 1_000, 2_000, 4_000])];
    for (max_attempts, expected_delays) in cases {
        let mut sim = Sim::new(exact_attempts(max_attempts));
        let mut g = sim.connect();
        let mut open_count = 1;
        let mut delays = Vec::new();
        loop {
            sim.pass(10);
            sim.close(g, ABNORMAL_CLOSE_CODE);
            if sim.conn.status() == Status::Closed {
                break;
            }
            assert_eq!(sim.conn.attempt(), open_count + 1, "max {max_attempts}");
            delays.push(sim.conn.next_retry_in().unwrap());
            g = sim.fire_retry();
            open_count += 1;
        }
        assert_eq!(open_count, max_attempts, "exactly max_attempts sockets are opened");
        assert_eq!(delays, expected_delays, "max {max_attempts}");
        assert_eq!(sim.conn.error(), Some(ConnectionError::GaveUp(max_attempts)));
        assert_eq!(sim.conn.poll_timeout(), None, "max {max_attempts}");
        sim.conn.handle_timeout(LATER);
        assert_quiet(&sim.drain());
    }
}

#[test]
fn gives_up_after_max_attempts() {
    // The contract's own example: three attempts, three opens, then Closed / GaveUp(3).
    let mut sim = Sim::new(exact_attempts(3));
    sim.conn.connect(sim.now);
    let mut all = sim.drain();
    while let Some(&g) = opens(&all).last() {
        sim.pass(1);
        all.extend(sim.close(g, ABNORMAL_CLOSE_CODE));
        if sim.conn.poll_timeout().is_none() {
            break;
        }
        all.extend(sim.step());
    }
    assert_eq!(opens(&all).len(), 3, "{:?}", show(&all));
    assert_eq!(sim.state(), (Status::Closed, Some(ConnectionError::GaveUp(3)), 0));
    assert_eq!(sim.conn.poll_timeout(), None);
}

#[test]
fn fixed_schedule_repeats_its_last_delay_between_attempts() {
    let policy = Policy { schedule: Schedule::Fixed(vec![100.0, 700.0]), jitter: 0.0, max_attempts: 5 };
    let mut sim = Sim::new(Settings { reconnect: Some(policy), ..Settings::default() });
    let mut g = sim.connect();
    let mut delays = Vec::new();
    loop {
        sim.close(g, ABNORMAL_CLOSE_CODE);
        match sim.conn.next_retry_in() {
            Some(d) => delays.push(d),
            None => break,
        }
        g = sim.fire_retry();
    }
    assert_eq!(delays, [100, 700, 700, 700]);
    assert_eq!(sim.conn.error(), Some(ConnectionError::GaveUp(5)));
}

// ---- 6. auth closes ----

#[test]
fn auth_close_codes_stop_without_retry() {
    for code in AUTH_CLOSE_CODES {
        for stage in [Stage::Open, Stage::Connecting, Stage::Retrying] {
            let (mut sim, g) = at(stage, exact());
            sim.pass(10);
            assert_quiet(&sim.close(g.unwrap(), code));
            let case = format!("{code} while {stage:?}");
            assert_eq!(sim.state(), (Status::Closed, Some(ConnectionError::Unauthorized(code)), 0), "{case}");
            assert_eq!((sim.conn.poll_timeout(), sim.conn.next_retry_in()), (None, None), "{case}");
            assert!(sim.changed(), "{case}");
            sim.conn.handle_timeout(LATER);
            assert_quiet(&sim.drain());
            assert_eq!(sim.conn.status(), Status::Closed, "{case}");
        }
    }
}

#[test]
fn auth_close_codes_are_exactly_4001_4003_and_1008() {
    assert_eq!(AUTH_CLOSE_CODES, [4001, 4003, 1008]);
    // Neighbouring codes retry.
    for code in [4000, 4002, 4004, 1007, 1009] {
        let (mut sim, g) = at(Stage::Open, exact());
        sim.close(g.unwrap(), code);
        assert_eq!(sim.conn.status(), Status::Reconnecting, "{code}");
    }
}

// ---- 7. reconnect disabled ----

#[test]
fn disabled_reconnect_loses_the_connection_on_any_close() {
    for code in [1000, 1001, 1006, 1011, TIMEOUT_CLOSE_CODE, 4500] {
        for stage in [Stage::Open, Stage::Connecting] {
            let (mut sim, g) = at(stage, no_reconnect());
            assert_quiet(&sim.close(g.unwrap(), code));
            let case = format!("{code} while {stage:?}");
            assert_eq!(sim.state(), (Status::Closed, Some(ConnectionError::Lost(code)), 0), "{case}");
            assert_eq!((sim.conn.poll_timeout(), sim.conn.next_retry_in()), (None, None), "{case}");
            sim.conn.handle_timeout(LATER);
            assert_quiet(&sim.drain());
        }
    }
}

#[test]
fn disabled_reconnect_loses_the_connection_on_connect_timeout() {
    let (mut sim, g) = at(Stage::Connecting, no_reconnect());
    let g = g.unwrap();
    assert_eq!(show(&sim.step()), [format!("close {g} 4000")]);
    assert_eq!(sim.conn.status(), Status::Closed);
    assert!(matches!(sim.conn.error(), Some(ConnectionError::Lost(_))), "{:?}", sim.conn.error());
    assert_eq!(sim.conn.poll_timeout(), None);
}

// ---- 8. connect timeout ----

#[test]
fn connect_timeout_closes_the_socket_and_schedules_a_retry() {
    let mut sim = Sim::new(exact());
    let g1 = sim.connect();
    assert_eq!(show(&sim.step()), [format!("close {g1} 4000")]);
    assert_eq!(sim.now, START + 5_000);
    assert_eq!(sim.conn.status(), Status::Reconnecting);
    assert!(matches!(sim.conn.error(), Some(ConnectionError::AttemptFailed(_))));
    assert_eq!(sim.conn.attempt(), 2, "the timed-out attempt counts as failed");
    assert_eq!((sim.conn.next_retry_in(), sim.wait()), (Some(500), Some(500)));

    // The shell reports the close it was asked for: it must not count twice.
    assert_quiet(&sim.close(g1, 1006));
    assert_eq!((sim.conn.attempt(), sim.wait()), (2, Some(500)));

    // A retry socket that also times out fails the next attempt, with a longer delay.
    let g2 = sim.fire_retry();
    assert_eq!(sim.wait(), Some(5_000));
    assert_eq!(show(&sim.step()), [format!("close {g2} 4000")]);
    assert_eq!((sim.conn.attempt(), sim.conn.next_retry_in()), (3, Some(1_000)));
}

#[test]
fn connect_timeout_on_the_last_attempt_gives_up() {
    for max_attempts in [1, 3] {
        let mut sim = Sim::new(exact_attempts(max_attempts));
        let mut g = sim.connect();
        for _ in 1..max_attempts {
            assert_eq!(show(&sim.step()), [format!("close {g} 4000")]);
            g = sim.fire_retry();
        }
        assert_eq!(show(&sim.step()), [format!("close {g} 4000")], "max {max_attempts}");
        assert_eq!(sim.state(), (Status::Closed, Some(ConnectionError::GaveUp(max_attempts)), 0));
        assert_eq!(sim.conn.poll_timeout(), None);
    }
}

#[test]
fn late_open_from_a_timed_out_socket_is_ignored() {
    let mut sim = Sim::new(exact());
    let g1 = sim.connect();
    sim.step();
    sim.changed();
    // Before the retry…
    sim.pass(100);
    assert_quiet(&sim.open(g1));
    assert!(!sim.frame(g1));
    assert_eq!(sim.conn.status(), Status::Reconnecting);
    assert!(!sim.changed());
    // …and while the retry socket is in flight.
    let g2 = sim.fire_retry();
    assert_quiet(&sim.open(g1));
    assert_eq!(sim.conn.status(), Status::Reconnecting);
    assert_quiet(&sim.open(g2));
    assert_eq!(sim.conn.status(), Status::Open);
}

#[test]
fn connect_timeout_does_not_fire_once_open() {
    let (mut sim, _) = at(Stage::Open, Settings { heartbeat: None, ..exact() });
    assert_eq!(sim.conn.poll_timeout(), None);
    sim.conn.handle_timeout(LATER);
    assert_quiet(&sim.drain());
    assert_eq!(sim.conn.status(), Status::Open);
}

// ---- 9. heartbeat ----

#[test]
fn heartbeat_pings_after_silence_and_arms_the_pong_timeout() {
    let (mut sim, _) = at(Stage::Open, heartbeat(7_000, 3_000));
    let opened_at = sim.now;
    assert_eq!(sim.wait(), Some(7_000));
    assert_quiet(&sim.advance(6_999));
    assert_eq!(show(&sim.advance(1)), ["ping"]);
    assert_eq!(sim.now, opened_at + 7_000);
    assert_eq!(sim.wait(), Some(3_000));
    assert_eq!(sim.conn.status(), Status::Open);
    assert!(!sim.changed(), "a ping is not a visible state change");
}

#[test]
fn any_frame_heard_since_the_last_check_keeps_the_socket_without_a_ping() {
    let (mut sim, g) = at(Stage::Open, heartbeat(7_000, 3_000));
    let g = g.unwrap();
    // A frame before the ping deadline: the check finds it and waits another interval.
    sim.pass(5_000);
    assert!(sim.frame(g));
    assert_eq!(sim.wait(), Some(2_000), "frames never touch the deadlines");
    assert_quiet(&sim.step());
    assert_eq!(sim.wait(), Some(7_000));
    // A whole interval of silence: ping.
    assert_eq!(show(&sim.step()), ["ping"]);
    // After the ping, any frame (not only a pong) proves liveness.
    sim.pass(2_999);
    assert!(sim.frame(g));
    assert_quiet(&sim.step());
    assert_eq!(sim.wait(), Some(7_000), "no close; the next check an interval later");
    assert_eq!(show(&sim.step()), ["ping"]);
    assert_eq!(sim.conn.status(), Status::Open);
}

#[test]
fn a_ping_is_sent_after_at_most_two_intervals_of_silence() {
    let (mut sim, g) = at(Stage::Open, heartbeat(7_000, 3_000));
    sim.pass(6_999);
    assert!(sim.frame(g.unwrap()));
    assert_quiet(&sim.step());
    let last_frame_at = sim.now - 1;
    assert_eq!(show(&sim.step()), ["ping"]);
    assert!(sim.now - last_frame_at <= 14_000);
}

#[test]
fn pong_records_the_round_trip() {
    let (mut sim, g) = at(Stage::Open, heartbeat(7_000, 3_000));
    let g = g.unwrap();
    assert_eq!(sim.conn.last_rtt(), None);
    assert_eq!(show(&sim.step()), ["ping"]);
    sim.pass(42);
    assert!(sim.frame(g));
    sim.conn.handle_pong(sim.now);
    assert_eq!(sim.conn.last_rtt(), Some(42));
    // The pong timeout finds the socket heard; the next ping, an interval later, measures afresh.
    assert_quiet(&sim.step());
    assert_eq!(show(&sim.step()), ["ping"]);
    sim.pass(250);
    assert!(sim.frame(g));
    sim.conn.handle_pong(sim.now);
    assert_eq!(sim.conn.last_rtt(), Some(250));
}

#[test]
fn silent_socket_after_a_ping_is_closed_and_replaced() {
    let (mut sim, g) = at(Stage::Open, heartbeat(7_000, 3_000));
    let g = g.unwrap();
    assert_eq!(show(&sim.step()), ["ping"]);
    let pinged_at = sim.now;
    assert_quiet(&sim.advance(2_999));
    assert_eq!(show(&sim.advance(1)), [format!("close {g} 4000")]);
    assert_eq!(sim.now, pinged_at + 3_000);
    assert_eq!(sim.conn.status(), Status::Reconnecting);
    assert!(matches!(sim.conn.error(), Some(ConnectionError::Dropped(_))));
    assert_eq!((sim.conn.attempt(), sim.conn.next_retry_in(), sim.wait()), (1, Some(500), Some(500)));
    // The close the shell reports afterwards, and any late frame, change nothing.
    assert_quiet(&sim.close(g, 1006));
    assert!(!sim.frame(g));
    assert_eq!((sim.conn.attempt(), sim.wait()), (1, Some(500)));
    let g2 = sim.fire_retry();
    assert_ne!(g2, g);
    assert_quiet(&sim.open(g2));
    assert_eq!(sim.wait(), Some(7_000));
}

#[test]
fn without_heartbeat_no_ping_is_ever_due() {
    let (mut sim, g) = at(Stage::Open, Settings { heartbeat: None, ..exact() });
    assert_eq!(sim.conn.poll_timeout(), None);
    assert!(sim.frame(g.unwrap()));
    assert_eq!(sim.conn.poll_timeout(), None);
    sim.conn.handle_timeout(LATER);
    assert_quiet(&sim.drain());
    assert_eq!(sim.conn.status(), Status::Open);
}

// ---- 10. disconnect ----

#[test]
fn disconnect_from_open_closes_with_1000_and_keeps_the_queue() {
    let (mut sim, g) = at(Stage::Open, exact());
    let g = g.unwrap();
    sim.conn.unsent("kept".to_string());
    sim.pass(300);
    assert_eq!(show(&sim.disconnect()), [format!("close {g} 1000")]);
    assert_eq!(sim.state(), (Status::Closed, None, 0));
    assert_eq!((sim.conn.poll_timeout(), sim.conn.next_retry_in()), (None, None));
    assert_eq!(sim.conn.queued(), 1);
    assert_eq!(sim.conn.since(), sim.now);
    // The close the shell then reports is from a dropped socket.
    assert_quiet(&sim.close(g, 1000));
    assert_eq!(sim.state(), (Status::Closed, None, 0));
    // The kept frame goes out on the next connection.
    let g2 = sim.connect();
    assert_eq!(show(&sim.open(g2)), ["tx kept"]);
}

#[test]
fn disconnect_while_reconnecting_cancels_the_pending_retry() {
    let (mut sim, _) = at(Stage::RetryPending, exact());
    assert_eq!(sim.conn.send("q".to_string()), Ok(false));
    let actions = sim.disconnect();
    assert!(opens(&actions).is_empty(), "{actions:?}");
    assert_eq!(sim.state(), (Status::Closed, None, 0));
    assert_eq!(sim.conn.poll_timeout(), None);
    assert_eq!(sim.conn.queued(), 1);
    for t in [500, 5_000, LATER] {
        sim.conn.handle_timeout(START + t);
        assert_quiet(&sim.drain());
    }
    assert_eq!(sim.conn.status(), Status::Closed);
}

#[test]
fn disconnect_clears_the_pending_retry_delay() {
    let (mut sim, _) = at(Stage::RetryPending, exact());
    assert_eq!(sim.conn.next_retry_in(), Some(500));
    sim.disconnect();
    assert_eq!(sim.conn.next_retry_in(), None, "next_retry_in is documented as 'while one is pending'");
}

#[test]
fn disconnect_never_reconnects() {
    for stage in EVERY_STAGE {
        let (mut sim, live) = at(stage, exact());
        let mut actions = sim.disconnect();
        if let Some(g) = live {
            assert_eq!(show(&actions), [format!("close {g} 1000")], "{stage:?}");
            // Whatever the dropped socket reports afterwards changes nothing.
            actions.extend(sim.open(g));
            assert!(!sim.frame(g));
            actions.extend(sim.close(g, 1006));
        }
        while sim.conn.poll_timeout().is_some() {
            actions.extend(sim.step());
        }
        sim.conn.handle_timeout(LATER);
        actions.extend(sim.drain());
        assert!(opens(&actions).is_empty(), "{stage:?}: {actions:?}");
        assert_eq!(sim.state(), (Status::Closed, None, 0), "{stage:?}");
        assert_eq!(sim.conn.poll_timeout(), None, "{stage:?}");
    }
}

// ---- 11. retry ----

#[test]
fn retry_after_giving_up_starts_a_new_series() {
    let (mut sim, _) = at(Stage::GaveUp, exact_attempts(2));
    assert_eq!(sim.conn.error(), Some(ConnectionError::GaveUp(2)));
    sim.pass(60_000);
    let g = expect_open(&sim.retry());
    assert_eq!(sim.state(), (Status::Connecting, None, 1));
    assert_eq!(sim.wait(), Some(5_000));
    assert_eq!(sim.conn.since(), sim.now);
    // The backoff starts over, and the full budget of attempts is available again.
    sim.close(g, ABNORMAL_CLOSE_CODE);
    assert_eq!((sim.conn.attempt(), sim.conn.next_retry_in()), (2, Some(500)));
    let g = sim.fire_retry();
    sim.close(g, ABNORMAL_CLOSE_CODE);
    assert_eq!(sim.state(), (Status::Closed, Some(ConnectionError::GaveUp(2)), 0));
}

#[test]
fn retry_after_any_stop_opens_at_once() {
    for stage in [Stage::Idle, Stage::GaveUp, Stage::Unauthorized, Stage::Disconnected] {
        let (mut sim, _) = at(stage, exact());
        let g = expect_open(&sim.retry());
        assert_eq!(sim.state(), (Status::Connecting, None, 1), "{stage:?}");
        assert_quiet(&sim.open(g));
        assert_eq!(sim.conn.status(), Status::Open, "{stage:?}");
    }
}

#[test]
fn retry_while_reconnecting_opens_now_and_restarts_the_backoff() {
    let (mut sim, _) = at(Stage::RetryPending, exact());
    // Fail twice more so that a long delay is pending.
    for _ in 0..2 {
        let g = sim.fire_retry();
        sim.close(g, ABNORMAL_CLOSE_CODE);
    }
    assert_eq!((sim.conn.attempt(), sim.conn.next_retry_in()), (3, Some(2_000)));
    sim.pass(100);
    let g = expect_open(&sim.retry());
    assert_eq!(sim.conn.attempt(), 1);
    assert!(matches!(sim.conn.status(), Status::Connecting | Status::Reconnecting));
    assert_eq!(sim.conn.next_retry_in(), None);
    assert_eq!(sim.wait(), Some(5_000), "the pending retry is replaced by the connect timeout");
    // A later failure starts from the first delay again.
    sim.close(g, ABNORMAL_CLOSE_CODE);
    assert_eq!(sim.conn.status(), Status::Reconnecting);
    assert_eq!((sim.conn.attempt(), sim.conn.next_retry_in(), sim.wait()), (2, Some(500), Some(500)));
}

#[test]
fn retry_while_an_attempt_is_in_flight_replaces_its_socket() {
    for stage in [Stage::Connecting, Stage::Retrying] {
        let (mut sim, live) = at(stage, exact());
        let old = live.unwrap();
        let actions = sim.retry();
        let new = match actions.as_slice() {
            [Action::Close { generation, .. }, Action::Open { generation: new }] if *generation == old => *new,
            other => panic!("{stage:?}: expected a close of {old} then an open, got {other:?}"),
        };
        assert_ne!(new, old);
        assert_eq!(sim.conn.attempt(), 1, "{stage:?}");
        assert_quiet(&sim.open(old));
        assert_quiet(&sim.close(old, 1006));
        assert_eq!(sim.conn.attempt(), 1, "{stage:?}");
        assert_quiet(&sim.open(new));
        assert_eq!(sim.conn.status(), Status::Open, "{stage:?}");
    }
}

#[test]
fn retry_while_open_is_a_noop() {
    let (mut sim, g) = at(Stage::Open, exact());
    let before = (sim.state(), sim.conn.poll_timeout(), sim.conn.since());
    sim.pass(10);
    assert_quiet(&sim.retry());
    assert_eq!((sim.state(), sim.conn.poll_timeout(), sim.conn.since()), before);
    assert!(!sim.changed());
    assert!(sim.frame(g.unwrap()), "the socket is still the live one");
}

// ---- 12. state-change flag and since ----

#[test]
fn state_change_flag_follows_every_visible_change() {
    let mut sim = Sim::new(Settings { heartbeat: None, ..exact() });
    assert!(!sim.changed());
    let g = sim.connect();
    assert!(sim.changed(), "connect");
    sim.conn.connect(sim.now);
    assert!(!sim.changed(), "connect while connecting is a no-op");
    sim.close(g, ABNORMAL_CLOSE_CODE);
    assert!(sim.changed(), "failed attempt");
    let g = sim.fire_retry();
    assert!(sim.changed(), "retry fired");
    sim.open(g);
    assert!(sim.changed(), "open");
    sim.close(g, 1011);
    assert!(sim.changed(), "drop");
    sim.retry();
    assert!(sim.changed(), "manual retry");
    sim.step();
    assert!(sim.changed(), "connect timeout");
    sim.disconnect();
    assert!(sim.changed(), "disconnect");
    sim.close(g, 1006);
    assert!(!sim.changed(), "stale close");
}

#[test]
fn since_moves_only_when_the_status_changes() {
    let mut sim = Sim::new(exact());
    assert_eq!(sim.conn.since(), START);
    sim.pass(10);
    let g = sim.connect();
    assert_eq!(sim.conn.since(), START + 10);
    sim.pass(10);
    sim.open(g);
    assert_eq!(sim.conn.since(), START + 20);
    sim.pass(10);
    sim.close(g, ABNORMAL_CLOSE_CODE);
    let dropped_at = START + 30;
    assert_eq!(sim.conn.since(), dropped_at);
    // Reconnecting → Reconnecting, through retries and failures, keeps `since`.
    for _ in 0..3 {
        let g = sim.fire_retry();
        assert_eq!(sim.conn.since(), dropped_at);
        sim.pass(10);
        sim.close(g, ABNORMAL_CLOSE_CODE);
        assert_eq!(sim.conn.since(), dropped_at);
    }
    let g = sim.fire_retry();
    sim.pass(10);
    sim.open(g);
    assert_eq!(sim.conn.since(), sim.now);
    sim.pass(10);
    sim.disconnect();
    assert_eq!(sim.conn.since(), sim.now);
    // A no-op keeps it.
    sim.pass(10);
    sim.disconnect();
    assert_eq!(sim.conn.since(), sim.now - 10);
}

// ---- 13. counters reset after a successful open ----

#[test]
fn counters_reset_after_a_successful_reconnect() {
    let (mut sim, _) = at(Stage::RetryPending, exact());
    for _ in 0..2 {
        let g = sim.fire_retry();
        sim.close(g, ABNORMAL_CLOSE_CODE);
    }
    assert_eq!((sim.conn.attempt(), sim.conn.next_retry_in()), (3, Some(2_000)));
    let g = sim.fire_retry();
    sim.open(g);
    assert_eq!(sim.state(), (Status::Open, None, 0));
    sim.pass(1_000);
    sim.close(g, ABNORMAL_CLOSE_CODE);
    assert_eq!(sim.state(), (Status::Reconnecting, Some(ConnectionError::Dropped(1006)), 1));
    assert_eq!(sim.conn.next_retry_in(), Some(500));
    let g = sim.fire_retry();
    sim.close(g, ABNORMAL_CLOSE_CODE);
    assert_eq!((sim.conn.attempt(), sim.conn.next_retry_in()), (2, Some(1_000)));
    // `reconnects` counts every automatic attempt ever started; it does not reset.
    assert_eq!(sim.conn.reconnects(), 4);
}

#[test]
fn a_successful_open_restores_the_full_attempt_budget() {
    let (mut sim, _) = at(Stage::RetryPending, exact_attempts(3));
    // Two failures use up two of three attempts; then one succeeds.
    let g = sim.fire_retry();
    sim.close(g, ABNORMAL_CLOSE_CODE);
    let g = sim.fire_retry();
    sim.open(g);
    sim.close(g, ABNORMAL_CLOSE_CODE);
    // Three more attempts are allowed before giving up.
    let mut opened = 0;
    while sim.conn.status() == Status::Reconnecting {
        let g = sim.fire_retry();
        opened += 1;
        sim.close(g, ABNORMAL_CLOSE_CODE);
    }
    assert_eq!(opened, 3);
    assert_eq!(sim.conn.error(), Some(ConnectionError::GaveUp(3)));
}

// ---- jitter through the state machine ----

/// The retry delays a connection schedules for `seed` while every attempt fails.
fn jittered_delays(seed: u64, max_attempts: u32) -> Vec<Millis> {
    let policy = Policy { max_attempts, jitter: 0.3, ..Policy::default() };
    let mut sim = Sim::seeded(Settings { reconnect: Some(policy), ..Settings::default() }, seed);
    let g = sim.connect();
    sim.open(g);
    sim.close(g, ABNORMAL_CLOSE_CODE);
    let mut delays = Vec::new();
    while let Some(delay) = sim.conn.next_retry_in() {
        assert_eq!(sim.wait(), Some(delay), "the deadline matches the advertised delay");
        delays.push(delay);
        let g = sim.fire_retry();
        sim.close(g, ABNORMAL_CLOSE_CODE);
    }
    assert_eq!(sim.conn.error(), Some(ConnectionError::GaveUp(max_attempts)));
    delays
}

#[test]
fn jittered_retry_delays_stay_within_bounds() {
    let jitter: f64 = 0.3;
    let bases = [1_500.0, 3_000.0, 6_000.0, 12_000.0, 24_000.0, 30_000.0, 30_000.0, 30_000.0, 30_000.0];
    let mut off_base = 0;
    for seed in 0..50 {
        let delays = jittered_delays(seed, bases.len() as u32);
        assert_eq!(delays.len(), bases.len(), "seed {seed}");
        for (k, (&delay, &base)) in delays.iter().zip(&bases).enumerate() {
            let (lo, hi) = ((base * (1.0 - jitter)).floor(), base);
            assert!((lo..=hi).contains(&(delay as f64)), "seed {seed}, retry {k}: {delay} outside {lo}..={hi}");
            off_base += usize::from(delay as f64 != base);
        }
    }
    assert!(off_base > 400, "jitter should move most delays off their base ({off_base} of 450)");
}

#[test]
fn jittered_delays_replay_from_the_seed() {
    assert_eq!(jittered_delays(11, 6), jittered_delays(11, 6));
    assert_ne!(jittered_delays(11, 6), jittered_delays(12, 6));
}

// ---- delivery: resume, acknowledged sends ----

fn reliable() -> Settings {
    Settings { resume: true, ack_timeout: 1_000, ..exact() }
}

impl Sim {
    /// An acknowledged send of `frame`; returns its `client_id` and number.
    fn send_acked(&mut self, frame: &str) -> (Box<str>, u32) {
        let ack = self.conn.next_ack_id();
        let (id, seq) = (ack.1.clone(), ack.0);
        self.conn.send_acked(frame.to_string(), ack, self.now).expect("room in the outbox");
        (id, seq)
    }
}

#[test]
fn every_open_writes_the_resume_frame_before_anything_queued() {
    let (mut sim, g) = at(Stage::Connecting, reliable());
    sim.conn.send("a".to_string()).unwrap();
    sim.send_acked("b");
    assert_eq!(show(&sim.open(g.unwrap())), ["resume", "tx a", "tx* b"]);
    sim.close(g.unwrap(), ABNORMAL_CLOSE_CODE);
    sim.conn.send("c".to_string()).unwrap();
    let g2 = sim.fire_retry();
    assert_eq!(show(&sim.open(g2)), ["resume", "tx* b", "tx c"], "the unacked frame again, then the later one");
    let g3 = {
        assert_quiet(&sim.close(g2, ABNORMAL_CLOSE_CODE));
        sim.fire_retry()
    };
    assert_eq!(show(&sim.open(g3)), ["resume", "tx* b"]);
}

#[test]
fn without_resume_no_resume_frame_is_asked_for() {
    let (mut sim, g) = at(Stage::Connecting, exact());
    sim.conn.send("a".to_string()).unwrap();
    assert_eq!(show(&sim.open(g.unwrap())), ["tx a"]);
}

#[test]
fn an_ack_settles_its_send_once_and_it_is_not_written_again() {
    let (mut sim, g) = at(Stage::Open, reliable());
    let (id, seq) = sim.send_acked("x");
    assert_eq!(show(&sim.drain()), ["tx* x"]);
    assert_eq!((sim.conn.queued(), sim.conn.unacked()), (0, 1));
    assert_eq!(sim.conn.handle_ack(&id), Some(seq));
    assert_eq!(sim.conn.handle_ack(&id), None);
    assert_eq!(sim.conn.unacked(), 0);
    sim.close(g.unwrap(), ABNORMAL_CLOSE_CODE);
    let g2 = sim.fire_retry();
    assert_eq!(show(&sim.open(g2)), ["resume"]);
}

#[test]
fn an_ack_timeout_counts_only_open_connection_time() {
    let (mut sim, g) = at(Stage::Open, reliable());
    let (_, seq) = sim.send_acked("x");
    sim.drain();
    sim.pass(600);
    assert_quiet(&sim.close(g.unwrap(), ABNORMAL_CLOSE_CODE));
    // Closed for a long while: the retry is the only deadline, the budget waits.
    assert_eq!(sim.wait(), Some(500));
    sim.now += 60_000 - 500;
    let g2 = sim.fire_retry();
    assert_eq!(show(&sim.open(g2)), ["resume", "tx* x"]);
    assert_eq!(sim.wait(), Some(400), "400 ms of its 1000 are left");
    assert_eq!(show(&sim.step()), [format!("timeout {seq}")]);
    assert_eq!((sim.conn.queued(), sim.conn.unacked()), (0, 0));
}

#[test]
fn a_refused_acked_frame_stalls_the_socket_and_goes_out_again_on_the_next() {
    let (mut sim, g) = at(Stage::Open, reliable());
    sim.send_acked("x");
    assert_eq!(sim.conn.poll_action(), Some(Action::TransmitAcked("x".to_string())));
    sim.conn.stalled();
    assert_eq!(sim.conn.send("y".to_string()), Ok(false), "nothing more is written on this socket");
    assert_quiet(&sim.drain());
    sim.close(g.unwrap(), ABNORMAL_CLOSE_CODE);
    let g2 = sim.fire_retry();
    assert_eq!(show(&sim.open(g2)), ["resume", "tx* x", "tx y"]);
}

#[test]
fn restored_frames_go_out_first_and_acked_ones_wait_for_their_id() {
    let mut sim = Sim::new(reliable());
    sim.conn.restore("old".to_string(), None);
    sim.conn.restore("old-acked".to_string(), Some("c9-1".into()));
    let g = sim.connect();
    sim.conn.send("new".to_string()).unwrap();
    assert_eq!(show(&sim.open(g)), ["resume", "tx old", "tx* old-acked", "tx new"]);
    assert!(sim.conn.handle_ack("c9-1").is_some());
}

#[test]
fn the_outbox_reports_changes_for_mirroring() {
    let (mut sim, _) = at(Stage::Connecting, reliable());
    sim.conn.take_outbox_change();
    sim.conn.send("a".to_string()).unwrap();
    assert!(sim.conn.take_outbox_change());
    assert_eq!(sim.conn.outbox().map(|e| e.frame.as_str()).collect::<Vec<_>>(), ["a"]);
    sim.conn.clear_outbox();
    assert!(sim.conn.take_outbox_change() && sim.conn.outbox().next().is_none());
}

// ---- token refresh ----

#[test]
fn an_auth_close_asks_for_a_fresh_token_once_then_stops() {
    let (mut sim, g) = at(Stage::Open, exact());
    sim.conn.set_token_refresh(true);
    assert_eq!(show(&sim.close(g.unwrap(), 4001)), ["refresh"]);
    assert_eq!(sim.state(), (Status::Reconnecting, Some(ConnectionError::Refreshing(4001)), 0));
    assert_eq!(sim.wait(), None, "nothing is tried until the token comes");
    sim.conn.token_refreshed(sim.now);
    let g2 = expect_open(&sim.drain());
    sim.open(g2);
    sim.pass(10);
    assert_quiet(&sim.close(g2, 4003));
    assert_eq!(sim.state(), (Status::Closed, Some(ConnectionError::Unauthorized(4003)), 0), "refused again: final");
}

#[test]
fn a_token_that_held_for_a_while_may_be_refreshed_again() {
    let (mut sim, g) = at(Stage::Open, exact());
    sim.conn.set_token_refresh(true);
    sim.close(g.unwrap(), 4001);
    sim.conn.token_refreshed(sim.now);
    let g2 = expect_open(&sim.drain());
    sim.open(g2);
    sim.frame(g2);
    sim.now += TOKEN_PROVEN_MS;
    sim.conn.handle_timeout(sim.now);
    sim.drain();
    assert_eq!(show(&sim.close(g2, 4001)), ["refresh"], "hours later the token expired: ask again");
}

#[test]
fn a_failed_refresh_closes_as_unauthorized_and_a_late_answer_is_ignored() {
    let (mut sim, g) = at(Stage::Open, exact());
    sim.conn.set_token_refresh(true);
    sim.close(g.unwrap(), 1008);
    sim.conn.token_refresh_failed(sim.now);
    assert_eq!(sim.state(), (Status::Closed, Some(ConnectionError::Unauthorized(1008)), 0));
    sim.conn.token_refreshed(sim.now);
    assert_quiet(&sim.drain());
    // Disconnect during a refresh: the answer opens nothing either.
    let (mut sim, g) = at(Stage::Open, exact());
    sim.conn.set_token_refresh(true);
    sim.close(g.unwrap(), 4001);
    sim.disconnect();
    sim.conn.token_refreshed(sim.now);
    assert_quiet(&sim.drain());
    assert_eq!(sim.conn.status(), Status::Closed);
}

#[test]
fn without_a_provider_an_auth_close_stops_as_before() {
    let (mut sim, g) = at(Stage::Open, exact());
    assert_quiet(&sim.close(g.unwrap(), 4001));
    assert_eq!(sim.state(), (Status::Closed, Some(ConnectionError::Unauthorized(4001)), 0));
}

// ---- network and visibility ----

#[test]
fn offline_no_attempt_is_spent_and_online_retries_at_once_from_attempt_one() {
    let (mut sim, _) = at(Stage::RetryPending, exact());
    sim.conn.set_online(false, sim.now);
    assert_eq!(sim.state(), (Status::Reconnecting, Some(ConnectionError::Offline), 1));
    assert_eq!((sim.wait(), sim.conn.next_retry_in()), (None, None), "no deadline while offline");
    sim.now += 3_600_000;
    sim.conn.set_online(true, sim.now);
    let g = expect_open(&sim.drain());
    assert_eq!((sim.conn.attempt(), sim.conn.reconnects()), (1, 1), "an automatic attempt: a reconnect");
    assert_quiet(&sim.open(g));
}

#[test]
fn connecting_while_offline_waits_for_the_network() {
    let mut sim = Sim::new(exact());
    sim.conn.set_online(false, sim.now);
    sim.conn.connect(sim.now);
    assert_quiet(&sim.drain());
    assert_eq!(sim.state(), (Status::Connecting, Some(ConnectionError::Offline), 1));
    sim.conn.set_online(true, sim.now);
    expect_open(&sim.drain());
    assert_eq!(sim.conn.status(), Status::Connecting);
}

#[test]
fn an_attempt_failing_while_offline_holds_instead_of_backing_off() {
    let (mut sim, g) = at(Stage::Connecting, exact());
    sim.conn.set_online(false, sim.now);
    assert_quiet(&sim.close(g.unwrap(), ABNORMAL_CLOSE_CODE));
    assert_eq!((sim.conn.status(), sim.conn.error(), sim.wait()), (Status::Reconnecting, Some(ConnectionError::Offline), None));
}

#[test]
fn showing_the_page_retries_a_scheduled_or_given_up_attempt_at_once() {
    for stage in [Stage::RetryPending, Stage::GaveUp] {
        let (mut sim, _) = at(stage, exact_attempts(2));
        sim.conn.set_visible(true, sim.now);
        expect_open(&sim.drain());
        assert_eq!(sim.conn.attempt(), 1, "{stage:?}");
    }
    for stage in [Stage::Idle, Stage::Connecting, Stage::Open, Stage::Unauthorized, Stage::Disconnected] {
        let (mut sim, _) = at(stage, exact());
        sim.conn.set_visible(true, sim.now);
        assert_quiet(&sim.drain());
    }
}

#[test]
fn pause_when_hidden_closes_after_the_grace_and_reopens_when_shown() {
    let (mut sim, g) = at(Stage::Open, Settings { pause_when_hidden: Some(5_000), heartbeat: None, ..exact() });
    sim.conn.set_visible(false, sim.now);
    sim.pass(4_000);
    sim.conn.set_visible(true, sim.now);
    sim.conn.set_visible(false, sim.now);
    assert_eq!(sim.wait(), Some(5_000), "showing the page restarted the grace");
    assert_eq!(show(&sim.step()), [format!("close {} 1000", g.unwrap())]);
    assert_eq!((sim.conn.status(), sim.conn.error(), sim.wait()), (Status::Closed, Some(ConnectionError::Paused), None));
    sim.conn.set_visible(true, sim.now);
    expect_open(&sim.drain());
    assert_eq!(sim.conn.status(), Status::Reconnecting);
}

#[test]
fn the_pause_survives_reconnects_while_hidden() {
    let (mut sim, g) = at(Stage::Open, Settings { pause_when_hidden: Some(5_000), heartbeat: None, ..exact() });
    sim.conn.set_visible(false, sim.now);
    sim.pass(100);
    sim.close(g.unwrap(), ABNORMAL_CLOSE_CODE);
    let g2 = sim.fire_retry();
    sim.open(g2);
    sim.now = START + 10 + 5_000;
    sim.conn.handle_timeout(sim.now);
    assert_eq!(show(&sim.drain()), [format!("close {g2} 1000")]);
    assert_eq!(sim.conn.error(), Some(ConnectionError::Paused));
}

// ---- a page that slept ----

#[test]
fn a_pong_timeout_found_long_past_on_wake_up_is_judged_a_moment_later() {
    let (mut sim, g) = at(Stage::Open, heartbeat(1_000, 500));
    assert_eq!(show(&sim.step()), ["ping"]);
    // The tab slept: the pong timeout fires a minute late, before the pong waiting in the
    // socket's buffer is handled.
    assert_quiet(&sim.advance(60_000));
    assert_eq!(sim.conn.status(), Status::Open);
    assert_eq!(sim.wait(), Some(WAKE_GRACE_MS));
    assert!(sim.frame(g.unwrap()));
    assert_quiet(&sim.step());
    assert_eq!(sim.conn.status(), Status::Open, "the pong arrived within the grace");
}

#[test]
fn a_socket_still_silent_after_the_wake_up_grace_is_dead_and_a_late_timer_only_gets_one_grace() {
    let (mut sim, g) = at(Stage::Open, heartbeat(1_000, 500));
    sim.step();
    assert_quiet(&sim.advance(60_000));
    // Throttled again: the grace check is late too, and judges.
    assert_eq!(show(&sim.advance(WAKE_GRACE_MS + 60_000)), [format!("close {} 4000", g.unwrap())]);
    assert_eq!(sim.conn.status(), Status::Reconnecting);
}

#[test]
fn ack_timeouts_found_long_past_get_the_same_grace() {
    let (mut sim, _) = at(Stage::Open, Settings { heartbeat: None, ..reliable() });
    let (id, seq) = sim.send_acked("x");
    sim.drain();
    assert_quiet(&sim.advance(30_000));
    assert!(sim.conn.handle_ack(&id).is_some(), "the ack that waited in the buffer still counts");
    let (_, seq2) = sim.send_acked("y");
    sim.drain();
    assert_eq!(show(&sim.advance(1_000)), [format!("timeout {seq2}")], "on time: judged at once");
    assert_ne!(seq, seq2);
}

//! The connection state machine: one socket at a time, reconnect, heartbeat, send queue.
//!
//! Sans-IO: inputs arrive as method calls carrying `now`; outputs leave through
//! [`Connection::poll_action`], and [`Connection::poll_timeout`] names the next deadline.
//! Every socket the shell opens carries a generation; events from an older one are ignored.

use alloc::collections::VecDeque;

use super::backoff::{Backoff, Policy};
use super::queue::{Queue, QueueFull};
use super::time::Millis;

/// Where the connection stands (the `status` of the JS `state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Never asked to connect.
    Idle,
    /// A first attempt (from `connect()` or `retry()`) is in flight.
    Connecting,
    /// The socket is open.
    Open,
    /// Waiting for, or making, an automatic retry.
    Reconnecting,
    /// Stopped: by `disconnect()`, an auth close, or giving up (see the error).
    Closed,
}

/// Why the connection is closed or retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionError {
    /// The server closed with 4001, 4003 or 1008: no retry.
    Unauthorized(u16),
    /// `maxAttempts` consecutive attempts failed.
    GaveUp(u32),
    /// The socket closed and reconnecting is disabled.
    Lost(u16),
    /// The last attempt failed; a retry is scheduled.
    AttemptFailed(u16),
    /// The open socket dropped; a retry is scheduled.
    Dropped(u16),
}

/// Why the client closes a socket: the close frame's reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// `disconnect()`.
    Disconnect,
    /// `retry()` replaced the socket.
    Retry,
    /// The socket did not open in time.
    ConnectTimeout,
    /// The server stayed silent after a ping.
    HeartbeatTimeout,
}

/// Close codes that mean "your credentials are not accepted": reconnecting would loop.
pub const AUTH_CLOSE_CODES: [u16; 3] = [4001, 4003, 1008];
/// The code the client closes with when a heartbeat or connect deadline passes.
pub const TIMEOUT_CLOSE_CODE: u16 = 4000;
/// The code the browser reports for a connection that ended without a close frame.
pub const ABNORMAL_CLOSE_CODE: u16 = 1006;

/// Heartbeat settings (`heartbeat` option).
#[derive(Debug, Clone, PartialEq)]
pub struct Heartbeat {
    /// Silence after which a ping is sent.
    pub interval: Millis,
    /// Silence after a ping after which the socket is closed and replaced.
    pub timeout: Millis,
}

/// Connection settings drawn from the options.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// `None` when `reconnect: false`.
    pub reconnect: Option<Policy>,
    /// `None` when `heartbeat: false`.
    pub heartbeat: Option<Heartbeat>,
    /// A socket not open by then is a failed attempt.
    pub connect_timeout: Millis,
    /// Capacity of the send queue.
    pub queue_max: usize,
}

#[cfg(test)]
impl Default for Settings {
    fn default() -> Self {
        Settings {
            reconnect: Some(Policy::default()),
            heartbeat: Some(Heartbeat { interval: 25_000, timeout: 10_000 }),
            connect_timeout: 5_000,
            queue_max: 1_000,
        }
    }
}

/// What the shell must do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action<P> {
    /// Open a socket tagged `generation`, replacing (after closing) any other.
    Open {
        /// Tag to pass back with this socket's events.
        generation: u32,
    },
    /// Close the socket of `generation` with `code`; its later events are ignored.
    Close {
        /// The socket to close.
        generation: u32,
        /// Close code (1000 or 4000-4999).
        code: u16,
        /// Why.
        reason: CloseReason,
    },
    /// Write this frame on the open socket.
    Transmit(P),
    /// Write the heartbeat ping on the open socket.
    Ping,
}

#[derive(Debug, Clone, Copy)]
enum Timer {
    Retry = 0,
    ConnectTimeout = 1,
    Ping = 2,
    PongTimeout = 3,
}

/// The state machine. `P` is the frame type the shell sends (a JS string in the browser).
#[derive(Debug)]
pub struct Connection<P> {
    settings: Settings,
    backoff: Option<Backoff>,
    status: Status,
    error: Option<ConnectionError>,
    since: Millis,
    /// The attempt in flight or scheduled, 1-based; 0 when none.
    attempt: u32,
    /// Retries scheduled in the current series (indexes the backoff).
    retries: u32,
    next_retry_in: Option<Millis>,
    generation: u32,
    socket_live: bool,
    /// The open socket refused a frame (it was already closing): sends queue until the next open.
    refused: bool,
    deadlines: [Option<Millis>; 4],
    /// A frame arrived since the last heartbeat check.
    heard: bool,
    ping_sent_at: Option<Millis>,
    last_rtt: Option<Millis>,
    reconnects: u64,
    queue: Queue<P>,
    actions: VecDeque<Action<P>>,
    state_changed: bool,
}

impl<P> Connection<P> {
    /// An idle connection; `seed` drives the retry jitter.
    pub fn new(settings: Settings, seed: u64, now: Millis) -> Self {
        Connection {
            backoff: settings.reconnect.clone().map(|p| Backoff::new(p, seed)),
            queue: Queue::new(settings.queue_max),
            settings,
            status: Status::Idle,
            error: None,
            since: now,
            attempt: 0,
            retries: 0,
            next_retry_in: None,
            generation: 0,
            socket_live: false,
            refused: false,
            deadlines: [None; 4],
            heard: false,
            ping_sent_at: None,
            last_rtt: None,
            reconnects: 0,
            actions: VecDeque::new(),
            state_changed: false,
        }
    }

    // ---- inputs from the caller ----

    /// Starts connecting unless already connecting, open or retrying.
    pub fn connect(&mut self, now: Millis) {
        if matches!(self.status, Status::Idle | Status::Closed) {
            self.start_series(now);
        }
    }

    /// Closes with 1000 and stops every retry; the queue is kept.
    pub fn disconnect(&mut self, now: Millis) {
        self.drop_socket(1000, CloseReason::Disconnect);
        self.clear_timers();
        self.attempt = 0;
        self.set_status(now, Status::Closed, None);
    }

    /// Reconnects now with the attempt counter reset; does nothing while open.
    pub fn retry(&mut self, now: Millis) {
        if self.status != Status::Open {
            self.drop_socket(1000, CloseReason::Retry);
            self.start_series(now);
        }
    }

    /// Queues or transmits a frame: `Ok(true)` if written now, `Ok(false)` if queued.
    pub fn send(&mut self, frame: P) -> Result<bool, (QueueFull, P)> {
        if self.status == Status::Open && !self.refused {
            self.actions.push_back(Action::Transmit(frame));
            return Ok(true);
        }
        self.queue.push(frame).map(|()| false)
    }

    /// A frame the shell could not write after all (the socket was already closing): it is
    /// queued again and flushed on the next open, and so is every later send. The shell hands
    /// back the refused frames in the order it tried them, before anything else can send, and
    /// the queue is empty until the first of them (it is flushed at open), so order holds.
    pub fn unsent(&mut self, frame: P) {
        self.queue.put_back(frame);
        self.refused = true;
    }

    /// Drops every queued frame.
    pub fn clear_queue(&mut self) {
        self.queue = Queue::new(0);
    }

    // ---- inputs from the socket ----

    /// The socket of `generation` opened.
    pub fn handle_open(&mut self, generation: u32, now: Millis) {
        if !self.is_current(generation) {
            return;
        }
        self.deadlines[Timer::ConnectTimeout as usize] = None;
        self.refused = false;
        self.attempt = 0;
        self.retries = 0;
        self.next_retry_in = None;
        self.set_status(now, Status::Open, None);
        self.heard = false;
        self.arm_ping(now);
        while let Some(frame) = self.queue.pop() {
            self.actions.push_back(Action::Transmit(frame));
        }
    }

    /// A frame arrived on the socket of `generation`; returns whether it is the current one.
    /// Any frame proves liveness. It needs no clock: the heartbeat checks at its deadlines
    /// whether anything was heard, so the per-message path never reads the time.
    pub fn handle_frame(&mut self, generation: u32) -> bool {
        if !self.is_current(generation) || self.status != Status::Open {
            return false;
        }
        self.heard = true;
        true
    }

    /// The frame just handled was a pong: records the round trip of the last ping.
    pub fn handle_pong(&mut self, now: Millis) {
        if let Some(sent) = self.ping_sent_at.take() {
            self.last_rtt = Some(now.saturating_sub(sent));
        }
    }

    /// The socket of `generation` closed with `code` (1006 when it failed without a close frame).
    pub fn handle_close(&mut self, generation: u32, code: u16, now: Millis) {
        if !self.is_current(generation) {
            return;
        }
        self.socket_live = false;
        self.generation = self.generation.wrapping_add(1);
        let was_open = self.status == Status::Open;
        self.socket_ended(now, code, was_open);
    }

    /// Fires every deadline that has passed.
    pub fn handle_timeout(&mut self, now: Millis) {
        if self.due(Timer::Retry, now) {
            self.reconnects += 1;
            self.open_socket(now, Status::Reconnecting);
        }
        if self.due(Timer::ConnectTimeout, now) {
            self.drop_socket(TIMEOUT_CLOSE_CODE, CloseReason::ConnectTimeout);
            self.socket_ended(now, ABNORMAL_CLOSE_CODE, false);
        }
        if self.due(Timer::PongTimeout, now) {
            if core::mem::take(&mut self.heard) {
                self.arm_ping(now);
            } else {
                self.drop_socket(TIMEOUT_CLOSE_CODE, CloseReason::HeartbeatTimeout);
                self.socket_ended(now, ABNORMAL_CLOSE_CODE, true);
            }
        }
        if self.due(Timer::Ping, now) {
            if core::mem::take(&mut self.heard) {
                self.arm_ping(now);
            } else if let Some(hb) = &self.settings.heartbeat {
                self.deadlines[Timer::PongTimeout as usize] = Some(now + hb.timeout);
                self.ping_sent_at = Some(now);
                self.actions.push_back(Action::Ping);
            }
        }
    }

    // ---- outputs ----

    /// The next action for the shell, in order.
    pub fn poll_action(&mut self) -> Option<Action<P>> {
        self.actions.pop_front()
    }

    /// The earliest pending deadline.
    pub fn poll_timeout(&self) -> Option<Millis> {
        self.deadlines.iter().flatten().min().copied()
    }

    /// Whether the visible state changed since the last call.
    pub fn take_state_change(&mut self) -> bool {
        core::mem::take(&mut self.state_changed)
    }

    // ---- what the JS `state` and `stats()` show ----

    /// Current status.
    pub fn status(&self) -> Status {
        self.status
    }
    /// Why it is closed or retrying, if it is.
    pub fn error(&self) -> Option<ConnectionError> {
        self.error
    }
    /// The attempt in flight or scheduled (1-based), 0 when none.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
    /// The delay of the retry scheduled last, while one is pending.
    pub fn next_retry_in(&self) -> Option<Millis> {
        self.next_retry_in
    }
    /// When the status last changed.
    pub fn since(&self) -> Millis {
        self.since
    }
    /// Frames waiting for the socket to open.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }
    /// Round trip of the last answered ping.
    pub fn last_rtt(&self) -> Option<Millis> {
        self.last_rtt
    }
    /// Automatic reconnect attempts started so far.
    pub fn reconnects(&self) -> u64 {
        self.reconnects
    }

    // ---- transitions ----

    fn is_current(&self, generation: u32) -> bool {
        self.socket_live && generation == self.generation
    }

    fn start_series(&mut self, now: Millis) {
        self.attempt = 1;
        self.retries = 0;
        self.open_socket(now, Status::Connecting);
    }

    fn open_socket(&mut self, now: Millis, status: Status) {
        self.clear_timers();
        self.generation = self.generation.wrapping_add(1);
        self.socket_live = true;
        self.next_retry_in = None;
        self.deadlines[Timer::ConnectTimeout as usize] = Some(now + self.settings.connect_timeout);
        self.actions.push_back(Action::Open { generation: self.generation });
        let error = self.error.filter(|_| status == Status::Reconnecting);
        self.set_status(now, status, error);
    }

    /// Asks the shell to close the live socket, whose later events are then ignored.
    fn drop_socket(&mut self, code: u16, reason: CloseReason) {
        if self.socket_live {
            self.actions.push_back(Action::Close { generation: self.generation, code, reason });
            self.socket_live = false;
            self.generation = self.generation.wrapping_add(1);
        }
    }

    /// The socket is gone: an open one dropped, or an attempt failed.
    fn socket_ended(&mut self, now: Millis, code: u16, was_open: bool) {
        self.clear_timers();
        self.ping_sent_at = None;
        if AUTH_CLOSE_CODES.contains(&code) {
            self.attempt = 0;
            return self.set_status(now, Status::Closed, Some(ConnectionError::Unauthorized(code)));
        }
        let Some(max_attempts) = self.settings.reconnect.as_ref().map(|p| p.max_attempts) else {
            self.attempt = 0;
            return self.set_status(now, Status::Closed, Some(ConnectionError::Lost(code)));
        };
        let (next, error) = if was_open {
            (1, ConnectionError::Dropped(code))
        } else if self.attempt >= max_attempts {
            let failed = self.attempt;
            self.attempt = 0;
            return self.set_status(now, Status::Closed, Some(ConnectionError::GaveUp(failed)));
        } else {
            (self.attempt + 1, ConnectionError::AttemptFailed(code))
        };
        if was_open {
            self.retries = 0;
        }
        let delay = match self.backoff.as_mut() {
            Some(backoff) => backoff.delay(self.retries),
            None => 0,
        };
        self.retries += 1;
        self.attempt = next;
        self.next_retry_in = Some(delay);
        self.deadlines[Timer::Retry as usize] = Some(now + delay);
        self.set_status(now, Status::Reconnecting, Some(error));
    }

    fn arm_ping(&mut self, now: Millis) {
        if let Some(hb) = &self.settings.heartbeat {
            self.deadlines[Timer::Ping as usize] = Some(now + hb.interval);
        }
    }

    fn due(&mut self, timer: Timer, now: Millis) -> bool {
        let slot = &mut self.deadlines[timer as usize];
        match *slot {
            Some(at) if at <= now => {
                *slot = None;
                true
            }
            _ => false,
        }
    }

    fn clear_timers(&mut self) {
        self.deadlines = [None; 4];
    }

    fn set_status(&mut self, now: Millis, status: Status, error: Option<ConnectionError>) {
        if status != self.status {
            self.since = now;
        }
        if status == Status::Closed {
            self.next_retry_in = None;
        }
        self.status = status;
        self.error = error;
        self.state_changed = true;
    }
}

#[cfg(test)]
#[path = "connection_tests.rs"]
mod tests;

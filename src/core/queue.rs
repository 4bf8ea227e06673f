//! The send queue: frames written while the socket is not open, flushed in order on open.

use alloc::collections::VecDeque;

/// A bounded FIFO of outgoing frames.
#[derive(Debug)]
pub struct Queue<P> {
    items: VecDeque<P>,
    max: usize,
}

/// The queue already holds `maxMessages` frames; the frame was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueFull {
    /// The configured capacity.
    pub max: usize,
}

impl<P> Queue<P> {
    /// An empty queue holding at most `max` frames.
    pub fn new(max: usize) -> Self {
        Queue { items: VecDeque::new(), max }
    }

    /// Appends `frame`, or hands it back inside the error when the queue is full.
    pub fn push(&mut self, frame: P) -> Result<(), (QueueFull, P)> {
        if self.items.len() >= self.max {
            return Err((QueueFull { max: self.max }, frame));
        }
        self.items.push_back(frame);
        Ok(())
    }

    /// Puts back a frame the socket could not take, ahead of the rest (it may exceed `max`:
    /// it was accepted once and must not be lost).
    pub fn push_front(&mut self, frame: P) {
        self.items.push_front(frame);
    }

    /// Takes the oldest frame.
    pub fn pop(&mut self) -> Option<P> {
        self.items.pop_front()
    }

    /// How many frames wait.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no frame waits.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_refuses_past_capacity_without_losing_the_frame() {
        let mut q = Queue::new(2);
        q.push("a").unwrap();
        q.push("b").unwrap();
        assert_eq!(q.push("c"), Err((QueueFull { max: 2 }, "c")));
        q.push_front("z");
        assert_eq!(q.len(), 3);
        assert_eq!([q.pop(), q.pop(), q.pop(), q.pop()], [Some("z"), Some("a"), Some("b"), None]);
        assert!(q.is_empty());
    }
}

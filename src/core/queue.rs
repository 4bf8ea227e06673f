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
pub struct QueueFull;

impl<P> Queue<P> {
    /// An empty queue holding at most `max` frames.
    pub fn new(max: usize) -> Self {
        Queue { items: VecDeque::new(), max }
    }

    /// Appends `frame`, or hands it back inside the error when the queue is full.
    pub fn push(&mut self, frame: P) -> Result<(), (QueueFull, P)> {
        if self.items.len() >= self.max {
            return Err((QueueFull, frame));
        }
        self.items.push_back(frame);
        Ok(())
    }

    /// Appends a frame the socket could not take after all, even past `max`: it was accepted
    /// once and must not be lost.
    pub fn put_back(&mut self, frame: P) {
        self.items.push_back(frame);
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
        assert_eq!(q.push("c"), Err((QueueFull, "c")));
        q.put_back("z");
        assert_eq!(q.len(), 3);
        assert_eq!([q.pop(), q.pop(), q.pop(), q.pop()], [Some("a"), Some("b"), Some("z"), None]);
        assert!(q.is_empty());
    }
}

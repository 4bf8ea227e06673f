//! Text ids interned to numbers, so that keys stay small `Copy` values.

use crate::prelude::*;

use super::key::Key;

/// The text ids one context has interned, each with its number.
#[derive(Debug, Default)]
pub struct Texts {
    /// By number.
    texts: Vec<Box<str>>,
    /// Sorted by text: `(text, number)`.
    sorted: Vec<(Box<str>, u32)>,
}

impl Texts {
    /// The key of a text id: its integer when canonical, else its interned number. A text
    /// never interned gets one only if `intern`; otherwise `None` (no listener or count can
    /// know it, so unknown ids do not grow the table).
    pub fn key(&mut self, text: &str, intern: bool) -> Option<Key> {
        if let Some(n) = super::key::canonical_integer(text) {
            return Some(Key::Int(n));
        }
        let n = match self.sorted.binary_search_by(|(t, _)| (**t).cmp(text)) {
            Ok(i) => self.sorted[i].1,
            Err(_) if !intern => return None,
            Err(i) => {
                let n = self.texts.len() as u32;
                self.texts.push(text.into());
                self.sorted.insert(i, (text.into(), n));
                n
            }
        };
        Some(Key::Text(n))
    }

    /// The text of an interned number.
    pub fn text(&self, n: u32) -> &str {
        self.texts.get(n as usize).map_or("", |t| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_interned_once_and_canonical_integers_not_at_all() {
        let mut t = Texts::default();
        assert_eq!(t.key("42", false), Some(Key::Int(42)));
        assert_eq!(t.key("conv_a", false), None, "not interned unless asked");
        assert_eq!(t.key("conv_a", true), Some(Key::Text(0)));
        assert_eq!(t.key("conv_b", true), Some(Key::Text(1)));
        assert_eq!(t.key("conv_a", false), Some(Key::Text(0)));
        assert_eq!((t.text(0), t.text(1)), ("conv_a", "conv_b"));
        assert_eq!(t.texts.len(), 2);
    }
}

//! A map kept as a sorted vector: for the few dozen keys a page holds, it is as fast as a
//! tree and a fraction of its code size in wasm.

use crate::prelude::*;

/// Keys in order, each with its value.
#[derive(Debug, Clone)]
pub struct VecMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap { entries: Vec::new() }
    }
}

impl<K: Ord, V> VecMap<K, V> {
    fn find(&self, key: &K) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.cmp(key))
    }

    /// The value of `key`.
    pub fn get(&self, key: &K) -> Option<&V> {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    /// The value of `key`, to change.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.find(key).ok().map(|i| &mut self.entries[i].1)
    }

    /// The value of `key`, inserting `make()` first if absent.
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (key, make()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// Keeps the entries for which `keep(key, value)` says so, visiting them in key order.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    /// The values, in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The values, in key order, taken.
    pub fn into_values(self) -> impl Iterator<Item = V> {
        self.entries.into_iter().map(|(_, v)| v)
    }

    /// Whether no key is present.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::test::*;
    use super::VecMap;

    #[test]
    fn behaves_as_a_map() {
        let mut m = VecMap::default();
        for k in [5, 1, 3, 1] {
            *m.get_or_insert_with(k, || 0) += 1;
        }
        assert_eq!((m.get(&1), m.get(&3), m.get(&2)), (Some(&2), Some(&1), None));
        assert_eq!(m.remove(&5), Some(1));
        assert_eq!(m.remove(&5), None);
        assert_eq!(m.entries.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [1, 3]);
        m.retain(|k, v| {
            *v += 10;
            *k == 3
        });
        assert_eq!(m.entries, [(3, 11)]);
        m.remove(&1);
        m.remove(&3);
        assert!(m.is_empty());
    }
}

//! Reading a long policy on the cores there are: a pure function is run over independent
//! items (the rows of a table, the enumerations of a text, the hits of a scan) in parallel,
//! and the results come back in the items' order, so the output is the same as when the
//! items are read one after the other. The work runs in the rayon pool the caller is in
//! (the global pool, or the one batch mode installs): no pool of its own.
//!
//! A short list is read on the calling thread: below [`MIN_ITEMS_PER_TASK`] items a task
//! costs more than it saves, and a small policy must not get slower.
//!
//! ```text
//! ordered_filter_map(&rows, |row| table_row(row))
//!     == rows.iter().filter_map(|row| table_row(row)).collect::<Vec<_>>()
//! ```

use rayon::prelude::*;

/// Items one task reads at least (a table row or an enumeration takes a few microseconds).
const MIN_ITEMS_PER_TASK: usize = 256;

/// `items.iter().filter_map(f).collect()`, run in parallel when there are many items; the
/// results are in the order of `items`. The items are mapped by [`ordered_map`] (whose
/// parallel collect writes each result in its slot) and the misses dropped after.
pub(super) fn ordered_filter_map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> Option<R> + Sync + Send,
{
    ordered_map(items, f).into_iter().flatten().collect()
}

/// `items.iter().map(f).collect()`, run in parallel when there are many items; the results
/// are in the order of `items`.
pub(super) fn ordered_map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync + Send,
{
    if items.len() < 2 * MIN_ITEMS_PER_TASK {
        return items.iter().map(f).collect();
    }
    items
        .par_iter()
        .with_min_len(MIN_ITEMS_PER_TASK)
        .map(f)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items_short_and_long() {
        for n in [0usize, 1, 7, 511, 512, 5_000, 100_003] {
            let items: Vec<usize> = (0..n).collect();
            let odd_squares = |&i: &usize| (i % 2 == 1).then_some(i * i);
            let serial: Vec<usize> = items.iter().filter_map(odd_squares).collect();
            assert_eq!(ordered_filter_map(&items, odd_squares), serial, "n = {n}");
            let doubled: Vec<usize> = items.iter().map(|i| i * 2).collect();
            assert_eq!(ordered_map(&items, |i| i * 2), doubled, "n = {n}");
        }
    }
}

//! Consistent perturbation of published counts (the cell-key method of national statistics
//! offices), on top of small-cell suppression.
//!
//! Suppression protects each table on its own, but a reader who may choose the period and
//! the filters can subtract two overlapping views (a period one day longer, one country
//! against all) and learn a small count exactly. So every shown count moves by up to
//! [`MAX_NOISE`] — decided by the count and the sum of the random keys of the records
//! behind it. The same records always give the same number (asking again, or for another
//! period that contains them, averages nothing away), while two cells that differ by a few
//! records get unrelated noise, so their difference says little. A shown count is never
//! below `k`, and a count below `k` is still never shown.

use crate::suppress::{Grid, Published};

/// The most a shown count moves either way.
pub const MAX_NOISE: i64 = 2;

/// Record keys lie in `0..KEY_SPACE` (the database draws one per case, grant and referral).
pub const KEY_SPACE: i64 = 1 << 16;

/// A well-mixed 64-bit value from two inputs (the splitmix64 finaliser).
fn mix(key: u64, count: u64) -> u64 {
    let mut z = key ^ count.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The noise for a cell of `count` records whose keys sum to `key_sum`: −2 (10 %), −1
/// (20 %), 0 (40 %), +1 (20 %), +2 (10 %). Nobody is behind an empty cell: it stays zero.
pub fn noise(count: i64, key_sum: i64) -> i64 {
    if count == 0 {
        return 0;
    }
    let cell_key = key_sum.rem_euclid(KEY_SPACE) as u64;
    match mix(cell_key, count as u64) % 10 {
        0 => -2,
        1 | 2 => -1,
        3..=6 => 0,
        7 | 8 => 1,
        _ => 2,
    }
}

/// What a shown count of `count` records with key sum `key_sum` is published as.
fn shown(count: i64, key_sum: i64, k: i64) -> i64 {
    if count == 0 { 0 } else { (count + noise(count, key_sum)).max(k) }
}

/// `published` (suppressed from `counts`) with every shown cell and total perturbed; `keys`
/// holds, cell by cell, the sum of the record keys behind each count. Totals get their own
/// noise from the keys of all their records, so a table no longer adds up exactly.
pub fn perturb(published: &Published, counts: &Grid, keys: &Grid) -> Published {
    let k = published.k;
    let at = |grid: &Grid, i: usize, j: usize| grid.cells.get(i).and_then(|row| row.get(j)).copied().unwrap_or(0);
    let row_sum = |grid: &Grid, i: usize| grid.cells.get(i).map_or(0, |row| row.iter().sum());
    let column_sum = |grid: &Grid, j: usize| (0..grid.rows.len()).map(|i| at(grid, i, j)).sum::<i64>();
    let grand = |grid: &Grid| (0..grid.rows.len()).map(|i| row_sum(grid, i)).sum::<i64>();
    let cells = published
        .cells
        .iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter().enumerate().map(|(j, cell)| cell.map(|_| shown(at(counts, i, j), at(keys, i, j), k))).collect()
        })
        .collect();
    let row_totals = (published.row_totals.iter().enumerate())
        .map(|(i, total)| total.map(|_| shown(row_sum(counts, i), row_sum(keys, i), k)))
        .collect();
    let column_totals = (published.column_totals.iter().enumerate())
        .map(|(j, total)| total.map(|_| shown(column_sum(counts, j), column_sum(keys, j), k)))
        .collect();
    Published {
        rows: published.rows.clone(),
        columns: published.columns.clone(),
        cells,
        row_totals,
        column_totals,
        total: published.total.map(|_| shown(grand(counts), grand(keys), k)),
        k,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suppress::publish;

    #[test]
    fn noise_is_small_balanced_and_spread_as_designed() {
        let mut seen = [0_i64; 5];
        for key in 0..20_000 {
            let n = noise(37, key * 7919);
            assert!((-MAX_NOISE..=MAX_NOISE).contains(&n));
            seen[usize::try_from(n + MAX_NOISE).unwrap_or(0)] += 1;
        }
        // 10/20/40/20/10 % of 20,000, within a few percent.
        for (got, want) in seen.iter().zip([2_000, 4_000, 8_000, 4_000, 2_000]) {
            assert!((got - want).abs() < want / 10, "{seen:?}");
        }
        assert_eq!(noise(0, 12_345), 0, "an empty cell stays empty");
    }

    #[test]
    fn the_same_records_always_get_the_same_number() {
        assert_eq!(noise(12, 99_001), noise(12, 99_001));
        assert_eq!(noise(12, 99_001), noise(12, 99_001 + KEY_SPACE), "only the key sum modulo the key space counts");
    }

    #[test]
    fn shown_counts_move_at_most_two_stay_at_or_above_k_and_hidden_ones_stay_hidden() {
        let counts = Grid {
            rows: vec!["a".into(), "b".into()],
            columns: vec!["x".into(), "y".into(), "z".into()],
            cells: vec![vec![2, 40, 0], vec![30, 5, 60]],
        };
        let keys = Grid { cells: vec![vec![3, 4_000, 0], vec![77, 12_000, 51_000]], ..counts.clone() };
        let plain = publish(&counts, 5);
        let noisy = perturb(&plain, &counts, &keys);
        for (row, plain_row) in noisy.cells.iter().zip(&plain.cells) {
            for (cell, plain_cell) in row.iter().zip(plain_row) {
                assert_eq!(cell.is_none(), plain_cell.is_none(), "the same cells are hidden");
                if let (Some(n), Some(p)) = (cell, plain_cell) {
                    assert!((n - p).abs() <= MAX_NOISE && (*n == 0 || *n >= 5), "{n} for {p}");
                }
            }
        }
        assert_eq!(noisy.cells[0][2], Some(0));
    }
}

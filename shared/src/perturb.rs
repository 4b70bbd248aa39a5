//! Consistent perturbation of published counts (the cell-key method of national statistics
//! offices), on top of small-cell suppression.
//!
//! Suppression protects each table on its own, but a reader who may choose the period and
//! the filters can subtract two overlapping views (a period one day longer, one country
//! against all) and learn a small count exactly. So every shown count moves by up to
//! [`MAX_NOISE`] — decided by the count and the sum of the random keys of the records
//! behind it. The same records always give the same number (asking again, or for another
//! period that contains them, averages nothing away), while two cells that differ by a few
//! records get unrelated noise, so their difference says little. Cells are the atoms: the
//! figures count whole weeks and months, and totals are sums of perturbed cells, so no
//! choice of period yields a fresh draw to average. A shown count is never below `k`, and a
//! count below `k` is still never shown.

use crate::suppress::Grid;

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

/// What a count of `count` records whose keys sum to `key_sum` is published as: moved by its
/// noise, a count from 1 to k − 1 kept within that range (so it is still hidden, and still
/// adds its share to the totals around it), any other kept at k or above; zero stays zero.
pub fn perturbed(count: i64, key_sum: i64, k: i64) -> i64 {
    let moved = count + noise(count, key_sum);
    match count {
        0 => 0,
        c if c < k => moved.clamp(1, (k - 1).max(1)),
        _ => moved.max(k),
    }
}

/// `counts` perturbed cell by cell; `keys` holds the key sum behind each count. Totals are
/// then the sums of these cells, never noised afresh: a reader who asks for many
/// overlapping views sees each cell's one value again and has nothing to average.
pub fn perturb(counts: &Grid, keys: &Grid, k: i64) -> Grid {
    let key = |i: usize, j: usize| keys.cells.get(i).and_then(|row| row.get(j)).copied().unwrap_or(0);
    let cells = (counts.cells.iter().enumerate())
        .map(|(i, row)| row.iter().enumerate().map(|(j, count)| perturbed(*count, key(i, j), k)).collect())
        .collect();
    Grid { rows: counts.rows.clone(), columns: counts.columns.clone(), cells }
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
    fn counts_move_at_most_two_small_ones_stay_small_and_totals_are_the_sums() {
        let counts = Grid {
            rows: vec!["a".into(), "b".into()],
            columns: vec!["x".into(), "y".into(), "z".into()],
            cells: vec![vec![2, 40, 0], vec![30, 5, 60]],
        };
        let keys = Grid { cells: vec![vec![3, 4_000, 0], vec![77, 12_000, 51_000]], ..counts.clone() };
        let noisy = perturb(&counts, &keys, 5);
        for (row, true_row) in noisy.cells.iter().zip(&counts.cells) {
            for (n, c) in row.iter().zip(true_row) {
                assert!((n - c).abs() <= MAX_NOISE, "{n} for {c}");
                assert_eq!((1..5).contains(n), (1..5).contains(c), "small stays small, large stays large");
                assert_eq!(*n == 0, *c == 0);
            }
        }
        let published = publish(&noisy, 5);
        assert_eq!(published.cells[0][0], None, "a small count is still hidden");
        let large = Grid { cells: vec![vec![10, 20, 30], vec![40, 50, 60]], ..counts.clone() };
        let noisy = perturb(&large, &keys, 5);
        let published = publish(&noisy, 5);
        assert_eq!(published.total, Some(noisy.cells.iter().flatten().sum()), "the total is the sum of the cells");
    }
}

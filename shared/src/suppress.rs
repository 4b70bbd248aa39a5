//! Small-cell suppression for published tables: no count below `k` is shown, and enough
//! other cells (or totals) are hidden with it that no hidden cell can be worked out from the
//! row, column and grand totals that are shown.
//!
//! Primary suppression hides every count from 1 to `k` − 1. A zero is shown: it describes
//! nobody, and hiding zeros would make every sparse table unreadable (a shown count beside
//! hidden zeros gives the zeros away). So a reader knows a hidden cell is at least 1.
//! Complementary suppression then hides, in any row or column left with a single hidden
//! cell beside a shown total, its smallest shown non-zero cell (or else the total). Finally the table is attacked
//! the way a reader would: bounds on every hidden cell are narrowed from the shown totals
//! until nothing moves, and any hidden cell whose value is thereby pinned gets company.

use serde::{Deserialize, Serialize};

/// The upper bound a reader starts from for a hidden value: larger than any real count or
/// amount, small enough that sums of many never overflow.
const UNKNOWN: i64 = 1 << 40;

/// A table of counts: `cells[row][column]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// Row labels.
    pub rows: Vec<String>,
    /// Column labels.
    pub columns: Vec<String>,
    /// The counts, one row per label.
    pub cells: Vec<Vec<i64>>,
}

/// A table as published: `None` is a hidden cell, shown as "< k".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Published {
    /// Row labels.
    pub rows: Vec<String>,
    /// Column labels.
    pub columns: Vec<String>,
    /// The cells; `null` when suppressed.
    pub cells: Vec<Vec<Option<i64>>>,
    /// Each row's total; `null` when suppressed.
    pub row_totals: Vec<Option<i64>>,
    /// Each column's total; `null` when suppressed.
    pub column_totals: Vec<Option<i64>>,
    /// The grand total; `null` when suppressed.
    pub total: Option<i64>,
    /// The threshold: every count below it is hidden.
    pub k: i64,
}

/// Which parts of a table are hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mask {
    cells: Vec<Vec<bool>>,
    row_totals: Vec<bool>,
    column_totals: Vec<bool>,
    total: bool,
}

/// A table laid out with its margins: an (r+1) × (c+1) matrix whose last row and column are
/// the totals, so every line (a row or a column, margins included) sums to its last entry.
struct Full {
    values: Vec<Vec<i64>>,
    hidden: Vec<Vec<bool>>,
}

impl Full {
    fn new(grid: &Grid, k: i64) -> Full {
        let (r, c) = (grid.rows.len(), grid.columns.len());
        let mut values = vec![vec![0; c + 1]; r + 1];
        for (i, row) in grid.cells.iter().enumerate().take(r) {
            for (j, value) in row.iter().enumerate().take(c) {
                values[i][j] = *value;
                values[i][c] += value;
                values[r][j] += value;
                values[r][c] += value;
            }
        }
        let hidden = values.iter().map(|row| row.iter().map(|v| (1..k).contains(v)).collect()).collect();
        Full { values, hidden }
    }

    fn size(&self) -> (usize, usize) {
        (self.values.len(), self.values.first().map_or(0, Vec::len))
    }

    /// Every line as its member positions, the total last.
    fn lines(&self) -> Vec<Vec<(usize, usize)>> {
        let (rows, columns) = self.size();
        let mut lines: Vec<Vec<(usize, usize)>> = (0..rows).map(|i| (0..columns).map(|j| (i, j)).collect()).collect();
        lines.extend((0..columns).map(|j| (0..rows).map(|i| (i, j)).collect()));
        lines
    }

    /// Hides the smallest shown non-zero member of `line` other than its total, or else the
    /// total (zeros stay shown, so every hidden value is at least 1).
    fn hide_another(&mut self, line: &[(usize, usize)]) {
        let Some((&total, members)) = line.split_last() else { return };
        let candidate = members
            .iter()
            .filter(|(i, j)| !self.hidden[*i][*j] && self.values[*i][*j] > 0)
            .min_by_key(|(i, j)| self.values[*i][*j])
            .copied()
            .unwrap_or(total);
        self.hidden[candidate.0][candidate.1] = true;
    }

    /// Complementary suppression: no line with a shown total keeps exactly one hidden member.
    fn complement(&mut self) -> bool {
        let mut changed = false;
        for line in self.lines() {
            let Some((&(ti, tj), members)) = line.split_last() else { continue };
            let hidden = members.iter().filter(|(i, j)| self.hidden[*i][*j]).count();
            if !self.hidden[ti][tj] && hidden == 1 {
                self.hide_another(&line);
                changed = true;
            }
        }
        changed
    }

    /// What a reader can deduce: bounds on every cell from the shown values and the line sums.
    fn bounds(&self) -> Vec<Vec<(i64, i64)>> {
        let (rows, columns) = self.size();
        let grand = self.values[rows - 1][columns - 1];
        let mut bounds: Vec<Vec<(i64, i64)>> = (0..rows)
            .map(|i| {
                (0..columns)
                    .map(|j| if self.hidden[i][j] { (1, UNKNOWN) } else { (self.values[i][j], self.values[i][j]) })
                    .collect()
            })
            .collect();
        // A reader knows no cell exceeds a shown grand total.
        if !self.hidden[rows - 1][columns - 1] {
            bounds.iter_mut().flatten().for_each(|b| b.1 = b.1.min(grand));
        }
        let lines = self.lines();
        loop {
            let mut moved = false;
            for line in &lines {
                let Some((&total, members)) = line.split_last() else { continue };
                let (t_lo, t_hi) = bounds[total.0][total.1];
                let lo_sum: i64 = members.iter().map(|(i, j)| bounds[*i][*j].0).sum();
                let hi_sum: i64 = members.iter().map(|(i, j)| bounds[*i][*j].1).sum();
                for &(i, j) in members {
                    let (lo, hi) = bounds[i][j];
                    let new = ((t_lo - (hi_sum - hi)).max(lo), (t_hi - (lo_sum - lo)).min(hi));
                    if new != (lo, hi) {
                        bounds[i][j] = new;
                        moved = true;
                    }
                }
                let new_total = (t_lo.max(lo_sum), t_hi.min(hi_sum));
                if new_total != (t_lo, t_hi) {
                    bounds[total.0][total.1] = new_total;
                    moved = true;
                }
            }
            if !moved {
                return bounds;
            }
        }
    }

    /// The first hidden entry whose value the shown ones pin down, if any.
    fn pinned(&self) -> Option<(usize, usize)> {
        let bounds = self.bounds();
        let (rows, columns) = self.size();
        (0..rows)
            .flat_map(|i| (0..columns).map(move |j| (i, j)))
            .find(|&(i, j)| self.hidden[i][j] && bounds[i][j].0 == bounds[i][j].1)
    }

    /// Hides one more entry wherever a hidden value can be pinned: the smallest shown non-zero
    /// entry that unpins it (those on its own row and column first), else the grand total,
    /// else the smallest shown entry. False when nothing is pinned or nothing is left to hide.
    fn protect(&mut self) -> bool {
        let Some((pi, pj)) = self.pinned() else { return false };
        let (rows, columns) = self.size();
        let mut candidates: Vec<(usize, usize)> = (0..rows)
            .flat_map(|i| (0..columns).map(move |j| (i, j)))
            .filter(|&(i, j)| !self.hidden[i][j] && self.values[i][j] > 0)
            .collect();
        candidates.sort_by_key(|&(i, j)| (i != pi && j != pj, self.values[i][j]));
        for &(i, j) in &candidates {
            self.hidden[i][j] = true;
            let (lo, hi) = self.bounds()[pi][pj];
            if lo != hi {
                return true;
            }
            self.hidden[i][j] = false;
        }
        let grand = (rows - 1, columns - 1);
        match candidates.iter().find(|&&c| c == grand).or(candidates.first()) {
            Some(&(i, j)) => {
                self.hidden[i][j] = true;
                true
            }
            None => false,
        }
    }
}

/// The suppression pattern for `grid` at threshold `k`.
pub fn mask(grid: &Grid, k: i64) -> Mask {
    let mut full = Full::new(grid, k);
    let (rows, columns) = full.size();
    // Each round hides at least one more of a finite number of entries.
    for _ in 0..=(rows * columns) {
        if !full.complement() && !full.protect() {
            break;
        }
    }
    let (r, c) = (rows - 1, columns - 1);
    Mask {
        cells: full.hidden.iter().take(r).map(|row| row[..c].to_vec()).collect(),
        row_totals: full.hidden.iter().take(r).map(|row| row[c]).collect(),
        column_totals: full.hidden[r][..c].to_vec(),
        total: full.hidden[r][c],
    }
}

/// Publishes `grid` with its own suppression pattern.
pub fn publish(grid: &Grid, k: i64) -> Published {
    apply(grid, &mask(grid, k), k)
}

/// Publishes `values` (amounts, say) hidden wherever `mask` hides: use the mask of the counts
/// the amounts come from, so an amount tied to fewer than `k` items is never shown.
pub fn apply(values: &Grid, mask: &Mask, k: i64) -> Published {
    let show = |value: i64, hidden: bool| (!hidden).then_some(value);
    let row_sums: Vec<i64> = values.cells.iter().map(|row| row.iter().sum()).collect();
    let column_sums: Vec<i64> = (0..values.columns.len())
        .map(|j| values.cells.iter().map(|row| row.get(j).copied().unwrap_or(0)).sum())
        .collect();
    Published {
        rows: values.rows.clone(),
        columns: values.columns.clone(),
        cells: values
            .cells
            .iter()
            .zip(&mask.cells)
            .map(|(row, hidden)| row.iter().zip(hidden).map(|(v, h)| show(*v, *h)).collect())
            .collect(),
        row_totals: row_sums.iter().zip(&mask.row_totals).map(|(v, h)| show(*v, *h)).collect(),
        column_totals: column_sums.iter().zip(&mask.column_totals).map(|(v, h)| show(*v, *h)).collect(),
        total: show(row_sums.iter().sum(), mask.total),
        k,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(cells: Vec<Vec<i64>>) -> Grid {
        let rows = (0..cells.len()).map(|i| format!("r{i}")).collect();
        let columns = (0..cells[0].len()).map(|j| format!("c{j}")).collect();
        Grid { rows, columns, cells }
    }

    #[test]
    fn small_counts_and_their_complements_are_hidden() {
        let published = publish(&grid(vec![vec![2, 10, 12], vec![8, 9, 20]]), 5);
        assert_eq!(published.cells[0][0], None, "the 2 is hidden");
        // Row 0 and column 0 each have a shown total: a second cell hides in each.
        assert_eq!(published.cells[0].iter().filter(|c| c.is_none()).count(), 2);
        assert_eq!(published.cells.iter().filter(|row| row[0].is_none()).count(), 2);
        assert_eq!(published.total, Some(61));
    }

    #[test]
    fn a_table_of_large_counts_is_shown_whole() {
        let published = publish(&grid(vec![vec![6, 10], vec![8, 9]]), 5);
        assert_eq!(published.cells, vec![vec![Some(6), Some(10)], vec![Some(8), Some(9)]]);
        assert_eq!(published.row_totals, vec![Some(16), Some(17)]);
    }

    #[test]
    fn no_count_from_one_to_k_minus_one_is_ever_shown() {
        let published = publish(&grid(vec![vec![0, 1, 30], vec![4, 50, 2], vec![3, 3, 3]]), 5);
        let all = published.cells.iter().flatten().chain(&published.row_totals).chain(&published.column_totals);
        assert!(all.flatten().all(|v| *v == 0 || *v >= 5), "{published:?}");
        assert_eq!(published.cells[0][0], Some(0), "a zero describes nobody");
    }

    #[test]
    fn amounts_hide_where_their_counts_hide() {
        let counts = grid(vec![vec![1, 7], vec![6, 9]]);
        let amounts = grid(vec![vec![500, 7_000], vec![6_000, 9_000]]);
        let published = apply(&amounts, &mask(&counts, 5), 5);
        assert_eq!(published.cells[0][0], None);
        assert_eq!(published.cells.iter().flatten().filter(|c| c.is_none()).count(), 4, "{published:?}");
    }
}

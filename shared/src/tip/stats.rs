//! Statistics with small counts suppressed, and the counts an officer's lists show.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Counts from 1 to this are never shown.
pub const SMALL_COUNT_MAX: u64 = 4;
pub const SUPPRESSED: &str = "< 5";

/// One cell of a statistics table: `count` is `None` when suppressed; `display` is what to show
/// ("0", "12" or "< 5").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatCell {
    pub count: Option<u64>,
    pub display: String,
}

impl StatCell {
    fn exact(n: u64) -> Self {
        Self {
            count: Some(n),
            display: n.to_string(),
        }
    }

    fn hidden() -> Self {
        Self {
            count: None,
            display: SUPPRESSED.into(),
        }
    }
}

/// Suppresses a one-dimensional table and its total so no count from 1 to 4 is shown and no
/// hidden count can be recovered by subtracting the shown ones from the total: counts 1–4 are
/// hidden; when exactly one is hidden and the total is shown, the smallest other non-zero count
/// is hidden too (complementary suppression), and when there is none the total is hidden.
pub fn suppress(counts: &[u64]) -> (Vec<StatCell>, StatCell) {
    let total: u64 = counts.iter().sum();
    let small = |n: u64| (1..=SMALL_COUNT_MAX).contains(&n);
    let mut hidden: Vec<bool> = counts.iter().map(|&n| small(n)).collect();
    let mut total_hidden = small(total);
    if !total_hidden && hidden.iter().filter(|h| **h).count() == 1 {
        let other = counts
            .iter()
            .enumerate()
            .filter(|(i, n)| !hidden[*i] && **n > 0)
            .min_by_key(|(_, n)| **n)
            .map(|(i, _)| i);
        match other {
            Some(i) => hidden[i] = true,
            None => total_hidden = true,
        }
    }
    let cells = counts
        .iter()
        .zip(&hidden)
        .map(|(&n, &h)| {
            if h {
                StatCell::hidden()
            } else {
                StatCell::exact(n)
            }
        })
        .collect();
    let total = if total_hidden {
        StatCell::hidden()
    } else {
        StatCell::exact(total)
    };
    (cells, total)
}

/// Per commune: open tips and where they stand against the legal clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DeadlineCounts {
    pub commune_code: String,
    pub commune_name: String,
    pub open: i64,
    pub due_soon: i64,
    pub overdue: i64,
}

/// One row of a statistics table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatRow {
    pub key: String,
    pub label_vi: String,
    pub label_en: String,
    #[serde(flatten)]
    pub cell: StatCell,
}

/// A breakdown and its total, suppressed as one table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatTable {
    pub rows: Vec<StatRow>,
    pub total: StatCell,
}

/// `GET /api/v1/tips/stats`: counts by category, status, month and child unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipStats {
    pub unit_code: String,
    pub year: i32,
    pub by_category: StatTable,
    pub by_status: StatTable,
    pub by_month: StatTable,
    pub by_unit: StatTable,
}

impl StatTable {
    /// Builds a suppressed table from `(key, vi, en, count)` rows.
    pub fn build(rows: Vec<(String, String, String, u64)>) -> Self {
        let counts: Vec<u64> = rows.iter().map(|r| r.3).collect();
        let (cells, total) = suppress(&counts);
        Self {
            rows: rows
                .into_iter()
                .zip(cells)
                .map(|((key, label_vi, label_en, _), cell)| StatRow {
                    key,
                    label_vi,
                    label_en,
                    cell,
                })
                .collect(),
            total,
        }
    }
}

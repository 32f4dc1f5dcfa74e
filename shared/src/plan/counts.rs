//! The assessment results of a group of units, counted one unit at a time, and the figures the
//! targets read from them.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::Metric;
use crate::Classification;
use crate::api::percent as pct;

/// Assessment results of one group of units under one node.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GroupCounts {
    pub units: i64,
    /// approved and recognised
    pub safe: i64,
    /// approved, not recognised
    pub not_safe: i64,
    /// no approved assessment in the period
    pub not_assessed: i64,
    pub xuat_sac: i64,
    pub kha: i64,
    pub trung_binh: i64,
    pub yeu: i64,
    /// Of the safe units: rated xuất sắc, rated khá (for targets counted "trong đó").
    pub safe_xuat_sac: i64,
    pub safe_kha: i64,
}

impl GroupCounts {
    /// Counts one unit: `approved` with its recognition and class, or not assessed.
    pub fn add(&mut self, approved: Option<(bool, Classification)>) {
        self.units += 1;
        match approved {
            None => self.not_assessed += 1,
            Some((recognised, class)) => {
                if recognised {
                    self.safe += 1;
                    match class {
                        Classification::XuatSac => self.safe_xuat_sac += 1,
                        Classification::Kha => self.safe_kha += 1,
                        _ => {}
                    }
                } else {
                    self.not_safe += 1;
                }
                match class {
                    Classification::XuatSac => self.xuat_sac += 1,
                    Classification::Kha => self.kha += 1,
                    Classification::TrungBinh => self.trung_binh += 1,
                    Classification::Yeu => self.yeu += 1,
                }
            }
        }
    }

    /// The figure of a metric (percentages of all the group's units, one decimal).
    pub fn metric(&self, m: Metric) -> Option<f64> {
        match m {
            Metric::SafePercent => pct(self.safe, self.units),
            Metric::GoodOrBetterPercent => pct(self.xuat_sac + self.kha, self.units),
            Metric::ExcellentPercent => pct(self.xuat_sac, self.units),
            Metric::GoodPercent => pct(self.kha, self.units),
            Metric::WeakCount => Some(self.yeu as f64),
            Metric::PledgePercent | Metric::Manual => None,
        }
    }

    /// A class share over the safe units only ("trong đó"); other metrics as [`Self::metric`].
    pub fn metric_of_safe(&self, m: Metric) -> Option<f64> {
        match m {
            Metric::GoodOrBetterPercent => pct(self.safe_xuat_sac + self.safe_kha, self.safe),
            Metric::ExcellentPercent => pct(self.safe_xuat_sac, self.safe),
            Metric::GoodPercent => pct(self.safe_kha, self.safe),
            m => self.metric(m),
        }
    }
}

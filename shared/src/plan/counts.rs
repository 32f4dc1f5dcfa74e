//! The assessment results of a group of units, counted one unit at a time, the year's tips of a
//! unit, and the figures the targets read from them.

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
    /// With a self-managed model that counts for the year (`records::model_counts`).
    pub with_model: i64,
    /// Residential areas whose security team counts for the year (`records::team_counts`).
    pub with_team: i64,
    /// Registered for the year (TT 124 art. 9.2.a).
    pub registered: i64,
    /// Marked outside the Thông tư (art. 1.2.b): counted in `units`, owing nothing.
    pub excluded: i64,
    /// Agencies, enterprises and schools whose people were all briefed in the year's period
    /// (arts. 6.1, 7.1; `briefing::coverage`).
    pub briefed: i64,
}

/// The records of one unit the dashboard counts beside its assessment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnitRecords {
    pub model: bool,
    pub team: bool,
    pub registered: bool,
    pub excluded: bool,
    pub briefed: bool,
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

    /// Counts the records of one unit already counted by [`Self::add`].
    pub fn add_records(&mut self, r: UnitRecords) {
        self.with_model += i64::from(r.model);
        self.with_team += i64::from(r.team);
        self.registered += i64::from(r.registered);
        self.excluded += i64::from(r.excluded);
        self.briefed += i64::from(r.briefed);
    }

    /// Adds the counts of another node's units (a province's, into the country's).
    pub fn merge(&mut self, o: &GroupCounts) {
        self.units += o.units;
        self.safe += o.safe;
        self.not_safe += o.not_safe;
        self.not_assessed += o.not_assessed;
        self.xuat_sac += o.xuat_sac;
        self.kha += o.kha;
        self.trung_binh += o.trung_binh;
        self.yeu += o.yeu;
        self.safe_xuat_sac += o.safe_xuat_sac;
        self.safe_kha += o.safe_kha;
        self.with_model += o.with_model;
        self.with_team += o.with_team;
        self.registered += o.registered;
        self.excluded += o.excluded;
        self.briefed += o.briefed;
    }

    /// The figure of a metric (percentages of all the group's units, one decimal).
    pub fn metric(&self, m: Metric) -> Option<f64> {
        match m {
            Metric::SafePercent => pct(self.safe, self.units),
            Metric::GoodOrBetterPercent => pct(self.xuat_sac + self.kha, self.units),
            Metric::ExcellentPercent => pct(self.xuat_sac, self.units),
            Metric::GoodPercent => pct(self.kha, self.units),
            Metric::WeakCount => Some(self.yeu as f64),
            Metric::ModelPercent => pct(self.with_model, self.units),
            Metric::TeamPercent => pct(self.with_team, self.units),
            Metric::PledgePercent | Metric::TipsOnTimePercent | Metric::Manual => None,
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

/// The tips under a unit in a year, as the seed reports count them (tiếp nhận, chuyển, giải quyết
/// đúng hạn).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipLine {
    /// Received in the year (by the Vietnam day of receipt).
    pub received: i64,
    /// Transferred to the investigating body in the year.
    pub transferred: i64,
    /// Steps in the year that concluded a running period ([`crate::tip::Step::concludes`]).
    pub concluded: i64,
    /// Of those, taken before the period ran out.
    pub on_time: i64,
    pub on_time_percent: Option<f64>,
}

impl TipLine {
    /// Adds the counts of a unit below.
    pub fn add(&mut self, other: &TipLine) {
        self.received += other.received;
        self.transferred += other.transferred;
        self.concluded += other.concluded;
        self.on_time += other.on_time;
        self.on_time_percent = crate::api::percent(self.on_time, self.concluded);
    }

    /// Counts one concluding step, on time or late.
    pub fn conclude(&mut self, on_time: bool) {
        self.concluded += 1;
        self.on_time += i64::from(on_time);
        self.on_time_percent = crate::api::percent(self.on_time, self.concluded);
    }
}

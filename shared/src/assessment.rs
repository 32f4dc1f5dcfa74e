//! Assessments (đánh giá, phân loại phong trào): criteria sets as versioned data, the periods, and
//! scoring — the pass/fail standard «An toàn về an ninh, trật tự» of Thông tư 124/2021/TT-BCA (all
//! criteria must pass) and a QĐ 510-style 100-point scorecard with classification bands. Pure
//! functions: the server and the form compute the same result.
//!
//! Longer than 500 lines because the sets, their scoring, the periods and the wire types of an
//! assessment are read together by the server, the console and the tests; the registrations and
//! the commune's rule live in `registration`.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::error::{Errors, FieldError, ValidationError};
use crate::{AssessmentAction, AssessmentStatus, Classification, UnitKind};

/// Where the platform can fill a criterion from its own data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvidenceSource {
    /// Pledge coverage of the unit's household campaign (100% required).
    HouseholdCoverage,
    /// Tips of the unit in the period against the previous period (counts only).
    Tips,
    /// Share of child units with an approved, recognised assessment (≥ the set's threshold).
    ChildrenRecognised,
    /// The unit's registration of the year, made in quarter I (TT 124 arts. 4.1, 9.2.a).
    Registration,
    /// The commune's rule of art. 5.4: 100% of its eligible units registered and the set's
    /// threshold recognised (`shared::registration::commune_rule`).
    CommuneRule,
    /// The residential area's security team (Tổ bảo vệ an ninh, trật tự) and its review of the
    /// year: at least «hoàn thành nhiệm vụ».
    SecurityTeam,
    /// The unit's self-managed models that count for the year (`shared::records::model_counts`).
    Models,
    /// The events of criterion 4 kept in the unit (for a commune, in its territory) during the
    /// period, with the force-majeure exception of art. 4.4 (`shared::incident::verdict`). It
    /// only refutes: an event not excused fails the criterion; none says nothing of the rest of
    /// it (crime held back, no serious crime), which stays the unit's answer.
    Incidents,
    /// How far an agency's, enterprise's or school's people were briefed in the period (100%:
    /// arts. 6.1, 7.1; `shared::briefing::coverage`).
    Briefings,
    /// The share of an agency's, enterprise's or school's sub-units holding the emulation
    /// titles of arts. 6.5 / 7.6, as the unit declared them for the year (`shared::titles`).
    SubunitTitles,
}

/// One TT 124 criterion (tiêu chí): pass or fail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Criterion {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    /// Where the text stands, e.g. `Điều 4 khoản 4 Thông tư 124/2021/TT-BCA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    /// A source whose data decides the answer (version 1 sets name one here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceSource>,
    /// Further sources that decide it: the answer the data gives is that every deciding source
    /// says so ([`expected`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decided_by: Vec<EvidenceSource>,
    /// Sources shown beside the criterion as supporting evidence; they never decide.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supporting: Vec<EvidenceSource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_items: Vec<String>,
}

impl Criterion {
    /// The sources whose data decides this criterion.
    pub fn deciding(&self) -> impl Iterator<Item = EvidenceSource> + '_ {
        self.evidence
            .into_iter()
            .chain(self.decided_by.iter().copied())
    }

    /// Every source shown beside it, deciding first, each once.
    pub fn sources(&self) -> Vec<(EvidenceSource, bool)> {
        let mut out: Vec<(EvidenceSource, bool)> = Vec::new();
        for (s, decides) in self
            .deciding()
            .map(|s| (s, true))
            .chain(self.supporting.iter().map(|s| (*s, false)))
        {
            if !out.iter().any(|(o, _)| *o == s) {
                out.push((s, decides));
            }
        }
        out
    }
}

/// One scorecard item with its maximum points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ScoreItem {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    pub max_points: u32,
}

/// Lowest score of each class; below `trung_binh` is `yeu`. Provinces set their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Bands {
    pub xuat_sac: u32,
    pub kha: u32,
    pub trung_binh: u32,
}

impl Bands {
    /// `100 ≥ xuất sắc > khá > trung bình > 0`.
    pub fn in_order(&self) -> bool {
        self.xuat_sac <= 100
            && self.xuat_sac > self.kha
            && self.kha > self.trung_binh
            && self.trung_binh > 0
    }
}

impl Default for Bands {
    fn default() -> Self {
        Self {
            xuat_sac: 90,
            kha: 70,
            trung_binh: 50,
        }
    }
}

/// A versioned criteria set for one kind of unit. Immutable once used: changes make a new
/// version (a province may publish its own, with extra criteria).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CriteriaSet {
    pub id: String,
    pub unit_kind: UnitKind,
    pub version: u32,
    /// A province's own version; `None` for the national set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    pub title_vi: String,
    pub title_en: String,
    pub criteria: Vec<Criterion>,
    pub scorecard: Vec<ScoreItem>,
    #[serde(default)]
    pub bands: Bands,
    /// Share (percent) of children that must be recognised for `children_recognised` and
    /// `commune_rule`.
    #[serde(default = "seventy")]
    pub children_threshold_percent: u32,
    /// The document the scorecard comes from, when a province has loaded its own (e.g.
    /// `Quyết định 510/QĐ-UBND`); `None` for the platform's provisional reading, which the
    /// console labels as such.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scorecard_source: Option<String>,
    /// How many hours after an event its report counts as prompt for the force-majeure exception
    /// of art. 4.4 ("kịp thời", not quantified by the Thông tư; `shared::incident`).
    #[serde(default = "prompt_report_hours")]
    pub prompt_report_hours: u32,
}

fn prompt_report_hours() -> u32 {
    crate::incident::DEFAULT_PROMPT_REPORT_HOURS
}

impl CriteriaSet {
    /// Whether the scorecard is the platform's provisional one.
    pub fn scorecard_is_provisional(&self) -> bool {
        self.scorecard_source.is_none()
    }
}

fn seventy() -> u32 {
    70
}

/// The built-in national sets (`shared/criteria/*.json`).
pub const BUILTIN_JSON: &[&str] = &[
    include_str!("../criteria/tt124-v1.json"),
    include_str!("../criteria/tt124-v2.json"),
];

/// Why a criteria set is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    #[error("{0}: not valid JSON: {1}")]
    Json(String, String),
    #[error("{0}: scorecard totals {1}, not 100")]
    Total(String, u32),
    #[error("{0}: bands must satisfy 100 ≥ xuat_sac > kha > trung_binh > 0")]
    Bands(String),
    #[error("{0}: duplicate or empty code {1:?}")]
    Code(String, String),
    #[error("{0}: no criteria")]
    Empty(String),
    #[error("{0}: {1:?} units are not assessed")]
    Kind(String, UnitKind),
}

/// Kinds of unit that are assessed against the standard.
pub const ASSESSED_KINDS: &[UnitKind] = &[
    UnitKind::ResidentialArea,
    UnitKind::Commune,
    UnitKind::Agency,
    UnitKind::Enterprise,
    UnitKind::School,
];

impl CriteriaSet {
    /// Checks a set: codes unique, scorecard totals 100, bands ordered, an assessed kind.
    pub fn validate(&self) -> Result<(), SetError> {
        let id = || self.id.clone();
        if !ASSESSED_KINDS.contains(&self.unit_kind) {
            return Err(SetError::Kind(id(), self.unit_kind));
        }
        if self.criteria.is_empty() || self.scorecard.is_empty() {
            return Err(SetError::Empty(id()));
        }
        let mut seen = std::collections::BTreeSet::new();
        for code in self
            .criteria
            .iter()
            .map(|c| format!("c{}", c.code))
            .chain(self.scorecard.iter().map(|s| format!("s{}", s.code)))
        {
            if code.len() < 2 || !seen.insert(code.clone()) {
                return Err(SetError::Code(id(), code[1..].to_string()));
            }
        }
        let total: u32 = self.scorecard.iter().map(|s| s.max_points).sum();
        if total != 100 {
            return Err(SetError::Total(id(), total));
        }
        if !self.bands.in_order() {
            return Err(SetError::Bands(id()));
        }
        Ok(())
    }

    /// Every built-in set, checked.
    pub fn builtin() -> Result<Vec<CriteriaSet>, SetError> {
        let mut out = Vec::new();
        for (i, text) in BUILTIN_JSON.iter().enumerate() {
            let sets: Vec<CriteriaSet> = serde_json::from_str(text)
                .map_err(|e| SetError::Json(format!("builtin #{i}"), e.to_string()))?;
            for s in sets {
                s.validate()?;
                out.push(s);
            }
        }
        Ok(out)
    }

    /// The classification of a score under this set's bands.
    pub fn classify(&self, score: u32) -> Classification {
        classify(score, self.bands)
    }
}

/// Classification by score: ≥ xuất sắc band, ≥ khá band, ≥ trung bình band, else yếu.
pub fn classify(score: u32, bands: Bands) -> Classification {
    if score >= bands.xuat_sac {
        Classification::XuatSac
    } else if score >= bands.kha {
        Classification::Kha
    } else if score >= bands.trung_binh {
        Classification::TrungBinh
    } else {
        Classification::Yeu
    }
}

/// An answer to one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CriterionAnswer {
    pub passed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Required to answer otherwise than the platform's evidence says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
}

/// The answers of an assessment: criterion code → answer, scorecard item code → points.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Answers {
    #[serde(default)]
    pub criteria: BTreeMap<String, CriterionAnswer>,
    #[serde(default)]
    pub scores: BTreeMap<String, u32>,
}

/// The result of scoring: recognised as «An toàn về an ninh, trật tự» (đạt) only when every
/// criterion passes (TT 124: a unit meets the standard when it meets all its criteria); the class
/// from the score alone. (An earlier version capped a unit not recognised at trung bình; no text
/// was found that says so, and the cap is gone.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Outcome {
    pub recognised: bool,
    pub failed_criteria: Vec<String>,
    pub score: u32,
    pub classification: Classification,
}

/// Scores complete answers; errors name `criteria.{code}` or `scores.{code}`.
pub fn score(set: &CriteriaSet, answers: &Answers) -> Result<Outcome, Vec<FieldError>> {
    let mut e = Errors::new();
    let mut failed = Vec::new();
    for c in &set.criteria {
        match answers.criteria.get(&c.code) {
            None => e.push(ValidationError::Required.on(format!("criteria.{}", c.code))),
            Some(a) if !a.passed => failed.push(c.code.clone()),
            Some(_) => {}
        }
    }
    let mut total = 0;
    for item in &set.scorecard {
        match answers.scores.get(&item.code) {
            None => e.push(ValidationError::Required.on(format!("scores.{}", item.code))),
            Some(&p) if p > item.max_points => e.push(
                ValidationError::OutOfRange {
                    min: 0,
                    max: i64::from(item.max_points),
                }
                .on(format!("scores.{}", item.code)),
            ),
            Some(&p) => total += p,
        }
    }
    check_unknown(set, answers, &mut e);
    e.into_result()?;
    Ok(Outcome {
        recognised: failed.is_empty(),
        failed_criteria: failed,
        score: total,
        classification: set.classify(total),
    })
}

/// Checks partial answers (a draft): known codes, points within range.
pub fn check_draft(set: &CriteriaSet, answers: &Answers) -> Result<(), Vec<FieldError>> {
    let mut e = Errors::new();
    for item in &set.scorecard {
        if let Some(&p) = answers.scores.get(&item.code)
            && p > item.max_points
        {
            e.push(
                ValidationError::OutOfRange {
                    min: 0,
                    max: i64::from(item.max_points),
                }
                .on(format!("scores.{}", item.code)),
            );
        }
    }
    check_unknown(set, answers, &mut e);
    e.into_result()
}

fn check_unknown(set: &CriteriaSet, answers: &Answers, e: &mut Errors) {
    for code in answers.criteria.keys() {
        if !set.criteria.iter().any(|c| &c.code == code) {
            e.push(ValidationError::UnknownValue { allowed: &[] }.on(format!("criteria.{code}")));
        }
    }
    for code in answers.scores.keys() {
        if !set.scorecard.iter().any(|s| &s.code == code) {
            e.push(ValidationError::UnknownValue { allowed: &[] }.on(format!("scores.{code}")));
        }
    }
}

/// An assessment period (kỳ đánh giá), named by the year it ends in: residential areas run
/// 1 November – 31 October, other units 16 November – 15 November.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Period {
    pub year: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

pub fn period(kind: UnitKind, year: i32) -> Option<Period> {
    let (sm, sd, em, ed) = if kind == UnitKind::ResidentialArea {
        (11, 1, 10, 31)
    } else {
        (11, 16, 11, 15)
    };
    Some(Period {
        year,
        starts_on: NaiveDate::from_ymd_opt(year - 1, sm, sd)?,
        ends_on: NaiveDate::from_ymd_opt(year, em, ed)?,
    })
}

/// The period a date falls in.
pub fn period_of(kind: UnitKind, d: NaiveDate) -> Option<Period> {
    let p = period(kind, d.year())?;
    if d > p.ends_on {
        period(kind, d.year() + 1)
    } else {
        Some(p)
    }
}

// ---------------------------------------------------------------------------------------------
// Wire types
// ---------------------------------------------------------------------------------------------

/// Where an assessment stands: `draft → submitted → returned | approved`; a returned one goes back
/// to its unit for changes and is submitted again.
pub const STATUSES: &[&str] = &["draft", "submitted", "returned", "approved"];

/// What the platform's own data says about a criterion, with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Evidence {
    pub criterion: String,
    pub source: EvidenceSource,
    /// The answer the data gives; `None` when the data informs but does not decide.
    pub passed: Option<bool>,
    /// e.g. "99/100 hộ (99%)"
    pub value: String,
    /// Where it comes from, e.g. "Đợt cam kết ABC234 «Cam kết hộ gia đình 2026»".
    pub source_vi: String,
    pub source_en: String,
}

/// `PUT /api/v1/assessments/{unit}/{period}`: save a draft's answers (partial answers are fine
/// until submission).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SaveAssessmentRequest {
    pub answers: Answers,
}

/// `POST …/return` (comment required) and `POST …/approve` (comment optional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewRequest {
    #[serde(default)]
    pub comment: Option<String>,
    /// To approve a recognised outcome: the recognition decision as signed (required then,
    /// refused otherwise; `crate::recognition`).
    #[serde(default)]
    pub decision: Option<crate::recognition::RecognitionDecision>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssessmentEvent {
    pub seq: i32,
    #[serde(with = "crate::time::utc")]
    pub at: chrono::NaiveDateTime,
    pub actor: String,
    pub action: AssessmentAction,
    pub comment: Option<String>,
}

/// An assessment as its unit and its reviewers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssessmentDto {
    pub id: String,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    pub period: Period,
    pub set_id: String,
    pub status: AssessmentStatus,
    /// The answers as saved.
    pub answers: Answers,
    /// Live for a draft or a returned assessment, frozen at submission.
    pub evidence: Vec<Evidence>,
    /// The result of the answers with the evidence filled in, once complete.
    pub outcome: Option<Outcome>,
    pub review_comment: Option<String>,
    /// The recognition decision recorded at approval, when the unit is recognised.
    pub decision: Option<crate::recognition::RecognitionDecision>,
    pub history: Vec<AssessmentEvent>,
    pub files: Vec<EvidenceFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EvidenceFile {
    pub id: String,
    pub criterion: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// `POST /api/v1/criteria-sets`: a province's own version of a national set, with extra
/// criteria and, if it wants, its own band cut-offs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProvinceSetRequest {
    /// The id of the national set it extends, e.g. `tt124-commune-v1`.
    pub base: String,
    #[serde(default)]
    pub extra_criteria: Vec<Criterion>,
    #[serde(default)]
    pub bands: Option<Bands>,
    #[serde(default)]
    pub children_threshold_percent: Option<u32>,
    /// The province's own scorecard (its items total 100), replacing the platform's provisional
    /// one; needs `scorecard_source`.
    #[serde(default)]
    pub scorecard: Option<Vec<ScoreItem>>,
    /// The document the scorecard comes from, e.g. `Quyết định 510/QĐ-UBND`.
    #[serde(default)]
    pub scorecard_source: Option<String>,
    /// The province's reading of "kịp thời" for the exception of art. 4.4, in hours (1–720;
    /// default 24).
    #[serde(default)]
    pub prompt_report_hours: Option<u32>,
}

/// The answers to score: what was saved, with the platform's evidence filling criteria left
/// unanswered.
pub fn with_evidence(answers: &Answers, evidence: &[Evidence]) -> Answers {
    let mut a = answers.clone();
    for e in evidence {
        if let Some(passed) = expected(&e.criterion, evidence) {
            a.criteria
                .entry(e.criterion.clone())
                .or_insert(CriterionAnswer {
                    passed,
                    note: None,
                    override_reason: None,
                });
        }
    }
    a
}

/// The answer the platform's data gives a criterion: passed when every deciding source says so,
/// failed when one says not; `None` when none decides. (A deciding source without data adds no
/// item, so it does not hold the others back; the answer is then the unit's.)
pub fn expected(criterion: &str, evidence: &[Evidence]) -> Option<bool> {
    evidence
        .iter()
        .filter(|e| e.criterion == criterion)
        .filter_map(|e| e.passed)
        .reduce(|a, b| a && b)
}

/// An answer that contradicts the platform's evidence needs a reason (errors name
/// `criteria.{code}.override_reason`).
pub fn check_overrides(answers: &Answers, evidence: &[Evidence]) -> Result<(), Vec<FieldError>> {
    let mut e = Errors::new();
    let mut seen = std::collections::BTreeSet::new();
    for ev in evidence {
        if !seen.insert(ev.criterion.as_str()) {
            continue;
        }
        if let (Some(expected), Some(a)) = (
            expected(&ev.criterion, evidence),
            answers.criteria.get(&ev.criterion),
        ) && a.passed != expected
            && a.override_reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
        {
            e.push(
                ValidationError::Required.on(format!("criteria.{}.override_reason", ev.criterion)),
            );
        }
    }
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The latest national set of a kind.
    fn set(kind: UnitKind) -> CriteriaSet {
        CriteriaSet::builtin()
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .filter(|s| s.unit_kind == kind)
            .max_by_key(|s| s.version)
            .unwrap_or_else(|| panic!("no set for {kind}"))
    }

    /// Answers with every criterion passed and points adding up to `total`.
    fn answers(s: &CriteriaSet, total: u32) -> Answers {
        let mut a = Answers::default();
        for c in &s.criteria {
            a.criteria.insert(
                c.code.clone(),
                CriterionAnswer {
                    passed: true,
                    note: None,
                    override_reason: None,
                },
            );
        }
        let mut left = total;
        for item in &s.scorecard {
            let p = left.min(item.max_points);
            a.scores.insert(item.code.clone(), p);
            left -= p;
        }
        a
    }

    #[test]
    fn builtin_sets_load_and_cover_every_assessed_kind() {
        let sets = CriteriaSet::builtin().unwrap_or_else(|e| panic!("{e}"));
        for k in ASSESSED_KINDS {
            assert!(sets.iter().any(|s| s.unit_kind == *k), "{k}");
        }
        let area = set(UnitKind::ResidentialArea);
        assert_eq!(area.version, 2);
        // Art. 4.1: the registration record decides; pledge coverage supports.
        assert_eq!(
            area.criteria[0].sources(),
            [
                (EvidenceSource::Registration, true),
                (EvidenceSource::HouseholdCoverage, false)
            ]
        );
        assert!(area.scorecard_is_provisional());
    }

    fn letters(c: &Criterion) -> Vec<String> {
        c.sub_items
            .iter()
            .filter_map(|s| s.split_once(") ").map(|(l, _)| l.to_string()))
            .collect()
    }

    fn criterion<'a>(s: &'a CriteriaSet, code: &str) -> &'a Criterion {
        s.criteria
            .iter()
            .find(|c| c.code == code)
            .unwrap_or_else(|| panic!("{} has no criterion {code}", s.id))
    }

    /// Version 2 against the points the review of issue 18 found in TT 124 arts. 4–7.
    #[test]
    fn tt124_v2_follows_the_articles() {
        let area = set(UnitKind::ResidentialArea);
        // Art. 4.1: "Quý I hằng năm, chi bộ có nghị quyết, khu dân cư có đăng ký phấn đấu".
        let c1 = criterion(&area, "1");
        assert!(c1.title_vi.contains("chi bộ có nghị quyết"));
        assert!(c1.title_vi.contains("đăng ký"));
        assert_eq!(
            c1.article.as_deref(),
            Some("Điều 4 khoản 1 Thông tư 124/2021/TT-BCA")
        );
        // Art. 4.3: the seven events, points a to g, none added ("khiếu kiện" only inside d).
        let c3 = criterion(&area, "3");
        assert_eq!(letters(c3), ["a", "b", "c", "d", "đ", "e", "g"]);
        assert!(
            !c3.sub_items
                .iter()
                .any(|s| s.contains("Khiếu kiện đông người"))
        );
        // Art. 4.4: the force-majeure exception, work accidents (not any fatal accident),
        // social evils, serious incidents.
        let c4 = criterion(&area, "4").title_vi.clone();
        for words in [
            "trừ trường hợp bất khả kháng",
            "kịp thời phát hiện, báo cáo",
            "tai nạn lao động chết người",
            "tệ nạn xã hội",
            "sự cố nghiêm trọng",
        ] {
            assert!(c4.contains(words), "criterion 4 lacks {words:?}");
        }
        assert!(!c4.contains("tai nạn chết người"));
        // Art. 4.5: the discipline clause; the team's review decides.
        let c5 = criterion(&area, "5");
        assert!(c5.title_vi.contains("kỷ luật"));
        assert_eq!(c5.sources(), [(EvidenceSource::SecurityTeam, true)]);
        // Art. 5.4: the commune's rule over its eligible units.
        let commune = set(UnitKind::Commune);
        assert_eq!(
            criterion(&commune, "4").sources(),
            [(EvidenceSource::CommuneRule, true)]
        );
        // Art. 6: five criteria, 6.2 among them, 6.3 from point a.
        for kind in [UnitKind::Agency, UnitKind::Enterprise] {
            let s = set(kind);
            assert_eq!(s.criteria.len(), 5, "{kind}");
            assert_eq!(
                criterion(&s, "2").article.as_deref(),
                Some("Điều 6 khoản 2 Thông tư 124/2021/TT-BCA")
            );
            assert_eq!(letters(criterion(&s, "3"))[..3], ["a", "b", "c"]);
        }
        // Art. 7.3: schools apply exactly points a, b, c, đ, e, g of art. 6.3 (no strike);
        // art. 7.4: no learner committed a crime.
        let school = set(UnitKind::School);
        let c3 = criterion(&school, "3");
        assert_eq!(letters(c3), ["a", "b", "c", "đ", "e", "g"]);
        assert!(!c3.sub_items.iter().any(|s| s.contains("Đình công")));
        assert!(
            criterion(&school, "4")
                .title_vi
                .contains("người học phạm tội")
        );
        // Arts. 6.5 / 7.6: the 70% rule counts sub-units holding emulation titles, as the unit
        // declares them — not the TT 124 recognition of units below.
        for (kind, code, article) in [
            (
                UnitKind::Agency,
                "5",
                "Điều 6 khoản 5 Thông tư 124/2021/TT-BCA",
            ),
            (
                UnitKind::Enterprise,
                "5",
                "Điều 6 khoản 5 Thông tư 124/2021/TT-BCA",
            ),
            (
                UnitKind::School,
                "6",
                "Điều 7 khoản 6 Thông tư 124/2021/TT-BCA",
            ),
        ] {
            let s = set(kind);
            let c5 = criterion(&s, code);
            assert_eq!(c5.article.as_deref(), Some(article), "{kind}");
            assert!(c5.title_vi.contains("danh hiệu thi đua"), "{kind}");
            assert_eq!(
                c5.sources(),
                [(EvidenceSource::SubunitTitles, true)],
                "{kind}"
            );
            assert!(
                s.criteria.iter().all(|c| !c
                    .sources()
                    .iter()
                    .any(|(x, _)| *x == EvidenceSource::ChildrenRecognised)),
                "{kind}"
            );
        }
        // Every criterion of version 2 says where it stands.
        for kind in ASSESSED_KINDS {
            for c in &set(*kind).criteria {
                assert!(c.article.is_some(), "{kind} {}", c.code);
            }
        }
    }

    /// Every deciding source must say so; a supporting one never decides.
    #[test]
    fn the_data_decides_only_when_every_deciding_source_agrees() {
        let ev = |source, passed| Evidence {
            criterion: "1".into(),
            source,
            passed,
            value: String::new(),
            source_vi: String::new(),
            source_en: String::new(),
        };
        use EvidenceSource::*;
        assert_eq!(
            expected("1", &[ev(Registration, Some(true)), ev(Models, Some(true))]),
            Some(true)
        );
        assert_eq!(
            expected(
                "1",
                &[ev(Registration, Some(true)), ev(Models, Some(false))]
            ),
            Some(false)
        );
        assert_eq!(
            expected(
                "1",
                &[ev(Registration, Some(true)), ev(HouseholdCoverage, None)]
            ),
            Some(true)
        );
        assert_eq!(expected("1", &[ev(Tips, None)]), None);
        assert_eq!(expected("2", &[ev(Registration, Some(true))]), None);
        // An answer against the data needs a reason, asked once per criterion.
        let mut a = Answers::default();
        a.criteria.insert(
            "1".into(),
            CriterionAnswer {
                passed: true,
                note: None,
                override_reason: None,
            },
        );
        let evidence = [ev(Registration, Some(true)), ev(Models, Some(false))];
        let fields: Vec<String> = match check_overrides(&a, &evidence) {
            Ok(()) => panic!("accepted"),
            Err(e) => e.into_iter().map(|e| e.field).collect(),
        };
        assert_eq!(fields, ["criteria.1.override_reason"]);
        assert!(!with_evidence(&Answers::default(), &evidence).criteria["1"].passed);
    }

    #[test]
    fn band_edges() {
        let s = set(UnitKind::Commune);
        for (score, class) in [
            (0, Classification::Yeu),
            (49, Classification::Yeu),
            (50, Classification::TrungBinh),
            (69, Classification::TrungBinh),
            (70, Classification::Kha),
            (89, Classification::Kha),
            (90, Classification::XuatSac),
            (100, Classification::XuatSac),
        ] {
            let o = score_of(&s, score);
            assert_eq!((o.score, o.classification), (score, class), "score {score}");
            assert!(o.recognised);
        }
        // A province's own cut-offs.
        let bands = Bands {
            xuat_sac: 95,
            kha: 80,
            trung_binh: 60,
        };
        assert_eq!(classify(94, bands), Classification::Kha);
        assert_eq!(classify(95, bands), Classification::XuatSac);
        assert_eq!(classify(59, bands), Classification::Yeu);
    }

    fn score_of(s: &CriteriaSet, total: u32) -> Outcome {
        score(s, &answers(s, total)).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn one_failed_criterion_is_not_recognised_whatever_the_score() {
        for kind in ASSESSED_KINDS {
            let s = set(*kind);
            for c in &s.criteria {
                let mut a = answers(&s, 100);
                if let Some(x) = a.criteria.get_mut(&c.code) {
                    x.passed = false;
                }
                let o = score(&s, &a).unwrap_or_else(|e| panic!("{e:?}"));
                assert!(!o.recognised, "{kind} criterion {}", c.code);
                assert_eq!(o.failed_criteria, vec![c.code.clone()]);
                assert_eq!(o.score, 100);
                // The class follows the score alone: no "not recognised ⇒ at most trung bình"
                // cap, which no text was found to set.
                assert_eq!(o.classification, Classification::XuatSac);
            }
        }
        // Not recognised and weak stays weak.
        let s = set(UnitKind::School);
        let mut a = answers(&s, 30);
        if let Some(x) = a.criteria.get_mut("1") {
            x.passed = false;
        }
        assert_eq!(
            score(&s, &a).map(|o| o.classification),
            Ok(Classification::Yeu)
        );
    }

    #[test]
    fn incomplete_or_out_of_range_answers_name_the_field() {
        let s = set(UnitKind::ResidentialArea);
        let mut a = answers(&s, 80);
        a.criteria.remove("3");
        a.scores.insert("A".into(), 99);
        a.scores.insert("Z".into(), 1);
        let fields: Vec<String> = score(&s, &a)
            .err()
            .unwrap()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["criteria.3", "scores.A", "scores.Z"]);
        // A draft may be incomplete, never out of range.
        let mut d = Answers::default();
        d.scores.insert("B".into(), 5);
        assert!(check_draft(&s, &d).is_ok());
        d.scores.insert("B".into(), 21);
        assert!(check_draft(&s, &d).is_err());
    }

    #[test]
    fn bad_sets_are_refused() {
        let mut s = set(UnitKind::Agency);
        s.scorecard[0].max_points += 1;
        assert!(matches!(s.validate(), Err(SetError::Total(_, 101))));
        let mut s = set(UnitKind::Agency);
        s.bands.kha = 95;
        assert!(matches!(s.validate(), Err(SetError::Bands(_))));
        let mut s = set(UnitKind::Agency);
        s.criteria[1].code = "1".into();
        assert!(matches!(s.validate(), Err(SetError::Code(..))));
        let mut s = set(UnitKind::Agency);
        s.unit_kind = UnitKind::Class;
        assert!(matches!(s.validate(), Err(SetError::Kind(..))));
    }

    #[test]
    fn periods() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let p = period_of(UnitKind::ResidentialArea, d(2026, 10, 31));
        assert_eq!(
            p.map(|p| (p.year, p.starts_on)),
            Some((2026, d(2025, 11, 1)))
        );
        assert_eq!(
            period_of(UnitKind::ResidentialArea, d(2026, 11, 1)).map(|p| p.year),
            Some(2027)
        );
        assert_eq!(
            period_of(UnitKind::Commune, d(2026, 11, 15)).map(|p| p.year),
            Some(2026)
        );
        assert_eq!(
            period_of(UnitKind::Commune, d(2026, 11, 16)).map(|p| (p.year, p.ends_on)),
            Some((2027, d(2027, 11, 15)))
        );
    }
}

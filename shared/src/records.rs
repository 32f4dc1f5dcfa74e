//! Records a commune keeps through the year, and the rules by which each counts towards a plan's
//! target:
//!
//! - the **self-managed models** of its units (mô hình «Tự phòng, tự quản, tự bảo vệ về ANTT»):
//!   seed 002 (Bình Phước, II.2) asks that "Hằng năm, có trên 50% cơ quan, doanh nghiệp, cơ sở giáo
//!   dục, 80% số khu dân cư, xã, phường, thị trấn xây dựng mới hoặc duy trì hoạt động có hiệu quả
//!   ít nhất 01 mô hình" — a unit counts in a year when one of its models is new that year or
//!   operated effectively through it ([`model_counts`]);
//! - the **security team** of each residential area (Tổ bảo vệ an ninh, trật tự; Luật Lực lượng
//!   tham gia bảo vệ an ninh, trật tự ở cơ sở, Law 30/2023/QH15): art. 2.3 places a team in each
//!   thôn, tổ dân phố, art. 16 gives it "Tổ trưởng, Tổ phó và Tổ viên" and has the chairman of the
//!   commune People's Committee establish it by decision — an area counts when its team has been
//!   established and has its leader ([`team_counts`]). Members carry a name, a position, a phone
//!   and their training; never a CCCD.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::enums::labelled_enum;
use crate::error::{Errors, FieldError, ValidationError};
use crate::{PersonName, PhoneNumber, UnitKind};

/// The longest model name or decision number.
pub const NAME_MAX: usize = 200;
/// The most people one model counts.
pub const MODEL_MEMBERS_MAX: i64 = 100_000;
/// The most members kept for one team (a province sets the number per area, Law 30/2023 art.
/// 14.3; none sets more than a few dozen).
pub const TEAM_MEMBERS_MAX: usize = 50;

labelled_enum! {
    /// What a self-managed model (mô hình tự quản về ANTT) mainly does.
    ModelKind {
        /// tự phòng: preventing crime and accidents (camera an ninh, khóa cửa…)
        SelfPrevention = "self_prevention", "Tự phòng", "Self-prevention";
        /// tự quản: people managing their own area or dormitory (tổ tự quản khu nhà trọ…)
        SelfManagement = "self_management", "Tự quản", "Self-management";
        /// tự bảo vệ: patrols, worker shock teams (đội công nhân xung kích…)
        SelfProtection = "self_protection", "Tự bảo vệ", "Self-protection";
        /// tự phòng, tự quản, tự bảo vệ together, as the seed plans name them
        Combined = "combined", "Tự phòng, tự quản, tự bảo vệ", "Prevention, management and protection";
        /// another kind (câu lạc bộ, «Ông kể cháu nghe»…)
        Other = "other", "Mô hình khác", "Another kind";
    }
}

labelled_enum! {
    /// A model's yearly review (đánh giá hiệu quả hoạt động).
    ModelRating {
        /// hoạt động có hiệu quả
        Effective = "effective", "Hoạt động có hiệu quả", "Operating effectively";
        /// chưa hiệu quả
        NotEffective = "not_effective", "Chưa hiệu quả", "Not yet effective";
    }
}

labelled_enum! {
    /// A member's place in the team (Law 30/2023/QH15 art. 16: "Tổ trưởng, Tổ phó và Tổ viên").
    TeamPosition {
        Leader = "leader", "Tổ trưởng", "Team leader";
        Deputy = "deputy", "Tổ phó", "Deputy leader";
        Member = "member", "Tổ viên", "Member";
    }
}

labelled_enum! {
    /// A team's yearly review, in the four grades the commune's reviews use.
    TeamRating {
        /// hoàn thành xuất sắc nhiệm vụ
        Excellent = "excellent", "Hoàn thành xuất sắc nhiệm vụ", "Excellent";
        /// hoàn thành tốt nhiệm vụ
        Good = "good", "Hoàn thành tốt nhiệm vụ", "Good";
        /// hoàn thành nhiệm vụ
        Done = "done", "Hoàn thành nhiệm vụ", "Satisfactory";
        /// không hoàn thành nhiệm vụ
        NotDone = "not_done", "Không hoàn thành nhiệm vụ", "Unsatisfactory";
    }
}

/// The units that keep models: residential areas, communes, agencies, enterprises, schools.
pub const MODEL_KINDS: &[UnitKind] = &[
    UnitKind::Commune,
    UnitKind::ResidentialArea,
    UnitKind::Agency,
    UnitKind::Enterprise,
    UnitKind::School,
];

/// Whether a unit's model counts towards the year's target (seed 002, II.2: "xây dựng mới hoặc
/// duy trì hoạt động có hiệu quả"): it ran at some time in `year` (started by the year's end,
/// not retired before it began) and it is either new that year or rated effective for it.
pub fn model_counts(
    started_on: NaiveDate,
    retired_on: Option<NaiveDate>,
    rating: Option<ModelRating>,
    year: i32,
) -> bool {
    let ran = started_on.year() <= year && retired_on.is_none_or(|r| r.year() >= year);
    ran && (started_on.year() == year || rating == Some(ModelRating::Effective))
}

/// Whether a residential area's team counts in `year` (Law 30/2023/QH15 arts. 2.3, 16):
/// established by the year's end, with its leader (Tổ trưởng).
pub fn team_counts(founded_on: NaiveDate, positions: &[TeamPosition], year: i32) -> bool {
    founded_on.year() <= year && positions.contains(&TeamPosition::Leader)
}

fn line(e: &mut Errors, field: &str, v: &str) -> Option<String> {
    e.check(field, crate::text::parse_line(v, NAME_MAX))
}

fn not_future(e: &mut Errors, field: &str, d: NaiveDate, today: NaiveDate) {
    if d > today {
        e.push(ValidationError::DateInFuture.on(field));
    }
}

/// `POST /api/v1/units/{code}/models`, `PUT /api/v1/models/{id}`: a model as its unit keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ModelRequest {
    pub name: String,
    /// A [`ModelKind`] wire name.
    pub kind: String,
    pub started_on: NaiveDate,
    /// People taking part.
    pub members: i64,
    /// The day it stopped; a retired model is kept with its history.
    #[serde(default)]
    pub retired_on: Option<NaiveDate>,
}

/// A [`ModelRequest`] as checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewModel {
    pub name: String,
    pub kind: ModelKind,
    pub started_on: NaiveDate,
    pub members: i64,
    pub retired_on: Option<NaiveDate>,
}

impl ModelRequest {
    /// A one-line name, a known kind, a start not after `today`, at least one member, an end
    /// neither before the start nor after `today`.
    pub fn parse(&self, today: NaiveDate) -> Result<NewModel, Vec<FieldError>> {
        let mut e = Errors::new();
        let name = line(&mut e, "name", &self.name);
        let kind = e.check("kind", ModelKind::parse(self.kind.trim()));
        not_future(&mut e, "started_on", self.started_on, today);
        if !(1..=MODEL_MEMBERS_MAX).contains(&self.members) {
            e.push(
                ValidationError::OutOfRange {
                    min: 1,
                    max: MODEL_MEMBERS_MAX,
                }
                .on("members"),
            );
        }
        if let Some(r) = self.retired_on {
            not_future(&mut e, "retired_on", r, today);
            if r < self.started_on {
                e.push(ValidationError::EndBeforeStart.on("retired_on"));
            }
        }
        e.into_result()?;
        match (name, kind) {
            (Some(name), Some(kind)) => Ok(NewModel {
                name,
                kind,
                started_on: self.started_on,
                members: self.members,
                retired_on: self.retired_on,
            }),
            _ => Err(vec![ValidationError::Required.on("name")]),
        }
    }
}

/// `PUT /api/v1/models/{id}/ratings/{year}`, `PUT /api/v1/units/{code}/security-team/ratings/{year}`:
/// a yearly review (a [`ModelRating`] or a [`TeamRating`] wire name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RatingRequest {
    pub rating: String,
}

/// A model as kept, with its review of the year asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Model {
    pub id: String,
    pub unit_code: String,
    pub name: String,
    pub kind: ModelKind,
    pub started_on: NaiveDate,
    pub members: i64,
    pub retired_on: Option<NaiveDate>,
    /// The review of the board's year, if made.
    pub rating: Option<ModelRating>,
    /// Whether it counts towards the year's target ([`model_counts`]).
    pub counts: bool,
    #[serde(with = "crate::time::utc")]
    pub updated_at: NaiveDateTime,
}

/// One unit of a model board, with its models.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ModelLine {
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    pub models: Vec<Model>,
    /// At least one of its models counts this year.
    pub counts: bool,
}

/// How many units of a list count, of how many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Share {
    pub units: i64,
    pub counted: i64,
    pub percent: Option<f64>,
}

impl Share {
    pub fn new(units: i64, counted: i64) -> Self {
        Share {
            units,
            counted,
            percent: crate::api::percent(counted, units),
        }
    }
}

/// `GET /api/v1/units/{code}/models?year=…`: the units under a unit that keep models, each with
/// its models and whether it counts that year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ModelBoard {
    pub year: i32,
    pub lines: Vec<ModelLine>,
    pub share: Share,
}

/// One member as the team's request carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MemberRequest {
    pub name: String,
    /// A [`TeamPosition`] wire name.
    pub position: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// The day the member finished the training for the post (bồi dưỡng, huấn luyện).
    #[serde(default)]
    pub trained_on: Option<NaiveDate>,
}

/// `PUT /api/v1/units/{code}/security-team`: a residential area's team, as established and as it
/// stands (the whole list of members replaces the last).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TeamRequest {
    /// The day of the decision establishing the team.
    pub founded_on: NaiveDate,
    /// The number of that decision of the commune's chairman, e.g. `15/QĐ-UBND`.
    pub decision_number: String,
    pub members: Vec<MemberRequest>,
}

/// A member as kept and shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Member {
    pub name: String,
    pub position: TeamPosition,
    /// In national form, `0912345678`.
    pub phone: Option<String>,
    pub trained_on: Option<NaiveDate>,
}

/// A [`TeamRequest`] as checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTeam {
    pub founded_on: NaiveDate,
    pub decision_number: String,
    pub members: Vec<Member>,
}

impl TeamRequest {
    /// A decision number with its `/`, a founding day not after `today`, one to
    /// [`TEAM_MEMBERS_MAX`] members each with a name and a position, at most one leader, phones
    /// that are Vietnamese numbers, training days not after `today`.
    pub fn parse(&self, today: NaiveDate) -> Result<NewTeam, Vec<FieldError>> {
        let mut e = Errors::new();
        not_future(&mut e, "founded_on", self.founded_on, today);
        let decision = line(&mut e, "decision_number", &self.decision_number);
        if decision.as_ref().is_some_and(|d| !d.contains('/')) {
            e.push(ValidationError::DecisionNumberFormat.on("decision_number"));
        }
        if self.members.is_empty() {
            e.push(ValidationError::Required.on("members"));
        } else if self.members.len() > TEAM_MEMBERS_MAX {
            e.push(
                ValidationError::TooMany {
                    max: TEAM_MEMBERS_MAX,
                }
                .on("members"),
            );
        }
        let mut members = Vec::new();
        for (i, m) in self.members.iter().enumerate().take(TEAM_MEMBERS_MAX) {
            let f = |name: &str| format!("members.{i}.{name}");
            let name = e.check(&f("name"), PersonName::parse(&m.name));
            let position = e.check(&f("position"), TeamPosition::parse(m.position.trim()));
            let phone = match m.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                Some(p) => e
                    .check(&f("phone"), PhoneNumber::parse(p))
                    .map(|p| Some(p.national())),
                None => Some(None),
            };
            if let Some(t) = m.trained_on {
                not_future(&mut e, &f("trained_on"), t, today);
            }
            if position == Some(TeamPosition::Leader)
                && members
                    .iter()
                    .any(|x: &Member| x.position == TeamPosition::Leader)
            {
                e.push(ValidationError::Duplicate.on(f("position")));
            }
            if let (Some(name), Some(position), Some(phone)) = (name, position, phone) {
                members.push(Member {
                    name: name.to_string(),
                    position,
                    phone,
                    trained_on: m.trained_on,
                });
            }
        }
        e.into_result()?;
        let decision_number =
            decision.ok_or_else(|| vec![ValidationError::Required.on("decision_number")])?;
        Ok(NewTeam {
            founded_on: self.founded_on,
            decision_number,
            members,
        })
    }
}

/// A residential area's team, with its review of the board's year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Team {
    pub unit_code: String,
    pub founded_on: NaiveDate,
    pub decision_number: String,
    pub members: Vec<Member>,
    /// Members with a training day.
    pub trained: i64,
    pub rating: Option<TeamRating>,
    /// Whether it counts towards the year's coverage ([`team_counts`]).
    pub counts: bool,
    #[serde(with = "crate::time::utc")]
    pub updated_at: NaiveDateTime,
}

/// One residential area of a team board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TeamLine {
    pub unit_code: String,
    pub unit_name: String,
    pub team: Option<Team>,
}

/// `GET /api/v1/units/{code}/security-teams?year=…`: the residential areas under a unit and
/// their teams.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TeamBoard {
    pub year: i32,
    pub lines: Vec<TeamLine>,
    pub share: Share,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Seed 002, II.2: "xây dựng mới hoặc duy trì hoạt động có hiệu quả ít nhất 01 mô hình".
    #[test]
    fn a_model_counts_when_new_or_effective_in_the_year() {
        use ModelRating::*;
        for (started, retired, rating, year, counts, why) in [
            (
                d(2026, 3, 1),
                None,
                None,
                2026,
                true,
                "new this year (xây dựng mới)",
            ),
            (
                d(2024, 3, 1),
                None,
                Some(Effective),
                2026,
                true,
                "kept up, effective",
            ),
            (
                d(2024, 3, 1),
                None,
                Some(NotEffective),
                2026,
                false,
                "kept up, not effective",
            ),
            (
                d(2024, 3, 1),
                None,
                None,
                2026,
                false,
                "kept up, not reviewed",
            ),
            (d(2027, 1, 5), None, None, 2026, false, "not started yet"),
            (
                d(2024, 3, 1),
                Some(d(2025, 12, 31)),
                Some(Effective),
                2026,
                false,
                "retired before",
            ),
            (
                d(2024, 3, 1),
                Some(d(2026, 6, 30)),
                Some(Effective),
                2026,
                true,
                "ran part of it",
            ),
        ] {
            assert_eq!(
                model_counts(started, retired, rating, year),
                counts,
                "{why}"
            );
        }
    }

    /// Law 30/2023/QH15 art. 16: "Tổ bảo vệ an ninh, trật tự gồm Tổ trưởng, Tổ phó và Tổ viên".
    #[test]
    fn a_team_counts_when_established_with_its_leader() {
        use TeamPosition::*;
        assert!(team_counts(d(2024, 8, 1), &[Leader, Member], 2026));
        assert!(!team_counts(d(2024, 8, 1), &[Deputy, Member], 2026));
        assert!(!team_counts(d(2027, 1, 2), &[Leader], 2026));
    }

    fn member(name: &str, position: &str, phone: Option<&str>) -> MemberRequest {
        MemberRequest {
            name: name.into(),
            position: position.into(),
            phone: phone.map(str::to_string),
            trained_on: None,
        }
    }

    #[test]
    fn a_team_request_names_each_bad_field() {
        let today = d(2026, 12, 2);
        let req = TeamRequest {
            founded_on: d(2027, 1, 1),
            decision_number: "15 QĐ-UBND".into(),
            members: vec![
                member("Nguyễn Văn An", "leader", Some("0912345678")),
                member("Trần Thị Bình", "leader", Some("12")),
                member("", "captain", None),
            ],
        };
        let mut fields: Vec<String> = match req.parse(today) {
            Err(e) => e.into_iter().map(|f| f.field).collect(),
            Ok(t) => panic!("accepted {t:?}"),
        };
        fields.sort();
        assert_eq!(
            fields,
            [
                "decision_number",
                "founded_on",
                "members.1.phone",
                "members.1.position",
                "members.2.name",
                "members.2.position"
            ]
        );
        let ok = TeamRequest {
            founded_on: d(2024, 8, 1),
            decision_number: "15/QĐ-UBND".into(),
            members: vec![member("Nguyễn Văn An", "leader", Some("0912345678"))],
        }
        .parse(today)
        .unwrap();
        assert_eq!(ok.members[0].phone.as_deref(), Some("0912345678"));
    }

    #[test]
    fn a_model_request_names_each_bad_field() {
        let req = ModelRequest {
            name: " ".into(),
            kind: "camera".into(),
            started_on: d(2026, 5, 1),
            members: 0,
            retired_on: Some(d(2026, 4, 1)),
        };
        let mut fields: Vec<String> = match req.parse(d(2026, 12, 2)) {
            Err(e) => e.into_iter().map(|f| f.field).collect(),
            Ok(m) => panic!("accepted {m:?}"),
        };
        fields.sort();
        assert_eq!(fields, ["kind", "members", "name", "retired_on"]);
    }
}

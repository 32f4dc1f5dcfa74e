//! The rules of campaigns: which unit owns a campaign, who may manage it, creating one with a
//! fresh public code, what the public form shows of it, and its window moved under the same code.

use bvantq_shared::pledge::{
    CampaignCode, CampaignDto, CampaignUnit, FieldRules, NewCampaign, PublicCampaign, leaf_kinds,
    may_run,
};
use bvantq_shared::{PledgeKind, UnitCode, UnitKind, ValidationError};
use chrono::{NaiveDate, NaiveDateTime};
use rand::Rng;

use crate::auth::AuthUser;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::pledges::cache::CampaignContext;
use crate::pledges::store::campaigns::{self, CampaignRow, CampaignUnitRow};
use crate::units::scope;
use crate::units::store::{self as units, UnitRow};
use crate::units::tree::commune_of;

/// The unit that owns a campaign covering `unit`: the commune for households, the school for
/// classes, the agency or enterprise for departments.
pub fn owner_of(conn: &mut DbConn, unit: &UnitRow, kind: PledgeKind) -> Result<UnitRow, ApiError> {
    let owner_code = match (kind, unit.kind) {
        (PledgeKind::Household, _) => commune_of(unit).map(|c| c.to_string()),
        (PledgeKind::Student, UnitKind::Class) | (PledgeKind::Worker, UnitKind::Department) => {
            unit.parent_code.clone()
        }
        (PledgeKind::Worker, _) => Some(unit.code.clone()),
        _ => None,
    };
    let code =
        owner_code.ok_or_else(|| ApiError::field("units", ValidationError::UnitKindNotAllowed))?;
    units::find(conn, &code)?.ok_or_else(|| ApiError::field("units", ValidationError::UnknownUnit))
}

/// The caller may manage the campaign: it lies in their scope and fits their role.
pub fn require_manage(
    conn: &mut DbConn,
    user: &AuthUser,
    campaign: &CampaignRow,
) -> Result<UnitRow, ApiError> {
    let owner = units::find(conn, &campaign.owner_unit)?.ok_or(ApiError::NotFound)?;
    if !scope::in_scope(user, &owner) || !may_run(user.role, campaign.kind) {
        return Err(ApiError::Forbidden("out_of_scope"));
    }
    Ok(owner)
}

/// Who enters a pupil's paper form: those who manage the campaign, and the form teacher of the
/// class the pupil is in (a pupils' campaign only; nothing of another class).
pub fn require_paper(
    conn: &mut DbConn,
    user: &AuthUser,
    campaign: &CampaignRow,
    unit: &str,
) -> Result<(), ApiError> {
    if user.role == bvantq_shared::Role::FormTeacher {
        return if campaign.kind == bvantq_shared::PledgeKind::Student && user.scope.as_str() == unit
        {
            Ok(())
        } else {
            Err(ApiError::Forbidden("out_of_scope"))
        };
    }
    require_manage(conn, user, campaign).map(|_| ())
}

pub fn new_campaign_code() -> CampaignCode {
    let mut b = [0u8; bvantq_shared::pledge::CAMPAIGN_CODE_LEN];
    rand::rng().fill(&mut b);
    CampaignCode::from_random(&b)
}

fn unit_names(conn: &mut DbConn, codes: &[&str]) -> Result<Vec<CampaignUnit>, ApiError> {
    let mut found = units::find_many(conn, codes)?;
    found.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(found
        .into_iter()
        .map(|u| CampaignUnit {
            code: u.code,
            name: u.full_name,
        })
        .collect())
}

/// A campaign as its managers see it.
pub fn dto(conn: &mut DbConn, c: &CampaignRow) -> Result<CampaignDto, ApiError> {
    let rows = campaigns::units_of(conn, &c.id)?;
    let codes: Vec<&str> = rows.iter().map(|r| r.unit_code.as_str()).collect();
    Ok(CampaignDto {
        id: c.id.clone(),
        code: c.code.clone(),
        kind: c.kind,
        year: c.year,
        title: c.title.clone(),
        owner_unit: c.owner_unit.clone(),
        template_id: c.template_id.clone(),
        opens_on: c.opens_on,
        closes_on: c.closes_on,
        units: unit_names(conn, &codes)?,
        form_path: format!("/k/{}", c.code),
    })
}

/// The unit that owns a new campaign on `units`: each current, in the caller's scope, of a kind
/// the audience is signed in, and all owned by the same unit.
fn owner_of_units(
    conn: &mut DbConn,
    user: &AuthUser,
    new: &NewCampaign,
    today: NaiveDate,
) -> Result<UnitRow, ApiError> {
    let mut owner: Option<UnitRow> = None;
    for (i, code) in new.units.iter().enumerate() {
        let field = format!("units.{i}");
        let unit = units::find(conn, code.as_str())?
            .filter(|u| u.is_current(today))
            .ok_or_else(|| ApiError::field(&field, ValidationError::UnknownUnit))?;
        scope::require(user, &unit)?;
        if !leaf_kinds(new.kind).contains(&unit.kind) {
            return Err(ApiError::field(&field, ValidationError::UnitKindNotAllowed));
        }
        let o = owner_of(conn, &unit, new.kind)?;
        match &owner {
            Some(prev) if prev.code != o.code => {
                return Err(ApiError::field(&field, ValidationError::UnitKindNotAllowed));
            }
            _ => owner = Some(o),
        }
    }
    owner.ok_or_else(|| ApiError::field("units", ValidationError::Required))
}

/// Creates a campaign: the caller runs its audience, its units are theirs and share an owner,
/// its template is usable there; it gets a fresh public code.
pub fn create(
    conn: &mut DbConn,
    user: &AuthUser,
    new: &NewCampaign,
    now: NaiveDateTime,
) -> Result<CampaignDto, ApiError> {
    if !may_run(user.role, new.kind) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let template = campaigns::template(conn, &new.template_id)?;
    let owner = owner_of_units(conn, user, new, now.date())?;
    let template = crate::pledges::service::templates::require_usable(template, &owner, new.kind)?;
    let id = db::new_id();
    let unit_rows: Vec<CampaignUnitRow> = new
        .units
        .iter()
        .map(|u| CampaignUnitRow {
            campaign_id: id.clone(),
            unit_code: u.to_string(),
            declared_expected: None,
        })
        .collect();
    // A fresh code; on the rare collision, try again.
    for _ in 0..5 {
        let row = CampaignRow {
            id: id.clone(),
            code: new_campaign_code().to_string(),
            kind: new.kind,
            year: new.year,
            title: new.title.clone(),
            owner_unit: owner.code.clone(),
            template_id: template.id.clone(),
            opens_on: new.opens_on,
            closes_on: new.closes_on,
            created_by: user.id.clone(),
            created_at: now,
        };
        use diesel::Connection;
        match conn.transaction(|c| campaigns::insert_campaign(c, &row, &unit_rows)) {
            Ok(()) => {
                tracing::info!(campaign = %row.code, by = %user.id, "campaign created");
                return dto(conn, &row);
            }
            Err(e) if db::is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Unavailable("no free campaign code".into()))
}

/// The campaigns owned under `unit` (in the caller's scope) that the caller's role runs.
pub fn list(
    conn: &mut DbConn,
    user: &AuthUser,
    unit: &UnitCode,
    year: Option<i32>,
) -> Result<Vec<CampaignDto>, ApiError> {
    let unit = scope::require_code(conn, user, unit)?;
    campaigns::list_under(conn, &unit.path, year)?
        .iter()
        .filter(|c| may_run(user.role, c.kind))
        .map(|c| dto(conn, c))
        .collect()
}

/// What the public form shows of a campaign: its template, units and fields.
pub fn public_view(
    conn: &mut DbConn,
    ctx: &CampaignContext,
    today: NaiveDate,
) -> Result<PublicCampaign, ApiError> {
    let (c, t) = (&ctx.campaign, &ctx.template);
    let owner = units::find(conn, &c.owner_unit)?.ok_or(ApiError::NotFound)?;
    // The campaign's units as the campaign in memory has them: on the read replica only the
    // units' names are read, never the campaign's own rows (a campaign created a moment ago may
    // not be there yet).
    let codes: Vec<&str> = ctx.units.iter().map(|(u, _)| u.as_str()).collect();
    Ok(PublicCampaign {
        code: c.code.clone(),
        kind: c.kind,
        year: c.year,
        title: c.title.clone(),
        owner_name: owner.full_name,
        template_version: t.version,
        template_title_vi: t.title_vi.clone(),
        template_title_en: t.title_en.clone(),
        commitments: t.commitments().map_err(ApiError::internal)?,
        units: unit_names(conn, &codes)?,
        fields: FieldRules::for_kind(c.kind),
        opens_on: c.opens_on,
        closes_on: c.closes_on,
        open: c.is_open(today),
    })
}

/// Moves a campaign's signing window (its managers only). The caller forgets the cached
/// campaign afterwards, committed or not.
pub fn move_window(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &CampaignCode,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
) -> Result<CampaignDto, ApiError> {
    let c = campaigns::by_code(conn, code.as_str())?.ok_or(ApiError::NotFound)?;
    require_manage(conn, user, &c)?;
    campaigns::set_window(conn, &c.id, opens_on, closes_on)?;
    tracing::info!(campaign = %c.code, %opens_on, %closes_on, by = %user.id, "campaign window moved");
    dto(
        conn,
        &CampaignRow {
            opens_on,
            closes_on,
            ..c
        },
    )
}

/// A campaign of this code exists (a QR code is drawn for real campaigns only).
pub fn require_exists(conn: &mut DbConn, code: &str) -> Result<(), ApiError> {
    campaigns::by_code(conn, code)?
        .map(|_| ())
        .ok_or(ApiError::NotFound)
}

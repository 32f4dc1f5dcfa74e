//! Pledge templates and campaigns.

use bvantq_shared::PledgeKind;
use bvantq_shared::pledge::{Commitment, TemplateDto};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::{campaign_units, campaigns, pledge_templates};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pledge_templates)]
pub struct TemplateRow {
    pub id: String,
    pub kind: PledgeKind,
    pub version: i32,
    pub title_vi: String,
    pub title_en: Option<String>,
    pub commitments: String,
    pub published_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    /// The owning province; `None`: national.
    pub owner_unit: Option<String>,
    pub retired_at: Option<NaiveDateTime>,
}

impl TemplateRow {
    /// The commitments as stored (JSON); a row that does not parse is an error, never an empty
    /// list.
    pub fn commitments(&self) -> Result<Vec<Commitment>, serde_json::Error> {
        serde_json::from_str(&self.commitments)
    }

    pub fn to_dto(&self) -> Result<TemplateDto, serde_json::Error> {
        Ok(TemplateDto {
            id: self.id.clone(),
            kind: self.kind,
            version: self.version,
            title_vi: self.title_vi.clone(),
            title_en: self.title_en.clone(),
            commitments: self.commitments()?,
            published: self.published_at.is_some(),
            owner_unit: self.owner_unit.clone(),
            retired: self.retired_at.is_some(),
            created_at: self.created_at,
        })
    }
}

pub fn insert_template(conn: &mut DbConn, row: &TemplateRow) -> QueryResult<usize> {
    diesel::insert_into(pledge_templates::table)
        .values(row)
        .execute(conn)
}

pub fn template(conn: &mut DbConn, id: &str) -> QueryResult<Option<TemplateRow>> {
    pledge_templates::table
        .find(id)
        .select(TemplateRow::as_select())
        .first(conn)
        .optional()
}

/// Templates of `kind` (all kinds if `None`) owned by one of `owners` (`None` in it: national),
/// newest version first; only published ones that are not retired when `usable_only`.
pub fn templates(
    conn: &mut DbConn,
    kind: Option<PledgeKind>,
    owners: &[Option<&str>],
    usable_only: bool,
) -> QueryResult<Vec<TemplateRow>> {
    let mut q = pledge_templates::table
        .select(TemplateRow::as_select())
        .into_boxed();
    if let Some(k) = kind {
        q = q.filter(pledge_templates::kind.eq(k));
    }
    let provinces: Vec<&str> = owners.iter().flatten().copied().collect();
    q = match owners.contains(&None) {
        true => q.filter(
            pledge_templates::owner_unit
                .is_null()
                .or(pledge_templates::owner_unit.eq_any(provinces)),
        ),
        false => q.filter(pledge_templates::owner_unit.eq_any(provinces)),
    };
    if usable_only {
        q = q
            .filter(pledge_templates::published_at.is_not_null())
            .filter(pledge_templates::retired_at.is_null());
    }
    q.order((
        pledge_templates::kind.asc(),
        pledge_templates::version.desc(),
    ))
    .load(conn)
}

pub fn next_template_version(conn: &mut DbConn, kind: PledgeKind) -> QueryResult<i32> {
    let max: Option<i32> = pledge_templates::table
        .filter(pledge_templates::kind.eq(kind))
        .select(diesel::dsl::max(pledge_templates::version))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

/// Edits a draft; returns false when the template is published (immutable) or gone.
pub fn update_draft(
    conn: &mut DbConn,
    id: &str,
    title_vi: &str,
    title_en: Option<&str>,
    commitments: &str,
) -> QueryResult<bool> {
    let n = diesel::update(
        pledge_templates::table
            .filter(pledge_templates::id.eq(id))
            .filter(pledge_templates::published_at.is_null()),
    )
    .set((
        pledge_templates::title_vi.eq(title_vi),
        pledge_templates::title_en.eq(title_en),
        pledge_templates::commitments.eq(commitments),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Retires a published template; false when it is a draft, already retired or gone.
pub fn retire(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        pledge_templates::table
            .filter(pledge_templates::id.eq(id))
            .filter(pledge_templates::published_at.is_not_null())
            .filter(pledge_templates::retired_at.is_null()),
    )
    .set(pledge_templates::retired_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn publish(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        pledge_templates::table
            .filter(pledge_templates::id.eq(id))
            .filter(pledge_templates::published_at.is_null()),
    )
    .set(pledge_templates::published_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = campaigns)]
pub struct CampaignRow {
    pub id: String,
    pub code: String,
    pub kind: PledgeKind,
    pub year: i32,
    pub title: String,
    pub owner_unit: String,
    pub template_id: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl CampaignRow {
    pub fn is_open(&self, today: NaiveDate) -> bool {
        self.opens_on <= today && today <= self.closes_on
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = campaign_units)]
pub struct CampaignUnitRow {
    pub campaign_id: String,
    pub unit_code: String,
    pub declared_expected: Option<i32>,
}

pub fn insert_campaign(
    conn: &mut DbConn,
    row: &CampaignRow,
    units: &[CampaignUnitRow],
) -> QueryResult<()> {
    year_partition(conn, row.year)?;
    diesel::insert_into(campaigns::table)
        .values(row)
        .execute(conn)?;
    // (Multi-row VALUES is not available through the multi-backend connection.)
    for u in units {
        diesel::insert_into(campaign_units::table)
            .values(u)
            .execute(conn)?;
    }
    Ok(())
}

/// On PostgreSQL, the partition of pledges for `year` (`pledges_{year}`), made with the year's
/// first campaign so its pledges never land in the default partition. Under an advisory lock for
/// the transaction: two first campaigns of a year at once make it once.
fn year_partition(conn: &mut DbConn, year: i32) -> QueryResult<()> {
    if let DbConn::Pg(c) = conn {
        use diesel::connection::SimpleConnection;
        // `year` is a validated campaign year (an integer): only digits reach the statement.
        c.batch_execute(&format!(
            "SELECT pg_advisory_xact_lock(hashtext('pledges_partition')); \
             CREATE TABLE IF NOT EXISTS pledges_{year} PARTITION OF pledges FOR VALUES IN ({year})"
        ))?;
    }
    Ok(())
}

pub fn by_code(conn: &mut DbConn, code: &str) -> QueryResult<Option<CampaignRow>> {
    campaigns::table
        .filter(campaigns::code.eq(code))
        .select(CampaignRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<CampaignRow>> {
    campaigns::table
        .find(id)
        .select(CampaignRow::as_select())
        .first(conn)
        .optional()
}

pub fn units_of(conn: &mut DbConn, campaign_id: &str) -> QueryResult<Vec<CampaignUnitRow>> {
    campaign_units::table
        .filter(campaign_units::campaign_id.eq(campaign_id))
        .select(CampaignUnitRow::as_select())
        .order(campaign_units::unit_code.asc())
        .load(conn)
}

/// Moves the signing window of campaign `id`.
pub fn set_window(
    conn: &mut DbConn,
    id: &str,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
) -> QueryResult<usize> {
    diesel::update(campaigns::table.find(id))
        .set((
            campaigns::opens_on.eq(opens_on),
            campaigns::closes_on.eq(closes_on),
        ))
        .execute(conn)
}

pub fn set_declared(
    conn: &mut DbConn,
    campaign_id: &str,
    unit: &str,
    expected: i32,
) -> QueryResult<usize> {
    diesel::update(campaign_units::table.find((campaign_id, unit)))
        .set(campaign_units::declared_expected.eq(Some(expected)))
        .execute(conn)
}

/// Campaigns owned by units under `path_prefix`.
pub fn list_under(
    conn: &mut DbConn,
    path_prefix: &str,
    year: Option<i32>,
) -> QueryResult<Vec<CampaignRow>> {
    use crate::infra::db::schema::units;
    let mut q = campaigns::table
        .inner_join(units::table.on(units::code.eq(campaigns::owner_unit)))
        .filter(
            units::path
                .like(crate::units::store::like_prefix(path_prefix))
                .escape('\\'),
        )
        .select(CampaignRow::as_select())
        .into_boxed();
    if let Some(y) = year {
        q = q.filter(campaigns::year.eq(y));
    }
    q.order(campaigns::created_at.desc()).load(conn)
}

/// The campaigns of `kind` and `year` that include `unit`, oldest first.
pub fn covering(
    conn: &mut DbConn,
    unit: &str,
    kind: PledgeKind,
    year: i32,
) -> QueryResult<Vec<CampaignRow>> {
    campaigns::table
        .inner_join(campaign_units::table)
        .filter(campaign_units::unit_code.eq(unit))
        .filter(campaigns::kind.eq(kind))
        .filter(campaigns::year.eq(year))
        .order((campaigns::created_at.asc(), campaigns::id.asc()))
        .select(CampaignRow::as_select())
        .load(conn)
}

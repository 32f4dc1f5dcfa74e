//! Campaigns in memory: what signing needs of a campaign (its template, units and their lineages,
//! which units have a roster), read once and kept by code.

pub use bvantq_shared::api::percent;
use std::collections::HashSet;

use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::pledges::store::campaigns::{CampaignRow, TemplateRow};
use crate::pledges::store::pledges;
use crate::units::store::{self as units};

pub use bvantq_shared::pledge::{
    Coverage, CoverageLine, RosterRejection, RosterReport, leaf_kinds, may_run,
};

/// A campaign with what signing needs of it, cached in memory by code. Templates never change once
/// published and a campaign's units never change; its window can be moved
/// (`PUT /campaigns/{code}/window`), which drops the entry of the process that moved it. Other
/// processes serving the same PostgreSQL database are told at the commit ([`announce`], heard by
/// `pledges::listen`) and drop theirs within a fraction of a second; [`CAMPAIGN_CACHE_TTL`] is
/// the backstop if a notice is lost.
#[derive(Debug, Clone)]
pub struct CampaignContext {
    pub campaign: CampaignRow,
    pub template: TemplateRow,
    pub commitments: Vec<bvantq_shared::pledge::Commitment>,
    /// The campaign's units, each with its lineage (root first) for the coverage counters.
    pub units: Vec<(String, Vec<String>)>,
    /// Units of the campaign with a roster (a roster import forgets the cached campaign).
    pub units_with_roster: HashSet<String>,
}

/// How long a process trusts its cached campaign before reading it again.
pub const CAMPAIGN_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(60);

type CachedCampaign = (std::time::Instant, std::sync::Arc<CampaignContext>);

/// Cache of [`CampaignContext`] by campaign code.
#[derive(Debug)]
pub struct CampaignCache {
    entries: std::sync::RwLock<std::collections::HashMap<String, CachedCampaign>>,
    ttl: std::time::Duration,
    /// Bumped by every [`Self::forget`]: a campaign read from the database before a forget is not
    /// put in memory after it, so a change committed meanwhile is never hidden by an older read.
    generation: std::sync::atomic::AtomicU64,
}

impl Default for CampaignCache {
    fn default() -> Self {
        Self::with_ttl(CAMPAIGN_CACHE_TTL)
    }
}

const CAMPAIGN_CACHE_MAX: usize = 10_000;

impl CampaignCache {
    /// A cache whose entries are read again from the database once older than `ttl`.
    pub fn with_ttl(ttl: std::time::Duration) -> Self {
        Self {
            entries: Default::default(),
            ttl,
            generation: Default::default(),
        }
    }

    /// The campaign `code` if it is in memory and fresh.
    pub fn cached(&self, code: &str) -> Option<std::sync::Arc<CampaignContext>> {
        let m = self.entries.read().ok()?;
        let (at, ctx) = m.get(code)?;
        (at.elapsed() < self.ttl).then(|| ctx.clone())
    }

    /// Drops every campaign from memory (after notices may have been missed).
    pub fn forget_all(&self) {
        if let Ok(mut m) = self.entries.write() {
            self.generation
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            m.clear();
        }
    }

    /// Drops the campaign `code` from memory: the next use reads it from the database.
    pub fn forget(&self, code: &str) {
        if let Ok(mut m) = self.entries.write() {
            self.generation
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            m.remove(code);
        }
    }

    /// The campaign `code`, from memory or the database; `NotFound` if there is none.
    pub fn get(
        &self,
        conn: &mut DbConn,
        code: &str,
    ) -> Result<std::sync::Arc<CampaignContext>, ApiError> {
        if let Some(c) = self.cached(code) {
            return Ok(c);
        }
        let generation = self.generation.load(std::sync::atomic::Ordering::SeqCst);
        let campaign =
            crate::pledges::store::campaigns::by_code(conn, code)?.ok_or(ApiError::NotFound)?;
        let template = crate::pledges::store::campaigns::template(conn, &campaign.template_id)?
            .ok_or(ApiError::NotFound)?;
        let codes: Vec<String> = crate::pledges::store::campaigns::units_of(conn, &campaign.id)?
            .into_iter()
            .map(|u| u.unit_code)
            .collect();
        let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
        let units = units::find_many(conn, &refs)?
            .into_iter()
            .map(|u| (u.code.clone(), u.lineage_codes()))
            .collect();
        let units_with_roster = pledges::roster_counts(conn, &campaign.id)?
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(u, _)| u)
            .collect();
        let ctx = std::sync::Arc::new(CampaignContext {
            commitments: template.commitments().map_err(ApiError::internal)?,
            campaign,
            template,
            units,
            units_with_roster,
        });
        if let Ok(mut m) = self.entries.write()
            && self.generation.load(std::sync::atomic::Ordering::SeqCst) == generation
        {
            if m.len() >= CAMPAIGN_CACHE_MAX {
                m.clear();
            }
            m.insert(code.to_string(), (std::time::Instant::now(), ctx.clone()));
        }
        Ok(ctx)
    }
}

/// The channel on which a change to a campaign is announced to every instance (PostgreSQL).
pub const CHANNEL: &str = "bvantq_campaigns";

/// Tells every instance serving this PostgreSQL database that campaign `code` changed: a
/// `NOTIFY`, sent when the caller's transaction commits (and not at all if it rolls back).
/// Nothing on SQLite, which has one server.
pub fn announce(conn: &mut DbConn, code: &str) -> Result<(), ApiError> {
    use diesel::RunQueryDsl;
    if let DbConn::Pg(c) = conn {
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<diesel::sql_types::Text, _>(CHANNEL)
            .bind::<diesel::sql_types::Text, _>(code)
            .execute(c)?;
    }
    Ok(())
}

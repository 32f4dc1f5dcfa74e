//! The country at a glance (`GET /dashboard/national`, `GET /coverage/national`), for the
//! administrators, the only accounts whose scope is every province.
//!
//! The national dashboard is each current province's own dashboard row
//! ([`service::dashboard_of`]) and their sum (`shared::plan::national::total`). It reads every
//! unit of the country (100,000 residential areas and more), which takes about a second at full
//! size (BENCHMARKS.md, "The country at full size"), so it is kept as a snapshot per period:
//! - an answer is never older than `BVANTQ_NATIONAL_MAX_AGE_S` (default 60 s; 0: every answer
//!   is built afresh) — past it, the request builds a new one and waits for it;
//! - from half that age, a request still gets the snapshot it finds and starts a new build in the
//!   background, so steady readers never wait;
//! - one build at a time per instance: those who find no fresh snapshot wait for the build under
//!   way rather than start their own.
//!
//! Coverage needs no snapshot: the provinces' counters are 34 rows.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use actix_web::web::Data;
use bvantq_shared::PledgeKind;
use bvantq_shared::plan::national::{self, NationalCoverage, NationalDashboard};
use chrono::NaiveDateTime;
use tokio::sync::Mutex as BuildLock;

use crate::infra::core::Core;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::plans::service;
use crate::units::store as units;

/// The snapshots of this instance, by period, and the lock one build at a time holds.
#[derive(Default)]
pub struct NationalState {
    snapshots: Mutex<HashMap<i32, Arc<NationalDashboard>>>,
    build: Arc<BuildLock<()>>,
}

/// Reads the national dashboard of `period` afresh: each current province's row, then the sum.
pub fn build(
    conn: &mut DbConn,
    period: i32,
    now: NaiveDateTime,
    max_age_seconds: u64,
) -> Result<NationalDashboard, ApiError> {
    crate::infra::request::check_year("period", period)?;
    let today = bvantq_shared::tip::vn_date(now);
    let mut provinces = Vec::new();
    for p in units::provinces(conn, today)? {
        provinces.push(service::dashboard_of(conn, &p, period, now)?.unit);
    }
    Ok(NationalDashboard {
        period,
        computed_at: now,
        max_age_seconds,
        total: national::total(&provinces),
        provinces,
    })
}

/// The country's pledge coverage of `year` and `kind`: each current province's counters and
/// their sum.
pub fn coverage(
    conn: &mut DbConn,
    year: i32,
    kind: PledgeKind,
    today: chrono::NaiveDate,
) -> Result<NationalCoverage, ApiError> {
    crate::infra::request::check_year("year", year)?;
    let provinces = units::provinces(conn, today)?;
    let lines = crate::pledges::service::coverage::lines(conn, &provinces, year, kind)?;
    Ok(NationalCoverage::of(year, kind, lines))
}

impl NationalState {
    fn fresh(
        &self,
        period: i32,
        now: NaiveDateTime,
        max_age: i64,
    ) -> Option<Arc<NationalDashboard>> {
        // A panic elsewhere while the map was held cannot have left it half-written (one insert).
        let snapshots = self
            .snapshots
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let s = snapshots.get(&period)?;
        ((now - s.computed_at).num_seconds() < max_age).then(|| s.clone())
    }

    fn keep(&self, d: NationalDashboard) -> Arc<NationalDashboard> {
        let d = Arc::new(d);
        self.snapshots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(d.period, d.clone());
        d
    }
}

/// Builds on the read replica when it is fresh (a national snapshot is minutes old anyway).
async fn build_on(core: &Data<Core>, period: i32) -> Result<NationalDashboard, ApiError> {
    let (now, max_age) = (core.now(), core.config.national_max_age_secs);
    let started = std::time::Instant::now();
    let d = core
        .db_read(move |conn| build(conn, period, now, max_age))
        .await?;
    tracing::info!(
        period,
        provinces = d.provinces.len(),
        ms = started.elapsed().as_millis(),
        "national dashboard built"
    );
    Ok(d)
}

/// The national dashboard of `period`, at most `BVANTQ_NATIONAL_MAX_AGE_S` old (module doc).
pub async fn dashboard(
    core: &Data<Core>,
    state: &Data<NationalState>,
    period: i32,
) -> Result<Arc<NationalDashboard>, ApiError> {
    let max_age = i64::try_from(core.config.national_max_age_secs)
        .map_err(|_| ApiError::internal("BVANTQ_NATIONAL_MAX_AGE_S is too large"))?;
    if let Some(s) = state.fresh(period, core.now(), max_age) {
        // Half its age gone: the next one is built now, in the background, if no build runs.
        let half_gone = (core.now() - s.computed_at).num_seconds() * 2 >= max_age;
        if half_gone && let Ok(guard) = state.build.clone().try_lock_owned() {
            let (core, state) = (core.clone(), state.clone());
            actix_web::rt::spawn(async move {
                match build_on(&core, period).await {
                    Ok(d) => {
                        state.keep(d);
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, period, "national dashboard not rebuilt; the snapshot stays")
                    }
                }
                drop(guard);
            });
        }
        return Ok(s);
    }
    let _guard = state.build.lock().await;
    // Built by the one this request waited for?
    if let Some(s) = state.fresh(period, core.now(), max_age) {
        return Ok(s);
    }
    Ok(state.keep(build_on(core, period).await?))
}

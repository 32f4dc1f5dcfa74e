//! Hears, on PostgreSQL, the campaign changes other instances announce
//! ([`crate::pledges::cache::announce`]) and drops those campaigns from this instance's memory,
//! so a campaign window moved through one instance of a fleet is seen by every instance within
//! [`POLL`] (issue 21), not after the cache's minute.
//!
//! One thread per instance with its own connection, `LISTEN`ing; libpq gathers the notices as
//! they arrive and the thread reads them every [`POLL`] (reading is a non-blocking look at the
//! socket). A lost connection is opened again after [`RETRY`]; since notices sent meanwhile are
//! gone, every campaign is dropped from memory then.

use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::infra::background::{Background, Stop};
use crate::pledges::cache::{CHANNEL, CampaignCache};

/// How often the thread reads the notices that have arrived.
pub const POLL: Duration = Duration::from_millis(100);

/// How long the thread waits before opening a lost connection again.
pub const RETRY: Duration = Duration::from_secs(1);

/// The listening thread; stops when dropped.
pub struct Listener {
    _thread: Background,
}

impl Listener {
    pub fn start(url: String, cache: Arc<CampaignCache>) -> Listener {
        Listener {
            _thread: Background::start("campaign-notices", move |stop| listen(&url, &cache, &stop)),
        }
    }
}

fn listen(url: &str, cache: &CampaignCache, stop: &Stop) {
    loop {
        let conn = PgConnection::establish(url)
            .map_err(|e| e.to_string())
            .and_then(|mut c| {
                c.batch_execute(&format!("LISTEN {CHANNEL}"))
                    .map_err(|e| e.to_string())?;
                Ok(c)
            });
        match conn {
            Ok(mut c) => {
                // Whatever was announced while no connection listened is unknown.
                cache.forget_all();
                loop {
                    let mut lost = None;
                    for n in c.notifications_iter() {
                        match n {
                            Ok(n) => cache.forget(&n.payload),
                            Err(e) => {
                                lost = Some(e);
                                break;
                            }
                        }
                    }
                    if let Some(e) = lost {
                        tracing::warn!(error = %e, "campaign notices: connection lost");
                        break;
                    }
                    if !stop.wait(POLL) {
                        return;
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "campaign notices: cannot listen"),
        }
        if !stop.wait(RETRY) {
            return;
        }
    }
}

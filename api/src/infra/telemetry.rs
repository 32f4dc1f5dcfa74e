//! Structured logs (JSON lines by default). What is logged is chosen field by field: ids, route
//! patterns, statuses and timings; never names, CCCD numbers, phone numbers or tip text.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// The log filter: `BVANTQ_LOG` (e.g. `info,bvantq_api=debug`) or `info` when unset. A filter
/// that does not parse is an error at start, not a silent `info`.
pub fn filter() -> Result<EnvFilter, String> {
    match std::env::var("BVANTQ_LOG") {
        Err(std::env::VarError::NotPresent) => Ok(EnvFilter::new("info")),
        Err(e) => Err(format!("BVANTQ_LOG: {e}")),
        Ok(v) => EnvFilter::try_new(&v).map_err(|e| format!("BVANTQ_LOG={v:?}: {e}")),
    }
}

/// Installs the global subscriber writing to `writer` (stderr in production, a buffer in tests).
pub fn init<W>(json: bool, filter: EnvFilter, writer: W)
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_target(false);
    let _ = if json {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.try_init()
    };
}

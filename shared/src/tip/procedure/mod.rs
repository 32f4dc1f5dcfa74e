//! The procedure a crime tip follows (trình tự tiếp nhận, giải quyết tố giác, tin báo về tội
//! phạm): the steps, who may take each, where each leads, the clock of every stage and the
//! warnings at its legally meaningful points. Every rule is data with its text beside it, and
//! every number a default a province may correct ([`ProcedureSettings`]), since texts change.
//!
//! The stages:
//!
//! ```text
//! received ─check─▶ verifying ─┬─transfer─▶ transferred ─receive─▶ handling (investigating body)
//!     │                        ├─accept──────────────────────────▶ handling (commune head)
//!     └──── (the same steps) ──┼─not_crime─▶ not_crime
//!                              └─merge─────▶ merged
//! handling ─extend_complex / extend_procuracy─▶ handling
//! handling ─prosecute / not_prosecute─▶ decided;  handling ─suspend─▶ suspended ─resume─▶ handling
//! ```

mod clocks;
mod request;
mod rules;
mod steps;

pub use clocks::*;
pub use request::*;
pub use rules::*;
pub use steps::*;

#[cfg(test)]
mod tests;

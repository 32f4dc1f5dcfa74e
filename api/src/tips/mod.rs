//! Tips (tố giác, tin báo về tội phạm): the reporter's intake and follow-up, the officers' queue,
//! content, workflow and statistics — the shape every feature copies (ARCHITECTURE.md).

pub mod routes;
pub mod service;
pub mod state;
pub mod store;

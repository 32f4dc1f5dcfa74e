//! A phone's slow link, emulated packet by packet between a browser and a server (`formbench`'s
//! "Slow 3G link" profile, issue 22).
//!
//! DevTools throttling adds its whole latency (for "Slow 3G", 400 ms RTT × 5 = 2 s) to every
//! request, whether or not a connection is already open. A real link of that round trip spends
//! it per exchange of packets instead: one round trip for the name lookup, one for TCP's
//! handshake, one for TLS 1.3's, one for the request, and the link's bandwidth for every byte.
//! This relay charges exactly that, as `tc netem` would at packet level (this machine's kernel
//! has no netem):
//!
//! - each direction is one radio shared by every connection: a packet of at most 1,460 bytes
//!   (+ 40 bytes of IP and TCP headers) waits for the link to be free, takes its size ÷ bandwidth
//!   on it, and arrives half a round trip later;
//! - a new connection's first byte from the browser leaves one round trip after the connection
//!   was opened (TCP's SYN, SYN-ACK), two for the first connection after [`Link::reset`] (the
//!   name lookup before it);
//! - everything in between (TLS, HTTP/2) is the real protocol's own packets, each delayed.
//!
//! Not modelled: TCP slow start and loss (both only make a real link slower for large bodies;
//! the page itself fits in TCP's first window of 10 packets).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;
use tokio::time::{Instant, sleep_until};

use crate::OrFail;

/// The most one packet carries (Ethernet's MTU less IP and TCP headers).
const PACKET: usize = 1460;
/// IP and TCP headers of each packet, on the link too.
const HEADERS: usize = 40;

/// A link's round trip and bandwidth in each direction.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub rtt: Duration,
    pub down_bytes_per_s: f64,
    pub up_bytes_per_s: f64,
}

struct State {
    target: SocketAddr,
    shape: Shape,
    /// When each direction of the radio is next free.
    up_free: Mutex<Instant>,
    down_free: Mutex<Instant>,
    /// Whether the name was looked up since the last reset.
    resolved: AtomicBool,
    connections: Mutex<Vec<AbortHandle>>,
}

/// A listening relay: connect to [`Link::addr`] to reach `target` through the emulated link.
pub struct Link {
    pub addr: SocketAddr,
    state: Arc<State>,
    accept: AbortHandle,
}

impl Link {
    pub async fn start(target: SocketAddr, shape: Shape) -> Link {
        let listener = TcpListener::bind("127.0.0.1:0").await.or_fail();
        let addr = listener.local_addr().or_fail();
        let now = Instant::now();
        let state = Arc::new(State {
            target,
            shape,
            up_free: Mutex::new(now),
            down_free: Mutex::new(now),
            resolved: AtomicBool::new(false),
            connections: Mutex::new(Vec::new()),
        });
        let s = state.clone();
        let accept = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let opened = Instant::now();
                let Ok(server) = TcpStream::connect(s.target).await else {
                    continue;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                // TCP's handshake, and before the first connection the name lookup.
                let lookups = u32::from(!s.resolved.swap(true, Ordering::SeqCst));
                let first_byte = opened + s.shape.rtt * (1 + lookups);
                let task = tokio::spawn(relay(s.clone(), client, server, first_byte));
                s.connections.lock().or_fail().push(task.abort_handle());
            }
        })
        .abort_handle();
        Link {
            addr,
            state,
            accept,
        }
    }

    /// As a phone that has not been here before: every connection closed, the name to look up
    /// again, the link idle.
    pub fn reset(&self) {
        for c in self.state.connections.lock().or_fail().drain(..) {
            c.abort();
        }
        self.state.resolved.store(false, Ordering::SeqCst);
        let now = Instant::now();
        *self.state.up_free.lock().or_fail() = now;
        *self.state.down_free.lock().or_fail() = now;
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.accept.abort();
        self.reset();
    }
}

/// Both directions of one connection until either side closes.
async fn relay(state: Arc<State>, client: TcpStream, server: TcpStream, first_byte: Instant) {
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    let up = state.shape.up_bytes_per_s;
    let down = state.shape.down_bytes_per_s;
    tokio::join!(
        pipe(
            &state,
            client_read,
            server_write,
            &state.up_free,
            up,
            first_byte
        ),
        pipe(
            &state,
            server_read,
            client_write,
            &state.down_free,
            down,
            Instant::now()
        ),
    );
}

/// Carries what `from` sends to `to`, each packet after its turn on the radio (`free`), its time
/// on it and half a round trip; none leaves before `not_before`.
async fn pipe(
    state: &State,
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    free: &Mutex<Instant>,
    bytes_per_s: f64,
    not_before: Instant,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let one_way = state.shape.rtt / 2;
    let read = async move {
        let mut buf = vec![0u8; PACKET];
        while let Ok(n @ 1..) = from.read(&mut buf).await {
            let arrives = {
                let mut free = free.lock().or_fail();
                let leaves = (*free).max(Instant::now()).max(not_before);
                *free = leaves + Duration::from_secs_f64((n + HEADERS) as f64 / bytes_per_s);
                *free + one_way
            };
            if tx.send((arrives, buf[..n].to_vec())).is_err() {
                break;
            }
        }
        // `tx` dropped here: the writer closes its side once the last packet has arrived.
    };
    let write = async move {
        while let Some((at, packet)) = rx.recv().await {
            sleep_until(at).await;
            if to.write_all(&packet).await.is_err() {
                return;
            }
        }
        let _ = to.shutdown().await;
    };
    tokio::join!(read, write);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An echo server: what it reads, it writes back.
    async fn echo() -> SocketAddr {
        let l = TcpListener::bind("127.0.0.1:0").await.or_fail();
        let addr = l.local_addr().or_fail();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = l.accept().await {
                tokio::spawn(async move {
                    let (mut r, mut w) = s.split();
                    let _ = tokio::io::copy(&mut r, &mut w).await;
                });
            }
        });
        addr
    }

    async fn exchange(addr: SocketAddr, body: &[u8]) -> (Vec<u8>, Duration) {
        let start = Instant::now();
        let mut c = TcpStream::connect(addr).await.or_fail();
        c.write_all(body).await.or_fail();
        let mut back = vec![0u8; body.len()];
        c.read_exact(&mut back).await.or_fail();
        (back, start.elapsed())
    }

    /// A first exchange pays the name lookup, the handshake and a round trip, and every byte's
    /// time on the link both ways; the bytes arrive whole and in order; after a reset the
    /// lookup is paid again, and a second connection before it does not pay it.
    #[tokio::test]
    async fn a_link_charges_round_trips_and_bandwidth() {
        let rtt = Duration::from_millis(100);
        let shape = Shape {
            rtt,
            down_bytes_per_s: 100_000.0,
            up_bytes_per_s: 100_000.0,
        };
        let link = Link::start(echo().await, shape).await;
        // 10,000 bytes: 7 packets, 10,280 bytes on the link, 102.8 ms each way.
        let body: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let on_link = Duration::from_secs_f64(10_280.0 / 100_000.0);
        let (back, took) = exchange(link.addr, &body).await;
        assert_eq!(back, body, "the bytes arrive whole and in order");
        assert!(took >= rtt * 3 + on_link, "first exchange took {took:?}");
        assert!(
            took < rtt * 3 + on_link * 2 + Duration::from_millis(400),
            "{took:?}"
        );

        let (_, again) = exchange(link.addr, b"hello").await;
        assert!(again >= rtt * 2, "a second connection: {again:?}");
        assert!(again < rtt * 3, "no second name lookup: {again:?}");

        link.reset();
        let (_, after_reset) = exchange(link.addr, b"hello").await;
        assert!(after_reset >= rtt * 3, "a lookup again: {after_reset:?}");
    }
}

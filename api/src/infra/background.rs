//! The server's own threads (the maintenance jobs, the campaign-notice listener): each runs until
//! the value that started it is dropped, which wakes it from its wait and waits for it to finish.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

/// A running thread; stops when dropped.
pub struct Background {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// What a background thread waits with.
pub struct Stop(Receiver<()>);

impl Stop {
    /// Waits `d`; false as soon as the thread is asked to stop.
    pub fn wait(&self, d: Duration) -> bool {
        matches!(self.0.recv_timeout(d), Err(RecvTimeoutError::Timeout))
    }
}

impl Background {
    /// Runs `work` on a thread called `name`. A thread that cannot be started is logged, and the
    /// server goes on without it.
    pub fn start(name: &str, work: impl FnOnce(Stop) + Send + 'static) -> Background {
        let (stop, stopped) = mpsc::channel::<()>();
        match std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || work(Stop(stopped)))
        {
            Ok(t) => Background {
                stop: Some(stop),
                thread: Some(t),
            },
            Err(e) => {
                tracing::error!(error = %e, thread = name, "cannot start a background thread");
                Background {
                    stop: None,
                    thread: None,
                }
            }
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

//! What a run shares with `main`: the request it created and has not finished with, so an
//! interrupted run can say how to delete it; and tasks that must finish even when the command
//! is done or dropped (Ctrl-C drops the command's future): the probe's cleanup, the
//! Application preflight. `main` awaits them before exiting.

use std::sync::Mutex;
use std::time::Duration;

use tokio::task::JoinHandle;

#[derive(Debug, Default)]
pub struct Session {
    left_behind: Mutex<Option<(String, String)>>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl Session {
    pub fn note_created(&self, namespace: &str, name: &str) {
        *self.left_behind.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((namespace.to_string(), name.to_string()));
    }

    pub fn forget_created(&self) {
        *self.left_behind.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// `(namespace, name)` of a request this run created and has not finished with.
    pub fn left_behind(&self) -> Option<(String, String)> {
        self.left_behind
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// A task that `main` awaits before exiting, however the command ends.
    pub fn finish_before_exit(&self, task: JoinHandle<()>) {
        self.tasks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(task);
    }

    /// Waits for those tasks, at most `limit`; a (further) Ctrl-C stops waiting.
    pub async fn finish_tasks(&self, limit: Duration) {
        let tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(|e| e.into_inner()));
        if tasks.is_empty() {
            return;
        }
        tokio::select! {
            _ = tokio::time::timeout(limit, futures::future::join_all(tasks)) => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
}

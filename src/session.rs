//! What a run shares with `main`: the requests it created and has not finished with, so an
//! interrupted run can say how to delete them; and tasks that must finish even when the
//! command is done or dropped (Ctrl-C drops the command's future): the probe's cleanup, the
//! Application preflight. `main` awaits them before exiting.

use std::sync::Mutex;
use std::time::Duration;

use tokio::task::JoinHandle;

#[derive(Debug, Default)]
pub struct Session {
    /// `(namespace, name)` of each request created and not finished with, in creation order.
    left_behind: Mutex<Vec<(String, String)>>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl Session {
    pub fn note_created(&self, namespace: &str, name: &str) {
        let mut left = self.left_behind.lock().unwrap_or_else(|e| e.into_inner());
        let created = (namespace.to_string(), name.to_string());
        if !left.contains(&created) {
            left.push(created);
        }
    }

    /// The run is done with `namespace/name` (its result was printed or it was deleted).
    pub fn forget_created(&self, namespace: &str, name: &str) {
        self.left_behind
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(ns, n)| !(ns == namespace && n == name));
    }

    /// `(namespace, name)` of the requests this run created and has not finished with.
    pub fn left_behind(&self) -> Vec<(String, String)> {
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

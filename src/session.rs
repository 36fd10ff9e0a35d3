//! What a run shares with `main`: the request it created and has not finished with, so an
//! interrupted run can say how to delete it.

use std::sync::Mutex;

#[derive(Debug, Default)]
pub struct Session {
    left_behind: Mutex<Option<(String, String)>>,
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
}

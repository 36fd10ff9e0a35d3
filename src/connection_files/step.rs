//! The seam for testing what a failure leaves behind: every step that writes, links, renames,
//! removes or reads back a connection's file runs through [`step`], and a unit test can make
//! chosen steps fail (see [`injected`]) to check the directory after each one in turn.

use std::io;

/// Runs `op`, unless a test asked this step to fail.
pub(super) fn step<T>(op: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
    #[cfg(test)]
    injected::next()?;
    op()
}

#[cfg(test)]
pub(super) mod injected {
    use std::cell::{Cell, RefCell};
    use std::io;

    // Per thread: each unit test runs on its own.
    thread_local! {
        static FAIL: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
        static TAKEN: Cell<usize> = const { Cell::new(0) };
    }

    /// From now on the steps numbered `steps` (counting from 0) fail, each once.
    pub fn fail(steps: &[usize]) {
        FAIL.set(steps.to_vec());
        TAKEN.set(0);
    }

    /// How many steps ran (or failed) since the last [`fail`].
    pub fn taken() -> usize {
        TAKEN.get()
    }

    pub(super) fn next() -> io::Result<()> {
        let number = TAKEN.get();
        TAKEN.set(number + 1);
        if FAIL.with_borrow(|fail| fail.contains(&number)) {
            return Err(io::Error::other(format!(
                "injected failure of step {number}"
            )));
        }
        Ok(())
    }
}

//! A counting semaphore over bytes: the sum of the sizes of the input files being processed at
//! once stays under a budget, so memory does not grow with the number or size of inputs. A file
//! larger than the whole budget is admitted alone.
//!
//! ```
//! use disclose::batch::throttle::ByteBudget;
//! let budget = ByteBudget::new(100);
//! let a = budget.acquire(60);
//! assert_eq!(budget.in_use(), 60);
//! drop(a);
//! assert_eq!(budget.in_use(), 0);
//! ```

use std::sync::{Condvar, Mutex, PoisonError};

/// The byte budget shared by the workers of one batch.
#[derive(Debug)]
pub struct ByteBudget {
    max: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

/// Bytes held until dropped.
#[derive(Debug)]
pub struct Permit<'a> {
    budget: &'a ByteBudget,
    bytes: u64,
}

impl ByteBudget {
    pub fn new(max: u64) -> Self {
        ByteBudget {
            max: max.max(1),
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Wait until `bytes` (clamped to the budget) fit, then hold them.
    pub fn acquire(&self, bytes: u64) -> Permit<'_> {
        let bytes = bytes.min(self.max);
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        while *used + bytes > self.max {
            used = self
                .freed
                .wait(used)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *used += bytes;
        Permit {
            budget: self,
            bytes,
        }
    }

    /// Bytes held now.
    pub fn in_use(&self) -> u64 {
        *self.used.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut used = self
            .budget
            .used
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *used = used.saturating_sub(self.bytes);
        self.budget.freed.notify_all();
    }
}

//! Work on many items in parallel while their results are handed on in the items' order.
//!
//! Workers take the next item as soon as they are free, so a slow item holds up only the
//! results after it, never the other workers (as waiting for a whole batch would). A fixed
//! number of permits bounds the results waiting to be handed on: memory holds a window of
//! items' results whatever the number of items.

use std::any::Any;
use std::ops::ControlFlow;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};

use crossbeam_channel::{Receiver, Sender, bounded, unbounded};

/// How many files may be in work or waiting to be handed on when each item is one file.
const FILES_AHEAD: usize = 512;

/// What a worker sends back: its item's result, or the panic that interrupted it (raised again
/// on the calling thread once the workers have stopped).
type Outcome<T> = (usize, Result<T, Box<dyn Any + Send>>);

/// How items are worked on: by how many threads, and how many items may be in work or
/// waiting to be handed on at once.
#[derive(Clone, Copy, Debug)]
pub struct Parallel {
    pub threads: usize,
    pub window: usize,
}

impl Parallel {
    /// One item per file, on every thread rayon would use (`RAYON_NUM_THREADS` included).
    pub fn per_file() -> Parallel {
        Parallel::per_files(1)
    }

    /// Items of `files` files each: the same number of files in work or waiting as
    /// `per_file`, and fewer hand-overs between threads.
    pub fn per_files(files: usize) -> Parallel {
        Parallel {
            threads: rayon::current_num_threads(),
            window: (FILES_AHEAD / files.max(1)).max(2),
        }
    }

    /// Runs `work` on every item (told its index) and calls `each` on the calling thread with
    /// each item and its result, in the items' order. `each` returning `Break` stops the work:
    /// the items not yet handed on are dropped (each thread finishes the item it holds).
    pub fn for_each_in_order<J: Sync, T: Send>(
        self,
        items: &[J],
        work: impl Fn(usize, &J) -> T + Sync,
        mut each: impl FnMut(&J, T) -> ControlFlow<()>,
    ) {
        let window = self.window.clamp(1, items.len().max(1));
        let (permit_sender, permits) = bounded::<()>(window);
        for _ in 0..window {
            permit_sender
                .send(())
                .expect("the channel has room for every permit");
        }
        let (outcome_sender, outcomes) = unbounded::<Outcome<T>>();
        let next = AtomicUsize::new(0);
        let panic = std::thread::scope(|scope| {
            for _ in 0..self.threads.clamp(1, items.len().max(1)) {
                let (permits, outcome_sender) = (permits.clone(), outcome_sender.clone());
                let (next, work) = (&next, &work);
                scope.spawn(move || {
                    work_while_permitted(items, next, work, &permits, &outcome_sender)
                });
            }
            drop(outcome_sender);
            let panic = hand_on_in_order(items, window, &outcomes, &permit_sender, &mut each);
            // Workers waiting for a permit or sending a result see the channels closed and stop.
            drop(permit_sender);
            drop(outcomes);
            panic
        });
        if let Some(payload) = panic {
            resume_unwind(payload);
        }
    }
}

/// A worker: while a permit comes, takes the next item and sends back its outcome.
fn work_while_permitted<J, T>(
    items: &[J],
    next: &AtomicUsize,
    work: &impl Fn(usize, &J) -> T,
    permits: &Receiver<()>,
    outcomes: &Sender<Outcome<T>>,
) {
    // The permit is taken before the item: an item taken always has its place in the window,
    // so the item the caller waits for is always either done or in work.
    while permits.recv().is_ok() {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(item) = items.get(index) else { return };
        let result = catch_unwind(AssertUnwindSafe(|| work(index, item)));
        let panicked = result.is_err();
        if outcomes.send((index, result)).is_err() || panicked {
            return;
        }
    }
}

/// Receives the outcomes, holds those that come early, and hands each on in order, returning a
/// permit for every item handed on. Returns the first worker panic met, if any.
fn hand_on_in_order<J, T>(
    items: &[J],
    window: usize,
    outcomes: &Receiver<Outcome<T>>,
    permits: &Sender<()>,
    each: &mut impl FnMut(&J, T) -> ControlFlow<()>,
) -> Option<Box<dyn Any + Send>> {
    let mut early: Vec<Option<T>> = (0..window).map(|_| None).collect();
    let mut expected = 0;
    while expected < items.len() {
        // Fails only if every worker is gone, which a worker does only on a panic it sent.
        let Ok((index, result)) = outcomes.recv() else {
            return None;
        };
        match result {
            Ok(result) => early[index % window] = Some(result),
            Err(payload) => return Some(payload),
        }
        while let Some(result) = early.get_mut(expected % window).and_then(Option::take) {
            if each(&items[expected], result).is_break() {
                return None;
            }
            expected += 1;
            // The channel has room: the permits in it and in work never exceed the window.
            let _ = permits.send(());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const WINDOW: usize = 64;

    fn parallel(threads: usize) -> Parallel {
        Parallel {
            threads,
            window: WINDOW,
        }
    }

    #[test]
    fn results_come_in_order_whatever_order_the_work_finishes_in() {
        let items: Vec<usize> = (0..3000).collect();
        let mut seen = Vec::new();
        parallel(4).for_each_in_order(
            &items,
            |_, &item| {
                if item % 97 == 0 {
                    std::thread::sleep(Duration::from_millis(2));
                }
                item * 2
            },
            |&item, doubled| {
                assert_eq!(doubled, item * 2);
                seen.push(item);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(seen, items);
    }

    #[test]
    fn work_is_told_each_item_index() {
        let items = vec!["a", "b", "c"];
        let mut indexes = Vec::new();
        parallel(2).for_each_in_order(
            &items,
            |index, _| index,
            |_, index| {
                indexes.push(index);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(indexes, [0, 1, 2]);
    }

    #[test]
    fn no_more_items_than_the_window_are_worked_on_ahead_of_the_caller() {
        let items: Vec<usize> = (0..WINDOW * 4).collect();
        let started = AtomicUsize::new(0);
        let mut handed_on = 0;
        parallel(3).for_each_in_order(
            &items,
            |_, _| started.fetch_add(1, Ordering::SeqCst),
            |_, _| {
                handed_on += 1;
                // Every item started was permitted: at most the window beyond those handed on.
                assert!(started.load(Ordering::SeqCst) <= handed_on + WINDOW);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(handed_on, items.len());
    }

    #[test]
    fn breaking_stops_the_workers_soon() {
        let items: Vec<usize> = (0..WINDOW * 20).collect();
        let worked = AtomicUsize::new(0);
        let mut handed_on = 0;
        parallel(2).for_each_in_order(
            &items,
            |_, _| worked.fetch_add(1, Ordering::SeqCst),
            |_, _| {
                handed_on += 1;
                if handed_on == 10 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(handed_on, 10);
        assert!(worked.load(Ordering::SeqCst) <= 10 + WINDOW + 2);
    }

    #[test]
    fn no_items_no_calls() {
        let items: Vec<usize> = Vec::new();
        parallel(2).for_each_in_order(&items, |_, _| unreachable!(), |_, ()| unreachable!());
    }

    #[test]
    fn a_panicking_item_is_raised_on_the_caller_without_a_hang() {
        let items: Vec<usize> = (0..WINDOW * 3).collect();
        let raised = catch_unwind(AssertUnwindSafe(|| {
            parallel(2).for_each_in_order(
                &items,
                |_, &item| assert_ne!(item, 5, "item five"),
                |_, ()| ControlFlow::Continue(()),
            )
        }));
        assert!(raised.is_err());
    }
}

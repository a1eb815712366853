//! The `dlayer` command line: a thin layer over the library.

mod cli;

// Linting allocates many small strings and vectors (words, commands, diagnostics) from
// several threads; mimalloc serves them several times faster than the system allocator.
// Built without transparent huge pages (feature `no_thp`): with them the peak memory of a
// corpus lint doubles for a tenth less time.
#[global_allocator]
static ALLOCATOR: Mimalloc = Mimalloc;

/// mimalloc, called through its plain `malloc`-style entry points whenever the alignment asked
/// for is one every mimalloc block already has; the `mimalloc` crate always calls the
/// `_aligned` variants, whose alignment check costs about a third of a small allocation.
struct Mimalloc;

/// Every mimalloc block, of any size, starts on a multiple of the pointer size.
const BLOCK_ALIGNMENT: usize = std::mem::size_of::<usize>();

// SAFETY: each method forwards to the mimalloc function with the same contract; the plain
// variants are used only when `layout.align()` is at most BLOCK_ALIGNMENT, which every block
// mimalloc returns satisfies, and mimalloc's `mi_free` releases blocks of both kinds.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_malloc, mi_malloc_aligned};
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= BLOCK_ALIGNMENT {
                mi_malloc(layout.size()).cast()
            } else {
                mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_zalloc, mi_zalloc_aligned};
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= BLOCK_ALIGNMENT {
                mi_zalloc(layout.size()).cast()
            } else {
                mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, block: *mut u8, _: std::alloc::Layout) {
        // SAFETY: see the impl.
        unsafe { libmimalloc_sys::mi_free(block.cast()) }
    }

    unsafe fn realloc(
        &self,
        block: *mut u8,
        layout: std::alloc::Layout,
        new_size: usize,
    ) -> *mut u8 {
        use libmimalloc_sys::{mi_realloc, mi_realloc_aligned};
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= BLOCK_ALIGNMENT {
                mi_realloc(block.cast(), new_size).cast()
            } else {
                mi_realloc_aligned(block.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

fn main() -> std::process::ExitCode {
    cli::run()
}

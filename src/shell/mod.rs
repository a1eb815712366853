//! POSIX sh for RUN scripts (placeholder: being written).

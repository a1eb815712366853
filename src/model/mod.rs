//! The semantic model (being written).

pub mod catalog;

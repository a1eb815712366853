//! dlayer: lint Dockerfiles for heavy-container patterns and refactor them into layered stacks.

pub mod syntax;

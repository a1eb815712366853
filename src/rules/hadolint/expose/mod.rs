//! EXPOSE: valid ports.

pub(super) mod dl3011_valid_port;

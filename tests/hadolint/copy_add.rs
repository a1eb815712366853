//! COPY and ADD: ADD's extraction and downloads, destinations, `--from` stage references, relative paths.

use super::check_fixtures;
use crate::rule_fixtures::lint;
use dlayer::rules::Settings;

#[test]
fn dl3010_add_extracts_archives() {
    check_fixtures("DL3010", &Settings::default());
}

#[test]
fn dl3020_use_copy_not_add() {
    check_fixtures("DL3020", &Settings::default());
}

#[test]
fn dl3021_copy_dest_not_dir() {
    check_fixtures("DL3021", &Settings::default());
}

#[test]
fn dl3022_copy_from_unknown_stage() {
    check_fixtures("DL3022", &Settings::default());
}

#[test]
fn dl3023_copy_from_own_stage() {
    check_fixtures("DL3023", &Settings::default());
}

#[test]
fn dl3045_copy_relative_no_workdir() {
    check_fixtures("DL3045", &Settings::default());
}

#[test]
fn dl3067_copy_whole_filesystem() {
    check_fixtures("DL3067", &Settings::default());
}

#[test]
fn dl3023_points_at_the_from_flag() {
    let source = "FROM a:1 AS x\nCOPY --from=x /a /b\n";
    let (_, found) = lint(source, "DL3023", &Settings::default());
    assert_eq!(found[0].span.text(source), "--from=x");
}

//! `dlayer lsp` driven by a real editor: Neovim's built-in LSP client, headless, running
//! `tests/nvim/lsp_e2e.lua` (diagnostics and HC002's range, hover, a quick fix, fix-all,
//! formatting, completion of a stage name). Needs `nvim` (Debian's `neovim` package);
//! `.ci/run` installs it and runs this test.

use std::process::Command;

const HEAVY: &str = "FROM ubuntu:22.04 AS base\nARG APP_HOME=/srv/app\nRUN echo \"☃ 𝄞 café\" && apt-get update && apt-get install -y openssh-server vim curl\nEXPOSE 22\nfrom base as app\nCOPY --from=base /etc/hosts ${APP_HOME}/hosts\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n";

#[test]
#[ignore = "needs nvim (Debian's neovim package): .ci/run installs it and runs this test"]
fn neovim_drives_the_language_server() {
    let dir = std::env::temp_dir().join(format!("dlayer-nvim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("Dockerfile");
    std::fs::write(&file, HEAVY).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/nvim/lsp_e2e.lua");
    let output = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n"])
        .args(["-c", &format!("luafile {script}")])
        .env("DLAYER_BIN", env!("CARGO_BIN_EXE_dlayer"))
        .env("DLAYER_FILE", &file)
        .env("HOME", &dir)
        .output()
        .expect("nvim runs (install Debian's neovim package)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("{stdout}{stderr}");
    assert!(
        output.status.success() && stdout.contains("PASS") && !stdout.contains("FAIL"),
        "nvim exited with {:?}",
        output.status
    );
}

//! `dlayer lsp` at the protocol level: a client drives the server in memory with JSON-RPC
//! messages, as an editor would.

use std::path::Path;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

const HEAVY: &str = "FROM ubuntu:22.04 AS base\nARG APP_HOME=/srv/app\nENV PATH=$APP_HOME/bin:$PATH\nRUN echo \"☃ 𝄞 café\" && apt-get update && apt-get install -y openssh-server vim curl\nEXPOSE 22\n\nfrom base as app\ncopy --from=base /etc/hosts ${APP_HOME}/hosts\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n";

struct Client {
    connection: Connection,
    server: Option<JoinHandle<Result<(), String>>>,
    next_id: i32,
    notifications: Vec<Notification>,
    requests: Vec<Request>,
}

/// A directory of its own for one test, removed when the returned guard is dropped.
fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("dlayer-lsp-{name}-"))
        .tempdir()
        .unwrap()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// What Neovim-like clients announce, with pull diagnostics or not.
fn capabilities(pull: bool) -> Value {
    let mut capabilities = json!({
        "workspace": {
            "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create", "rename", "delete"]},
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "diagnostic": {"refreshSupport": true}
        },
        "textDocument": {"codeAction": {"disabledSupport": true}}
    });
    if pull {
        capabilities["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    }
    capabilities
}

impl Client {
    fn start(capabilities: Value) -> Client {
        let (server, connection) = Connection::memory();
        let server = std::thread::spawn(move || dlayer::lsp::serve(server));
        let mut client = Client {
            connection,
            server: Some(server),
            next_id: 0,
            notifications: Vec::new(),
            requests: Vec::new(),
        };
        let result = client.request(
            "initialize",
            json!({"capabilities": capabilities, "initializationOptions": {"debounceMs": 5}}),
        );
        assert_eq!(result["serverInfo"]["name"], "dlayer");
        client.notify("initialized", json!({}));
        client
    }

    fn notify(&self, method: &str, params: Value) {
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                params,
            )))
            .unwrap();
    }

    fn receive(&mut self) -> Message {
        let message = self
            .connection
            .receiver
            .recv_timeout(Duration::from_secs(20))
            .expect("the server answers within 20 s");
        if let Message::Request(request) = &message {
            // registerCapability, workspace/diagnostic/refresh: accepted.
            self.connection
                .sender
                .send(Message::Response(Response::new_ok(
                    request.id.clone(),
                    Value::Null,
                )))
                .unwrap();
            self.requests.push(request.clone());
        }
        message
    }

    fn try_request(&mut self, method: &str, params: Value) -> Response {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.connection
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.into(),
                params,
            )))
            .unwrap();
        loop {
            match self.receive() {
                Message::Response(response) if response.id == id => return response,
                Message::Notification(notification) => self.notifications.push(notification),
                _ => {}
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.try_request(method, params);
        match response.response_result {
            Ok(value) => value,
            Err(error) => panic!("{method}: {error:?}"),
        }
    }

    fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
        );
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let wanted = |n: &Notification| {
            n.method == "textDocument/publishDiagnostics"
                && n.params["uri"] == uri
                && n.params["version"] == version
        };
        loop {
            if let Some(found) = self.notifications.iter().find(|n| wanted(n)) {
                return found.params["diagnostics"].as_array().unwrap().clone();
            }
            if let Message::Notification(notification) = self.receive() {
                self.notifications.push(notification);
            }
        }
    }

    fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let server = self.server.take().unwrap();
        assert_eq!(server.join().unwrap(), Ok(()));
    }
}

fn position(text: &str, needle: &str) -> Value {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].matches('\n').count();
    let character = text[line_start..offset].encode_utf16().count();
    json!({"line": line, "character": character})
}

fn find<'a>(diagnostics: &'a [Value], code: &str, line: i64) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code && d["range"]["start"]["line"] == line)
        .unwrap_or_else(|| panic!("no {code} on line {line} in {diagnostics:#?}"))
}

#[test]
fn diagnostics_are_pushed_with_utf16_ranges_and_rule_links() {
    let scratch_dir = scratch("push");
    let dir = scratch_dir.path().to_path_buf();
    let path = dir.join("Dockerfile");
    let uri = uri(&path);
    let mut client = Client::start(capabilities(false));
    client.open(&uri, HEAVY);
    let diagnostics = client.diagnostics(&uri, 1);
    let ssh = find(&diagnostics, "HC002", 3);
    // After `☃ 𝄞 é`: 𝄞 is two UTF-16 units, 4 bytes.
    let start = position(HEAVY, "openssh-server");
    assert_eq!(ssh["range"]["start"], start);
    assert_eq!(
        ssh["range"]["end"]["character"],
        start["character"].as_i64().unwrap() + "openssh-server".len() as i64
    );
    assert_eq!(ssh["severity"], 1);
    assert_eq!(ssh["source"], "dlayer");
    assert_eq!(
        ssh["codeDescription"]["href"],
        "https://github.com/dlayer/dlayer/blob/main/rules/HC002.md"
    );
    assert!(ssh["message"].as_str().unwrap().contains("[layer: dev]"));

    // An incremental change: the `EXPOSE 22` line removed.
    let expose = position(HEAVY, "EXPOSE 22");
    let next_line = json!({"line": expose["line"].as_i64().unwrap() + 1, "character": 0});
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": expose, "end": next_line}, "text": ""}]}),
    );
    let after = client.diagnostics(&uri, 2);
    assert!(
        !after
            .iter()
            .any(|d| d["code"] == "HC002" && d["range"]["start"]["line"] == 4),
        "{after:#?}"
    );
    assert!(after.iter().any(|d| d["code"] == "HC002"));
    client.shutdown();
}

#[test]
fn diagnostics_are_pulled_by_clients_that_pull_and_not_pushed() {
    let scratch_dir = scratch("pull");
    let dir = scratch_dir.path().to_path_buf();
    let uri = uri(&dir.join("Dockerfile"));
    let mut client = Client::start(capabilities(true));
    client.open(&uri, HEAVY);
    let report = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().unwrap();
    find(items, "HC002", 3);
    find(items, "HC001", 0);
    // A round trip later, still nothing was pushed.
    client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(
        !client
            .notifications
            .iter()
            .any(|n| n.method == "textDocument/publishDiagnostics")
    );
    client.shutdown();
}

#[test]
fn configuration_is_discovered_per_file_and_reloaded_when_it_changes() {
    let scratch_dir = scratch("config");
    let dir = scratch_dir.path().to_path_buf();
    let uri = uri(&dir.join("Dockerfile"));
    let mut client = Client::start(capabilities(false));
    client.open(&uri, HEAVY);
    assert!(
        client
            .diagnostics(&uri, 1)
            .iter()
            .any(|d| d["code"] == "HC002")
    );
    // The server asked to be told when configuration files change.
    assert!(
        client
            .requests
            .iter()
            .any(|r| r.method == "client/registerCapability"
                && r.params.to_string().contains("**/dlayer.toml"))
    );
    std::fs::write(dir.join("dlayer.toml"), "ignore = [\"HC002\"]\n").unwrap();
    client.notifications.clear();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": format!("file://{}/dlayer.toml", dir.display()), "type": 1}]}),
    );
    let reloaded = client.diagnostics(&uri, 1);
    assert!(
        !reloaded.iter().any(|d| d["code"] == "HC002"),
        "{reloaded:#?}"
    );
    assert!(reloaded.iter().any(|d| d["code"] == "HC006"));
    // A broken configuration is reported on the document, with its position.
    std::fs::write(dir.join("dlayer.toml"), "ignore = [\"HC02\"]\n").unwrap();
    client.notifications.clear();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": []}));
    let broken = client.diagnostics(&uri, 1);
    assert_eq!(broken.len(), 1, "{broken:#?}");
    assert!(
        broken[0]["message"]
            .as_str()
            .unwrap()
            .contains("dlayer.toml:1:")
    );
    client.shutdown();
}

fn actions(
    client: &mut Client,
    uri: &str,
    start: Value,
    end: Value,
    only: Option<&str>,
) -> Vec<Value> {
    let mut context = json!({"diagnostics": []});
    if let Some(kind) = only {
        context["only"] = json!([kind]);
    }
    client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": start, "end": end}, "context": context}),
        )
        .as_array()
        .unwrap()
        .clone()
}

fn titled<'a>(actions: &'a [Value], part: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains(part))
        .unwrap_or_else(|| panic!("no action {part:?} in {actions:#?}"))
}

#[test]
fn code_actions_fix_ignore_fix_all_and_split() {
    let scratch_dir = scratch("actions");
    let dir = scratch_dir.path().to_path_buf();
    let path = dir.join("Dockerfile");
    let uri = uri(&path);
    let mut client = Client::start(capabilities(false));
    client.open(&uri, HEAVY);
    client.diagnostics(&uri, 1);
    let at = position(HEAVY, "apt-get install");
    let found = actions(&mut client, &uri, at.clone(), at.clone(), None);
    // DL3009's fix (at the update) is safe here (nothing later installs): a preferred quick fix.
    let update = position(HEAVY, "apt-get update");
    let on_update = actions(&mut client, &uri, update.clone(), update, None);
    let safe = titled(&on_update, "(DL3009)");
    assert_eq!(safe["kind"], "quickfix");
    assert_eq!(safe["isPreferred"], true);
    // DL3015's changes the installed packages: offered, marked unsafe, not preferred.
    let recommends = titled(&found, "(DL3015, unsafe");
    assert_ne!(recommends["isPreferred"], true);
    let edit = &recommends["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], " --no-install-recommends");
    let ignore = titled(&found, "Ignore DL3015 on this line");
    assert_eq!(
        ignore["edit"]["changes"][&uri][0]["newText"],
        "# dlayer ignore=DL3015\n"
    );
    let global = titled(&found, "Ignore DL3015 in this file");
    assert_eq!(
        global["edit"]["changes"][&uri][0]["newText"],
        "# dlayer global ignore=DL3015\n"
    );
    // The unsafe fix of HC009-like rules is marked; HC001's base swap is display-only here.
    let from = position(HEAVY, "ubuntu");
    let on_from = actions(&mut client, &uri, from.clone(), from, None);
    assert!(
        on_from
            .iter()
            .all(|a| a["isPreferred"] != true || !a["title"].as_str().unwrap().contains("unsafe"))
    );
    // The split is offered on heavy-container findings; this file's cannot be split: the
    // action is there, disabled, with the reason.
    let ssh = position(HEAVY, "openssh-server");
    let on_ssh = actions(&mut client, &uri, ssh.clone(), ssh, None);
    let refused = titled(&on_ssh, "Split into a layered stack");
    assert!(
        refused["disabled"]["reason"]
            .as_str()
            .unwrap()
            .contains("sshd"),
        "{refused:#}"
    );
    // One that can be split is written next to the file.
    let web = "FROM debian:12\nRUN apt-get update && apt-get install -y apache2 vim\nCMD [\"apache2ctl\", \"-D\", \"FOREGROUND\"]\n";
    let web_uri = uri.replace("Dockerfile", "web.Dockerfile");
    client.open(&web_uri, web);
    let vim = position(web, "vim");
    let on_vim = actions(&mut client, &web_uri, vim.clone(), vim, Some("refactor"));
    let split = titled(&on_vim, "Split into a layered stack");
    assert_eq!(split["kind"], "refactor.rewrite.split.dlayer", "{split:#}");
    let operations = split["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(operations[0]["kind"], "create");
    assert_eq!(
        operations[0]["uri"],
        web_uri.replace("web.Dockerfile", "web.layered.Dockerfile")
    );
    let stack = operations[1]["edits"][0]["newText"].as_str().unwrap();
    assert!(stack.contains(" AS dev"), "{stack}");
    // Fix-all applies every safe fix, and no unsafe one.
    let start = json!({"line": 0, "character": 0});
    let all = actions(
        &mut client,
        &uri,
        start.clone(),
        start,
        Some("source.fixAll"),
    );
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["kind"], "source.fixAll.dlayer");
    let fixed = apply(HEAVY, all[0]["edit"]["changes"][&uri].as_array().unwrap());
    assert!(
        !fixed.contains("--no-install-recommends") && fixed.contains("rm -rf /var/lib/apt/lists/*"),
        "{fixed}"
    );
    client.shutdown();
}

#[test]
fn an_unsafe_fix_is_marked_and_not_preferred() {
    let scratch_dir = scratch("unsafe");
    let dir = scratch_dir.path().to_path_buf();
    let uri = uri(&dir.join("Dockerfile"));
    let text = "FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n";
    let mut client = Client::start(capabilities(false));
    client.open(&uri, text);
    client.diagnostics(&uri, 1);
    let at = position(text, "upgrade");
    let found = actions(&mut client, &uri, at.clone(), at, Some("quickfix"));
    let upgrade = titled(&found, "(HC009, unsafe");
    assert_eq!(upgrade["isPreferred"], false);
    client.shutdown();
}

fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let rest = &text[line_start..];
        let mut units = 0;
        for (index, ch) in rest.char_indices() {
            if units >= character || ch == '\n' {
                return line_start + index;
            }
            units += ch.len_utf16();
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, new);
    }
    out
}

#[test]
fn formatting_and_range_formatting_use_dlayer_fmt() {
    let scratch_dir = scratch("format");
    let dir = scratch_dir.path().to_path_buf();
    let uri = uri(&dir.join("Dockerfile"));
    let text = "from alpine\nrun  echo \"é\" &&\\\n  true\n\n\n\nrun   echo b\n";
    let mut client = Client::start(capabilities(false));
    client.open(&uri, text);
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert_eq!(
        apply(text, edits.as_array().unwrap()),
        "FROM alpine\nRUN echo \"é\" \\\n    && true\n\nRUN echo b\n"
    );
    let line = json!({"line": 6, "character": 0});
    let ranged = client.request(
        "textDocument/rangeFormatting",
        json!({"textDocument": {"uri": uri}, "range": {"start": line, "end": line},
               "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert_eq!(
        apply(text, ranged.as_array().unwrap()),
        "from alpine\nrun  echo \"é\" &&\\\n  true\n\n\n\nRUN echo b\n"
    );
    // A file BuildKit rejects is not formatted: the request fails with the reason.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "FROM x\nRUN <<EOF\n"}]}),
    );
    let refused = client.try_request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let error = refused.response_result.unwrap_err();
    assert!(error.message.contains("syntax errors"), "{error:?}");
    client.shutdown();
}

fn hover(client: &mut Client, uri: &str, at: Value) -> String {
    let result = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": at}),
    );
    result["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn hover_shows_rule_docs_variable_values_and_catalog_knowledge() {
    let scratch_dir = scratch("hover");
    let dir = scratch_dir.path().to_path_buf();
    let uri = uri(&dir.join("Dockerfile"));
    let mut client = Client::start(capabilities(false));
    client.open(&uri, HEAVY);
    let on_ssh = hover(&mut client, &uri, position(HEAVY, "openssh-server"));
    assert!(
        on_ssh.contains("**HC002**") && on_ssh.contains("ssh-server"),
        "{on_ssh}"
    );
    let on_variable = hover(&mut client, &uri, position(HEAVY, "APP_HOME/bin"));
    assert!(
        on_variable.contains("`APP_HOME` = `/srv/app`") && on_variable.contains("ARG on line 2"),
        "{on_variable}"
    );
    let on_image = hover(&mut client, &uri, position(HEAVY, "ubuntu:22.04"));
    assert!(on_image.contains("Lighter:"), "{on_image}");
    let on_package = hover(&mut client, &uri, position(HEAVY, "curl"));
    assert!(on_package.contains("package `curl`"), "{on_package}");
    let on_keyword = hover(&mut client, &uri, position(HEAVY, "EXPOSE"));
    assert!(on_keyword.contains("ports"), "{on_keyword}");
    client.shutdown();
}

fn labels(client: &mut Client, uri: &str, at: Value) -> Vec<String> {
    let result = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": at}),
    );
    result
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_of_keywords_flags_stages_and_variables() {
    let scratch_dir = scratch("complete");
    let dir = scratch_dir.path().to_path_buf();
    let uri = uri(&dir.join("Dockerfile"));
    let text = "FROM alpine AS build\nARG VERSION=1\nENV HOME_DIR=/x\nRUN echo ${\nFROM alpine\nCOPY --from=\nCOPY --\nW\n";
    let mut client = Client::start(capabilities(false));
    client.open(&uri, text);
    let variables = labels(&mut client, &uri, json!({"line": 3, "character": 11}));
    assert!(
        variables.contains(&"VERSION".to_string()) && variables.contains(&"HOME_DIR".to_string()),
        "{variables:?}"
    );
    let stages = labels(&mut client, &uri, json!({"line": 5, "character": 12}));
    assert_eq!(stages, ["build"]);
    let flags = labels(&mut client, &uri, json!({"line": 6, "character": 7}));
    assert!(
        flags.contains(&"--from".to_string()) && flags.contains(&"--chown".to_string()),
        "{flags:?}"
    );
    let keywords = labels(&mut client, &uri, json!({"line": 7, "character": 1}));
    assert!(
        keywords.contains(&"WORKDIR".to_string()) && keywords.contains(&"HEALTHCHECK".to_string())
    );
    let from = labels(&mut client, &uri, json!({"line": 4, "character": 5}));
    assert_eq!(from, ["build"]);
    client.shutdown();
}

#[test]
fn definition_references_and_symbols() {
    let scratch_dir = scratch("navigate");
    let dir = scratch_dir.path().to_path_buf();
    let uri = uri(&dir.join("Dockerfile"));
    let mut client = Client::start(capabilities(false));
    client.open(&uri, HEAVY);
    let use_of_stage = position(HEAVY, "base /etc");
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": use_of_stage}),
    );
    assert_eq!(definition["range"]["start"], position(HEAVY, "base\nARG"));
    let references = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": use_of_stage, "context": {"includeDeclaration": true}}),
    );
    assert_eq!(references.as_array().unwrap().len(), 3, "{references:#?}");
    let variable = position(HEAVY, "APP_HOME/bin");
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": variable}),
    );
    assert_eq!(definition["range"]["start"], position(HEAVY, "APP_HOME="));
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let symbols = symbols.as_array().unwrap();
    assert_eq!(symbols.len(), 2);
    assert_eq!(symbols[0]["name"], "stage base");
    assert_eq!(symbols[0]["children"].as_array().unwrap().len(), 4);
    client.shutdown();
}

#[test]
fn diagnostics_of_a_thousand_line_file_follow_every_change() {
    let scratch_dir = scratch("burst");
    let dir = scratch_dir.path().to_path_buf();
    let uri = uri(&dir.join("Dockerfile"));
    let mut text = String::from("FROM debian:12\n");
    for i in 0..1000 {
        text.push_str(&format!("RUN echo {i} && apt-get install -y vim\n"));
    }
    let mut client = Client::start(capabilities(false));
    client.open(&uri, &text);
    client.diagnostics(&uri, 1);
    // A burst of edits: only the newest version needs an answer, and it comes.
    let started = Instant::now();
    for version in 2..=20 {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": {"line": 1, "character": 9}, "end": {"line": 1, "character": 10}}, "text": "x"}]}),
        );
    }
    let last = client.diagnostics(&uri, 20);
    assert!(last.iter().any(|d| d["code"] == "HC006"));
    eprintln!("burst of 19 changes answered in {:?}", started.elapsed());
    client.shutdown();
}

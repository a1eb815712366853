//! Transient build dependencies, the docker-library idiom: when a step needs development
//! packages and a build stage cannot take its outputs (they cannot be read from its
//! commands), production runs the step itself, with the development packages it needs
//! installed at the start of that RUN and removed at its end. The dev image still installs
//! them as before (dev = app + dev tools). Every original step still runs in production, in
//! order, so the split stays exact; the build stage is preferred when outputs are known.
//!
//! The wrapped RUN, for apt (apk and the rpm family: see `managers`; other package managers
//! are refused, naming the step):
//!
//! ```text
//! RUN <fetch the package lists if an earlier step removed them> \
//!  && <the original's install command, options kept, with only the packages this step needs> \
//!  && { <the original step, untouched> ; } \
//!  && <mark installed runtime libraries (`lib*`, not `-dev`) manual> \
//!  && apt-get purge -y --auto-remove <the packages installed here> \
//!  && <remove the package lists again if this RUN fetched them>
//! ```
//!
//! Runtime libraries: what the step built may link against libraries its `-dev` packages
//! pulled in (libpq-dev → libpq5), and `--auto-remove` would take them. The outputs are not
//! known (that is why the step is here), so which libraries they use is not either: every
//! installed `lib*` package that is not a `-dev` one is marked manual before the purge. That
//! keeps some compiler libraries (libisl, libmpc) too, a few MB, but never breaks what was
//! built, on every release, without a `-dev` → runtime table to keep up to date.

use crate::model::catalog::image_trait;
use crate::model::{Action, Layer, is_root_user};
use crate::stack::footprint::expand;
use crate::stack::transient_shape::as_user;
use crate::syntax::{Arguments, Keyword};

use super::{
    BuildStep, Planner, Refusal, Role, computed_operands, leading_comments, one_line, os_ecosystem,
    remove_words, words_cut_from_install,
};

mod managers;

use managers::Family;

/// A step production runs with development packages installed for it alone.
#[derive(Clone, Debug)]
pub(super) struct TransientStep {
    /// Index of the step's piece.
    pub piece: usize,
    /// The development pieces whose packages it needs, in order.
    pub needs: Vec<usize>,
    /// Development packages the step's own RUN installs (they stay in it and are removed at
    /// its end; dev installs them again).
    pub own: Vec<String>,
    /// The package-manager family of `own`, when it is not empty.
    pub own_family: Option<Family>,
    /// The non-root user the step ran as (the USER value as written), which the RUN now
    /// switches from to root, running the original as that user.
    pub as_user: Option<String>,
}

impl Planner<'_> {
    /// Step `later` needs development piece `earlier` and a build stage cannot take it
    /// (`refusal` says why): production runs it with those packages installed for it alone,
    /// or the refusal stands, with why that cannot be done either.
    pub(super) fn transient_instead(
        &mut self,
        later: usize,
        earlier: usize,
        refusal: Refusal,
    ) -> Result<(), Refusal> {
        if !self.allow_transient {
            return Err(refusal);
        }
        let checked = self.wrappable(later).and_then(|as_user| {
            self.transient_install(earlier)
                .and_then(|(_, _, family)| family_runs_as(family, as_user.as_deref()))
                .map(|()| as_user)
        });
        let as_user = match checked {
            Ok(as_user) => as_user,
            Err(why) => return Err(with_why(refusal, &why)),
        };
        let line = self.pieces[earlier].line;
        let piece = &mut self.pieces[later];
        piece.reason = format!(
            "runs in production with what line {line} installs for development only, installed for this step and removed after it (its outputs cannot be copied from a build stage)"
        );
        self.transients.push(TransientStep {
            piece: later,
            needs: vec![earlier],
            own: Vec::new(),
            own_family: None,
            as_user,
        });
        Ok(())
    }

    /// The RUN at `position` installs development packages `own` (indexes into its packages)
    /// and uses them: it keeps them and removes them at its end; dev installs them again.
    pub(super) fn transient_own(
        &mut self,
        piece: usize,
        position: usize,
        own: &[usize],
        refusal: Refusal,
    ) -> Result<(), Refusal> {
        self.keep_own_install(piece, position, own, refusal)?;
        self.push_install(position, Layer::Dev, own);
        Ok(())
    }

    /// [`Self::transient_own`] once dev's install of `own` is planned.
    fn keep_own_install(
        &mut self,
        piece: usize,
        position: usize,
        own: &[usize],
        refusal: Refusal,
    ) -> Result<(), Refusal> {
        if !self.allow_transient {
            return Err(refusal);
        }
        let model = &self.stage.instructions[position];
        let packages: Vec<_> = own.iter().map(|&i| &model.packages[i]).collect();
        let family = one_family(
            packages.iter().map(|p| (p.manager, p.name.as_str())),
            false,
            |manager| {
                format!(
                    "`{manager}` removes packages in a way dlayer does not write yet (apt, apk and the rpm family only)"
                )
            },
        );
        let checked = family.and_then(|family| {
            let as_user = self.wrappable(piece)?;
            family_runs_as(family, as_user.as_deref())?;
            Ok((family, as_user))
        });
        let (family, as_user) = match checked {
            Ok(checked) => checked,
            Err(why) => return Err(with_why(refusal, &why)),
        };
        let names: Vec<String> = own
            .iter()
            .map(|&i| model.packages[i].name.clone())
            .collect();
        self.pieces[piece].reason = format!(
            "{}; it installs {} for its own build and removes them at its end (dev keeps them)",
            self.pieces[piece].reason,
            names.join(", ")
        );
        self.transients.push(TransientStep {
            piece,
            needs: Vec::new(),
            own: names,
            own_family: Some(family),
            as_user,
        });
        Ok(())
    }

    /// Build step `build` needs piece `headers`, headers of libraries production may lack
    /// (`refusal` says why a build stage cannot take it): production runs it instead, with
    /// what the build stage would have installed for it installed for it alone. A RUN that
    /// installed its own development tools for the build (`build_after_dev_install`) gets
    /// its install back, as written, and removes those packages at its end.
    pub(super) fn transient_instead_of_build(
        &mut self,
        build: BuildStep,
        headers: usize,
        refusal: Refusal,
    ) -> Result<(), Refusal> {
        let piece = build.piece;
        let position = self.pieces[piece].origin;
        let own_install = build.needs.iter().copied().find(|&need| {
            self.pieces[need].origin == position && self.pieces[need].role == Role::Install
        });
        let Some(own_install) = own_install else {
            self.transient_instead(piece, headers, refusal)?;
            self.transients
                .last_mut()
                .expect("transient_instead made the step transient")
                .needs
                .extend(build.needs.into_iter().filter(|&need| need != headers));
            return Ok(());
        };
        let model = &self.stage.instructions[position];
        let own: Vec<usize> = model
            .packages
            .iter()
            .enumerate()
            .filter(|(_, package)| self.pieces[own_install].packages.contains(&package.name))
            .map(|(index, _)| index)
            .collect();
        let text = self.text_with_comments(position, &[]);
        let step = &mut self.pieces[piece];
        step.text = text;
        step.packages.clear();
        step.reason = "builds with the development tools it installs".into();
        self.keep_own_install(piece, position, &own, refusal)?;
        self.transients
            .last_mut()
            .expect("keep_own_install made the step transient")
            .needs
            .extend(
                build
                    .needs
                    .into_iter()
                    .chain(std::iter::once(headers))
                    .filter(|&need| need != own_install),
            );
        Ok(())
    }

    /// Why piece `index` cannot be wrapped, if it cannot: a RUN in shell form whose script
    /// reads, with nothing that would skip the removal at its end. `Some`: the non-root user
    /// it runs as (the USER value as written), whom the wrapped RUN runs the original as.
    fn wrappable(&self, index: usize) -> Result<Option<String>, String> {
        let piece = &self.pieces[index];
        let model = &self.stage.instructions[piece.origin];
        let instruction = self.instruction(piece.origin);
        if piece.role != Role::Step || instruction.kind != Keyword::Run {
            return Err("only a RUN can install packages for itself".into());
        }
        if !matches!(instruction.arguments, Arguments::Shell(_)) || !instruction.heredocs.is_empty()
        {
            return Err("the RUN is not a plain shell command".into());
        }
        if model.script_error.is_some() || model.script.is_empty() {
            return Err("its script cannot be read".into());
        }
        let as_user = self.non_root_user(index)?;
        // Run as its user, the original is a shell of its own: leaving it early still
        // reaches the removal.
        let leaves_shell = |command: &crate::shell::Command| {
            let context = command.context;
            if context.in_subshell || context.in_substitution || context.nested_shell {
                return false;
            }
            // `exec make` replaces the shell as surely as `exec` alone.
            let execs = command.program() == Some("exec")
                || command.wrapper_calls().any(|(name, _, _)| name == "exec");
            execs || command.program() == Some("exit") && !fails_the_build(command)
        };
        if as_user.is_none() && model.script.iter().any(leaves_shell) {
            return Err("it may leave the shell before the removal at its end".into());
        }
        let body = self.body(index);
        let last_line = body.1.lines().last().unwrap_or("");
        if as_user.is_none() && (last_line.contains(" #") || last_line.contains("\t#")) {
            return Err("its last line ends with a comment".into());
        }
        Ok(as_user)
    }

    /// The non-root user piece `index` runs as, whom its wrapped RUN must switch back to
    /// (the USER value as written), or why it cannot: the install at its start and the
    /// removal at its end need root.
    fn non_root_user(&self, index: usize) -> Result<Option<String>, String> {
        let piece = &self.pieces[index];
        let model = &self.stage.instructions[piece.origin];
        let image = self.stage.image.as_ref();
        let has_trait =
            |name: &str| image.is_some_and(|image| image.traits.iter().any(|t| t == name));
        let Some(user) = model.context.user.as_deref() else {
            if has_trait(image_trait::NONROOT) {
                return Err(
                    "it runs as its base image's non-root user, whose name dlayer does not know to switch back to after running as root".into(),
                );
            }
            return Ok(None);
        };
        // `USER $APP_USER` is the user its value names.
        let variables = self.stage.variables_at(piece.origin);
        let expanded = expand(user, &variables);
        let written = as_user::written_user(self.dockerfile, self.stage, piece.origin)
            .unwrap_or_else(|| user.to_string());
        if is_root_user(&expanded) {
            return Ok(None);
        }
        let cannot = |why: String| {
            Err(format!(
                "it runs as user `{expanded}`, and root must install and remove its packages: {why}"
            ))
        };
        if has_trait(image_trait::NO_SETPRIV) {
            return cannot("its base release has no `setpriv` to run the step as that user".into());
        }
        if self.dockerfile.source.contains("hadolint shell=") {
            return cannot(
                "a `# hadolint shell=` pragma names a shell other than the one the step runs with"
                    .into(),
            );
        }
        let set_home = !variables.contains_key("HOME");
        if let Err(why) = as_user::command(&written, &expanded, set_home, &model.context.shell, "")
        {
            return cannot(why);
        }
        Ok(Some(written))
    }

    /// The piece's text split where the script starts: (comments and `RUN` with its flags,
    /// the script without its final newline, `;` or continuation).
    fn body(&self, index: usize) -> (String, String) {
        let piece = &self.pieces[index];
        let model = &self.stage.instructions[piece.origin];
        let instruction = self.instruction(piece.origin);
        let Arguments::Shell(script) = &instruction.arguments else {
            return (piece.text.clone(), String::new());
        };
        let (_, comments) = leading_comments(self.dockerfile, model.item);
        let start = (comments.len() + script.span.start - model.span.start).min(piece.text.len());
        let (head, script) = piece.text.split_at(start);
        let escape = self.dockerfile.escape;
        let script = script
            .trim_end()
            .trim_end_matches(escape)
            .trim_end()
            .trim_end_matches(';')
            .trim_end();
        (head.to_string(), script.to_string())
    }

    /// The install commands (as the original wrote them, other packages taken out) of the
    /// development packages piece `need` installs, their names and their package manager's
    /// family.
    fn transient_install(&self, need: usize) -> Result<(Vec<String>, Vec<String>, Family), String> {
        let piece = &self.pieces[need];
        let model = &self.stage.instructions[piece.origin];
        if piece.layer != Layer::Dev {
            return Err(format!("line {} is not a package install", piece.line));
        }
        let wanted: Vec<usize> = model
            .kept_packages()
            .filter(|p| os_ecosystem(p.manager).is_some())
            .filter(|p| piece.role == Role::Step || piece.packages.contains(&p.name))
            .filter_map(|p| model.packages.iter().position(|q| q.span == p.span))
            .collect();
        if wanted.is_empty() {
            return Err(format!(
                "line {} installs its development tools without a package manager",
                piece.line
            ));
        }
        let family = one_family(
            wanted
                .iter()
                .map(|&i| (model.packages[i].manager, model.packages[i].name.as_str())),
            // Only matched against installed names, untagged.
            true,
            |manager| {
                format!(
                    "`{manager}` installs packages in a way dlayer does not remove for one step yet (apt, apk and the rpm family only)"
                )
            },
        )?;
        if piece.role == Role::Step {
            // A whole development RUN: it must do nothing but manage packages.
            let only_packages = model.script.iter().enumerate().all(|(index, command)| {
                model.invocations.iter().any(|i| i.command == index)
                    || command.program() == Some("rm")
                    || command.context.in_substitution
            });
            if !only_packages {
                return Err(format!(
                    "line {} does more than install packages",
                    piece.line
                ));
            }
        }
        if piece.role == Role::Step
            && wanted.iter().any(|&package| {
                let invocation = &model.invocations[model.packages[package].invocation];
                !computed_operands(&model.script[invocation.command], invocation.manager).is_empty()
            })
        {
            // Those packages cannot be named for this step, nor removed after it.
            return Err(format!(
                "line {} computes some of its packages when it runs",
                piece.line
            ));
        }
        let source = self.dockerfile.source.as_str();
        let mut invocations: Vec<usize> = wanted
            .iter()
            .map(|&i| model.packages[i].invocation)
            .collect();
        invocations.sort_unstable();
        invocations.dedup();
        // apk reads the index its last `apk update` fetched: one the development RUN ran
        // before its install runs again (production may never have fetched one).
        let first_install = invocations
            .iter()
            .map(|&i| model.invocations[i].command)
            .min()
            .unwrap_or(0);
        let index_updates: Vec<String> = model
            .invocations
            .iter()
            .filter(|i| {
                family == Family::Apk
                    && i.manager == "apk"
                    && i.action == Action::Update
                    && i.command < first_install
            })
            .map(|i| {
                one_line(
                    model.script[i.command].span.text(source),
                    self.dockerfile.escape,
                )
            })
            .collect();
        let commands = invocations
            .iter()
            .map(|&invocation| {
                let command = &model.script[model.invocations[invocation].command];
                let text = remove_words(
                    source,
                    command.span,
                    &words_cut_from_install(model, invocation, &wanted),
                );
                // The subcommand's end, where apk's virtual package is named: no package word
                // comes before it, so the cut text keeps it where the source has it.
                let subcommand = model.invocations[invocation].subcommand.as_deref();
                let subcommand_end = command
                    .args
                    .iter()
                    .find(|word| Some(word.raw.as_str()) == subcommand)
                    .map(|word| word.span.end - command.span.start)
                    .filter(|&end| {
                        text.get(..end) == source.get(command.span.start..command.span.start + end)
                    })
                    .ok_or_else(|| {
                        format!("line {} installs without a readable subcommand", piece.line)
                    })?;
                // An apk virtual package of the original's own (`--virtual .build-deps`, `-t`).
                let virtual_name = command
                    .args
                    .windows(2)
                    .find(|pair| matches!(pair[0].raw.as_str(), "--virtual" | "-t"))
                    .map(|pair| {
                        pair[1].span.start - command.span.start
                            ..pair[1].span.end - command.span.start
                    });
                let unread_virtual = family == Family::Apk
                    && model.invocations[invocation].has_option(&["t", "virtual"])
                    && !virtual_name.as_ref().is_some_and(|name| {
                        text.get(name.clone())
                            == source
                                .get(name.start + command.span.start..name.end + command.span.start)
                    });
                if unread_virtual {
                    return Err(format!(
                        "line {} names its virtual package in a way dlayer does not read",
                        piece.line
                    ));
                }
                Ok(one_line(
                    &family.install(&text, subcommand_end, virtual_name),
                    self.dockerfile.escape,
                ))
            })
            .collect::<Result<Vec<String>, String>>()?;
        let commands = [index_updates, commands].concat();
        let names = wanted
            .iter()
            .map(|&i| model.packages[i].name.clone())
            .collect();
        Ok((commands, names, family))
    }

    /// Writes the wrapped RUN of every transient step, once the layers are final: packages a
    /// production step installs explicitly are never removed.
    pub(super) fn write_transients(&mut self) -> Result<(), Refusal> {
        let escape = self.dockerfile.escape;
        for step in self.transients.clone() {
            let refuse = |why: String| Refusal {
                line: self.pieces[step.piece].line,
                reason: why,
            };
            let mut installs: Vec<String> = Vec::new();
            let mut names: Vec<String> = step.own.clone();
            let mut family = step.own_family;
            // In the original's order, whichever need made the step transient first.
            let mut needs = step.needs.clone();
            needs.sort_unstable();
            needs.dedup();
            for &need in &needs {
                let (commands, packages, need_family) =
                    self.transient_install(need).map_err(|why| {
                        refuse(format!(
                            "this step needs what line {} installs for development only, and dlayer cannot install it for this step alone: {why}",
                            self.pieces[need].line
                        ))
                    })?;
                if family.is_some_and(|family| family != need_family) {
                    return Err(refuse(
                        "this step's development packages come from more than one package manager, which dlayer does not install for one step".into(),
                    ));
                }
                family = Some(need_family);
                installs.extend(commands);
                names.extend(packages);
            }
            let Some(family) = family else {
                continue;
            };
            installs.dedup();
            // A second `apk add --virtual` of the same name would replace the first one's
            // packages: each apk install gets a virtual package of its own.
            let groups = managers::number_apk_groups(&mut installs);
            let mut named = names.clone();
            named.sort();
            named.dedup();
            let production: Vec<&str> = self
                .pieces
                .iter()
                .filter(|p| p.layer != Layer::Dev && p.role == Role::Install)
                .flat_map(|p| p.packages.iter().map(String::as_str))
                .chain(self.production_installs(step.piece))
                .collect();
            names.retain(|name| !production.contains(&name.as_str()) || step.own.contains(name));
            names.sort();
            names.dedup();
            let (head, script) = self.body(step.piece);
            let joint = format!(" {escape}\n    && ");
            let mut commands = family.before(!installs.is_empty(), &names, &step.own);
            commands.extend(installs.iter().cloned());
            if !installs.is_empty() {
                commands.extend(family.after_installs());
            }
            let original = match &step.as_user {
                Some(user) => self.as_user_command(step.piece, user).map_err(refuse)?,
                None => format!("{{ {script} ; }}"),
            };
            commands.push(original);
            commands.extend(family.after(!installs.is_empty(), &groups, &names, &step.own, &named));
            let mut text = head;
            text.push_str(&commands.join(&joint));
            text.push('\n');
            self.pieces[step.piece].text = text;
            self.pieces[step.piece].runs_as_root = step.as_user.is_some();
        }
        Ok(())
    }

    /// The command running piece `index`'s script as non-root user `user`, as the runtime
    /// would under its USER (see `transient_shape::as_user`).
    fn as_user_command(&self, index: usize, user: &str) -> Result<String, String> {
        let piece = &self.pieces[index];
        let model = &self.stage.instructions[piece.origin];
        let variables = self.stage.variables_at(piece.origin);
        let script = shell_script(&piece.text, self.dockerfile.escape).ok_or_else(|| {
            "dlayer cannot read the script of this step back to run it as its user".to_string()
        })?;
        let expanded = model.context.user.as_deref().unwrap_or(user);
        as_user::command(
            user,
            &expand(expanded, &variables),
            !variables.contains_key("HOME"),
            &model.context.shell,
            &script,
        )
    }

    /// OS packages production steps other than `except` install explicitly and keep.
    fn production_installs(&self, except: usize) -> Vec<&str> {
        self.pieces
            .iter()
            .enumerate()
            .filter(|(index, piece)| {
                *index != except && piece.layer != Layer::Dev && piece.role == Role::Step
            })
            .flat_map(|(index, piece)| {
                // A transient step removes its own development packages at its end.
                let own: &[String] = self
                    .transients
                    .iter()
                    .find(|step| step.piece == index)
                    .map_or(&[], |step| &step.own);
                self.stage.instructions[piece.origin]
                    .kept_packages()
                    .filter(move |p| {
                        os_ecosystem(p.manager).is_some()
                            && !piece.packages.contains(&p.name)
                            && !own.contains(&p.name)
                    })
                    .map(|p| p.name.as_str())
            })
            .collect()
    }
}

/// The one package-manager family of `packages` (manager, name), or why there is none:
/// `unsupported` words a manager dlayer writes no transient step for.
/// `apk_tags`: whether an apk repository tag (`name@edge`) may follow a name.
fn one_family<'a>(
    packages: impl IntoIterator<Item = (&'a str, &'a str)>,
    apk_tags: bool,
    unsupported: impl Fn(&str) -> String,
) -> Result<Family, String> {
    let mut found: Option<Family> = None;
    for (manager, name) in packages {
        let family = Family::of(manager).ok_or_else(|| unsupported(manager))?;
        if found.is_some_and(|other| other != family) {
            return Err("its development packages come from more than one package manager".into());
        }
        // Outside apt the names are written into shell loops and patterns: plain names only.
        let name = match name.split_once('@') {
            Some((untagged, _)) if apk_tags && family == Family::Apk => untagged,
            _ => name,
        };
        let plain = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._+-".contains(c));
        if family != Family::Apt && !plain {
            return Err(format!("`{name}` is not a plain package name"));
        }
        found = Some(family);
    }
    found.ok_or_else(|| "it installs no development package".into())
}

/// Whether family `family`'s wrapped RUN can run its step as non-root user `as_user`: the
/// `setpriv` doing it is util-linux's, which Debian, Ubuntu and the rpm distributions have
/// and Alpine's base does not (busybox has none).
fn family_runs_as(family: Family, as_user: Option<&str>) -> Result<(), String> {
    match (family, as_user) {
        (Family::Apk, Some(user)) => Err(format!(
            "it runs as user `{user}`, and root must install and remove its packages: Alpine's base has no `setpriv` to run the step as that user"
        )),
        _ => Ok(()),
    }
}

/// `exit N` with a literal non-zero N: the build fails there, removal or not.
fn fails_the_build(command: &crate::shell::Command) -> bool {
    match command.args.as_slice() {
        [status] => status
            .value()
            .and_then(|value| value.parse::<u32>().ok())
            .is_some_and(|status| status % 256 != 0),
        _ => false,
    }
}

/// The script a piece's RUN gives its shell (continuations joined, comment lines inside it
/// dropped), read back from the piece's text as the builder reads it.
fn shell_script(text: &str, escape: char) -> Option<String> {
    let directive = if escape == '\\' {
        String::new()
    } else {
        format!("# escape={escape}\n")
    };
    let dockerfile = crate::syntax::parse(&format!("{directive}{text}"));
    let instruction = dockerfile.instructions().next()?;
    match &instruction.arguments {
        Arguments::Shell(token) if instruction.kind == Keyword::Run => {
            Some(token.text.trim().to_string())
        }
        _ => None,
    }
}

fn with_why(refusal: Refusal, why: &str) -> Refusal {
    Refusal {
        line: refusal.line,
        reason: format!(
            "{}; nor can production install them for this step alone: {why}",
            refusal.reason
        ),
    }
}

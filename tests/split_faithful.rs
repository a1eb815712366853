//! `dlayer fix --split` is faithful by construction: moved installs keep their options, build
//! arguments keep working, comments stay, build-time-only variables travel.

use dlayer::model::Catalog;
use dlayer::stack::{Outcome, SplitOptions, split};

fn split_stages(source: &str) -> String {
    match split(source, "x", &SplitOptions::default(), Catalog::builtin()) {
        Ok(Outcome::Split(result)) => result.stages,
        Ok(Outcome::Unchanged(_)) => panic!("left unchanged:\n{source}"),
        Err(refusal) => panic!("refused: {refusal}\n{source}"),
    }
}

/// The stage `name` of a split output, its FROM line included.
fn stage<'a>(stages: &'a str, name: &str) -> &'a str {
    let header = format!(" AS {name}\n");
    let start = stages.find(&header).expect("stage present");
    let start = stages[..start].rfind("FROM").unwrap();
    let end = stages[start + 4..]
        .find("\nFROM ")
        .map_or(stages.len(), |i| start + 4 + i);
    &stages[start..end]
}

#[test]
fn a_moved_install_keeps_the_original_options() {
    let stages = split_stages(
        "FROM ubuntu:22.04\n\
         RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y -t jammy \\\n    nginx \\\n    vim\n\
         CMD [\"nginx\"]\n",
    );
    let dev = stage(&stages, "dev");
    assert!(
        dev.contains("DEBIAN_FRONTEND=noninteractive apt-get install -y -t jammy vim"),
        "{stages}"
    );
    assert!(!stages.contains("--no-install-recommends"), "{stages}");
}

#[test]
fn an_env_from_a_build_argument_keeps_reading_it() {
    let stages = split_stages(
        "FROM ubuntu:22.04\n\
         ARG TOMCAT_VER=9.0.1\n\
         RUN apt-get update && apt-get install -y nginx vim && echo $TOMCAT_VER > /v\n\
         ENV TOMCAT_VER=${TOMCAT_VER}\n\
         COPY app /app\n\
         CMD [\"nginx\"]\n",
    );
    let app = stage(&stages, "app");
    assert!(
        app.contains("ARG TOMCAT_VER=9.0.1\nENV TOMCAT_VER=${TOMCAT_VER}\n"),
        "{stages}"
    );
}

#[test]
fn every_comment_is_kept() {
    let source = "# top\nFROM ubuntu:22.04\n\
                  # about the install\n\n\
                  RUN apt-get update && apt-get install -y nginx vim\n\
                  # the port\n\
                  EXPOSE 22\n\
                  # build time\n\
                  ENV A=1\n\
                  CMD [\"nginx\"]\n\n\
                  # the end\n";
    let stages = split_stages(source);
    for line in source.lines().filter(|line| line.starts_with('#')) {
        assert!(stages.lines().any(|l| l == line), "{line} lost:\n{stages}");
    }
}

#[test]
fn debian_frontend_travels_with_the_steps() {
    let stages = split_stages(
        "FROM ubuntu:22.04\n\
         RUN apt-get update && apt-get install -y vim\n\
         ENV DEBIAN_FRONTEND=noninteractive\n\
         RUN apt-get update && apt-get install -y nginx\n\
         CMD [\"nginx\"]\n",
    );
    assert!(
        stages.contains("ENV DEBIAN_FRONTEND=noninteractive"),
        "{stages}"
    );
}

/// `a` comes before `b` in the output.
fn before(stages: &str, a: &str, b: &str) -> bool {
    let (Some(a), Some(b)) = (stages.find(a), stages.find(b)) else {
        panic!("`{a}` or `{b}` missing:\n{stages}");
    };
    a < b
}

#[test]
fn a_path_named_through_a_variable_keeps_its_order() {
    let stages = split_stages(
        "FROM ubuntu:22.04\n\
         ENV APP_HOME=/srv/app\n\
         RUN mkdir -p $APP_HOME/logs\n\
         RUN apt-get update && apt-get install -y nginx vim && ln -s /srv/app/logs /var/log/app\n\
         CMD [\"nginx\"]\n",
    );
    assert!(
        before(&stages, "mkdir -p $APP_HOME/logs", "install -y nginx"),
        "{stages}"
    );
}

#[test]
fn a_user_is_created_before_it_is_used() {
    let stages = split_stages(
        "FROM ubuntu:22.04\n\
         COPY . /srv/app\n\
         RUN chmod +x /srv/app/run.sh && useradd -m app\n\
         RUN apt-get update && apt-get install -y nginx vim && chown app /var/www\n\
         CMD [\"nginx\"]\n",
    );
    assert!(before(&stages, "useradd -m app", "chown app"), "{stages}");
}

#[test]
fn production_start_command_no_longer_starts_sshd() {
    let stages = split_stages(
        "FROM ubuntu:22.04\n\
         RUN apt-get update && apt-get install -y openssh-server mysql-server redis-server\n\
         EXPOSE 22 6379\n\
         CMD service ssh start && service mysql start && redis-server\n",
    );
    assert!(
        stage(&stages, "app").contains("CMD service mysql start && redis-server\n"),
        "{stages}"
    );
    assert!(
        stage(&stages, "dev")
            .contains("CMD service ssh start && service mysql start && redis-server\n"),
        "{stages}"
    );
}

#[test]
fn a_run_is_cut_between_production_and_sshd_setup() {
    let stages = split_stages(
        "FROM ubuntu:22.04\n\
         RUN apt-get update && apt-get install -y openssh-server bind9\n\
         # start script and sshd config\n\
         RUN printf 'exec named -g\\n' > /start.sh && chmod +x /start.sh \\\n \
         && sed -i 's/no/yes/' /etc/ssh/sshd_config && echo 'root:pw' | chpasswd\n\
         EXPOSE 22 53\n\
         CMD [\"/start.sh\"]\n",
    );
    let app = stage(&stages, "app");
    assert!(
        app.contains("# start script and sshd config\nRUN printf 'exec named -g\\n' > /start.sh && chmod +x /start.sh\n"),
        "{stages}"
    );
    let dev = stage(&stages, "dev");
    assert!(
        dev.contains("RUN sed -i 's/no/yes/' /etc/ssh/sshd_config && echo 'root:pw' | chpasswd\n"),
        "{stages}"
    );
}

#[test]
fn a_command_touching_sshd_and_production_files_is_not_moved_to_dev() {
    let source = "FROM ubuntu:22.04\n\
                  RUN apt-get update && apt-get install -y openssh-server bind9\n\
                  RUN chmod +x /etc/init.d/named /etc/init.d/sshd\n\
                  CMD [\"named\", \"-g\"]\n";
    match split(source, "x", &SplitOptions::default(), Catalog::builtin()) {
        Err(refusal) => assert_eq!(refusal.line, 3, "{refusal}"),
        Ok(Outcome::Split(result)) => assert!(
            stage(&result.stages, "app").contains("/etc/init.d/named"),
            "{}",
            result.stages
        ),
        Ok(Outcome::Unchanged(_)) => panic!("sshd in production is never left unchanged"),
    }
}

#[test]
fn prod_has_no_hc008_for_agents_the_split_placed_in_ops() {
    let stages = split_stages(
        "FROM ubuntu:22.04\n\
         RUN apt-get update && apt-get install -y nginx rsyslog vim\n\
         CMD [\"nginx\"]\n",
    );
    assert!(stage(&stages, "ops").contains("rsyslog"), "{stages}");
    let options = dlayer::lint::LintOptions {
        select: vec!["HC002".into(), "HC006".into(), "HC008".into()],
        target: Some("prod".into()),
        ..Default::default()
    };
    let linted = dlayer::lint::lint_bytes(
        stages.as_bytes(),
        std::path::Path::new("Dockerfile"),
        &options,
        None,
        &dlayer::rules::Settings::default(),
    );
    assert!(linted.diagnostics.is_empty(), "{:?}", linted.diagnostics);
}

#[test]
fn supervisord_program_entries_for_sshd_move_to_dev() {
    let stages = split_stages(
        "FROM debian:bookworm\n\
         RUN apt-get update && apt-get install -y supervisor openssh-server nginx\n\
         RUN mkdir -p /var/run/sshd /var/log/supervisor \\\n \
         && echo '[program:sshd]' >> /etc/supervisor/conf.d/all.conf \\\n \
         && echo '[program:nginx]' >> /etc/supervisor/conf.d/all.conf\n\
         EXPOSE 22 80\n\
         CMD [\"/usr/bin/supervisord\"]\n",
    );
    let app = stage(&stages, "app");
    assert!(
        app.contains("RUN mkdir -p /var/log/supervisor && echo '[program:nginx]' >> /etc/supervisor/conf.d/all.conf\n"),
        "{stages}"
    );
    assert!(
        !app.lines()
            .any(|l| !l.starts_with('#') && l.contains("sshd")),
        "{stages}"
    );
    assert!(
        stage(&stages, "dev").contains(
            "RUN mkdir -p /var/run/sshd && echo '[program:sshd]' >> /etc/supervisor/conf.d/all.conf\n"
        ),
        "{stages}"
    );
}

#[test]
fn a_step_naming_only_absolute_paths_runs_after_a_moved_workdir() {
    let stages = split_stages(
        "FROM node:18\n\
         RUN apt-get update && apt-get install -y vim\n\
         WORKDIR /app\n\
         COPY . .\n\
         CMD [\"node\", \"index.js\"]\n",
    );
    assert!(
        stage(&stages, "dev").contains("RUN apt-get update && apt-get install -y vim\n"),
        "{stages}"
    );
}

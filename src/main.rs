//! The `cohort` command: parse arguments, load config, call into the library. Nothing else.
//!
//! The commands themselves are in `cli/`.

mod cli;

use clap::Parser;
use cli::Cli;
use cohort::config::Config;
use std::{path::PathBuf, process::ExitCode};

fn load_config(path: Option<PathBuf>) -> Result<Config, String> {
    let default = PathBuf::from("config/cohort.toml");
    let path = path.or_else(|| default.exists().then_some(default));
    Config::load(path.as_deref(), std::env::vars()).map_err(|e| e.to_string())
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&config.logging.level));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if config.logging.json {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match load_config(cli.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config);
    match cli::run(cli.command, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

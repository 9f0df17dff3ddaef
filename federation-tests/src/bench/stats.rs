//! Latency summaries and a process's resident memory, as the tools print them.

use std::time::Duration;

/// What one scenario measured.
pub struct Summary {
    pub ok: usize,
    pub errors: usize,
    pub first_error: Option<String>,
    pub secs: f64,
    /// Latencies of the successful requests, sorted.
    pub latencies: Vec<Duration>,
}

impl Summary {
    /// The `q`-quantile (0.0–1.0) of the successful requests' latencies.
    pub fn quantile(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((self.latencies.len() as f64 * q) as usize).min(self.latencies.len() - 1);
        self.latencies[i]
    }

    /// One line: requests/s, p50, p99, max and errors.
    pub fn line(&self, label: &str) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let mut s = format!(
            "{label:<14} {:>7} ok in {:.1}s: {:>8.1} req/s, p50 {:>7.2} ms, p99 {:>7.2} ms, max {:>7.2} ms, errors {}",
            self.ok,
            self.secs,
            self.ok as f64 / self.secs.max(1e-9),
            ms(self.quantile(0.50)),
            ms(self.quantile(0.99)),
            ms(self.latencies.last().copied().unwrap_or_default()),
            self.errors
        );
        if let Some(e) = &self.first_error {
            s.push_str(&format!(" (first: {e})"));
        }
        s
    }
}

/// Sorts the latencies into a summary.
pub fn summarize(
    mut latencies: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
    secs: f64,
) -> Summary {
    latencies.sort_unstable();
    Summary {
        ok: latencies.len(),
        errors,
        first_error,
        secs,
        latencies,
    }
}

/// `VmHWM` (peak) and `VmRSS` (now) of a process in KiB, from /proc (this process when `None`).
pub fn memory(pid: Option<u32>) -> Option<(u64, u64)> {
    let path = match pid {
        Some(p) => format!("/proc/{p}/status"),
        None => "/proc/self/status".into(),
    };
    let text = std::fs::read_to_string(path).ok()?;
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

/// `VmHWM … MiB, VmRSS … MiB` of a process, or why it is unknown.
pub fn memory_line(pid: Option<u32>) -> String {
    match memory(pid) {
        Some((hwm, rss)) => format!(
            "VmHWM {:.1} MiB, VmRSS {:.1} MiB",
            hwm as f64 / 1024.0,
            rss as f64 / 1024.0
        ),
        None => "memory unknown (no /proc status for that process)".into(),
    }
}

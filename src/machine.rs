//! Facts about the machine and the process that several floors need: the memory available and
//! the time since the process started (so that a solve keeps the whole run within its limit).

/// Memory the kernel says is available to new allocations, bytes (Linux `MemAvailable`); None
/// elsewhere.
pub fn available_memory() -> Option<f64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb: f64 = info.lines().find(|l| l.starts_with("MemAvailable:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024.0)
}

static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Mark the start of the process (the CLI calls it first).
pub fn mark_process_start() {
    let _ = STARTED.set(std::time::Instant::now());
}

/// Seconds since `mark_process_start` (0 when it was not called, as in library use).
pub fn process_seconds() -> f64 {
    STARTED.get().map_or(0.0, |t| t.elapsed().as_secs_f64())
}

/// End the process now with `code`, after flushing stdout and stderr, without running the C and
/// C++ exit handlers. For the watchdog, which ends the process while a HiGHS solve still runs on
/// another thread: `std::process::exit` runs HiGHS's static destructors under that solve, and
/// the process then died of SIGABRT after writing its output (seen once in twelve generated
/// n = 200 solves at 60 s), so the exit code said failure for a complete result.
pub fn exit_now(code: i32) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    extern "C" {
        fn _exit(code: i32) -> !;
    }
    // SAFETY: `_exit` (POSIX) takes an int and never returns; nothing is left to unwind.
    unsafe { _exit(code) }
}

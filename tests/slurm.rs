//! The README's Slurm array-job recipe, run on a real one-node Slurm cluster started on this
//! machine (`tests/slurm/cluster.sh`; `.ci/run` installs `slurm-wlm` and `munge`; needs root).
//! The recipe is taken from the README as written, with three changes only: the spec
//! (`instances/sweeps/hubs-contiguity.toml`, 16 scenarios), `--array=0-3` and `/4`. One array task
//! is cancelled with `scancel` mid-way (it must hold at least one result and fewer than all), then
//! resubmitted; `alue merge` of the four shards must equal a single-machine run of the spec in every
//! field but `solve_seconds`, `bound` and `gap`.
//!
//! Outside CI the test says it skipped when Slurm is missing or the user is not root; with `CI`
//! set it fails instead.

use alue::sweep::results::{read_results, Record};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The README's Slurm recipe: the `sh` block that holds `#SBATCH --array`.
fn readme_recipe() -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let blocks: Vec<&str> = readme.split("```").collect();
    let block = blocks.iter().skip(1).step_by(2).find(|b| b.contains("#SBATCH --array")).expect("the README has a Slurm recipe");
    block.strip_prefix("sh\n").expect("the Slurm recipe is an sh block").to_string()
}

/// `text` with `from` replaced by `to`, insisting that `from` occurs exactly `times` times.
fn replace_n(text: &str, from: &str, to: &str, times: usize) -> String {
    assert_eq!(text.matches(from).count(), times, "the README recipe should hold `{from}` {times} time(s):\n{text}");
    text.replace(from, to)
}

fn run(cmd: &mut Command) -> String {
    let o = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(o.status.success(), "{cmd:?} failed: {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// The cluster's daemons, stopped by their pid files when the test ends (also on failure).
struct Cluster {
    dir: PathBuf,
    conf: String,
}

impl Cluster {
    fn start(dir: &Path) -> Cluster {
        let free = || std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().to_string();
        let conf = run(Command::new(root().join("tests/slurm/cluster.sh")).arg("start").arg(dir).env("ALUE_SLURMCTLD_PORT", free()).env("ALUE_SLURMD_PORT", free()));
        Cluster { dir: dir.to_path_buf(), conf: conf.lines().last().unwrap().to_string() }
    }

    fn cmd(&self, program: &str, bin_dir: &Path) -> Command {
        let mut c = Command::new(program);
        let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
        c.env("SLURM_CONF", &self.conf).env("PATH", path);
        c
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(root().join("tests/slurm/cluster.sh")).arg("stop").arg(&self.dir).status();
    }
}

fn lines_of(path: &Path) -> usize {
    std::fs::read_to_string(path).map(|t| t.lines().count()).unwrap_or(0)
}

/// Wait until no task of the job is queued or running.
fn wait_job(cl: &Cluster, bin: &Path, job: &str, limit: Duration) {
    let t0 = Instant::now();
    loop {
        let q = run(cl.cmd("squeue", bin).args(["-h", "-j", job, "-o", "%i %t"]));
        if q.is_empty() {
            return;
        }
        assert!(t0.elapsed() < limit, "job {job} still queued after {limit:?}: {q}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Records without the fields that may differ between runs (README: solve_seconds, and HiGHS's
/// final dual bound and gap within the scenario's mip_gap).
fn comparable(dir: &Path) -> Vec<Record> {
    let mut v = read_results(&dir.join("results.jsonl"), false).unwrap();
    for r in &mut v {
        r.solve_seconds = 0.0;
        r.bound = None;
        r.gap = None;
    }
    v
}

fn slurm_available() -> bool {
    let root = Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false);
    let bins = ["sbatch", "slurmctld", "slurmd", "munged"].iter().all(|b| {
        Command::new("sh").arg("-c").arg(format!("command -v {b} || test -x /usr/sbin/{b}")).output().map(|o| o.status.success()).unwrap_or(false)
    });
    root && bins
}

#[test]
fn readme_array_job_on_a_real_slurm_cluster_equals_the_single_run() {
    if !slurm_available() {
        assert!(std::env::var_os("CI").is_none(), "Slurm (slurm-wlm, munge) and root are needed in CI");
        eprintln!("skipped: Slurm or root not available (install slurm-wlm and munge, run as root)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let alue = PathBuf::from(env!("CARGO_BIN_EXE_alue"));
    let bin = alue.parent().unwrap().to_path_buf();
    let spec = root().join("instances/sweeps/hubs-contiguity.toml");

    // The single-machine reference run.
    let t0 = Instant::now();
    run(Command::new(&alue).args(["sweep"]).arg(&spec).arg("--out").arg(work.join("single")).args(["--jobs", "2", "--quiet"]));
    let single_s = t0.elapsed().as_secs_f64();
    let total = lines_of(&work.join("single/results.jsonl"));
    assert_eq!(total, 16);

    let script = replace_n(&readme_recipe(), "reform-1000.toml", &spec.display().to_string(), 1);
    let script = replace_n(&script, "--array=0-15", "--array=0-3", 1);
    let script = replace_n(&script, "/16", "/4", 1);
    std::fs::write(work.join("array.sh"), &script).unwrap();

    let cl = Cluster::start(&tmp.path().join("cluster"));
    let t1 = Instant::now();
    let job = run(cl.cmd("sbatch", &bin).current_dir(&work).args(["--parsable", "array.sh"]));
    let job = job.split(';').next().unwrap().to_string();

    // Cancel task 0 once it has written its first result: its shard holds the slowest scenarios
    // (contiguity with hubs anywhere, about 2 s each), so the cancel lands mid-way.
    let victim = work.join("shards/0/results.jsonl");
    let t = Instant::now();
    while lines_of(&victim) == 0 {
        assert!(t.elapsed() < Duration::from_secs(300), "task 0 wrote no result in 300 s");
        std::thread::sleep(Duration::from_millis(5));
    }
    run(cl.cmd("scancel", &bin).arg(format!("{job}_0")));
    wait_job(&cl, &bin, &job, Duration::from_secs(600));
    let shards_s = t1.elapsed().as_secs_f64();
    let cut_short = lines_of(&victim);

    // Resubmit the cancelled task: it resumes its shard.
    let again = run(cl.cmd("sbatch", &bin).current_dir(&work).args(["--parsable", "--array=0", "array.sh"]));
    wait_job(&cl, &bin, again.split(';').next().unwrap(), Duration::from_secs(600));
    let shard_total = lines_of(&victim);
    assert!(cut_short >= 1 && cut_short < shard_total, "the cancelled task holds {cut_short} of its {shard_total} results: the scancel did not land mid-way");

    let shards: Vec<PathBuf> = (0..4).map(|i| work.join(format!("shards/{i}"))).collect();
    run(Command::new(&alue).arg("merge").args(&shards).arg("--out").arg(work.join("merged")));
    let (merged, single) = (comparable(&work.join("merged")), comparable(&work.join("single")));
    assert_eq!(merged.len(), total);
    for (m, s) in merged.iter().zip(&single) {
        assert_eq!(m, s, "scenario {} differs between the Slurm shards and the single run", m.index);
    }
    for f in ["partitions.csv", "pareto.csv", "cost_by_areas.csv", "hubs.csv", "coassignment.csv", "flips.csv"] {
        assert_eq!(std::fs::read(work.join("merged").join(f)).unwrap(), std::fs::read(work.join("single").join(f)).unwrap(), "{f} differs");
    }
    eprintln!(
        "slurm: single run {single_s:.1} s; four array tasks (one cancelled after {cut_short} of {shard_total} results) {shards_s:.1} s; \
         merged result equals the single run in all {total} records"
    );
}

//! The terminal summary: per area, totals with units, status, bound, gap, time.

use super::thousands as t;
use crate::{Problem, RunResult, Status};
use std::fmt::Write;

fn euro(x: f64) -> String {
    format!("{} €", t(x, 0))
}

/// Render the summary of a run.
pub fn render(r: &RunResult, p: &Problem) -> String {
    let mut s = String::new();
    let inst = p.inst;
    let _ = writeln!(s, "alue {} — instance {} ({} units, {} adjacent pairs{})", r.kind, inst.name, inst.n(), inst.edges.len(),
        if p.sc.contiguity { ", contiguity on" } else { ", contiguity off" });
    if let Some(ev) = &r.evaluation {
        let _ = writeln!(s);
        let _ = writeln!(s, "{:<22} {:<14} {:>5} {:>12} {:>10} {:>8} {:>13} {:>13} {:>13} {:>13}",
            "area", "hub", "units", "labour force", "jobseekers", "advisers", "travel €/yr", "cost €/yr", "funding €/yr", "equalis. €/yr");
        for a in &ev.areas {
            let name = r.area_names.get(&a.hub).cloned().unwrap_or_else(|| inst.units[a.hub].name.clone());
            let _ = writeln!(s, "{:<22} {:<14} {:>5} {:>12} {:>10} {:>8} {:>13} {:>13} {:>13} {:>13}",
                name.chars().take(22).collect::<String>(), inst.units[a.hub].name.chars().take(14).collect::<String>(), a.members.len(),
                t(a.labour_force, 0), t(a.jobseekers, 0), format!("{} FTE", t(a.advisers, 0)), t(a.travel, 0), t(a.production_cost, 0), t(a.funding, 0), t(a.equalisation, 0));
            let names: Vec<&str> = a.members.iter().map(|&i| inst.units[i].name.as_str()).collect();
            let _ = writeln!(s, "    members: {}", names.join(", "));
        }
        let lf: f64 = ev.areas.iter().map(|a| a.labour_force).sum();
        let js: f64 = ev.areas.iter().map(|a| a.jobseekers).sum();
        let adv: f64 = ev.areas.iter().map(|a| a.advisers).sum();
        let fund: f64 = ev.areas.iter().map(|a| a.funding).sum();
        let _ = writeln!(s, "{:<22} {:<14} {:>5} {:>12} {:>10} {:>8} {:>13} {:>13} {:>13} {:>13}", "total", format!("{} areas", ev.areas.len()), inst.n(),
            t(lf, 0), t(js, 0), format!("{} FTE", t(adv, 0)), t(ev.terms.travel, 0), t(ev.terms.production, 0), t(fund, 0), t(ev.terms.equalisation, 0));
        let _ = writeln!(s);
        let w = p.sc;
        let _ = writeln!(s, "objective  {}/year = {}×travel {} + {}×equalisation {} + {}×production {}",
            euro(ev.objective), w.travel_weight, euro(ev.terms.travel), w.equalisation_weight, euro(ev.terms.equalisation), w.production_weight, euro(ev.terms.production));
    }
    let _ = write!(s, "status     {}", r.status.as_str());
    match r.status {
        Status::Optimal => {
            let _ = write!(s, " (proven by HiGHS, relative gap ≤ {})", p.sc.mip_gap);
        }
        Status::Infeasible if r.kind == "solve" => {
            let _ = write!(s, " (HiGHS proved that no partition meets every constraint together: the thresholds {}, contiguity {}, the hub rules and the number of areas; relax one with --set)",
                p.thresholds.iter().map(|t| format!("{}…{} {}", t.min, t.max, t.name)).collect::<Vec<_>>().join(", "), p.sc.contiguity);
        }
        Status::TimeLimit => {
            let _ = write!(s, " (stopped after {} s; best partition found, not proven optimal)", p.sc.time_limit);
        }
        _ => {}
    }
    let _ = writeln!(s);
    if let Some(b) = r.bound {
        let _ = writeln!(s, "bound      {}/year (no partition of this scenario costs less)", euro(b));
    }
    if let Some(g) = r.gap {
        let _ = writeln!(s, "gap        {:.4} %", 100.0 * g);
    }
    if let Some(o) = &r.outcome {
        let _ = writeln!(s, "solve      {:.2} s wall, {} HiGHS round(s), {} contiguity cut(s), {} of {} assignment pairs and {} candidate hubs after reductions",
            o.seconds, o.rounds, o.cuts, o.pairs, inst.n() * inst.n(), o.hubs);
    }
    if let Some(v) = &r.validation {
        if v.is_feasible() {
            let _ = writeln!(s, "validated  every constraint of MODEL.md holds; objective recomputed from the data: {}/year", euro(v.objective));
        } else {
            let _ = writeln!(s, "violations ({}):", v.violations.len());
            for x in &v.violations {
                let _ = writeln!(s, "  - {}: {}", x.constraint, x.detail);
            }
        }
    }
    if r.kind == "evaluate" {
        match (&r.reference, &r.evaluation) {
            (Some(o), Some(ev)) => {
                if let Some(obj) = o.objective {
                    let _ = writeln!(s, "scenario optimum {}/year ({}{}); this partition costs {} more ({:.2} %)",
                        euro(obj), o.status.as_str(), o.gap.map(|g| format!(", gap {:.4} %", 100.0 * g)).unwrap_or_default(),
                        euro(ev.objective - obj), 100.0 * (ev.objective - obj) / obj.abs().max(1e-9));
                }
            }
            _ => {
                let _ = writeln!(s, "scenario optimum: not computed (the scenario is infeasible or --no-compare was given)");
            }
        }
    }
    s
}

//! The terminal summary: per area, totals with units, status, bound, gap, time.

use super::thousands as t;
use crate::{Problem, RunResult, Status};
use std::fmt::Write;

/// An objective value with its unit: `3 773 187 €` (the unit's "/year" is said by the caller), or
/// `32 944.25 population·km²×10⁻⁶`.
fn value(p: &Problem, x: f64) -> String {
    let unit = p.sc.objective_unit();
    match unit.strip_suffix("/year") {
        Some(u) => format!("{} {u}", t(x, p.sc.objective_decimals())),
        None => format!("{} {unit}", t(x, p.sc.objective_decimals())),
    }
}

/// "/year" when the objective is money per year.
fn per_year(p: &Problem) -> &'static str {
    if p.sc.objective_unit().ends_with("/year") { "/year" } else { "" }
}

/// The per-area table of a research instance (population and travel only).
fn research_areas(s: &mut String, r: &RunResult, p: &Problem, ev: &crate::Evaluation) {
    let inst = p.inst;
    let _ = writeln!(s, "{:<22} {:<14} {:>5} {:>12} {:>16}", "area", "hub", "units", "population", format!("travel ({})", p.sc.objective_unit()));
    for a in &ev.areas {
        let name = r.area_names.get(&a.hub).cloned().unwrap_or_else(|| inst.units[a.hub].name.clone());
        let _ = writeln!(s, "{:<22} {:<14} {:>5} {:>12} {:>16}", name.chars().take(22).collect::<String>(),
            inst.units[a.hub].name.chars().take(14).collect::<String>(), a.members.len(), t(a.population, 0), t(a.travel, p.sc.objective_decimals()));
    }
    let pop: f64 = ev.areas.iter().map(|a| a.population).sum();
    let _ = writeln!(s, "{:<22} {:<14} {:>5} {:>12} {:>16}", "total", format!("{} areas", ev.areas.len()), inst.n(), t(pop, 0), t(ev.terms.travel, p.sc.objective_decimals()));
    let _ = writeln!(s);
    let _ = writeln!(s, "objective  {} = {}×travel", value(p, ev.objective), p.sc.travel_weight);
}

/// Render the summary of a run.
pub fn render(r: &RunResult, p: &Problem) -> String {
    let mut s = String::new();
    let inst = p.inst;
    let _ = writeln!(s, "alue {} — instance {} ({} units, {} adjacent pairs{})", r.kind, inst.name, inst.n(), inst.edges.len(),
        if p.sc.contiguity { ", contiguity on" } else { ", contiguity off" });
    if let Some(ev) = r.evaluation.as_ref().filter(|_| !inst.employment) {
        let _ = writeln!(s);
        research_areas(&mut s, r, p, ev);
    } else if let Some(ev) = &r.evaluation {
        employment_areas(&mut s, r, p, ev);
    }
    status(&mut s, r, p);
    solve_facts(&mut s, r, p);
    validation(&mut s, r, p);
    if r.kind == "evaluate" {
        comparison(&mut s, r, p);
    }
    s
}

/// The employment model's table of areas, its totals, the objective's terms and the organiser.
fn employment_areas(s: &mut String, r: &RunResult, p: &Problem, ev: &crate::Evaluation) {
    let inst = p.inst;
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
    let v = |x| value(p, x);
    let _ = writeln!(s, "objective  {}{} = {}×travel {} + {}×equalisation {} + {}×production {}",
        v(ev.objective), per_year(p), w.travel_weight, v(ev.terms.travel), w.equalisation_weight, v(ev.terms.equalisation), w.production_weight, v(ev.terms.production));
    if let Some(l) = p.lead {
        let _ = writeln!(s, "organiser  provincial lead {}: administration {} €/area·year; central cost {} €/year borne by {} (a constant, not in the objective)",
            inst.units[l].name, t(w.provincial_admin_cost, 0), t(ev.terms.central, 0), inst.units[l].name);
    }
}

/// The status line: optimal (and by what), infeasible (and why), or the limit reached.
fn status(s: &mut String, r: &RunResult, p: &Problem) {
    let _ = write!(s, "status     {}", r.status.as_str());
    match r.status {
        Status::Optimal => {
            let by = r.outcome.as_ref().map_or("HiGHS", crate::solve::bound_source);
            let _ = write!(s, " (proven by {by}, relative gap ≤ {})", p.sc.mip_gap);
        }
        Status::Infeasible if r.outcome.as_ref().is_some_and(|o| o.highs_status.starts_with(crate::solve::BY_EXACT_COVER)) => {
            let how = r.outcome.as_ref().map_or("", |o| o.highs_status.trim_start_matches("not run: "));
            let _ = write!(s, " ({how}: every connected area (contiguity true) within the thresholds {} was listed, and no {} of them cover every unit once; relax one with --set)",
                thresholds(p), if p.areas.0 == p.areas.1 { p.areas.0.to_string() } else { format!("{}…{}", p.areas.0, p.areas.1) });
        }
        Status::Infeasible if r.kind == "solve" => {
            let _ = write!(s, " (HiGHS proved that no partition meets every constraint together: the thresholds {}, contiguity {}, the hub rules and the number of areas; relax one with --set)",
                thresholds(p), p.sc.contiguity);
        }
        Status::TimeLimit => {
            let _ = write!(s, " ({})", super::json::status_words(r, p));
        }
        _ => {}
    }
    let _ = writeln!(s);
}

/// The thresholds as `min…max name`, for the reasons of an infeasible status.
fn thresholds(p: &Problem) -> String {
    p.thresholds.iter().map(|t| format!("{}…{} {}", t.min, t.max, t.name)).collect::<Vec<_>>().join(", ")
}

/// The bound, gap, solve counters, the Lagrangian phase and the joined edges.
fn solve_facts(s: &mut String, r: &RunResult, p: &Problem) {
    let inst = p.inst;
    if let Some(b) = r.bound {
        let _ = writeln!(s, "bound      {}{} (no partition of this scenario costs less)", value(p, b), per_year(p));
    }
    if let Some(g) = r.gap {
        let _ = writeln!(s, "gap        {:.4} %", 100.0 * g);
    }
    if let Some(note) = r.outcome.as_ref().map(|o| &o.highs_status).filter(|h| h.starts_with(crate::solve::limits::NOT_BUILT)) {
        let _ = writeln!(s, "note       {note}");
    }
    if let Some(o) = &r.outcome {
        let _ = writeln!(s, "solve      {:.2} s wall, {} HiGHS round(s), {} contiguity cut(s), {} of {} assignment pairs and {} candidate hubs after reductions",
            o.seconds, o.rounds, o.cuts, o.pairs, inst.n() * inst.n(), o.hubs);
        if let Some(d) = &o.dual {
            let _ = writeln!(s, "dual       Lagrangian bound {}{} after {} evaluations (r-algorithm, {:.2} s); it fixed {} of {} assignment pairs and closed {} hubs before the MIP; the final bound is {}",
                value(p, d.bound), per_year(p), d.evaluations, d.seconds, d.fixed_pairs, d.pairs_before, d.closed_hubs, crate::solve::bound_source(o));
        }
    }
    if !inst.joined.is_empty() {
        let list: Vec<String> = inst.joined.iter().map(|&(a, b, km)| format!("{} – {} ({km:.0} km)", inst.units[a].code, inst.units[b].code)).collect();
        let _ = writeln!(s, "joined     {} edge(s) added to connect the graph's components (connect_components): {}", list.len(), list.join(", "));
    }
}

/// The validator's verdict.
fn validation(s: &mut String, r: &RunResult, p: &Problem) {
    if let Some(v) = &r.validation {
        if v.is_feasible() {
            let _ = writeln!(s, "validated  every constraint of MODEL.md holds; objective recomputed from the data: {}{}", value(p, v.objective), per_year(p));
        } else {
            let _ = writeln!(s, "violations ({}):", v.violations.len());
            for x in &v.violations {
                let _ = writeln!(s, "  - {}: {}", x.constraint, x.detail);
            }
        }
    }
}

/// `evaluate`'s comparison with the scenario's optimum (or what is known of it).
fn comparison(s: &mut String, r: &RunResult, p: &Problem) {
    match (&r.reference, &r.evaluation) {
        (Some(o), Some(ev)) => match (o.objective, o.status) {
            (Some(obj), crate::Status::Optimal) => {
                let _ = writeln!(s, "scenario optimum {}{} (optimal); this partition costs {} more ({:.2} %)",
                    value(p, obj), per_year(p), value(p, ev.objective - obj), 100.0 * (ev.objective - obj) / obj.abs().max(1e-9));
            }
            (obj, _) => {
                // Not proven: say what is known, a partition and a bound, never "optimum".
                let best = obj.map(|obj| format!("best partition found {}{}", value(p, obj), per_year(p))).unwrap_or_else(|| "no partition found".into());
                let bound = o.bound.map(|b| format!(", bound {}{}", value(p, b), per_year(p))).unwrap_or_default();
                let _ = write!(s, "scenario optimum not proven ({}): {best}{bound}", o.status.as_str());
                if let Some(b) = o.bound {
                    let _ = write!(s, "; this partition costs at most {} ({:.2} %) more than the optimum", value(p, ev.objective - b), 100.0 * (ev.objective - b) / b.abs().max(1e-9));
                }
                let _ = writeln!(s);
            }
        },
        _ => {
            let _ = writeln!(s, "scenario optimum: not computed (the scenario is infeasible or --no-compare was given)");
        }
    }
}

//! solution.json: status, objective, bound, gap, terms (€/year), solve_seconds, areas, violations.

use crate::{Problem, RunResult, Status};
use serde_json::{json, Value};

fn num(x: Option<f64>) -> Value {
    x.filter(|v| v.is_finite()).map(Value::from).unwrap_or(Value::Null)
}

/// Render the JSON document of a run.
pub fn render(r: &RunResult, p: &Problem) -> String {
    let inst = p.inst;
    let ev = r.evaluation.as_ref();
    let areas: Vec<Value> = ev
        .map(|ev| {
            ev.areas
                .iter()
                .map(|a| {
                    json!({
                        "area": r.area_names.get(&a.hub).cloned().unwrap_or_else(|| inst.units[a.hub].name.clone()),
                        "hub": inst.units[a.hub].code,
                        "hub_name": inst.units[a.hub].name,
                        "members": a.members.iter().map(|&i| inst.units[i].code.clone()).collect::<Vec<_>>(),
                        "population": a.population,
                        "labour_force": a.labour_force,
                        "jobseekers": a.jobseekers,
                        "advisers_fte": a.advisers,
                        "travel_eur_per_year": a.travel,
                        "production_cost_eur_per_year": a.production_cost,
                        "funding_eur_per_year": a.funding,
                        "equalisation_eur_per_year": a.equalisation,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let assignment: serde_json::Map<String, Value> = ev
        .map(|ev| ev.hub_of.iter().enumerate().map(|(i, &j)| (inst.units[i].code.clone(), Value::from(inst.units[j].code.clone()))).collect())
        .unwrap_or_default();
    let o = r.outcome.as_ref().or(r.reference.as_ref());
    let doc = json!({
        "kind": r.kind,
        "instance": inst.name,
        "instance_path": inst.dir.as_ref().map(|d| std::fs::canonicalize(d).unwrap_or_else(|_| d.clone()).display().to_string()),
        "status": r.status.as_str(),
        "partition_found": ev.is_some(),
        "message": status_words(r, p),
        "objective": num(ev.map(|e| e.objective)),
        "bound": num(r.bound),
        "gap": num(r.gap),
        "unit": p.sc.objective_unit_ascii(),
        "terms": {
            "travel": num(ev.map(|e| e.terms.travel)),
            "equalisation": num(ev.map(|e| e.terms.equalisation)),
            "production": num(ev.map(|e| e.terms.production)),
            "central": num(ev.map(|e| e.terms.central)),
        },
        "weights": {"travel": p.sc.travel_weight, "equalisation": p.sc.equalisation_weight, "production": p.sc.production_weight},
        "solve_seconds": r.seconds,
        "number_of_areas": ev.map(|e| e.areas.len()),
        "areas": areas,
        "assignment": assignment,
        "validated": r.validation.as_ref().map(|v| v.is_feasible()),
        "violations": r.validation.as_ref().map(|v| serde_json::to_value(&v.violations).unwrap()).unwrap_or(Value::Null),
        "optimum": r.reference.as_ref().map(|o| json!({"status": o.status.as_str(), "objective": num(o.objective), "bound": num(o.bound), "gap": num(o.gap)})),
        "solver": o.map(|o| json!({
            "highs_status": o.highs_status, "rounds": o.rounds, "cuts": o.cuts, "pairs": o.pairs, "candidate_hubs": o.hubs,
            "heuristic_objective": num(o.heuristic),
            "fixed_by_reduced_cost": o.fixed_by_cost,
            "bound_source": crate::solve::bound_source(o),
            "lagrangian": o.dual.as_ref().map(|d| json!({
                "bound": d.bound, "whole_unit_bound": d.whole_units, "evaluations": d.evaluations, "seconds": d.seconds,
                "fixed_pairs": d.fixed_pairs, "pairs_before": d.pairs_before, "closed_hubs": d.closed_hubs,
            })),
            "column_generation": o.columns.as_ref().map(|c| json!({
                "bound": num(Some(c.bound)), "master_lp": num(Some(c.master_lp)), "converged": c.converged, "master_lps": c.lps,
                "exact_pricing_rounds": c.exact_rounds, "columns": c.columns, "partition_objective": num(c.partition), "seconds": c.seconds,
            })),
            "peak_rss_mb": num(super::peak_rss_mb()),
        })),
        "scenario": serde_json::to_value(p.sc).unwrap(),
        "joined_edges": if p.sc.connect_components {
            Value::from(inst.joined.iter().map(|&(a, b, km)| json!({"a": inst.units[a].code, "b": inst.units[b].code, "km": km})).collect::<Vec<_>>())
        } else {
            Value::Null
        },
    });
    serde_json::to_string_pretty(&doc).unwrap() + "\n"
}

/// The search ended with column generation (see `solve::column_generation`).
fn by_columns(r: &RunResult) -> bool {
    r.outcome.as_ref().is_some_and(|o| o.highs_status == crate::solve::column_generation::BY_COLUMNS)
}

/// The status in words: proven optimal, a partition with its gap, or none found, and why.
pub fn status_words(r: &RunResult, p: &Problem) -> String {
    let found = r.evaluation.is_some();
    let not_built = r.outcome.as_ref().is_some_and(|o| o.highs_status.starts_with(crate::solve::limits::NOT_BUILT));
    match r.status {
        Status::Optimal => format!("proven optimal by {}", r.outcome.as_ref().map_or("HiGHS", crate::solve::bound_source)),
        Status::Infeasible => "infeasible: no partition meets every constraint".to_string(),
        Status::Feasible => "a feasible partition, not proven optimal".to_string(),
        Status::TimeLimit => {
            let when = if not_built {
                "the MIP was too large to build (see the solver note)".to_string()
            } else if by_columns(r) {
                format!("column generation and recombination ended within the {} s limit, in {:.0} s", p.sc.time_limit, r.seconds)
            } else {
                format!("stopped after {} s", p.sc.time_limit)
            };
            match (found, r.gap) {
                (true, Some(g)) => format!("{when}; best partition found, not proven optimal (gap {:.4} %)", 100.0 * g),
                (true, None) => format!("{when}; best partition found, not proven optimal, no bound"),
                (false, _) => format!("{when}; no partition found"),
            }
        }
    }
}

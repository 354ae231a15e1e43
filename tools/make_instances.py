#!/usr/bin/env python3
"""Build instances/ from ../shared/data (read-only). No number is typed in: every value is copied
from the shared files. Run from the repository root: python3 tools/make_instances.py [SHARED_DIR]."""
import csv, json, os, sys

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared")
data = os.path.join(shared, "data")
out = "instances"

def rows(name):
    with open(os.path.join(data, name), encoding="utf-8") as f:
        return list(csv.DictReader(f))

def write_csv(path, header, body):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(body)

def write_geojson(path, src, codes):
    with open(os.path.join(data, src), encoding="utf-8") as f:
        gj = json.load(f)
    feats = []
    for ft in gj["features"]:
        code = ft["properties"].get("code") or ft["properties"]["NATCODE"]
        if code in codes:
            props = dict(ft["properties"]); props["code"] = code
            feats.append({"type": "Feature", "properties": props, "geometry": ft["geometry"]})
    assert len(feats) == len(codes), (path, len(feats), len(codes))
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": feats}, f, ensure_ascii=False)
        f.write("\n")

def write_adjacency(path, src, codes):
    body = [[r["code_a"], r["code_b"], r["border_kind"]] for r in rows(src) if r["code_a"] in codes and r["code_b"] in codes]
    write_csv(path, ["code_a", "code_b", "border_kind"], body)
    return len(body)

# Lead municipalities of the region's real 2025 areas (DOMAIN.md), looked up by name.
LEADS = {"Oulun seutu": "Oulu", "Raahe": "Raahe", "Ylivieska-Kalajoki-Nivala": "Ylivieska", "Kainuu-Koillismaa": "Kajaani"}

ATTRIBUTION = """Data: Statistics Finland (StatFin tyonv 12r5, municipality keys), THL Sotkanet (population),
National Land Survey of Finland (NLS/MML) boundaries 1:4 500 000, 2023, CC BY 4.0,
via rOpenGov/geofi, pttry/kohtaantoindeksit and samilaine/hallinnollisetrajat.
Compiled in the project's shared data (see its SOURCES.md); copied here by tools/make_instances.py.
Licence of the compiled data: CC BY 4.0 — attribute "© Statistics Finland, THL, NLS (CC BY 4.0)"."""

# --- pohjois-pohjanmaa: the 30 municipalities ---------------------------------------------
pp = rows("municipalities.csv")
extra = {r["code"]: r for r in rows("municipalities_extra.csv")}
d = os.path.join(out, "pohjois-pohjanmaa")
codes = {r["code"] for r in pp}
write_csv(os.path.join(d, "units.csv"),
          ["code", "name", "population", "labour_force", "jobseekers", "lat", "lon", "land_area_km2",
           "population_2019", "labour_force_2019", "jobseekers_2019"],
          [[r["code"], r["name"], r["population"], r["working_age_or_labour_force"], r["unemployed_jobseekers"], r["lat"], r["lon"],
            r["land_area_km2"], extra[r["code"]]["pop_2019"], extra[r["code"]]["labour_force_2019"], extra[r["code"]]["unemployed_2019_mean"]] for r in pp])
write_geojson(os.path.join(d, "boundaries.geojson"), "pohjois_pohjanmaa_municipalities_2023_4500k.geojson", codes)
npp = write_adjacency(os.path.join(d, "adjacency.csv"), "adjacency.csv", codes)
name_to_code = {r["name"]: r["code"] for r in pp}
part = []
for r in pp:
    area = extra[r["code"]]["tyollisyysalue_2025_name"]
    lead = LEADS[area]
    if lead not in name_to_code:  # Kainuu-Koillismaa: its lead Kajaani is outside the region
        members = [x for x in pp if extra[x["code"]]["tyollisyysalue_2025_name"] == area]
        lead_code = max(members, key=lambda x: int(x["population"]))["code"]
        area = area + " (region part)"
    else:
        lead_code = name_to_code[lead]
    part.append([r["code"], area, lead_code])
write_csv(os.path.join(d, "partition-2025.csv"), ["code", "area", "hub"], part)
with open(os.path.join(d, "SOURCES.md"), "w", encoding="utf-8") as f:
    f.write(f"""# pohjois-pohjanmaa — the 30 municipalities of Northern Ostrobothnia

- `units.csv`: from `municipalities.csv` and `municipalities_extra.csv` of the shared data.
  population = 31.12.2022; labour_force = StatFin TYOVOIMATK 2022; jobseekers = mean of the 12
  month-end counts of unemployed jobseekers 2022 (rounded); lat/lon = administrative centre (NLS).
  `*_2019` columns: the same figures for 2019 (jobseekers_2019 unrounded mean).
- `boundaries.geojson`: NLS municipal division 1:4 500 000, 2023 (includes sea areas).
- `adjacency.csv`: the shared `adjacency.csv` ({npp} pairs; `border_kind` land or sea_only, from the
  land-only topology, which the polygons alone cannot tell). alue computes the same pairs from
  `boundaries.geojson` (a test checks it); this file adds the sea_only marking.
- `partition-2025.csv`: the real employment areas from 1.1.2025 (Statistics Finland key 2025), hubs
  = the lead municipalities (DOMAIN.md). Kuusamo and Taivalkoski belong to Kainuu-Koillismaa, led by
  Kajaani outside the region: here they form "Kainuu-Koillismaa (region part)" with hub Kuusamo, which
  is below the 20 000 threshold on its own — the reason they joined Kainuu.

{ATTRIBUTION}
""")

# --- national table -----------------------------------------------------------------------
fin = rows("finland_municipalities.csv")

def unit_rows(sel):
    body = []
    for r in sel:
        if r["admin_centre_lat"]:
            lat, lon, kind = r["admin_centre_lat"], r["admin_centre_lon"], "admin_centre"
        else:  # Tuusula: no admin-centre point in the source; the land centroid stands in
            lat, lon, kind = r["land_centroid_lat"], r["land_centroid_lon"], "land_centroid"
        body.append([r["code"], r["name_fi"], r["population_2022"], r["labour_force_2022"], r["unemployed_jobseekers_2022_mean"],
                     lat, lon, r["land_area_km2"], r["tyollisyysalue_2025_name"], kind])
    return body

UNIT_HEADER = ["code", "name", "population", "labour_force", "jobseekers", "lat", "lon", "land_area_km2", "area_2025", "coord_kind"]

def national_instance(dirname, sel, title, lead_rule):
    d = os.path.join(out, dirname)
    codes = {r["code"] for r in sel}
    write_csv(os.path.join(d, "units.csv"), UNIT_HEADER, unit_rows(sel))
    write_geojson(os.path.join(d, "boundaries.geojson"), "finland_municipalities_2023_4500k.geojson", codes)
    npairs = write_adjacency(os.path.join(d, "adjacency.csv"), "adjacency_finland.csv", codes)
    by_area = {}
    for r in sel:
        by_area.setdefault(r["tyollisyysalue_2025_name"], []).append(r)
    part = []
    for area, members in sorted(by_area.items()):
        hub = lead_rule(area, members)
        part += [[m["code"], area, hub] for m in members]
    write_csv(os.path.join(d, "partition-2025.csv"), ["code", "area", "hub"], sorted(part))
    return d, npairs, len(by_area)

def lead_by_name_or_largest(area, members):
    names = {m["name_fi"]: m["code"] for m in members}
    if area in LEADS and LEADS[area] in names:
        return names[LEADS[area]]
    return max(members, key=lambda m: int(m["population_2022"]))["code"]

ppk = [r for r in fin if r["maakunta_name_fi"] in ("Pohjois-Pohjanmaa", "Kainuu")]
d, npairs, nareas = national_instance("pohjois-pohjanmaa-kainuu", ppk, "", lead_by_name_or_largest)
with open(os.path.join(d, "SOURCES.md"), "w", encoding="utf-8") as f:
    f.write(f"""# pohjois-pohjanmaa-kainuu — Northern Ostrobothnia (30) and Kainuu (8)

The real 2025 partition of the region (Oulun seutu, Raahe, Ylivieska-Kalajoki-Nivala,
Kainuu-Koillismaa) is a feasible partition of these {len(ppk)} municipalities.

- `units.csv`: from `finland_municipalities.csv` (maakunta Pohjois-Pohjanmaa or Kainuu): population
  31.12.2022, labour force 2022, jobseekers = 2022 monthly mean (1 decimal), administrative centre.
- `boundaries.geojson`: NLS 1:4 500 000, 2023. `adjacency.csv`: `adjacency_finland.csv` restricted
  to these units ({npairs} pairs, with sea_only marks).
- `partition-2025.csv`: the {nareas} real employment areas; hubs are the lead municipalities of
  DOMAIN.md (Oulu, Raahe, Ylivieska, Kajaani).

{ATTRIBUTION}
""")

main = [r for r in fin if r["tyollisyysalue_2025_code"] and r["tyollisyysalue_2025_code"] != "46"]
d, npairs, nareas = national_instance("finland", main, "", lead_by_name_or_largest)
with open(os.path.join(d, "SOURCES.md"), "w", encoding="utf-8") as f:
    f.write(f"""# finland — the {len(main)} mainland municipalities with a 2025 employment area

- `units.csv`: from `finland_municipalities.csv`, every municipality with a TE24 employment area
  (Åland, code 46, is outside the reform; Pertunmaa merged into Mäntyharju in 2025). Tuusula has no
  administrative-centre point in the source: its land centroid stands in (`coord_kind`).
- `boundaries.geojson`: NLS 1:4 500 000, 2023. `adjacency.csv`: `adjacency_finland.csv` restricted
  to these units ({npairs} pairs, with sea_only marks).
- `partition-2025.csv`: the {nareas} real employment areas. The data do not name the lead
  municipalities; the hub is the lead of DOMAIN.md where known, else the most populous member.

{ATTRIBUTION}
""")
print("instances written")

# The US county dual graphs of the research benchmark, copied as they are, with the published
# optima parsed from the benchmark README's table (state, file, n, k, L, U, optima and times).
import shutil
bench = os.path.join(shared, "benchmarks")
hess_out = os.path.join(out, "hess")
os.makedirs(hess_out, exist_ok=True)
published = []
open_cases = []
with open(os.path.join(bench, "README.md"), encoding="utf-8") as f:
    for line in f:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 10 and cells[1].startswith("hess/"):
            state, file, n, k, lo, hi, opt, t, opt_c, t_c = cells
            name = os.path.basename(file)
            shutil.copyfile(os.path.join(bench, file), os.path.join(hess_out, name))
            try:
                float(opt_c)
                published.append([state, name, n, k, lo, hi, opt, t, opt_c, t_c])
            except ValueError:
                # An instance the paper left open (South Carolina at k = 7 with contiguity): a case
                # of its own, never a row of the numeric table. Its best bound is the number in the cell.
                import re
                bound = re.findall(r"best bound ([0-9.]+)", opt_c)
                open_cases.append([state, name, n, k, lo, hi, opt, t, "open", bound[0] if bound else "", t_c])
write_csv(os.path.join(hess_out, "published.csv"),
          ["state", "file", "n", "k", "L", "U", "optimum", "seconds", "optimum_contiguous", "seconds_contiguous"], published)
write_csv(os.path.join(hess_out, "open.csv"),
          ["state", "file", "n", "k", "L", "U", "optimum", "seconds", "status_contiguous", "best_bound_contiguous", "seconds_contiguous"], open_cases)
with open(os.path.join(bench, "README.md"), encoding="utf-8") as f:
    readme = f.read()
with open(os.path.join(hess_out, "SOURCES.md"), "w", encoding="utf-8") as f:
    f.write("# US county dual graphs (Hess districting benchmark)\n\n"
            "Copied unchanged from `../shared/benchmarks/hess/` by `tools/make_instances.py`; "
            "`published.csv` is parsed from the table of `../shared/benchmarks/README.md`.\n\n"
            "Run one: `alue solve instances/hess/county35.json --preset hess --set areas=3 [--set contiguity=false]`.\n\n"
            "The shared README, quoted in full for provenance and licence:\n\n> "
            + readme.replace("\n", "\n> ") + "\n")
print("hess:", len(published), "states,", len(open_cases), "open")

# The census-tract dual graphs and their published results, copied as they are.
tracts_in = os.path.join(bench, "hess-tracts")
tracts_out = os.path.join(out, "hess-tracts")
os.makedirs(tracts_out, exist_ok=True)
with open(os.path.join(tracts_in, "published.csv"), encoding="utf-8") as f:
    tract_rows = list(csv.DictReader(f))
for r in tract_rows:
    shutil.copyfile(os.path.join(tracts_in, r["file"]), os.path.join(tracts_out, r["file"]))
shutil.copyfile(os.path.join(tracts_in, "published.csv"), os.path.join(tracts_out, "published.csv"))
with open(os.path.join(tracts_in, "README.md"), encoding="utf-8") as f:
    readme = f.read()
with open(os.path.join(tracts_out, "SOURCES.md"), "w", encoding="utf-8") as f:
    f.write("# US census-tract dual graphs (Hess districting benchmark at scale)\n\n"
            "Copied unchanged from `../shared/benchmarks/hess-tracts/` by `tools/make_instances.py`, with its "
            "`published.csv` (the paper's optima, bounds and times).\n\n"
            "Run one: `alue solve instances/hess-tracts/tract44.json --preset hess --set areas=2 [--set contiguity=false]`; "
            "`alue bench tracts` runs them all. The hess preset joins the components of a disconnected graph "
            "(Rhode Island, Hawaii) by their closest pairs (`connect_components`).\n\n"
            "The shared README, quoted in full for provenance and licence:\n\n> "
            + readme.replace("\n", "\n> ") + "\n")
print("hess-tracts:", len(tract_rows), "states")

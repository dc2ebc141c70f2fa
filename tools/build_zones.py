#!/usr/bin/env python3
"""Build the bundled zones-of-control history of the Iraq-Syria frontier.

    python3 tools/build_zones.py            # from the repository root

Reads the rules in tools/zone_rules.json (encoded from the snapshot recipes in
shared/data/zones/snapshots.md) and the admin/river/border layers in
shared/data/gazetteer-sources, and writes, byte-identically on every run:

    gazetteer/zones.geojson        time-versioned control polygons
    gazetteer/overlays.geojson     presence layers that do not change control
    gazetteer/control_points.csv   town-level overrides (point + radius)

It checks the invariants (valid geometry, CCW exterior rings, 1e-5 grid, no
overlap between features in force at the same time, valid_to > valid_from)
and a table of known answers, and exits non-zero if anything fails.
Requires shapely >= 2.1 (see tools/requirements.txt).
"""

import argparse
import csv
import io
import json
import math
import os
import re
import sys
from datetime import date

import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box, shape
from shapely.ops import linemerge, polygonize, unary_union

GRID = 1e-5
SIMPLIFY_DEG = 0.002
SLIVER_KM2 = 0.5
CONF = {"H": "high", "M": "medium", "L": "low"}
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SY_ADM2 = "raw/ocha_syr_cod_2015/syr_admin2.geojson"
IQ_ADM3 = "raw/ocha_irq_cod_2019/irq_admbnda_adm3_cso_20190603.geojson"
BORDER = "extracts/border_IQ_SY_naturalearth10m.geojson"
COUNTRIES = "extracts/countries_naturalearth10m_SY_IQ_neighbours.geojson"
FRINGE_DEG = 0.01  # the domain reaches ~1 km beyond the Natural Earth outline
RIVERS = "extracts/rivers_region_naturalearth10m.geojson"

# Output tiles: features are cut per governorate group so that a change in
# one governorate does not re-emit the geometry of the others.
TILES = [
    ("SY08", "SY", ["SY08"]), ("SY09", "SY", ["SY09"]), ("SY11", "SY", ["SY11"]),
    ("SY04", "SY", ["SY04"]), ("SY_REST", "SY", None),
    ("IQG15", "IQ", ["IQG15"]), ("IQG01", "IQ", ["IQG01"]), ("IQG09", "IQ", ["IQG09"]),
    ("IQ_KR", "IQ", ["IQG11", "IQG06"]), ("IQ_REST", "IQ", None),
]


def die(msg):
    print("ERROR: " + msg, file=sys.stderr)
    sys.exit(1)


def load_features(path):
    # The OCHA Syria files contain a few byte-truncated Arabic strings.
    with open(path, encoding="utf-8", errors="replace") as f:
        return json.load(f)["features"]


def d(s):
    return date.fromisoformat(s)


# ---------------------------------------------------------------- geometry helpers

def km_proj(lat0):
    kx = 111.320 * math.cos(math.radians(lat0))
    ky = 110.574
    fwd = lambda g: shapely.transform(g, lambda c: c * [kx, ky])
    inv = lambda g: shapely.transform(g, lambda c: c / [kx, ky])
    return fwd, inv


def circle(lat, lon, km):
    fwd, inv = km_proj(lat)
    return inv(fwd(Point(lon, lat)).buffer(km, quad_segs=16))


def km_buffer(geom, km, lat0=35.5):
    fwd, inv = km_proj(lat0)
    return inv(fwd(geom).buffer(km, quad_segs=8))


def area_km2(g):
    if g.is_empty:
        return 0.0
    lat = g.centroid.y
    return g.area * 111.320 * math.cos(math.radians(lat)) * 110.574


def haversine_km(lat1, lon1, lat2, lon2):
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def polygonal(g):
    """Keep only the polygon parts of g (MultiPolygon/Polygon/empty)."""
    if g.is_empty:
        return Polygon()
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return unary_union(parts) if parts else Polygon()


def finish(g, min_km2=0.001):
    """Snap to the 1e-5 grid, drop slivers, orient exterior rings CCW."""
    g = polygonal(shapely.set_precision(polygonal(g), GRID))
    parts = [p for p in shapely.get_parts(g) if area_km2(p) >= min_km2]
    if not parts:
        return Polygon()
    g = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
    g = shapely.orient_polygons(g, exterior_cw=False)
    return g


def same_geom(a, b):
    if a.is_empty and b.is_empty:
        return True
    if shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), 0):
        return True
    return a.symmetric_difference(b).area < 1e-10


def rnd(x):
    return round(x, 5) + 0.0


def geom_json(g):
    def ring(r):
        return [[rnd(x), rnd(y)] for x, y in r.coords]

    def poly(p):
        return [ring(p.exterior)] + [ring(i) for i in p.interiors]

    if g.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": poly(g)}
    return {"type": "MultiPolygon", "coordinates": [poly(p) for p in g.geoms]}


# ---------------------------------------------------------------- base layers

class Base:
    """OCHA admin units (Syria adm2, Iraq adm3) made into one clean coverage.

    The two national datasets overlap and leave gaps along their shared
    border; the Natural Earth 10m SY-IQ line decides which side a piece is on.
    """

    def __init__(self, gaz_dir):
        sy = [(f["properties"]["PCODE"], f["properties"]["ADMIN1_COD"], None, shape(f["geometry"]))
              for f in load_features(os.path.join(gaz_dir, SY_ADM2))]
        iq = [(f["properties"]["ADM3_PCODE"], f["properties"]["ADM1_PCODE"], f["properties"]["ADM2_PCODE"],
               shape(f["geometry"])) for f in load_features(os.path.join(gaz_dir, IQ_ADM3))]
        sy.sort()
        iq.sort()
        border = shape(load_features(os.path.join(gaz_dir, BORDER))[0]["geometry"])
        self.border = border
        bc = list(border.coords)
        if bc[0][1] < bc[-1][1]:
            bc.reverse()  # north (Tigris tripoint) -> south (Jordan tripoint)
        self.sy_side = shapely.make_valid(Polygon(bc + [(bc[-1][0], 31.0), (34.0, 31.0), (34.0, 39.0), (bc[0][0], 39.0)]))

        def ext(p, q, k=0.08):
            return (p[0] + (p[0] - q[0]) / math.dist(p, q) * k, p[1] + (p[1] - q[1]) / math.dist(p, q) * k)

        cut = LineString([ext(bc[0], bc[1])] + bc + [ext(bc[-1], bc[-2])])
        units = [("SY", c, a1, None, g) for c, a1, _, g in sy] + [("IQ", c, a1, a2, g) for c, a1, a2, g in iq]
        # Towns on the Turkish border (Ras al-Ayn, Qamishli ...) fall just
        # outside the OCHA outlines: extend the domain to the Natural Earth
        # Syria/Iraq outline plus ~1 km, giving each fringe piece to the
        # nearest unit of its country.
        ne = unary_union([shape(f["geometry"]) for f in load_features(os.path.join(gaz_dir, COUNTRIES))
                          if f["properties"]["ADM0_A3"] in ("SYR", "IRQ")])
        fringe = ne.buffer(FRINGE_DEG, quad_segs=2).simplify(SIMPLIFY_DEG / 2)
        noded = unary_union([u[4].boundary for u in units] + [cut, fringe.boundary])
        faces = list(polygonize(noded))
        tree = shapely.STRtree([u[4] for u in units])
        assigned = {i: [] for i in range(len(units))}
        for f in faces:
            rp = f.representative_point()
            country = "SY" if self.sy_side.contains(rp) else "IQ"
            hits = [i for i in tree.query(rp, predicate="intersects")]
            own = [i for i in hits if units[i][0] == country]
            if own:
                assigned[own[0]].append(f)
                continue
            if not hits and not fringe.contains(rp):
                continue  # outside both countries
            cand = [i for i in range(len(units)) if units[i][0] == country]
            near = min(cand, key=lambda i: (units[i][4].distance(f), i))
            if units[near][4].distance(f) > 0.05:
                continue
            assigned[near].append(f)
        self.units = []
        for i, (country, code, a1, a2, _) in enumerate(units):
            g = unary_union(assigned[i]) if assigned[i] else Polygon()
            if not g.is_empty:
                self.units.append([country, code, a1, a2, g])
        geoms = [u[4] for u in self.units]
        if not shapely.coverage_is_valid(geoms):
            die("base coverage is not valid after noding")
        simp = shapely.coverage_simplify(geoms, SIMPLIFY_DEG)
        for u, g in zip(self.units, simp):
            g = shapely.make_valid(g) if not g.is_valid else g
            u[4] = polygonal(g)
        self.cache = {}

    def union(self, key, pred):
        if key not in self.cache:
            self.cache[key] = unary_union([u[4] for u in self.units if pred(u)])
        return self.cache[key]

    def atom(self, kind, code):
        if kind == "SY":
            return self.union(("SY",), lambda u: u[0] == "SY")
        if kind == "IQ":
            return self.union(("IQ",), lambda u: u[0] == "IQ")
        preds = {
            "SY1": lambda u: u[0] == "SY" and u[2] == code,
            "SY2": lambda u: u[0] == "SY" and u[1] == code,
            "IQ1": lambda u: u[0] == "IQ" and u[2] == code,
            "IQ2": lambda u: u[0] == "IQ" and u[3] == code,
            "IQ3": lambda u: u[0] == "IQ" and u[1] == code,
        }
        g = self.union((kind, code), preds[kind])
        if g.is_empty:
            die(f"admin unit {kind}:{code} not found")
        return g

    def tiles(self):
        out = []
        for name, country, codes in TILES:
            if codes is None:
                used = set(c for t in TILES if t[1] == country and t[2] for c in t[2])
                pred = lambda u, country=country, used=used: u[0] == country and u[2] not in used
            else:
                pred = lambda u, country=country, codes=codes: u[0] == country and u[2] in codes
            out.append((name, self.union(("tile", name), pred)))
        return out


def euphrates_sides(gaz_dir):
    """Left-bank (north/east) half-plane of the Euphrates, from Natural Earth."""
    parts = []
    for f in load_features(os.path.join(gaz_dir, RIVERS)):
        p = f["properties"]
        if p["name"] in ("Firat", "Al Furat", "Euphrates"):
            parts.append(shape(f["geometry"]))
    lines = list(shapely.get_parts(linemerge(unary_union(parts))))
    # the main chain: from the northern bbox edge (Turkey, above Jarabulus)
    # through Lake Assad, Raqqa, Deir ez-Zor and Albu Kamal into Iraq
    start = [l for l in lines if abs(l.coords[0][0] - 38.0) < 1e-6 and 36.8 < l.coords[0][1] < 37.1]
    if len(start) != 1:
        die("could not find the Euphrates main line")
    coords = list(start[0].coords)
    while coords[-1][0] <= 42.5:
        nxt = [l for l in lines if math.dist(l.coords[0], coords[-1]) < 1e-9 and l.length > 0.05]
        if not nxt:
            break
        coords += list(max(nxt, key=lambda l: l.length).coords)[1:]
    for i, (x, y) in enumerate(coords):
        if x > 42.5:
            coords = coords[: i + 1]
            break
    if coords[-1][0] < 42.5:
        die("Euphrates line does not reach 42.5E")
    x0, y0 = coords[0]
    east = Polygon(coords + [(coords[-1][0], 38.5), (x0, 38.5)])
    if not east.is_valid:
        east = max(shapely.get_parts(shapely.make_valid(east)), key=lambda g: g.area)
    world = box(30.0, 25.0, 52.0, 42.0)
    return east, world.difference(east), LineString(coords)


# ---------------------------------------------------------------- area expressions

TOKEN = re.compile(r"\s*(?:([()&|-])|([A-Z_]+\([^)]*\))|(@[A-Z0-9_]+)|((?:SY|IQ)[123]:[A-Z0-9]+)|((?:LAT|LON)[<>][0-9.]+)|([A-Z_]+))")


class Areas:
    def __init__(self, base, rules, anchors, gaz_dir):
        self.base = base
        self.shapes = rules["shapes"]
        self.anchors = anchors
        self.east, self.west, self.euph = euphrates_sides(gaz_dir)
        # the Natural Earth 10m centre-line is coarse (1-2 km off in places):
        # move small discs around bank-checked towns to their documented bank
        for name, km in rules.get("euphrates_fixes", {}).get("east", []):
            lat, lon = self.anchor(name)
            self.east = self.east.union(circle(lat, lon, km))
        for name, km in rules.get("euphrates_fixes", {}).get("west", []):
            lat, lon = self.anchor(name)
            self.east = self.east.difference(circle(lat, lon, km))
        self.west = box(30.0, 25.0, 52.0, 42.0).difference(self.east)
        self.domain = unary_union([base.atom("SY", None), base.atom("IQ", None)])
        self.cache = {}

    def anchor(self, name):
        if name not in self.anchors:
            die(f"unknown anchor {name}")
        return self.anchors[name]

    def eval(self, expr):
        if expr not in self.cache:
            toks = self.tokenize(expr)
            g, pos = self.parse_expr(toks, 0)
            if pos != len(toks):
                die(f"trailing tokens in area expression: {expr}")
            self.cache[expr] = polygonal(g.intersection(self.domain))
        return self.cache[expr]

    def tokenize(self, s):
        out, pos = [], 0
        s = s.strip()
        while pos < len(s):
            m = TOKEN.match(s, pos)
            if not m or m.end() == pos:
                die(f"cannot parse area expression at {s[pos:]!r}")
            out.append(next(x for x in m.groups() if x))
            pos = m.end()
            while pos < len(s) and s[pos] == " ":
                pos += 1
        return out

    def parse_expr(self, t, i):
        g, i = self.parse_term(t, i)
        while i < len(t) and t[i] in ("|", "-"):
            op = t[i]
            h, i = self.parse_term(t, i + 1)
            g = g.union(h) if op == "|" else g.difference(h)
        return g, i

    def parse_term(self, t, i):
        g, i = self.parse_factor(t, i)
        while i < len(t) and t[i] == "&":
            h, i = self.parse_factor(t, i + 1)
            g = g.intersection(h)
        return g, i

    def parse_factor(self, t, i):
        if t[i] == "(":
            g, i = self.parse_expr(t, i + 1)
            if t[i] != ")":
                die("missing )")
            return g, i + 1
        return self.atom(t[i]), i + 1

    def atom(self, a):
        if a.startswith("@"):
            name = a[1:]
            if name not in self.shapes:
                die(f"unknown shape {name}")
            return self.eval(self.shapes[name])
        if a in ("SY", "IQ"):
            return self.base.atom(a, None)
        if re.match(r"(SY|IQ)[123]:", a):
            kind, code = a.split(":")
            return self.base.atom(kind, code)
        if a == "EUPH_E":
            return self.east
        if a == "EUPH_W":
            return self.west
        m = re.match(r"(LAT|LON)([<>])([0-9.]+)$", a)
        if m:
            v = float(m.group(3))
            if m.group(1) == "LAT":
                return box(30, 25, 52, v) if m.group(2) == "<" else box(30, v, 52, 42)
            return box(30, 25, v, 42) if m.group(2) == "<" else box(v, 25, 52, 42)
        m = re.match(r"([A-Z_]+)\(([^)]*)\)$", a)
        if not m:
            die(f"unknown atom {a}")
        fn, args = m.group(1), [x.strip() for x in m.group(2).split(",")]
        if fn == "AT":
            lat, lon = self.anchor(args[0])
            return circle(lat, lon, float(args[1]))
        if fn == "CIRCLE":
            return circle(float(args[0]), float(args[1]), float(args[2]))
        if fn == "BOX":
            la1, la2, lo1, lo2 = map(float, args)
            return box(lo1, la1, lo2, la2)
        if fn == "NORTH_OF":
            la1, lo1, la2, lo2 = map(float, args)
            s = (la2 - la1) / (lo2 - lo1)
            return Polygon([(lo1 - 5, la1 - 5 * s), (lo2 + 5, la2 + 5 * s), (lo2 + 5, 42), (lo1 - 5, 42)])
        if fn == "EUPH_BUF":
            return km_buffer(self.euph, float(args[0]))
        if fn == "BORDER_BUF":
            return km_buffer(self.base.border, float(args[0]))
        if fn == "HULLBUF":
            pts = [self.anchor(n) for n in args[1:]]
            lat0 = sum(p[0] for p in pts) / len(pts)
            fwd, inv = km_proj(lat0)
            hull = fwd(MultiPoint([(lo, la) for la, lo in pts])).convex_hull
            return inv(hull.buffer(float(args[0]), quad_segs=16))
        die(f"unknown function {fn}")


# ---------------------------------------------------------------- sources

class Events:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.rows = list(csv.DictReader(f))

    def find(self, ref):
        dt, key = ref.split("|", 1)
        hits = []
        for r in self.rows:
            if r["date"] != dt:
                continue
            anchors = [a for a in r["anchor_ids"].split(";") if a]
            if key in anchors or key.lower() in r["place"].lower():
                hits.append(r)
        if not hits:
            die(f"event reference {ref!r} matches no row of control_events.csv")
        return hits

    def cite(self, refs):
        out = []
        for ref in refs or []:
            if ref.startswith("ext:"):
                # a fact not in control_events.csv: its own source text
                out.append("not in control_events.csv: " + ref[4:].strip())
                continue
            for r in self.find(ref):
                url = r["sources"].split(";")[0].strip()
                url = re.sub(r"\s+\(.*$", "", url)  # drop "(via mirror)" notes, keep ( ) inside URLs
                out.append(f"{r['date']} {url}")
        return "; ".join(dict.fromkeys(out))


def rule_source(snap_id, idx, rule, events):
    s = f"{snap_id} r{idx}: {rule['note']}"
    c = events.cite(rule.get("ev"))
    return s + (f" [events: {c}]" if c else "")


# ---------------------------------------------------------------- zones

def expand_rules(rules, snaps_by_id, snap, events):
    """Ordered rules of a snapshot: defaults, then inherited rules, then its own."""
    if snap.get("inherit"):
        head = expand_rules(rules, snaps_by_id, snaps_by_id[snap["inherit"]], events)
    else:
        head = [dict(r, uid=f"D{i}", source=rule_source("default", i, r, events))
                for i, r in enumerate(rules["defaults"], 1)]
        head += [dict(r, uid=f"L{i}", source=rule_source("long", i, r, events))
                 for i, r in enumerate(rules.get("long_rules", []), 1)]
    own = [dict(r, uid=f"{snap['id']}.{i}", source=rule_source(snap["id"], i, r, events))
           for i, r in enumerate(snap["rules"], 1)]
    return head + own


def build_zones(rules, areas, base, events):
    snaps = rules["snapshots"]
    by_id = {s["id"]: s for s in snaps}
    tiles = base.tiles()
    tile_cache = {}
    features = []
    slices = []  # (start, end) of every atomic sub-interval
    for si, snap in enumerate(snaps):
        s0, s1 = snap["valid_from"], snap["valid_to"]
        if si + 1 < len(snaps) and snaps[si + 1]["valid_from"] != s1:
            die(f"snapshots {snap['id']} and {snaps[si + 1]['id']} are not contiguous")
        rl = expand_rules(rules, by_id, snap, events)
        for r in rl:
            if r["controller"] not in rules["controllers"]:
                die(f"{r['uid']}: unknown controller {r['controller']}")
            if (r["controller"] == "MIXED") != ("share" in r):
                die(f"{r['uid']}: MIXED needs a share and only MIXED may have one")
        cuts = {s0}
        for r in rl:
            for k in ("from", "to"):
                v = r.get(k)
                if v and v > s0 and (s1 is None or v < s1):
                    cuts.add(v)
        cuts = sorted(cuts)
        bounds = list(zip(cuts, cuts[1:] + [s1]))
        open_feats = {}
        snap_feats = []
        for k, (t0, t1) in enumerate(bounds):
            letter = "abcdefghijklmnopqrstuvwxyz"[k]
            slices.append((t0, t1))
            active = [r for r in rl if r.get("from", "0000") <= t0 and (r.get("to") is None or t0 < r["to"])]
            cur = {}
            for tname, tgeom in tiles:
                remaining = tgeom
                for r in reversed(active):
                    key = (r["area"], tname)
                    if key not in tile_cache:
                        a = areas.eval(r["area"])
                        tile_cache[key] = polygonal(a.intersection(tgeom)) if a.intersects(tgeom) else Polygon()
                    a = tile_cache[key]
                    if a.is_empty or not a.intersects(remaining):
                        continue
                    piece = polygonal(a.intersection(remaining))
                    remaining = polygonal(remaining.difference(a))
                    piece = finish(piece)
                    if not piece.is_empty:
                        cur[(tname, r["uid"])] = (r, piece)
                    if remaining.is_empty:
                        break
                if area_km2(remaining) > SLIVER_KM2:
                    die(f"{snap['id']} {t0}: tile {tname} not fully covered ({area_km2(remaining):.1f} km2 left)")
            new_open = {}
            for key, (r, g) in cur.items():
                prev = open_feats.get(key)
                if prev is not None and same_geom(prev["geom"], g):
                    prev["valid_to"] = t1
                    new_open[key] = prev
                else:
                    f = {"snapshot": snap["id"], "letter": letter, "tile": key[0], "rule": r, "geom": g,
                         "valid_from": t0, "valid_to": t1}
                    snap_feats.append(f)
                    new_open[key] = f
            open_feats = new_open
        # stable ids: snapshot + sub-interval letter + controller + number
        tile_order = {t[0]: i for i, t in enumerate(TILES)}
        rule_order = {r["uid"]: i for i, r in enumerate(rl)}
        groups = {}
        for f in snap_feats:
            groups.setdefault((f["letter"], f["rule"]["controller"]), []).append(f)
        for (letter, ctl), fs in sorted(groups.items()):
            fs.sort(key=lambda f: (tile_order[f["tile"]], rule_order[f["rule"]["uid"]]))
            for n, f in enumerate(fs, 1):
                f["zone_id"] = f"{snap['id']}{letter}-{ctl}-{n:02d}"
        features.extend(snap_feats)
        print(f"  {snap['id']} {s0} -> {s1 or 'open'}: {len(bounds)} sub-intervals, {len(snap_feats)} features",
              file=sys.stderr)
    return features, slices


def zone_props(f, rules):
    r = f["rule"]
    name, ar = rules["controllers"][r["controller"]]
    p = {
        "zone_id": f["zone_id"],
        "controller": r["controller"],
        "controller_name": name,
        "controller_ar": ar,
        "valid_from": f["valid_from"],
        "valid_to": f["valid_to"],
        "confidence": CONF[r["conf"]],
        "source": r["source"] + (" (shares are an estimate)" if "share" in r else ""),
        "snapshot": f["snapshot"],
    }
    if "share" in r:
        p["controller_share"] = r["share"]
    return p


def build_overlays(rules, areas, events):
    snaps = rules["snapshots"]
    out = []
    counters = {}
    for i, o in enumerate(rules["overlays"], 1):
        if o["presence"] not in rules["presences"]:
            die(f"unknown presence {o['presence']}")
        g = finish(areas.eval(o["area"]))
        if g.is_empty:
            die(f"overlay {i} is empty")
        n = counters[o["presence"]] = counters.get(o["presence"], 0) + 1
        snap = [s["id"] for s in snaps if s["valid_from"] <= o["from"] and (s["valid_to"] is None or o["from"] < s["valid_to"])][0]
        name, ar = rules["presences"][o["presence"]]
        props = {
            "zone_id": f"OV-{o['presence']}-{n:02d}",
            "presence": o["presence"],
            "presence_name": name,
            "presence_ar": ar,
            "valid_from": o["from"],
            "valid_to": o.get("to"),
            "confidence": CONF[o["conf"]],
            "source": rule_source("overlay", i, o, events),
            "snapshot": snap,
        }
        out.append({"props": props, "geom": g})
    return out


def build_points(rules, anchors, events, anchor_country):
    rows = []
    for cp in rules["control_points"]:
        lat, lon = anchors[cp["anchor"]]
        # a town fact decides only for places on its own side of the border
        country = cp.get("country") or anchor_country.get(cp["anchor"], "")
        if country not in ("SY", "IQ"):
            die(f"control point {cp['place']}: give its country (SY or IQ), anchor says {country!r}")
        evs = sorted(cp["events"], key=lambda e: e[0])
        for k, (dt, ctl, conf, ref) in enumerate(evs):
            if ctl is None:
                continue  # end marker
            if ctl not in rules["controllers"]:
                die(f"control point {cp['place']}: unknown controller {ctl}")
            to = evs[k + 1][0] if k + 1 < len(evs) else ""
            if not ref:
                src = "inference"
            elif ref.startswith("ext:"):
                src = events.cite([ref])
            else:
                src = f"control_events.csv {events.cite([ref])}"
            rows.append({"place": cp["place"], "lat": f"{lat:.5f}", "lon": f"{lon:.5f}",
                         "radius_km": f"{cp['radius_km']:g}", "valid_from": dt, "valid_to": to,
                         "controller": ctl, "confidence": CONF[conf], "source": src, "country": country})
    rows.sort(key=lambda r: (r["place"], r["valid_from"]))
    return rows


# ---------------------------------------------------------------- checks

def check_invariants(zfeats, ofeats, slices):
    errors = []
    for f in zfeats + ofeats:
        g, p = f["geom"], f["props"]
        if not g.is_valid:
            errors.append(f"{p['zone_id']}: invalid geometry ({shapely.is_valid_reason(g)})")
        if p["valid_to"] is not None and p["valid_to"] <= p["valid_from"]:
            errors.append(f"{p['zone_id']}: valid_to <= valid_from")
        for poly in shapely.get_parts(g):
            if not poly.exterior.is_ccw:
                errors.append(f"{p['zone_id']}: exterior ring not CCW")
            if any(r.is_ccw for r in poly.interiors):
                errors.append(f"{p['zone_id']}: interior ring not CW")
        # re-parse the rounded output coordinates and re-check validity
        rg = shape(geom_json(g))
        if not rg.is_valid:
            errors.append(f"{p['zone_id']}: invalid after rounding to 5 decimals")
    worst = 0.0
    for t0, t1 in slices:
        act = [f for f in zfeats if f["props"]["valid_from"] <= t0 and (f["props"]["valid_to"] is None or t0 < f["props"]["valid_to"])]
        geoms = [f["geom"] for f in act]
        tree = shapely.STRtree(geoms)
        a_idx, b_idx = tree.query(geoms, predicate="intersects")
        for a, b in zip(a_idx, b_idx):
            if a >= b:
                continue
            ov = area_km2(geoms[a].intersection(geoms[b]))
            worst = max(worst, ov)
            if ov >= SLIVER_KM2:
                errors.append(f"{t0}: {act[a]['props']['zone_id']} overlaps {act[b]['props']['zone_id']} by {ov:.3f} km2")
    return errors, worst


def lookup(zfeats, points, lat, lon, day, country=None):
    pt = Point(lon, lat)
    hits = [f for f in zfeats if f["props"]["valid_from"] <= day and (f["props"]["valid_to"] is None or day < f["props"]["valid_to"])
            and f["geom"].covers(pt)]
    zone = hits[0]["props"]["controller"] if len(hits) == 1 else ("GAP" if not hits else "OVERLAP")
    zid = hits[0]["props"]["zone_id"] if len(hits) == 1 else "-"
    cps = [p for p in points if p["valid_from"] <= day and (not p["valid_to"] or day < p["valid_to"])
           and (country is None or p["country"] == country)
           and haversine_km(lat, lon, float(p["lat"]), float(p["lon"])) <= float(p["radius_km"])]
    if cps:
        cp = sorted(cps, key=lambda p: (p["valid_from"], -float(p["radius_km"])))[-1]
        return cp["controller"], zone, f"point:{cp['place']}"
    return zone, zone, zid


def run_checks(rules, zfeats, points, areas):
    ok = True
    rows = []
    for c in rules["checks"]:
        got, zone, by = lookup(zfeats, points, c["lat"], c["lon"], c["date"], c.get("country"))
        res = "PASS" if got == c["expect"] else "FAIL"
        ok &= res == "PASS"
        rows.append((res, c["name"], f"{c['lat']},{c['lon']}", c["date"], c["expect"], got, zone, by))
    for c in rules["area_checks"]:
        region = areas.eval(c["area"])
        day = c["date"]
        tot = {}
        for f in zfeats:
            p = f["props"]
            if p["valid_from"] <= day and (p["valid_to"] is None or day < p["valid_to"]):
                a = f["geom"].intersection(region).area if f["geom"].intersects(region) else 0.0
                if a > 0:
                    tot[p["controller"]] = tot.get(p["controller"], 0.0) + a
        s = sum(tot.values()) or 1.0
        shares = {k: v / s for k, v in tot.items()}
        good = all(shares.get(k, 0.0) >= v for k, v in c["expect_min_share"].items())
        ok &= good
        got = ", ".join(f"{k} {v:.2f}" for k, v in sorted(shares.items(), key=lambda kv: -kv[1]))
        rows.append(("PASS" if good else "FAIL", c["name"], c["area"], day,
                     " & ".join(f"{k}>={v}" for k, v in c["expect_min_share"].items()), got, "", "area shares"))
    w = [max(len(str(r[i])) for r in rows) for i in range(8)]
    head = ("RESULT", "CHECK", "WHERE", "DATE", "EXPECTED", "GOT", "POLYGON", "DECIDED BY")
    w = [max(a, len(b)) for a, b in zip(w, head)]
    print("  ".join(h.ljust(x) for h, x in zip(head, w)))
    for r in rows:
        print("  ".join(str(v).ljust(x) for v, x in zip(r, w)))
    return ok


def bank_check(areas, anchors):
    east = ["hajin", "susah", "busayrah", "subaykhan", "kasrah", "raqqa"]
    west = ["abu_kamal", "deir_ez_zor", "mayadin", "ashara", "tabqa"]
    bad = [a for a in east if not areas.east.contains(Point(anchors[a][1], anchors[a][0]))]
    bad += [a for a in west if not areas.west.contains(Point(anchors[a][1], anchors[a][0]))]
    if bad:
        die(f"Euphrates bank test failed for {bad}")


# ---------------------------------------------------------------- output

def write_fc(path, feats):
    lines = []
    for f in feats:
        lines.append(json.dumps({"type": "Feature", "properties": f["props"], "geometry": geom_json(f["geom"])},
                                ensure_ascii=False, separators=(",", ":")))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return len(text.encode("utf-8"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--zones-dir", default=os.path.join(REPO, "..", "shared", "data", "zones"))
    ap.add_argument("--gazetteer-sources", default=os.path.join(REPO, "..", "shared", "data", "gazetteer-sources"))
    ap.add_argument("--rules", default=os.path.join(REPO, "tools", "zone_rules.json"))
    ap.add_argument("--out-dir", default=os.path.join(REPO, "gazetteer"))
    args = ap.parse_args()

    with open(args.rules, encoding="utf-8") as f:
        rules = json.load(f)
    events = Events(os.path.join(args.zones_dir, "control_events.csv"))
    anchors, anchor_country = {}, {}
    with open(os.path.join(args.zones_dir, "anchors.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            anchors[r["anchor_id"]] = (float(r["lat"]), float(r["lon"]))
            anchor_country[r["anchor_id"]] = r["country"]
    for k, v in rules["anchors_extra"].items():
        anchors[k] = (v[0], v[1])

    print("building base coverage ...", file=sys.stderr)
    base = Base(args.gazetteer_sources)
    areas = Areas(base, rules, anchors, args.gazetteer_sources)
    bank_check(areas, anchors)
    print("painting snapshots ...", file=sys.stderr)
    raw, slices = build_zones(rules, areas, base, events)
    zfeats = [{"props": zone_props(f, rules), "geom": f["geom"]} for f in raw]
    zfeats.sort(key=lambda f: (f["props"]["valid_from"], f["props"]["zone_id"]))
    ids = [f["props"]["zone_id"] for f in zfeats]
    if len(ids) != len(set(ids)):
        die("duplicate zone ids")
    ofeats = build_overlays(rules, areas, events)
    points = build_points(rules, anchors, events, anchor_country)

    errors, worst = check_invariants(zfeats, ofeats, slices)
    os.makedirs(args.out_dir, exist_ok=True)
    zsize = write_fc(os.path.join(args.out_dir, "zones.geojson"), zfeats)
    osize = write_fc(os.path.join(args.out_dir, "overlays.geojson"), ofeats)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["place", "lat", "lon", "radius_km", "valid_from", "valid_to", "controller",
                                        "confidence", "source", "country"], lineterminator="\n")
    w.writeheader()
    w.writerows(points)
    with open(os.path.join(args.out_dir, "control_points.csv"), "w", encoding="utf-8", newline="") as fh:
        fh.write(buf.getvalue())

    print(f"zones.geojson: {len(zfeats)} features, {zsize / 1e6:.2f} MB; overlays.geojson: {len(ofeats)} features, "
          f"{osize / 1e3:.0f} kB; control_points.csv: {len(points)} rows")
    per = {}
    for f in zfeats:
        per[f["props"]["snapshot"]] = per.get(f["props"]["snapshot"], 0) + 1
    print("features per snapshot: " + ", ".join(f"{k} {v}" for k, v in sorted(per.items())))
    print(f"largest overlap between simultaneous features: {worst:.4f} km2 (limit {SLIVER_KM2})")
    if zsize > 6.5e6:
        errors.append(f"zones.geojson is {zsize / 1e6:.1f} MB (limit ~6 MB)")
    ok = run_checks(rules, zfeats, points, areas)
    for e in errors:
        print("INVARIANT FAILED: " + e, file=sys.stderr)
    if errors or not ok:
        sys.exit(1)
    print("all invariants and checks passed")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Build the bundled bordermap gazetteer (maintainer script, not used at run time).

    pip install -r tools/requirements.txt
    python3 tools/build_gazetteer.py \
        --sources ../shared/data/gazetteer-sources --zones-data ../shared/data/zones

Inputs (read-only): the gazetteer-sources tree (WOF / OCHA / OpenSyria / GeoNames / Natural Earth
extracts, see its README.md), zones/anchors.csv, and the hand-curated files in tools/:
curated_places.tsv, curated_variants.tsv, curated_drop_names.tsv, curated_population.tsv,
../gazetteer/lexicon/common_words.txt.

Outputs (in gazetteer/): places.tsv, areas.geojson, border.geojson, rivers.geojson.
Output is deterministic: rows sorted by place_id, names in a fixed order, floats with fixed
formatting, JSON written with sorted keys. Running twice gives byte-identical files.
"""
import argparse
import csv
import io
import json
import math
import os
import re
import struct
import sys
import unicodedata
import zipfile
from collections import Counter, defaultdict

from shapely import make_valid
from shapely.geometry import GeometryCollection, LineString, MultiLineString, MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

csv.field_size_limit(10 ** 9)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(REPO, "tools")
OUT = os.path.join(REPO, "gazetteer")

BBOX = (38.0, 32.0, 44.5, 37.5)  # lon_min, lat_min, lon_max, lat_max
SIMPLIFY_ADMIN = 0.0015
SIMPLIFY_COUNTRY_CORE = 0.002   # SY, IQ
SIMPLIFY_COUNTRY_OTHER = 0.01   # neighbours
MERGE_KM = 5.0
OUTSIDE_BOX_MIN_POP = 50000

HEADER = ["place_id", "kind", "name_en", "name_ar", "names", "country", "admin1", "admin2", "admin3",
          "lat", "lon", "population", "flags", "source"]
KINDS = {"country", "governorate", "district", "subdistrict", "city", "town", "village", "crossing", "camp",
         "base", "river", "mountain", "region", "border", "infrastructure"}
POPULATED = {"city", "town", "village"}

# Iraqi governorate capitals (OCHA 2019 adm1 P-code -> Arabic name of the capital), used to give
# the capital the kind "city". Syrian capitals come from OCHA's CAPIT_LVL field.
IQ_CAPITALS = {
    "IQG01": "الرمادي", "IQG02": "البصرة", "IQG03": "السماوة", "IQG04": "النجف", "IQG05": "الديوانية",
    "IQG06": "السليمانية", "IQG07": "الحلة", "IQG08": "بغداد", "IQG09": "دهوك", "IQG10": "بعقوبة",
    "IQG11": "اربيل", "IQG12": "كربلاء", "IQG13": "كركوك", "IQG14": "العمارة", "IQG15": "الموصل",
    "IQG16": "تكريت", "IQG17": "الناصرية", "IQG18": "الكوت",
}
# OCHA 2019 governorates forming the Kurdistan Region (Sulaymaniyah includes Halabja in this edition)
KURDISTAN_PCODES = ("IQG06", "IQG09", "IQG11")
# WOF admin1 aliases that are really the capital's or a historical name (homonym hazards).
ADMIN1_ALIAS_DROP = {"الموصل", "الرمادي", "الحلّة", "الحلة", "بعقوبة", "الديوانية", "الناصرية", "Al Mawşil", "Al Rumādī",
                     "Diwaniya", "Dulaim", "Ar Rashīd", "Al Furāt", "Al Jazīrah", "As-Samawah Province", "Haurān",
                     "Jebel ed Druz", "Liwā’ al ‘Amārah", "Liwā’ al Kūt", "Liwā’ al Ḩillah", "Laodicea",
                     "پارێزگای موسڵ", "پارێزگای دیوانیە", "Muḩāfaz̧at Dimashq", "العمارە", "السماوە"}
FOREIGN_ADMIN_WORDS = re.compile(
    r"(gouvern|governatorato|gobernaci|provinz|provincia|\bili\b|liwā|muḩāfaz|muhafadha|nāḩiyat|nahiyat|"
    r"qaḑā|distrikt|bezirk|\bkaza\b|mintaqat|manṭiqat)", re.I)

# ----------------------------------------------------------------------------------------------
# text normalisation
AR_DIACRITICS = re.compile("[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")
AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
                         "ک": "ك", "ی": "ي", "ە": "ه", "ۀ": "ه", "ھ": "ه"})
ARABIC_CHAR = re.compile("[\u0600-\u06FF]")
LATIN_CHAR = re.compile("[A-Za-z\u00C0-\u024F]")


def clean_name(s):
    if s is None:
        return ""
    s = s.replace("\t", " ").replace("|", " ").replace("\ufffd", "").replace("\u200f", "").replace("\u200e", "")
    s = re.sub(r"\s+", " ", s).strip(" -_,;")
    return s


def is_arabic(s):
    return bool(ARABIC_CHAR.search(s))


def fold_ar(s):
    s = AR_DIACRITICS.sub("", s).translate(AR_FOLD)
    s = re.sub(r"[-_/,.()\"'`]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def fold_latin(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("ß", "ss")
    return s


def fold(s):
    """Normalised comparison form (Arabic folding as in the brief; Latin: ASCII-fold, lower-case)."""
    if is_arabic(s):
        return fold_ar(s)
    s = fold_latin(s).lower()
    s = re.sub(r"[‘’'`ʿʾ´]", "", s)
    s = re.sub(r"[-_/,.()]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


AR_ARTICLE = re.compile(r"^ال(?=..)")
GOV_NAME = re.compile(r"(^محافظه |^مُحافظه |governorate|province|^liwa)")
LAT_ARTICLE = re.compile(r"^(al|el|ar|as|ash|ad|adh|az|at|ath|an|al|es|ed|er|en|et|ez|l|il)\s+(?=\w)")


def strip_article(f):
    """Strip a leading article from a folded name."""
    if is_arabic(f):
        return AR_ARTICLE.sub("", f)
    return LAT_ARTICLE.sub("", f)


def loose_keys(name):
    """Merge keys: folded name without articles, without 'قرية/Qaryat', without spaces."""
    f = fold(name)
    if not f:
        return set()
    keys = set()
    if is_arabic(f):
        f = re.sub(r"^قريه ", "", f)
        words = [AR_ARTICLE.sub("", w) for w in f.split()]
        keys.add("a:" + "".join(words))
    else:
        f = re.sub(r"^qaryat ", "", f)
        words = [w for w in f.split() if w not in ("al", "el", "ar", "as", "ash", "ad", "az", "at", "an", "ath", "adh")]
        sk = "".join(words)
        sk = sk.replace("dayr", "deir").replace("tall", "tal").replace("tell", "tal")
        sk = re.sub(r"[aeiouy]", "", sk)
        sk = re.sub(r"(.)\1+", r"\1", sk)
        sk = sk.replace("kh", "x").replace("q", "k").replace("gh", "g")
        if len(sk) >= 3:
            keys.add("l:" + sk)
    return keys


def letters_len(f):
    return len(re.sub(r"\s", "", f))


# ----------------------------------------------------------------------------------------------
# geometry helpers
R_EARTH = 6371.0088


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_EARTH * math.asin(min(1.0, math.sqrt(a)))


def in_bbox(lat, lon):
    return BBOX[0] <= lon <= BBOX[2] and BBOX[1] <= lat <= BBOX[3]


def polygonal(g):
    if g.is_empty:
        return g
    if not g.is_valid:
        g = make_valid(g)
    if isinstance(g, (Polygon, MultiPolygon)):
        return g
    if isinstance(g, GeometryCollection):
        parts = []
        for p in g.geoms:
            if isinstance(p, Polygon):
                parts.append(p)
            elif isinstance(p, MultiPolygon):
                parts.extend(p.geoms)
        return MultiPolygon(parts) if len(parts) > 1 else (parts[0] if parts else Polygon())
    return Polygon()


def round_coords(obj, nd=5):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(obj[0], nd), round(obj[1], nd)]
        return [round_coords(o, nd) for o in obj]
    return obj


def prep_area(g, tol):
    """Simplify, make valid, orient CCW, round; return shapely geometry equal to what is written."""
    g = polygonal(g)
    g = g.simplify(tol, preserve_topology=True)
    g = polygonal(g)
    if isinstance(g, Polygon):
        g = orient(g, 1.0)
    else:
        g = MultiPolygon([orient(p, 1.0) for p in g.geoms])
    # round and re-validate
    gj = {"type": g.geom_type, "coordinates": round_coords(mapping(g)["coordinates"])}
    g2 = polygonal(shape(gj))
    if isinstance(g2, Polygon):
        g2 = orient(g2, 1.0)
    else:
        g2 = MultiPolygon([orient(p, 1.0) for p in g2.geoms])
    gj = {"type": g2.geom_type, "coordinates": round_coords(mapping(g2)["coordinates"])}
    g3 = shape(gj)
    if not g3.is_valid:  # rounding can re-introduce tiny defects: repair once more
        g3 = polygonal(g3)
        g3 = orient(g3, 1.0) if isinstance(g3, Polygon) else MultiPolygon([orient(p, 1.0) for p in g3.geoms])
        gj = {"type": g3.geom_type, "coordinates": round_coords(mapping(g3)["coordinates"], 6)}
        g3 = shape(gj)
    return g3, gj


def fmt6(x):
    return "%.6f" % x


def load_json(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8", "replace"))


# minimal ESRI shapefile + dbf reader (Natural Earth countries inside a zip), no extra dependency
def read_shapefile_zip(path, base):
    z = zipfile.ZipFile(path)
    shp = z.read(base + ".shp")
    dbf = z.read(base + ".dbf")
    n, hl, rl = struct.unpack("<IHH", dbf[4:12])
    fields = []
    for i in range(32, hl - 1, 32):
        nm = dbf[i:i + 11].split(b"\0")[0].decode("ascii")
        fields.append((nm, dbf[i + 16]))
    recs = []
    off = hl
    for _ in range(n):
        rec = dbf[off:off + rl]
        off += rl
        pos = 1
        d = {}
        for nm, ln in fields:
            d[nm] = rec[pos:pos + ln].decode("utf-8", "replace").replace("\x00", "").strip()
            pos += ln
        recs.append(d)
    geoms = []
    pos = 100
    while pos < len(shp):
        _, clen = struct.unpack(">ii", shp[pos:pos + 8])
        content = shp[pos + 8:pos + 8 + clen * 2]
        pos += 8 + clen * 2
        st = struct.unpack("<i", content[:4])[0]
        if st == 0:
            geoms.append(None)
            continue
        nparts, npts = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack("<%di" % nparts, content[44:44 + 4 * nparts]))
        p0 = 44 + 4 * nparts
        pts = [struct.unpack("<dd", content[p0 + 16 * k:p0 + 16 * k + 16]) for k in range(npts)]
        parts.append(npts)
        shells, holes = [], []
        for a, b in zip(parts[:-1], parts[1:]):
            ring = pts[a:b]
            if len(ring) < 4:
                continue
            area2 = sum(ring[k][0] * ring[k + 1][1] - ring[k + 1][0] * ring[k][1] for k in range(len(ring) - 1))
            (shells if area2 < 0 else holes).append(ring)  # shapefile: outer rings clockwise
        polys = []
        for s in shells:
            sp = Polygon(s)
            hs = [h for h in holes if sp.contains(Point(h[0]))]
            polys.append(Polygon(s, hs))
        geoms.append(polygonal(MultiPolygon(polys) if len(polys) > 1 else polys[0]))
    return list(zip(recs, geoms))


# ----------------------------------------------------------------------------------------------
def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        lines = [l for l in f if l.strip() and not l.startswith("#")]
    rdr = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{k: (v or "").strip() for k, v in r.items()} for r in rdr]


def split_names(s):
    return [clean_name(x) for x in (s or "").split("|") if clean_name(x)]


def good_latin_alt(n):
    """Filter machine transliterations and codes from source Latin alternates."""
    if not LATIN_CHAR.search(n):
        return False
    if re.fullmatch(r"[a-z0-9 '\-]+", n):  # GeoNames all-lower-case transliteration ("alshykh bdr")
        return False
    if re.fullmatch(r"[A-Z0-9]{2,5}", n):  # IATA/ICAO codes
        return False
    if FOREIGN_ADMIN_WORDS.search(n):
        return False
    return True


class Src:
    """One source row with its name variants."""
    __slots__ = ("source", "sid", "kind", "country", "name_en", "name_ar", "names", "lat", "lon", "pop",
                 "row", "capit", "adm3_code", "gn", "keys", "cl", "curated_pop")

    def __init__(self, row, source_tag):
        self.row = row
        self.source = source_tag
        self.sid = row["source_id"]
        self.kind = row["kind"]
        self.country = row["country"]
        self.lat = float(row["lat"]) if row["lat"] else None
        self.lon = float(row["lon"]) if row["lon"] else None
        p = row.get("population") or ""
        self.pop = int(float(p)) if p and float(p) > 0 else None
        self.curated_pop = False
        self.capit = None
        self.adm3_code = row.get("adm3_code", "")
        self.gn = row.get("geonames_id", "")
        self.name_en = clean_name(row["name_en"])
        self.name_ar = clean_name(row["name_ar"])
        names = []
        for fld in ("name_en", "name_ar", "alt_names_ar", "names_ku", "names_other_arabic_script"):
            names.extend(split_names(row.get(fld)))
        names.extend(n for n in split_names(row.get("alt_names_latin")) if good_latin_alt(n))
        # mixed Latin/Arabic-script strings are broken transliterations ("qamshlۆ", "ھەwlێr")
        self.names = [n for n in names if not (is_arabic(n) and LATIN_CHAR.search(n))]


SOURCE_TAG = {"wof": "wof", "ocha_syr_2015": "ocha-sy", "ocha_irq_2019": "ocha-iq", "opensyria": "opensyria",
              "geonames_cities500": "geonames"}


def ocha_sy_variants(s):
    """OCHA-SY 2015 community names: 'a_b' are alternates; trailing area qualifiers are stripped."""
    out = []
    for n in list(s.names):
        if "_" in n:
            out.extend(clean_name(x) for x in n.split("_") if clean_name(x))
    s.names.extend(out)
    ar = fold_ar(s.name_ar.replace("_", " ")) if s.name_ar else ""
    quals = set()
    for fld in ("adm3_ar", "adm2_ar", "adm1_ar"):
        q = fold_ar(s.row.get(fld, "") or "")
        q = re.sub(r"^مركز ", "", q)
        if q:
            quals.add(q)
            quals.add(strip_article(q))
    for q in sorted(quals, key=lambda x: -len(x)):
        if ar.endswith(" " + q) and len(ar) > len(q) + 2:
            base_words = len(ar.split()) - len(q.split())
            orig = s.name_ar.replace("_", " ").split()
            s.names.append(" ".join(orig[:base_words]))
            en = s.name_en.replace("_", " ").split()
            if len(en) > len(q.split()):
                s.names.append(" ".join(en[:len(en) - len(q.split())]))
            break


# ----------------------------------------------------------------------------------------------
class Place:
    def __init__(self, pid, kind):
        self.pid = pid
        self.kind = kind
        self.name_en = ""
        self.name_ar = ""
        self.names = []
        self.country = ""
        self.admin = ["", "", ""]
        self.lat = None
        self.lon = None
        self.pop = None
        self.flags = set()
        self.sources = set()
        self.geom = None        # shapely polygon as written to areas.geojson
        self.geojson = None
        self.members = []       # Src rows
        self.capit = None
        self.curated = False
        self.curated_flags = set()

    def add_names(self, names):
        self.names.extend(clean_name(n) for n in names if clean_name(n))


def ordered_names(p):
    seen = set()
    out = []
    for n in [p.name_en, p.name_ar] + p.names:
        n = clean_name(n)
        if n and n not in seen:
            seen.add(n)
            out.append(n)
    head = out[:2] if p.name_en and p.name_ar else out[:1]
    rest = sorted(out[len(head):], key=lambda n: (0 if is_arabic(n) else 1, fold(n), n))
    return head + rest


# Latin generic variants (towns, cities, admin units, curated places only)
LAT_ART_RE = re.compile(r"^(Al|El|Ar|As|Ash|Ad|Adh|Az|At|Ath|An|Ed|Er|Es|Ez|En)[\s\-]+(?=[A-Z‘'`ʿ])", re.I)


def latin_variants(n):
    out = set()
    a = fold_latin(n)
    a = re.sub(r"[‘’ʿʾ`´]", "'", a)
    if a != n and re.fullmatch(r"[A-Za-z0-9 '\-]+", a):
        out.add(a)
    for base in list(out) + [n]:
        m = LAT_ART_RE.match(base)
        if m:
            rest = base[m.end():]
            if len(rest) >= 4:
                out.add(rest)
                out.add("al-" + rest)
                out.add("Al " + rest)
        if base.startswith("Dayr "):
            out.add("Deir " + base[5:])
        if base.startswith("Tall "):
            out.add("Tal " + base[5:])
            out.add("Tell " + base[5:])
        if base.startswith("Ra's "):
            out.add("Ras " + base[5:])
    for v in list(out) + [n]:
        if re.search(r"[a-z]ah$", v) and len(v) > 5:
            out.add(v[:-1])
    return out


def arabic_variants(n):
    out = set()
    if n.startswith("قرية ") and len(n) > 8:
        out.add(n[5:])
    if n.startswith("ال") and len(n.split()[0]) > 4:
        out.add(n[2:])
    return out


# ----------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sources", default=os.path.join(REPO, "..", "shared", "data", "gazetteer-sources"))
    ap.add_argument("--zones-data", default=os.path.join(REPO, "..", "shared", "data", "zones"))
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    S = args.sources
    log = []

    def say(*a):
        msg = " ".join(str(x) for x in a)
        log.append(msg)
        print(msg)

    # ---------------- curated inputs
    stop = set()
    # The stop-list is also read at run time by the resolver, so it lives with the lexicons.
    with open(os.path.join(TOOLS, "..", "gazetteer", "lexicon", "common_words.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                stop.add(strip_article(fold(line)))
                stop.add(fold(line))
    anchors = {}
    with open(os.path.join(args.zones_data, "anchors.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            anchors[r["anchor_id"]] = (float(r["lat"]), float(r["lon"]))
    curated = read_tsv(os.path.join(TOOLS, "curated_places.tsv"))
    variants = read_tsv(os.path.join(TOOLS, "curated_variants.tsv"))
    drop_rules = read_tsv(os.path.join(TOOLS, "curated_drop_names.tsv"))
    pop_rules = read_tsv(os.path.join(TOOLS, "curated_population.tsv"))

    # ---------------- sources
    rows = []
    with open(os.path.join(S, "extracts", "gazetteer_all_sources_SY_IQ.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            rows.append(r)
    srcs = []
    for r in rows:
        s = Src(r, SOURCE_TAG[r["source"]])
        if s.source == "ocha-sy" and s.kind == "admin4_community":
            ocha_sy_variants(s)
        srcs.append(s)
    # OCHA-SY capital level from the raw community file (not in the extract)
    comm = load_json(os.path.join(S, "raw", "ocha_syr_cod_2015", "syr_admin4_point.geojson"))
    capit = {f["properties"]["PCODE"]: f["properties"]["CAPIT_LVL"] for f in comm["features"]}
    for s in srcs:
        if s.source == "ocha-sy" and s.kind == "admin4_community":
            s.capit = capit.get(s.sid)

    # curated corrections of single source rows (`source:source_id`, as in the `absorb` column):
    # wrong alternate names removed (curated_drop_names.tsv) before anything matches on them, and a
    # population the sources lack (curated_population.tsv). Rules naming a place id instead drop
    # names from the built place, after the generic variants (see below).
    src_index = {(s.row["source"], s.sid): s for s in srcs}

    def src_of(ref, fname):
        src, _, sid = ref.partition(":")
        s = src_index.get((src, sid))
        if s is None:
            raise SystemExit("%s: no source row %s" % (fname, ref))
        return s

    place_drops = []
    for d in drop_rules:
        names = {fold(x) for x in split_names(d["names"])}
        if ":" not in d["ref"]:
            place_drops.append((d["ref"], names))
            continue
        s = src_of(d["ref"], "curated_drop_names.tsv")
        if {fold(s.name_en), fold(s.name_ar)} & names:
            raise SystemExit("curated_drop_names.tsv: %s: cannot drop the row's own name" % d["ref"])
        kept = [n for n in s.names if fold(n) not in names]
        if len(kept) == len(s.names):
            say("WARNING: curated drop rule matched nothing:", d["ref"], d["names"])
        s.names = kept
    for r in pop_rules:
        s = src_of(r["ref"], "curated_population.tsv")
        if s.pop:
            raise SystemExit("curated_population.tsv: %s already has a population (%d)" % (r["ref"], s.pop))
        s.pop = int(r["population"])
        s.curated_pop = True

    # curated variants: add names to every source row that matches (country, radius, name)
    vrules = []
    for v in variants:
        vrules.append((v["country"], float(v["lat"]), float(v["lon"]), float(v["radius_km"]),
                       {fold(x) for x in split_names(v["match"])}, split_names(v["add"]), v))
    vhits = Counter()
    for s in srcs:
        if s.lat is None:
            continue
        fs = None
        for i, (cc, la, lo, rk, match, add, v) in enumerate(vrules):
            if cc and cc != s.country:
                continue
            if abs(s.lat - la) > rk / 100.0 + 0.01 or abs(s.lon - lo) > rk / 80.0 + 0.01:
                continue
            if km(s.lat, s.lon, la, lo) > rk:
                continue
            if fs is None:
                fs = {fold(n) for n in s.names}
            if fs & match:
                s.names.extend(add)
                vhits[i] += 1
    for i, rule in enumerate(vrules):
        if not vhits[i]:
            say("WARNING: curated variant rule matched nothing:", rule[6]["match"])

    by_ref = {(r.row["source"], r.sid): r for r in srcs}
    for s in srcs:
        by_ref[(s.source, s.sid)] = s

    places = {}

    def new_place(pid, kind):
        assert pid not in places, pid
        assert kind in KINDS, kind
        p = Place(pid, kind)
        places[pid] = p
        return p

    # ---------------- polygons
    iq_adm = {}
    for lvl in (1, 2, 3):
        fn = {1: "irq_admbnda_adm1_cso_20190603.geojson", 2: "irq_admbnda_adm2_cso_20190603.geojson",
              3: "irq_admbnda_adm3_cso_20190603.geojson"}[lvl]
        d = load_json(os.path.join(S, "raw", "ocha_irq_cod_2019", fn))
        iq_adm[lvl] = {f["properties"]["ADM%d_PCODE" % lvl]: (f["properties"], shape(f["geometry"])) for f in d["features"]}
    sy_adm = {}
    for lvl in (1, 2):
        d = load_json(os.path.join(S, "raw", "ocha_syr_cod_2015", "syr_admin%d.geojson" % lvl))
        sy_adm[lvl] = {f["properties"]["PCODE"]: (f["properties"], shape(f["geometry"])) for f in d["features"]}
    wof_a1 = load_json(os.path.join(S, "extracts", "wof_admin1_regions_SY_IQ.geojson"))
    wof_a1 = [(f["properties"], polygonal(shape(f["geometry"]))) for f in wof_a1["features"]]
    osy = {k: json.load(open(os.path.join(S, "raw", "opensyria_data_geography", k + ".json"), encoding="utf-8"))
           for k in ("governorates", "districts", "subdistricts")}

    def csv_names(source, sid, admin1_filter=False):
        s = by_ref.get((source, sid))
        if not s:
            return []
        names = list(s.names)
        if admin1_filter:
            names = [n for n in names if n not in ADMIN1_ALIAS_DROP]
        return names

    # ---------------- Iraq admin units (OCHA 2019)
    kind_of_level = {1: "governorate", 2: "district", 3: "subdistrict"}
    for lvl in (1, 2, 3):
        for pc in sorted(iq_adm[lvl]):
            props, g = iq_adm[lvl][pc]
            p = new_place("iq-adm%d-%s" % (lvl, pc.lower()), kind_of_level[lvl])
            p.country = "IQ"
            p.name_en = clean_name(props["ADM%d_EN" % lvl])
            p.name_ar = clean_name(props["ADM%d_AR" % lvl])
            p.add_names(csv_names("ocha_irq_2019", pc))
            p.sources.add("ocha-iq")
            p.geom, p.geojson = prep_area(g, SIMPLIFY_ADMIN)
            p.level = lvl
            p.pcode = pc
            p.parent = [props.get("ADM1_PCODE"), props.get("ADM2_PCODE")]
    # ---------------- Syria admin units (OCHA 2015 polygons + OpenSyria names)
    osy_gov = {g["externalIds"]["ochaPcode"]: g for g in osy["governorates"]}
    osy_dis = {g["externalIds"]["ochaPcode"]: g for g in osy["districts"]}
    osy_ids = {}
    for g in osy["governorates"] + osy["districts"] + osy["subdistricts"]:
        osy_ids[g["id"]] = g

    def osy_names(g):
        out = [g["name"]["en"], g["name"]["ar"]]
        for a in g.get("aliases", []):
            v = clean_name(a["value"])
            if a.get("language") == "en" and not good_latin_alt(v):
                continue
            out.append(v)
        row = by_ref.get(("opensyria", g["id"]))
        if row:
            out.extend(row.names)
        return out

    for lvl, table in ((1, osy_gov), (2, osy_dis)):
        pcs = sorted(set(sy_adm[lvl]) | set(table))
        for pc in pcs:
            p = new_place("sy-adm%d-%s" % (lvl, pc.lower()), kind_of_level[lvl])
            p.country = "SY"
            p.level = lvl
            p.pcode = pc
            g = table.get(pc)
            if pc in sy_adm[lvl]:
                props, geom = sy_adm[lvl][pc]
                p.geom, p.geojson = prep_area(geom, SIMPLIFY_ADMIN)
                p.sources.add("ocha-sy")
                p.name_en = clean_name(props["NAME_EN"])
                p.name_ar = clean_name(props.get("NAME_ARA") or "")
                p.add_names(csv_names("ocha_syr_2015", pc))
                p.parent = [props.get("ADMIN1_COD") or (pc if lvl == 1 else pc[:4]), None]
            else:
                p.parent = [pc[:4], None]
            if g:
                p.sources.add("opensyria")
                p.name_en = g["name"]["en"]
                if not p.name_ar or "\ufffd" in p.name_ar:
                    p.name_ar = g["name"]["ar"]
                p.add_names(osy_names(g))
                if g.get("population"):
                    p.pop = int(g["population"]["value"])
                if p.geom is None:
                    p.lat, p.lon = g["centroid"]["latitude"], g["centroid"]["longitude"]
                    p.sources.add("opensyria")
    for g in sorted(osy["subdistricts"], key=lambda x: x["externalIds"]["ochaPcode"]):
        pc = g["externalIds"]["ochaPcode"]
        p = new_place("sy-adm3-%s" % pc.lower(), "subdistrict")
        p.country = "SY"
        p.level = 3
        p.pcode = pc
        p.parent = [pc[:4], pc[:6]]
        p.name_en = g["name"]["en"]
        p.name_ar = g["name"]["ar"]
        p.add_names(osy_names(g))
        # 'مركز X' (centre of X) sub-districts are also called X
        for n in list(p.names):
            if n.startswith("مركز ") or n.startswith("ناحية مركز "):
                p.names.append(n.split("مركز ", 1)[1])
        p.lat, p.lon = g["centroid"]["latitude"], g["centroid"]["longitude"]
        if g.get("population"):
            p.pop = int(g["population"]["value"])
        p.sources.add("opensyria")

    # WOF admin1 names -> OCHA governorates by polygon overlap; WOF admin2 names -> OCHA districts by
    # point-in-polygon plus a name check.
    adm_places = {lvl: [p for p in places.values() if getattr(p, "level", 0) == lvl and p.geom is not None]
                  for lvl in (1, 2, 3)}
    for props, wg in wof_a1:
        best, ba = None, 0.0
        for p in adm_places[1]:
            if p.country != props["country"]:
                continue
            a = p.geom.intersection(wg).area
            if a > ba:
                best, ba = p, a
        bkeys = set()
        for n in [best.name_en, best.name_ar] + best.names if best is not None else []:
            bkeys |= loose_keys(n)
        wkeys = loose_keys(props.get("name_ar") or "") | loose_keys(props.get("name_en") or "")
        if best is not None and ba > 0.5 * wg.area and bkeys & wkeys:
            best.add_names(csv_names("wof", str(props["wof_id"]), admin1_filter=True))
            best.sources.add("wof")
    for s in srcs:
        if s.source == "wof" and s.kind == "admin2" and s.lat is not None:
            pt = Point(s.lon, s.lat)
            for p in adm_places[2]:
                if p.country == s.country and p.geom.contains(pt):
                    keys = set()
                    for n in [p.name_en, p.name_ar] + p.names:
                        keys |= loose_keys(n)
                    sk = set()
                    for n in s.names:
                        sk |= loose_keys(n)
                    if keys & sk:
                        p.add_names(s.names)
                        p.sources.add("wof")
                    break

    # ---------------- countries (Natural Earth 10m, v5.1.1 German-POV build)
    ne = read_shapefile_zip(os.path.join(S, "raw", "natural_earth", "ne_10m_admin_0_countries_deu.zip"),
                            "ne_10m_admin_0_countries_deu")
    ne_by_iso = {}
    for rec, g in ne:
        iso = rec.get("ISO_A2_EH") or rec.get("ISO_A2")
        if iso and iso != "-99":
            ne_by_iso.setdefault(iso, (rec, g))
    for rec, g in ne:  # France/Norway have ISO_A2 -99 in NE
        if rec.get("ADM0_A3") == "FRA":
            ne_by_iso["FR"] = (rec, g)
    WITH_POLYGON = {"SY", "IQ", "TR", "JO", "IR", "SA", "KW", "LB", "IL"}

    # ---------------- curated layer
    absorbed = set()
    for c in curated:
        p = new_place(c["place_id"], c["kind"])
        p.curated = True
        p.name_en = clean_name(c["name_en"])
        p.name_ar = clean_name(c["name_ar"])
        p.add_names(split_names(c["names"]))
        p.country = c["country"]
        if c["population"]:
            p.pop = int(c["population"])
        p.flags |= set(x for x in c["flags"].split(",") if x)
        p.curated_flags = set(p.flags)
        p.sources.add("curated")
        latlon = c["lat"]
        if latlon.startswith("anchor:"):
            p.lat, p.lon = anchors[latlon.split(":", 1)[1]]
            p.sources.add("anchors")
        elif latlon:
            p.lat, p.lon = float(c["lat"]), float(c["lon"])
        for ref in split_names(c.get("absorb", "")):
            src, sid = ref.split(":", 1)
            s = by_ref[(src, sid)]
            absorbed.add((src, sid))
            p.add_names(s.names)
            p.sources.add(s.source)
            if p.lat is None:
                p.lat, p.lon = s.lat, s.lon
            if s.pop and not p.pop:
                p.pop = s.pop
        if p.kind == "country":
            iso = p.pid.split("-", 1)[1].upper()
            rec, g = ne_by_iso[iso]
            p.sources.add("naturalearth")
            p.add_names([rec.get("NAME_AR", ""), rec.get("NAME_EN", ""), rec.get("NAME", ""), rec.get("NAME_LONG", ""),
                         rec.get("FORMAL_EN", ""), rec.get("NAME_FA", ""), rec.get("NAME_TR", "")])
            if iso in WITH_POLYGON:
                tol = SIMPLIFY_COUNTRY_CORE if iso in ("SY", "IQ") else SIMPLIFY_COUNTRY_OTHER
                p.geom, p.geojson = prep_area(g, tol)
            elif p.lat is None:
                p.lat, p.lon = float(rec["LABEL_Y"]), float(rec["LABEL_X"])
            if not p.pop and rec.get("POP_EST"):
                p.pop = int(float(rec["POP_EST"]))
        if p.kind == "region" and p.pid == "cur-kurdistan-region":
            parts = [q.geom for q in adm_places[1] if q.country == "IQ" and q.pcode in KURDISTAN_PCODES]
            p.geom, p.geojson = prep_area(unary_union(parts), SIMPLIFY_ADMIN)
            p.sources.add("ocha-iq")
        if p.kind == "border" and p.lat is None:
            bd0 = load_json(os.path.join(S, "extracts", "border_IQ_SY_naturalearth10m.geojson"))
            mid = shape(bd0["features"][0]["geometry"]).interpolate(0.5, normalized=True)
            p.lat, p.lon = mid.y, mid.x
            p.sources.add("naturalearth")
        p.source_note = c["source_note"]

    # ---------------- populated places: WOF localities + OCHA-SY communities + GeoNames cities500
    pop_rows = [s for s in srcs if (s.source, s.kind) in (("wof", "locality"), ("ocha-sy", "admin4_community"),
                                                          ("geonames", "locality"))
                and s.lat is not None and (s.row["source"], s.sid) not in absorbed]
    for s in pop_rows:
        s.keys = set()
        for n in s.names:
            s.keys |= loose_keys(n)
    clusters = []   # list of lists of Src
    wof_by_gn = {}
    grid = defaultdict(list)

    def cell(lat, lon):
        return (int(math.floor(lat * 20)), int(math.floor(lon * 20)))

    for s in sorted((s for s in pop_rows if s.source == "wof"), key=lambda s: int(s.sid)):
        cl = [s]
        clusters.append(cl)
        s.cl = len(clusters) - 1
        if s.gn:
            wof_by_gn.setdefault(s.gn, s.cl)
        grid[cell(s.lat, s.lon)].append(s.cl)

    def candidates(s, exclude_source):
        ci, cj = cell(s.lat, s.lon)
        best = None
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for k in grid.get((ci + di, cj + dj), []):
                    cl = clusters[k]
                    if any(m.source == exclude_source for m in cl):
                        continue
                    for m in cl:
                        if m.keys & s.keys:
                            d = km(s.lat, s.lon, m.lat, m.lon)
                            if d <= MERGE_KM and (best is None or d < best[0]):
                                best = (d, k)
        return best

    # OCHA-SY communities: one community per cluster at most
    for s in sorted((s for s in pop_rows if s.source == "ocha-sy"), key=lambda s: int(s.sid[1:])):
        b = candidates(s, "ocha-sy")
        if b:
            clusters[b[1]].append(s)
            s.cl = b[1]
        else:
            clusters.append([s])
            s.cl = len(clusters) - 1
            grid[cell(s.lat, s.lon)].append(s.cl)
    for s in sorted((s for s in pop_rows if s.source == "geonames"), key=lambda s: int(s.sid)):
        k = wof_by_gn.get(s.sid)
        if k is not None and km(s.lat, s.lon, clusters[k][0].lat, clusters[k][0].lon) < 10:
            clusters[k].append(s)
            continue
        b = candidates(s, "geonames")
        if b:
            clusters[b[1]].append(s)
        else:
            clusters.append([s])
            grid[cell(s.lat, s.lon)].append(len(clusters) - 1)

    n_pop_clusters = 0
    for cl in clusters:
        pop = max([m.pop or 0 for m in cl]) or None
        has_ar = any(is_arabic(n) for m in cl for n in m.names)
        inbox = any(in_bbox(m.lat, m.lon) for m in cl)
        capl = [m.capit for m in cl if m.capit is not None]
        # OCHA CAPIT_LVL: 1 governorate capital, 2 district seat, 3 sub-district seat; the single 0
        # (Sur, Deir ez-Zor) is a sub-district seat, so 0 is read as 3
        capl = min((3 if c == 0 else c) for c in capl) if capl else None
        if not ((inbox and has_ar) or (pop and pop >= OUTSIDE_BOX_MIN_POP) or (capl == 1)):
            continue
        ocha = [m for m in cl if m.source == "ocha-sy"]
        wof = [m for m in cl if m.source == "wof"]
        gn = [m for m in cl if m.source == "geonames"]
        if ocha:
            pid = "sy-" + ocha[0].sid.lower()
        elif wof:
            pid = "wof-" + wof[0].sid
        else:
            pid = "gn-" + gn[0].sid
        p = new_place(pid, "village")
        n_pop_clusters += 1
        p.members = cl
        p.country = cl[0].country
        p.pop = pop
        p.capit = capl
        lead = (ocha or wof or gn)[0]
        p.lat, p.lon = lead.lat, lead.lon
        # names: OCHA English is readable ASCII; WOF English may carry diacritics
        p.name_ar = next((m.name_ar for m in ocha + wof + gn if m.name_ar), "")
        en = next((m.name_en for m in ocha + wof + gn if m.name_en), "")
        p.name_en = en.replace("_", " / ") if ocha else en
        for m in cl:
            p.add_names(n for n in m.names if not GOV_NAME.search(fold(n)))
            p.sources.add(m.source)
            if m.curated_pop:
                p.sources.add("curated")
        if "\ufffd" in p.name_ar or not p.name_ar:
            p.name_ar = next((n for n in p.names if is_arabic(n)), "")

    # ---------------- point-in-polygon admin assignment
    def pip(level_places, lat, lon, cc, maxkm=2.0):
        pt = Point(lon, lat)
        for q in level_places:
            if q.country == cc and q.geom.contains(pt):
                return q, 0.0
        best = None
        for q in level_places:
            if q.country != cc:
                continue
            d = q.geom.distance(pt) * 111.0 * (0.85 if True else 1)
            if d <= maxkm and (best is None or d < best[1]):
                best = (q, d)
        return best if best else (None, None)

    adm_by_pcode = {(p.country, p.pcode): p for p in places.values() if hasattr(p, "pcode")}
    # representative points of areas
    for p in places.values():
        if p.geom is not None:
            rp = p.geom.representative_point()
            p.lat, p.lon = rp.y, rp.x

    # admin names of admin units from their parents
    for p in places.values():
        if hasattr(p, "pcode"):
            par = getattr(p, "parent", [None, None])
            lvl = p.level
            if lvl >= 2 and par[0]:
                q = adm_by_pcode.get((p.country, par[0]))
                p.admin[0] = q.name_en if q else ""
            if lvl >= 3 and par[1]:
                q = adm_by_pcode.get((p.country, par[1]))
                if q is None and p.country == "SY":
                    q = adm_by_pcode.get((p.country, par[1][:4] + "00"))
                p.admin[1] = q.name_en if q else ""

    sy_adm3_name = {g["externalIds"]["ochaPcode"]: g["name"]["en"] for g in osy["subdistricts"]}
    ocha_pts = [s for s in srcs if s.source == "ocha-sy" and s.kind == "admin4_community" and s.lat is not None]
    ocha_grid = defaultdict(list)
    for s in ocha_pts:
        ocha_grid[cell(s.lat, s.lon)].append(s)

    exceptions = []
    for p in sorted(places.values(), key=lambda p: p.pid):
        if hasattr(p, "pcode") or p.geom is not None or p.kind in ("country", "border") or p.lat is None:
            continue
        if p.country not in ("SY", "IQ"):
            continue
        q1, d1 = pip(adm_places[1], p.lat, p.lon, p.country, 2.0)
        if q1 is None:
            q1, d1 = pip(adm_places[1], p.lat, p.lon, p.country, 25.0)
            if p.kind not in ("region", "river", "mountain"):
                exceptions.append((p.pid, p.name_en, p.country, p.lat, p.lon, None if d1 is None else round(d1, 1)))
        if q1 is not None:
            p.admin[0] = q1.name_en
            q2, _ = pip([q for q in adm_places[2] if q.parent[0] == q1.pcode], p.lat, p.lon, p.country, 25.0)
            if q2 is not None:
                p.admin[1] = q2.name_en
                if p.country == "IQ":
                    q3, _ = pip([q for q in adm_places[3] if q.parent[1] == q2.pcode], p.lat, p.lon, p.country, 25.0)
                    if q3 is not None:
                        p.admin[2] = q3.name_en
        if p.country == "SY":
            codes = [m.adm3_code for m in p.members if m.source == "ocha-sy" and m.adm3_code]
            if not codes and p.kind not in ("region", "river", "mountain", "border"):
                # approximate: the sub-district of the nearest OCHA community (within 10 km, same district)
                ci, cj = cell(p.lat, p.lon)
                best = None
                for di in (-2, -1, 0, 1, 2):
                    for dj in (-2, -1, 0, 1, 2):
                        for s in ocha_grid.get((ci + di, cj + dj), []):
                            d = km(p.lat, p.lon, s.lat, s.lon)
                            if d <= 10 and (best is None or d < best[0]):
                                best = (d, s)
                if best:
                    codes = [best[1].adm3_code]
            if codes and codes[0] in sy_adm3_name:
                p.admin[2] = sy_adm3_name[codes[0]]
    say("points outside their country's admin1 polygons by > 2 km:", len(exceptions))
    for e in exceptions[:40]:
        say("   ", e)

    # ---------------- kinds of populated places
    iq_seat_keys = defaultdict(set)   # (level, pcode) -> keys of the admin unit name
    for p in places.values():
        if p.country == "IQ" and hasattr(p, "pcode") and p.level in (2, 3):
            ks = set()
            for n in [p.name_en, p.name_ar] + p.names:
                n2 = re.sub(r"^(Markaz|Center|Centre)\s+", "", n)
                n2 = re.sub(r"^مركز\s+", "", n2)
                ks |= loose_keys(n2)
            iq_seat_keys[p.pid] = ks
    popplaces = [p for p in places.values() if p.members]
    for p in popplaces:
        p.keys = set()
        for n in p.names + [p.name_ar, p.name_en]:
            p.keys |= loose_keys(n)
    seats = {}
    for p in popplaces:
        if p.country != "IQ":
            continue
        for q in adm_places[2] + adm_places[3]:
            if q.country != "IQ" or not q.geom.contains(Point(p.lon, p.lat)):
                continue
            if p.keys & iq_seat_keys[q.pid]:
                score = (p.pop or 0, len(p.members), -int(p.pid.split("-")[-1]) if p.pid.split("-")[-1].isdigit() else 0)
                if q.pid not in seats or score > seats[q.pid][0]:
                    seats[q.pid] = (score, p)
    seat_places = {v[1].pid for v in seats.values()}
    capital_places = set()
    for pc, cap in IQ_CAPITALS.items():
        q = adm_by_pcode.get(("IQ", pc))
        if q is None:
            continue
        ck = loose_keys(cap)
        best = None
        for p in popplaces:
            if p.country == "IQ" and p.keys & ck and q.geom.contains(Point(p.lon, p.lat)):
                score = (p.pop or 0, len(p.members))
                if best is None or score > best[0]:
                    best = (score, p)
        if best:
            capital_places.add(best[1].pid)
    for p in popplaces:
        if (p.pop and p.pop >= 100000) or (p.capit == 1) or p.pid in capital_places:
            p.kind = "city"
        elif (p.pop and p.pop >= 10000) or (p.capit is not None and p.capit <= 3) or p.pid in seat_places:
            p.kind = "town"
        else:
            p.kind = "village"

    # ---------------- generic name variants (not for villages: keep the list short)
    # An Arabic form made by dropping "قرية" or the article is not added when it is a word of the
    # stop-list: "قرية جديدة" (new village) is not also "جديدة", the way the press writes it.
    def listed_stop(n):
        f = fold(n)
        return f in stop or strip_article(f) in stop

    for p in places.values():
        if p.kind == "village":
            extra = set()
            for n in p.names:
                if n.startswith("قرية ") and len(n) > 8:
                    extra.add(n[5:])
            p.add_names(sorted(x for x in extra if not listed_stop(x)))
            continue
        extra = set()
        for n in [p.name_en, p.name_ar] + p.names:
            if is_arabic(n):
                extra |= {x for x in arabic_variants(n) if not listed_stop(x)}
            elif LATIN_CHAR.search(n) and not FOREIGN_ADMIN_WORDS.search(n):
                extra |= latin_variants(n)
        p.add_names(sorted(extra))

    # curated_drop_names.tsv rules that name a place id: the names (compared folded) leave the
    # built place, whichever source row or generic rule brought them in
    for pid, names in place_drops:
        p = places.get(pid)
        if p is None:
            raise SystemExit("curated_drop_names.tsv: no place " + pid)
        if {fold(p.name_en), fold(p.name_ar)} & names:
            raise SystemExit("curated_drop_names.tsv: %s: cannot drop the place's own name" % pid)
        kept = [n for n in p.names if fold(n) not in names]
        if len(kept) == len(p.names):
            say("WARNING: curated drop rule matched nothing:", pid)
        p.names = kept

    # ---------------- flags
    def is_stop(n, short_rule=True):
        f = fold(n)
        if not f:
            return True
        fa = strip_article(f)
        if f in stop or fa in stop:
            return True
        if short_rule and " " not in fa and letters_len(fa) <= 3:
            return True
        return False

    primary_index = defaultdict(set)
    for p in places.values():
        for n in set(fold(x) for x in ordered_names(p)):
            primary_index[n].add(p.pid)
    for p in places.values():
        names = ordered_names(p)
        p.names_out = names
        main = p.name_ar or p.name_en
        # the automatic <=3-letter rule does not apply to cities and admin areas (Homs, Kut…);
        # explicit stop-list words (Hit, عنه…) always do
        short_rule = not (p.kind in ("city", "governorate", "district", "country") or (p.pop or 0) >= 100000)
        stop_n = sum(1 for n in names if is_stop(n, short_rule))
        if (main and is_stop(main, short_rule)) or (p.name_en and is_stop(p.name_en, short_rule) and not p.name_ar) \
                or stop_n * 2 > len(names):
            p.flags.add("needs_context")
        elif p.kind == "village" and not p.pop:
            ar = [fold_ar(n) for n in names if is_arabic(n)]
            if ar and all(" " not in strip_article(a) and letters_len(strip_article(a)) <= 4 for a in ar):
                p.flags.add("needs_context")
        if p.kind in ("country", "border") or p.curated:
            # curated rows are judged by hand: their flags column decides
            p.flags.discard("needs_context")
            p.flags |= {f for f in p.curated_flags if f == "needs_context"}
        keys = {fold(p.name_ar)} if p.name_ar else set()
        keys.add(fold(p.name_en))
        for k in keys:
            if k and len(primary_index[k] - {p.pid}) > 0:
                p.flags.add("homonym")
                break

    # ---------------- write places.tsv
    os.makedirs(args.out, exist_ok=True)
    ids = sorted(places)
    assert len(ids) == len(set(ids))
    buf = io.StringIO()
    buf.write("\t".join(HEADER) + "\n")
    for pid in ids:
        p = places[pid]
        assert re.fullmatch(r"[a-z0-9][a-z0-9\-]*", pid), pid
        if p.lat is None:
            raise SystemExit("place without point: " + pid)
        for n in p.names_out:
            assert "\t" not in n and "|" not in n and "\n" not in n
        row = [pid, p.kind, p.name_en, p.name_ar, "|".join(p.names_out), p.country,
               p.admin[0], p.admin[1], p.admin[2], fmt6(p.lat), fmt6(p.lon),
               str(p.pop) if p.pop else "", ",".join(sorted(p.flags)), ";".join(sorted(p.sources))]
        for v in row:
            assert "\t" not in v and "\n" not in v, (pid, v)
        buf.write("\t".join(row) + "\n")
    with open(os.path.join(args.out, "places.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(buf.getvalue())

    # ---------------- areas.geojson
    feats = []
    for pid in ids:
        p = places[pid]
        if p.geojson is not None:
            feats.append({"type": "Feature", "properties": {"place_id": pid}, "geometry": p.geojson})
    write_geojson(os.path.join(args.out, "areas.geojson"), feats)

    # ---------------- border.geojson
    bd = load_json(os.path.join(S, "extracts", "border_IQ_SY_naturalearth10m.geojson"))
    bp = places["border-iq-sy"]
    bfe = [{"type": "Feature", "properties": {"place_id": "border-iq-sy", "name_en": bp.name_en, "name_ar": bp.name_ar},
            "geometry": {"type": bd["features"][0]["geometry"]["type"],
                         "coordinates": round_coords(bd["features"][0]["geometry"]["coordinates"], 5)}}]
    write_geojson(os.path.join(args.out, "border.geojson"), bfe)
    border_line = shape(bd["features"][0]["geometry"])

    # ---------------- rivers.geojson (NE 10m, already clipped to the bbox in the extract)
    rv = load_json(os.path.join(S, "extracts", "rivers_region_naturalearth10m.geojson"))
    groups = {"cur-euphrates-river": ("Euphrates", "Firat", "Al Furat"), "cur-tigris-river": ("Tigris", "Dicle")}
    rfe = []
    for pid, nms in sorted(groups.items()):
        lines = []
        for f in rv["features"]:
            if f["properties"]["name"] in nms:
                g = shape(f["geometry"])
                lines.extend(g.geoms if isinstance(g, MultiLineString) else [g])
        lines.sort(key=lambda l: (round(l.coords[0][0], 6), round(l.coords[0][1], 6)))
        mls = MultiLineString(lines).simplify(0.001)
        rfe.append({"type": "Feature", "properties": {"place_id": pid},
                    "geometry": {"type": "MultiLineString", "coordinates": round_coords(mapping(mls)["coordinates"], 5)}})
        assert pid in places
    write_geojson(os.path.join(args.out, "rivers.geojson"), rfe)

    # ---------------- checks and counts
    say("")
    say("== counts")
    say("rows:", len(ids))
    kc = Counter(places[i].kind for i in ids)
    say("rows per kind:", ", ".join("%s %d" % (k, kc[k]) for k in sorted(kc)))
    cc = Counter(places[i].country or "-" for i in ids)
    say("rows per country:", ", ".join("%s %d" % (k, cc[k]) for k in sorted(cc)))
    kcc = Counter((places[i].country, places[i].kind) for i in ids if places[i].country in ("SY", "IQ"))
    for c in ("IQ", "SY"):
        say("  %s:" % c, ", ".join("%s %d" % (k, kcc[(c, k)]) for k in sorted(KINDS) if kcc[(c, k)]))
    nbox = sum(1 for i in ids if places[i].kind in POPULATED and places[i].name_ar and in_bbox(places[i].lat, places[i].lon))
    say("populated places with an Arabic name in the bbox:", nbox)
    say("populated-place clusters (merged source rows):", n_pop_clusters, "from", len(pop_rows), "source rows")
    msrc = Counter(";".join(sorted(places[i].sources)) for i in ids if places[i].members)
    say("populated places by source combination:", ", ".join("%s %d" % (k, v) for k, v in sorted(msrc.items())))
    cur = [places[i] for i in ids if places[i].curated]
    poi = [p for p in cur if p.kind not in ("country", "city", "town")]
    say("curated rows:", len(cur), "of which POIs (not country/city/town):", len(poi),
        "with both names:", sum(1 for p in poi if p.name_ar and p.name_en))
    for c, lv, n_exp in (("IQ", 1, len(iq_adm[1])), ("IQ", 2, len(iq_adm[2])), ("IQ", 3, len(iq_adm[3])),
                         ("SY", 1, len(set(sy_adm[1]) | set(osy_gov))), ("SY", 2, len(set(sy_adm[2]) | set(osy_dis))),
                         ("SY", 3, len(osy["subdistricts"]))):
        have = [p for p in places.values() if p.country == c and getattr(p, "level", 0) == lv]
        say("%s adm%d: %d places (expected %d), %d with polygon" % (c, lv, len(have), n_exp,
                                                                  sum(1 for p in have if p.geom is not None)))
    fl = Counter(f for i in ids for f in places[i].flags)
    say("flags:", ", ".join("%s %d" % (k, v) for k, v in sorted(fl.items())))
    bad = [p.pid for p in places.values() if p.geom is not None and not p.geom.is_valid]
    say("invalid area polygons:", len(bad), bad[:5])
    notin = [p.pid for p in places.values() if p.geom is not None and not p.geom.contains(Point(p.lon, p.lat))]
    say("area points outside their polygon:", len(notin), notin[:5])
    for p in sorted((q for q in cur if q.kind == "crossing"), key=lambda q: q.pid):
        d = border_line.distance(Point(p.lon, p.lat)) * 100
        say("  crossing %-32s ~%.1f km from the NE Iraq-Syria line" % (p.pid, d))
    say("")
    say("== sizes")
    tot = 0
    for fn in ("places.tsv", "areas.geojson", "border.geojson", "rivers.geojson"):
        sz = os.path.getsize(os.path.join(args.out, fn))
        tot += sz
        say("%-15s %9d bytes" % (fn, sz))
    say("total           %9d bytes" % tot)


def write_geojson(path, feats):
    fc = {"type": "FeatureCollection", "features": feats}
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        for i, ft in enumerate(feats):
            f.write(json.dumps(ft, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
            f.write(",\n" if i + 1 < len(feats) else "\n")
        f.write("]}\n")


if __name__ == "__main__":
    main()

"""Check a generated dataset with the tools data hubs use (run by hub.test.ts, in a venv).

    python hub_check.py DIR [--only load|croissant]

1. Hugging Face `datasets` loads every config of DIR/README.md's front matter, with the
   features the card declares, the row counts it states, and the records as written (the JSONL)
   or as the Parquet holds them.
2. DIR/croissant.json is valid Croissant 1.1 with the RAI extension: the structural rules
   mlcroissant enforces (mlcroissant itself is not installable here), checked against the files,
   and the document parsed as JSON-LD by rdflib into RDF.

Prints one JSON report on stdout; every problem also as one line on stderr; exit 1 if any.
"""

import glob
import hashlib
import json
import math
import os
import sys
from datetime import datetime, timezone

PROBLEMS = []


def problem(msg):
    PROBLEMS.append(msg)
    print(msg, file=sys.stderr)


def front_matter(path):
    import yaml

    text = open(path, encoding="utf-8").read()
    if not text.startswith("---\n"):
        raise SystemExit(f"{path}: no front matter")
    return yaml.safe_load(text[4 : text.index("\n---\n", 4)])


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def same(a, b):
    """Equal as JSON values, floats to 1e-12 (datasets' Json type parses floats with ujson)."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def instant(rfc3339):
    return datetime.fromisoformat(rfc3339).astimezone(timezone.utc)


JSONL_OF = {"emails": "emails.jsonl", "labels": "truth/labels.jsonl", "incidents": "truth/incidents.jsonl", "mailboxes": "truth/mailboxes.jsonl"}


def check_load(d, manifest):
    import datasets
    from datasets import Features

    meta = front_matter(os.path.join(d, "README.md"))
    infos = {i["config_name"]: i for i in meta.get("dataset_info", [])}
    report = {}
    for cfg in meta["configs"]:
        name = cfg["config_name"]
        split = cfg["data_files"][0]["split"]
        path = cfg["data_files"][0]["path"]
        where = f"config {name}"
        try:
            ds = datasets.load_dataset(d, name, split=split)
        except Exception as e:  # the failure is the finding
            problem(f"{where}: load_dataset failed: {type(e).__name__}: {str(e).splitlines()[0][:300]}")
            continue
        info = infos.get(name)
        if info is None:
            problem(f"{where}: no dataset_info (the types would be guessed)")
            continue
        declared = Features._from_yaml_list(info["features"])
        if ds.features != declared:
            problem(f"{where}: loaded features {ds.features} differ from the card's {declared}")
        stated = info["splits"][0]["num_examples"]
        want = jsonl(os.path.join(d, JSONL_OF[name]))
        if ds.num_rows != stated or ds.num_rows != len(want):
            problem(f"{where}: {ds.num_rows} rows, the card says {stated}, {JSONL_OF[name]} has {len(want)}")
        rows = ds.to_list()
        bad = 0
        if path.endswith(".jsonl"):
            # As written: every field of every record, absent optional fields as null.
            for i, (got, rec) in enumerate(zip(rows, want)):
                expect = {k: rec.get(k) for k in got}
                if set(rec) - set(got) or not same(got, expect):
                    bad += 1
                    if bad == 1:
                        diff = {k: (got.get(k), rec.get(k)) for k in set(got) | set(rec) if not same(got.get(k), rec.get(k))}
                        problem(f"{where}: row {i} is not the record as written: {str(diff)[:400]}")
        else:
            # The Parquet holds the same records: keys in the same order, instants and JSON equal.
            key = {"emails": ("id", "id"), "labels": ("email_id", "emailId"), "incidents": ("id", "id"), "mailboxes": ("mailbox", "mailbox")}[name]
            for i, (got, rec) in enumerate(zip(rows, want)):
                ok = got[key[0]] == rec[key[1]]
                if name == "emails":
                    ok = ok and got["received_at"] == instant(rec["receivedAt"]) and got["subject"] == rec["subject"]
                if name == "incidents":
                    ok = ok and same(got["params"], rec["params"]) and got["onset_at"] == instant(rec["onset"])
                if not ok:
                    bad += 1
                    if bad == 1:
                        problem(f"{where}: row {i} does not match {JSONL_OF[name]} line {i + 1}")
        report[name] = {"rows": ds.num_rows, "files": path, "columns": list(ds.features), "rowsDiffering": bad}
    names = [c["config_name"] for c in meta["configs"]]
    if sorted(names) != sorted(JSONL_OF):
        problem(f"configs {names}: want one per table {sorted(JSONL_OF)}")
    return report


# --- Croissant ------------------------------------------------------------------------------

# The Croissant RAI vocabulary (docs/croissant_rai.ttl of mlcommons/croissant).
RAI_PROPERTIES = {
    "dataCollection", "dataCollectionType", "dataCollectionMissingData", "dataCollectionRawData", "dataCollectionTimeframe",
    "dataPreprocessingProtocol", "dataImputationProtocol", "dataManipulationProtocol", "dataReleaseMaintenancePlan",
    "personalSensitiveInformation", "dataAnnotationProtocol", "dataAnnotationPlatform", "dataAnnotationAnalysis",
    "annotationsPerItem", "annotatorDemographics", "machineAnnotationTools", "dataSocialImpact", "dataBiases",
    "dataLimitations", "dataUseCases",
}
# What dataset tracks ask a submission's Croissant file to fill in (the RAI spec's use cases 1, 4 and 6).
RAI_WANTED = ["dataCollection", "dataCollectionType", "dataBiases", "dataLimitations", "dataUseCases", "personalSensitiveInformation",
              "dataReleaseMaintenancePlan", "dataAnnotationProtocol", "dataSocialImpact"]
ATOMIC_TYPES = {"sc:Text", "sc:Integer", "sc:Float", "sc:Boolean", "sc:DateTime", "sc:Date", "sc:URL"}
DATA_TYPES = ATOMIC_TYPES | {"sc:StructuredValue"}
MEDIA = {"application/jsonlines", "application/x-parquet", "application/mbox", "application/json", "text/csv"}


def columns_of(d, dist):
    """The columns a distribution's files have: the Parquet schema, or the keys of the JSONL records."""
    files = [os.path.join(d, dist["contentUrl"])] if "contentUrl" in dist else sorted(glob.glob(os.path.join(d, dist["includes"])))
    cols = set()
    for f in files:
        if dist["encodingFormat"] == "application/x-parquet":
            import pyarrow.parquet as pq

            cols |= set(pq.read_schema(f).names)
        elif dist["encodingFormat"] == "application/jsonlines":
            for rec in jsonl(f):
                cols |= set(rec)
    return cols


def check_croissant(d, manifest):
    path = os.path.join(d, "croissant.json")
    try:
        doc = json.load(open(path, encoding="utf-8"))
    except (OSError, ValueError) as e:
        problem(f"croissant.json: not JSON: {e}")
        return {}
    warnings = []
    ctx = doc.get("@context", {})
    if ctx.get("cr") != "http://mlcommons.org/croissant/" or ctx.get("rai") != "http://mlcommons.org/croissant/RAI/":
        problem("croissant.json: @context lacks the cr: and rai: namespaces")
    if doc.get("@type") != "sc:Dataset":
        problem(f"croissant.json: @type {doc.get('@type')!r}, want sc:Dataset")
    conforms = doc.get("conformsTo") or []
    conforms = [conforms] if isinstance(conforms, str) else conforms
    if not any(c in ("http://mlcommons.org/croissant/1.0", "http://mlcommons.org/croissant/1.1") for c in conforms):
        problem(f"croissant.json: conformsTo {conforms} names no Croissant version")
    if "http://mlcommons.org/croissant/RAI/1.0" not in conforms:
        problem("croissant.json: conformsTo lacks the RAI extension")
    for prop in ["name", "description", "license", "url", "creator"]:
        if not doc.get(prop):
            problem(f"croissant.json: the required property {prop} is missing")
    for prop in ["datePublished", "citeAs"]:
        if not doc.get(prop):
            warnings.append(f"{prop} is not set (mlcroissant warns)")

    # Distribution: unique ids; FileObjects exist with their sha256 and size; FileSets match files.
    dists = {}
    covered = set()
    for dist in doc.get("distribution", []):
        did = dist.get("@id")
        if not did or did in dists:
            problem(f"croissant.json: distribution {did!r}: missing or duplicate @id")
            continue
        dists[did] = dist
        kind = dist.get("@type")
        if dist.get("encodingFormat") not in MEDIA:
            problem(f"croissant.json: distribution {did}: encodingFormat {dist.get('encodingFormat')!r}")
        if kind == "cr:FileObject":
            url = dist.get("contentUrl")
            if not url or ("sha256" in dist) == ("md5" in dist):
                problem(f"croissant.json: FileObject {did} needs a contentUrl and exactly one of sha256, md5")
                continue
            f = os.path.join(d, url)
            if not os.path.isfile(f):
                problem(f"croissant.json: FileObject {did}: {url} does not exist")
                continue
            data = open(f, "rb").read()
            if hashlib.sha256(data).hexdigest() != dist.get("sha256"):
                problem(f"croissant.json: FileObject {did}: sha256 of {url} does not match")
            if dist.get("contentSize") not in (None, f"{len(data)} B"):
                problem(f"croissant.json: FileObject {did}: contentSize {dist.get('contentSize')}, the file has {len(data)} B")
            covered.add(url)
        elif kind == "cr:FileSet":
            matched = [os.path.relpath(p, d) for p in glob.glob(os.path.join(d, dist.get("includes", "")))]
            if not matched:
                problem(f"croissant.json: FileSet {did}: includes {dist.get('includes')!r} matches no file")
            covered |= set(matched)
        else:
            problem(f"croissant.json: distribution {did}: @type {kind!r}")
    data_files = {p for p in manifest["files"] if p not in ("README.md", "croissant.json")}
    for p in sorted(data_files - covered):
        problem(f"croissant.json: {p} is in the manifest but in no distribution")

    # RecordSets: every field typed, sourced from an existing distribution and an existing column.
    ids = set(dists)
    schema_cache = {}
    fields_seen = 0

    def check_field(rs, fld, parent_col=None):
        nonlocal fields_seen
        fields_seen += 1
        fid = fld.get("@id")
        if not fid or fid in ids:
            problem(f"croissant.json: field {fid!r} in {rs}: missing or duplicate @id")
        ids.add(fid)
        types = fld.get("dataType")
        types = [types] if isinstance(types, str) else (types or [])
        # mlcroissant: a field with sub-fields is a structure; any other needs an atomic type.
        if not types or any(t not in (DATA_TYPES if fld.get("subField") else ATOMIC_TYPES) for t in types):
            problem(f"croissant.json: field {fid}: dataType {types}")
        src = fld.get("source") or {}
        ref = src.get("fileObject") or src.get("fileSet") or {}
        target = dists.get(ref.get("@id"))
        if target is None:
            problem(f"croissant.json: field {fid}: its source names the distribution {ref.get('@id')!r}, which does not exist")
        else:
            kind = "fileObject" if "fileObject" in src else "fileSet"
            if (kind == "fileObject") != (target["@type"] == "cr:FileObject"):
                problem(f"croissant.json: field {fid}: source {kind} names a {target['@type']}")
            col = (src.get("extract") or {}).get("column")
            if not col:
                problem(f"croissant.json: field {fid}: source has no extract.column")
            else:
                if target["@id"] not in schema_cache:
                    schema_cache[target["@id"]] = columns_of(d, target)
                if col not in schema_cache[target["@id"]]:
                    problem(f"croissant.json: field {fid}: column {col!r} is not in {target['@id']}")
        if fld.get("arrayShape") and not fld.get("isArray"):
            problem(f"croissant.json: field {fid}: arrayShape without isArray")
        for sub in fld.get("subField", []):
            check_field(rs, sub, parent_col=col)

    record_sets = doc.get("recordSet", [])
    if not record_sets:
        problem("croissant.json: no recordSet")
    for rs in record_sets:
        rid = rs.get("@id")
        if not rid or rid in ids:
            problem(f"croissant.json: recordSet {rid!r}: missing or duplicate @id")
        ids.add(rid)
        fields = rs.get("field", [])
        if not fields:
            problem(f"croissant.json: recordSet {rid} has no field")
        for fld in fields:
            check_field(rid, fld)
        key = (rs.get("key") or {}).get("@id")
        if key and key not in {f.get("@id") for f in fields}:
            problem(f"croissant.json: recordSet {rid}: key {key} is not one of its fields")

    # RAI: only the vocabulary's properties, and what dataset tracks ask for filled in.
    rai = {k.split(":", 1)[1]: v for k, v in doc.items() if k.startswith("rai:")}
    for k in sorted(set(rai) - RAI_PROPERTIES):
        problem(f"croissant.json: rai:{k} is not in the Croissant RAI vocabulary")
    for k in RAI_WANTED:
        v = rai.get(k)
        if not v or (isinstance(v, list) and not all(isinstance(x, str) and x.strip() for x in v)):
            problem(f"croissant.json: rai:{k} is missing or empty")

    # JSON-LD: rdflib expands the document into RDF with its inline context (nothing fetched).
    import rdflib
    from rdflib.namespace import RDF

    g = rdflib.Graph()
    g.parse(data=json.dumps(doc), format="json-ld", base="file://" + os.path.abspath(d) + "/")
    SDO = rdflib.Namespace("https://schema.org/")
    RAI = rdflib.Namespace("http://mlcommons.org/croissant/RAI/")
    CR = rdflib.Namespace("http://mlcommons.org/croissant/")
    datasets_ = list(g.subjects(RDF.type, SDO.Dataset))
    if len(datasets_) != 1:
        problem(f"croissant.json as RDF: {len(datasets_)} schema.org Datasets, want 1")
    rai_triples = sum(1 for p in g.predicates() if str(p).startswith(str(RAI)))
    fields_rdf = len(list(g.subjects(RDF.type, CR.Field)))
    if fields_rdf != fields_seen:
        problem(f"croissant.json as RDF: {fields_rdf} cr:Field nodes, the document has {fields_seen}")
    return {"triples": len(g), "raiTriples": rai_triples, "fields": fields_seen, "distributions": len(dists), "recordSets": len(record_sets), "warnings": warnings}


def main():
    d = sys.argv[1]
    only = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--only" else None
    manifest = json.load(open(os.path.join(d, "manifest.json"), encoding="utf-8"))
    report = {}
    if only in (None, "load"):
        report["configs"] = check_load(d, manifest)
    if only in (None, "croissant"):
        report["croissant"] = check_croissant(d, manifest)
    report["problems"] = PROBLEMS
    print(json.dumps(report, default=str))
    sys.exit(1 if PROBLEMS else 0)


if __name__ == "__main__":
    main()

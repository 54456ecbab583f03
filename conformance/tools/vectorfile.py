# SPDX-License-Identifier: Apache-2.0
#
# The writer of one vector file in the schema of conformance/vectors/
# SCHEMA.md, shared by every generator (conformance/tools/gen_vectors.py,
# codec/tests/test_token_vectors.py) so that the files agree on layout:
# ids unique within a file, every flag defined, tcIds numbered in order,
# each used flag explained once in the notes, stable JSON formatting.

import json
import os

SCHEMA = "hcp-conformance-vectors"
SCHEMA_VERSION = 1


class VectorFile:
    """One vector file. flags maps a flag name to (bugType, description);
    generator is the path of the script that writes the file."""

    def __init__(self, name, kind, title, header, flags, generator):
        self.name = name
        self.kind = kind
        self.title = title
        self.header = header
        self.flags = flags
        self.generator = generator
        self.groups = []
        self.ids = set()

    def group(self, gtype, comment):
        g = {"type": gtype, "comment": comment, "tests": []}
        self.groups.append(g)
        return g

    def add(self, g, tid, comment, reqs, flags, result, inp, output=None,
            error=None, layer=None, extra=None):
        if tid in self.ids:
            raise ValueError("duplicate id " + tid)
        self.ids.add(tid)
        for f in flags:
            if f not in self.flags:
                raise ValueError("undefined flag " + f)
        t = {"tcId": 0, "id": tid, "comment": comment,
             "reqs": ["HCP-" + r for r in reqs], "flags": flags,
             "result": result, "input": inp}
        if output is not None:
            t["output"] = output
        if error is not None:
            t["errorClass"] = error
            if layer is not None:
                t["layer"] = layer
        if extra:
            t.update(extra)
        g["tests"].append(t)

    def dump(self, outdir):
        n = 0
        used = set()
        for g in self.groups:
            for t in g["tests"]:
                n += 1
                t["tcId"] = n
                used.update(t["flags"])
        notes = {f: {"bugType": self.flags[f][0],
                     "description": self.flags[f][1]}
                 for f in sorted(used)}
        doc = {
            "schema": SCHEMA,
            "schemaVersion": SCHEMA_VERSION,
            "kind": self.kind,
            "title": self.title,
            "protocolVersion": 1,
            "generator": self.generator,
            "numberOfTests": n,
            "header": self.header,
            "notes": notes,
            "testGroups": self.groups,
        }
        with open(os.path.join(outdir, self.name), "w",
                  encoding="utf-8") as f:
            json.dump(doc, f, indent=1, ensure_ascii=False)
            f.write("\n")
        return n

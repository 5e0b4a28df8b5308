#!/usr/bin/env python3
"""Rewrite citations of the original HDS API description in code comments into links to our docs.

Older comments cite sections of the original system's API description ("contract §4.3",
"(contract §4.6, D8, D22)", "deviation D1") and its reliability rules ("rule 8"). This script
rewrites those citations, inside comments only, into references to this repository's
documentation:

    (contract §4.6, D8, D22)  ->  (docs/api-design.md#fruits-and-harvesters, docs/compatibility.md#d8, docs/compatibility.md#d22)
    deviation D1              ->  docs/compatibility.md#d1
    rule 8                    ->  docs/api-design.md#durable-pending-work

What it touches:
  * only comment text: `//`, `//!`, `///`, `/* */`, `/** */` in .rs/.ts/.tsx/.js/.mjs, and `#`
    comments in .sh/.py files and in extension-less scripts with a sh/bash/python shebang;
    strings and code are never changed;
  * a section sign (§N.M) anywhere in a comment, with its lead word ("contract", "the API
    contract:") and a known qualifier ("step 8", "text form");
  * D-ids after "deviation(s)", and every D-id on a comment line that also cites a section or
    says "contract"/"deviation"; a bare D-id elsewhere ("// D8: PUT and PATCH …") is left as it
    is, because D-ids keep their meaning (docs/compatibility.md lists them under the same ids),
    unless --bare-ids is given;
  * "rule N" / "rules N–M" when they say "reliability" or sit on a citing line.

Mapping table: SECTIONS below (also printed by --print-table; docs/reference-sections.md is that
table in prose). D-ids are checked against the `### D<n>` headings of docs/compatibility.md and
every target anchor against the headings of the docs, so a link this script writes always
resolves.

Usage:
    python3 docs/tools/rewrite-citations.py --dry-run        # show what would change
    python3 docs/tools/rewrite-citations.py                  # rewrite in place
    python3 docs/tools/rewrite-citations.py --print-table    # the mapping, as Markdown
Options: --bare-ids, --quiet, --max-width N, --root DIR, and paths (default: hds frontend/src
scripts .ci supervisor). Running it twice changes nothing the second time.

Python 3.8+, standard library only.
"""

import argparse
import os
import re
import sys

API = "docs/api-design.md"
COMPAT = "docs/compatibility.md"

# Section of the original API description -> (what it is about, our doc that covers it).
# Keys with a qualifier ("5.3 step 8") win over the bare section when the qualifier follows.
SECTIONS = {
    "1": ("architecture and runtime topology of the original service", "ARCHITECTURE.md"),
    "2": ("cross-cutting conventions: auth, roles, envelope, errors, pagination, filters", API + "#at-a-glance"),
    "2.1": ("authentication: tokens, sessions, CSRF", API + "#authentication"),
    "2.2": ("roles, their nesting, and how permissions are checked", API + "#roles"),
    "2.3": ("the response envelope and the double envelope", API + "#envelope"),
    "2.4": ("error shapes and status codes", API + "#errors"),
    "2.5": ("LimitOffset pagination", API + "#pagination"),
    "2.6": ("filtering, ordering and time handling", API + "#filters"),
    "3": ("shared abstractions: base models, events, report base", API + "#representations"),
    "3.1": ("enumerations: roles, tag names, statuses", API + "#representations"),
    "3.2": ("abstract base models and the audit fields", API + "#audit-fields"),
    "3.3": ("events and pick sessions: linking by UUID", API + "#events-and-uuids"),
    "3.4": ("the report base: schema check, serial number, harvester resolution", API + "#reading-a-report"),
    "4": ("the apps, one section each", API + "#resources"),
    "4.1": ("users, profiles, login/logout/csrf/password", API + "#users"),
    "4.2": ("events and pick sessions: models, routes, filters", API + "#events-and-pick-sessions"),
    "4.3": ("error reports: model, representations, routes, filters, notifications from filters", API + "#error-reports"),
    "4.3 text form": ("the text of an error report as sent to Slack", API + "#slack-messages"),
    "4.4": ("exception codes, code manifests, exceptions, pareto", API + "#exceptions"),
    "4.5": ("files announced by S3 events (s3files, sessclip)", API + "#s3-files"),
    "4.6": ("fruits, harvesters, harvester history", API + "#fruits-and-harvesters"),
    "4.7": ("distributors and locations", API + "#distributors-and-locations"),
    "4.8": ("code releases and version reports", COMPAT + "#not-built-yet"),
    "4.9": ("remote jobs and job results", COMPAT + "#not-built-yet"),
    "4.10": ("notifications and Slack", API + "#notifications"),
    "4.11": ("autodiagnostics reports and runs", COMPAT + "#not-built-yet"),
    "4.12": ("grip reports", COMPAT + "#not-built-yet"),
    "4.13": ("configuration reports", COMPAT + "#not-built-yet"),
    "4.14": ("harvester assets and asset reports", COMPAT + "#not-built-yet"),
    "4.15": ("log sessions, log files, log videos", COMPAT + "#not-built-yet"),
    "4.16": ("running migrations from the API", COMPAT + "#not-built-yet"),
    "4.17": ("the health check", API + "#health-check"),
    "5": ("the ingestion path", API + "#ingestion"),
    "5.1": ("ingestion end to end", API + "#ingestion"),
    "5.2": ("the SQS queues and the forwarder's semantics", API + "#forwarders"),
    "5.2 semantics": ("the SQS queues and the forwarder's semantics", API + "#forwarders"),
    "5.3": ("POST errorreports/: ingesting an error report", API + "#reading-a-report"),
    "5.3 step 6": ("exception extraction", API + "#exception-extraction"),
    "5.3 step 8": ("Slack and operator messages after a report", API + "#slack-messages"),
    "5.4": ("POST harvversion/ (version reports)", API + "#how-to-add-a-report-kind"),
    "5.5": ("POST jobresults/", API + "#how-to-add-a-report-kind"),
    "5.6": ("POST autodiagnostics/", API + "#how-to-add-a-report-kind"),
    "5.7": ("POST gripreports/", API + "#how-to-add-a-report-kind"),
    "5.8": ("POST aftconfigs/", API + "#how-to-add-a-report-kind"),
    "5.9": ("POST harvassetreport/", API + "#how-to-add-a-report-kind"),
    "5.10": ("POST s3files/ and sessclip/", API + "#file-ingestion"),
    "5.11": ("tags written by ingestion", API + "#ingestion"),
    "6": ("background work and operations", API + "#background-work"),
    "6.1": ("background tasks", API + "#background-work"),
    "6.2": ("signals between apps", API + "#background-work"),
    "6.3": ("Prometheus metrics", API + "#openapi-and-metrics"),
    "6.4": ("caching", COMPAT + "#d18"),
    "6.5": ("settings and environment variables", "README.md#configuration"),
    "6.6": ("management commands", "README.md#the-hds-binary"),
    "6.7": ("logging and the admin site", "README.md#configuration"),
    "6.8": ("the OpenAPI document", API + "#openapi-and-metrics"),
    "7": ("the complete endpoint table with role permissions", API + "#routes-and-permissions"),
    "8": ("the original test suite: behaviours every port must test", API + "#tests"),
    "8 setup_basic": ("the basic test fleet", API + "#tests"),
    "8 ManageUserTest": ("the user-management tests", API + "#tests"),
    "8 event tests": ("the event tests", API + "#tests"),
    "9": ("test data and fixtures", API + "#tests"),
    "10": ("which apps matter most", "ARCHITECTURE.md"),
    "11": ("quirks, bugs and security holes", COMPAT),
    "11.1": ("kept: the envelope and list shape", COMPAT + "#kept-on-purpose"),
    "11.2": ("kept: the double envelope", COMPAT + "#kept-on-purpose"),
    "11.3": ("kept: custom actions' single envelope", COMPAT + "#kept-on-purpose"),
    "11.4": ("kept: DELETE answers", COMPAT + "#kept-on-purpose"),
    "11.5": ("server errors answered 400", COMPAT + "#d3"),
    "11.6": ("anonymous callers got 403", COMPAT + "#d4"),
    "11.7": ("kept: version-report de-duplication answers 201", COMPAT + "#kept-on-purpose"),
    "11.8": ("kept: the magic gripper answer", COMPAT + "#kept-on-purpose"),
    "11.9": ("kept: US/Pacific query times, UTC storage", COMPAT + "#kept-on-purpose"),
    "11.10": ("open user management", COMPAT + "#d1"),
    "11.11": ("users without a profile", COMPAT + "#d2"),
    "11.12": ("release tags not saved", COMPAT + "#d5"),
    "11.13": ("secondary tag not saved", COMPAT + "#d6"),
    "11.14": ("getschema only for two kinds", COMPAT + "#d7"),
    "11.15": ("harvester PUT/PATCH split", COMPAT + "#d8"),
    "11.16": ("job results without a job", COMPAT + "#d9"),
    "11.17": ("report kinds without tags", COMPAT + "#d10"),
    "11.18": ("operator-message de-duplication", COMPAT + "#d11"),
    "11.19": ("notification criteria", COMPAT + "#d12"),
    "11.20": ("Slack before extraction", COMPAT + "#d13"),
    "11.21": ("asset reports deleted", COMPAT + "#d14"),
    "11.22": ("harvassets accepts every method", COMPAT + "#d15"),
    "11.23": ("template_y_match_error filters", COMPAT + "#d15"),
    "11.24": ("exceptions only from form bodies", COMPAT + "#d16"),
    "11.25": ("file create answer without its tag", COMPAT + "#d17"),
    "11.26": ("shared pareto cache", COMPAT + "#d18"),
    "11.27": ("log zips through the cache", COMPAT + "#d19"),
    "11.28": ("broken landing pages", COMPAT + "#d20"),
    "11.29": ("debug defaults, health details", COMPAT + "#d20"),
    "11.30": ("error renderer crashes", COMPAT + "#d3"),
    "11.31": ("generic filter runs ORM lookups", COMPAT + "#d21"),
    "11.32": ("harv_id not unique", COMPAT + "#d22"),
    "11.33": ("no idempotency", COMPAT + "#d23"),
    "12": ("what the original gained later (not part of the contract)", COMPAT + "#not-built-yet"),
}

# Reliability rules of ingestion ("rule 8") -> where our docs describe them.
RULES = {
    1: API + "#idempotent-replays",
    2: API + "#forwarders",
    3: API + "#forwarders",
    4: API + "#forwarders",
    5: API + "#forwarders",
    6: API + "#forwarders",
    7: API + "#forwarders",
    8: API + "#durable-pending-work",
}

# Whole phrases that name the original description without a section.
PHRASES = [
    ("the contract's error shape", "the error shape of " + API + "#errors"),
    ("the shapes of the HDS API contract", "the shapes of " + API + "#representations"),
]

DEFAULT_PATHS = ["hds", "frontend/src", "scripts", ".ci", "supervisor"]
SKIP_DIRS = {".git", "node_modules", "target", "dist", ".venv", ".local", "docs", "__pycache__"}
# Generated from the OpenAPI document: regenerate instead of editing.
SKIP_FILES = {"schema.d.ts", "openapi.json"}
C_LIKE = {".rs", ".ts", ".tsx", ".js", ".mjs", ".cjs"}
HASH = {".sh", ".bash", ".py"}

SECTION_RE = re.compile(
    r"§(?P<num>\d+(?:\.\d+)*)"
    r"(?P<qual>\s+`?(?:text form|step \d+|semantics|setup_basic|ManageUserTest|event tests)`?)?"
)
# "contract" lead words directly before a section (optionally with a short label between).
LEAD_RE = re.compile(
    r"\b(?:(?:the|this)\s+)?(?:HDS\s+)?(?:API\s+)?contract(?:'s)?\s*:?\s+(?=(?:[A-Za-z][A-Za-z ]{0,30}\s)?§)"
)
DEVIATION_LEAD_RE = re.compile(r"\bdeviations?\s+(?=D\d)")
DID_RE = re.compile(r"(?<![A-Za-z0-9_#/.-])D(?P<n>\d{1,3})(?![A-Za-z0-9_])")
RULE_RE = re.compile(
    r"(?P<lead>\breliability\s+)?\brules?\s+(?P<a>\d+)(?:\s*[–-]\s*(?P<b>\d+))?(?![\d.])"
)
TRIGGER_RE = re.compile(r"§\d|\bcontract\b|\bdeviations?\s+D\d", re.IGNORECASE)
CONTRACT_WORD_RE = re.compile(r"\bcontract\b(?!\.ts| test)", re.IGNORECASE)
LINK_RE = r"(?:docs/[a-z-]+\.md|README\.md|ARCHITECTURE\.md)(?:#[a-z0-9-]+)?"
DUP_RE = re.compile(r"(?P<x>" + LINK_RE + r")(?P<sep>\s*(?:,|;|/|\bplus\b|\band\b)\s*)(?P=x)(?![#a-z0-9-])")
SLASH_RE = re.compile(r"(" + LINK_RE + r")/(?=docs/|README|ARCHITECTURE)")


def slug(heading):
    """GitHub's anchor for a Markdown heading."""
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def doc_anchors(root):
    """{doc path: set of anchors} for the docs links may point to."""
    out = {}
    for rel in ("docs/api-design.md", "docs/compatibility.md", "docs/reference-sections.md",
                "README.md", "ARCHITECTURE.md"):
        path = os.path.join(root, rel)
        if not os.path.exists(path):
            continue
        anchors, in_code = set(), False
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("```"):
                    in_code = not in_code
                elif not in_code and line.startswith("#"):
                    anchors.add(slug(line.lstrip("#")))
        out[rel] = anchors
    return out


def check_targets(anchors):
    """Targets of the mapping that do not resolve."""
    bad = []
    targets = [t for _, t in SECTIONS.values()] + list(RULES.values()) + [API + "#errors", API + "#representations"]
    for t in sorted(set(targets)):
        doc, _, anchor = t.partition("#")
        if doc not in anchors:
            bad.append(t + " (no such document)")
        elif anchor and anchor not in anchors[doc]:
            bad.append(t + " (no such heading)")
    return bad


# ---------------------------------------------------------------------------------------------
# Finding comments


def c_like_spans(text, rust):
    """(comments, strings): lists of (start, end) offsets in `text`."""
    comments, strings = [], []
    i, n = 0, len(text)

    def ident(ch):
        return ch.isalnum() or ch == "_"

    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            j = text.find("\n", i)
            j = n if j < 0 else j
            comments.append((i, j))
            i = j
        elif c == "/" and nxt == "*":
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("*/", j):
                    depth -= 1
                    j += 2
                elif rust and text.startswith("/*", j):
                    depth += 1
                    j += 2
                else:
                    j += 1
            comments.append((i, j))
            i = j
        elif rust and c in "rb" and (i == 0 or not ident(text[i - 1])) and re.match(r'(?:br|r)#*"', text[i:]):
            m = re.match(r'(?:br|r)(#*)"', text[i:])
            close = '"' + m.group(1)
            j = text.find(close, i + m.end())
            j = n if j < 0 else j + len(close)
            strings.append((i, j))
            i = j
        elif c == '"' or (not rust and c in "'`"):
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            strings.append((i, min(j + 1, n)))
            i = j + 1
        elif rust and c == "'":
            # A char literal ('a', '\n', '\u{1F600}') or a lifetime ('a).
            m = re.match(r"'(?:\\(?:u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'", text[i:])
            if m:
                strings.append((i, i + m.end()))
                i += m.end()
            else:
                i += 1
        else:
            i += 1
    return comments, strings


def hash_spans(text, python):
    """(comments, strings) for `#`-comment languages (shell, Python)."""
    comments, strings = [], []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if python and text.startswith(('"""', "'''"), i):
            q = text[i:i + 3]
            j = text.find(q, i + 3)
            j = n if j < 0 else j + 3
            strings.append((i, j))
            i = j
        elif c in "'\"":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if (text[j] == "\\" and (python or c == '"')) else 1
            strings.append((i, min(j + 1, n)))
            i = j + 1
        elif c == "#" and (python or i == 0 or text[i - 1] in " \t\n;(|&"):
            j = text.find("\n", i)
            j = n if j < 0 else j
            comments.append((i, j))
            i = j
        else:
            i += 1
    return comments, strings


def language(path):
    ext = os.path.splitext(path)[1]
    if ext in C_LIKE:
        return "rust" if ext == ".rs" else "c"
    if ext in HASH:
        return "python" if ext == ".py" else "shell"
    if ext == "":
        try:
            with open(path, "rb") as f:
                first = f.readline(200)
        except OSError:
            return None
        if first.startswith(b"#!"):
            if b"python" in first:
                return "python"
            if re.search(rb"\b(ba)?sh\b", first):
                return "shell"
    return None


def spans(text, lang):
    if lang in ("rust", "c"):
        return c_like_spans(text, lang == "rust")
    return hash_spans(text, lang == "python")


# ---------------------------------------------------------------------------------------------
# Rewriting one piece of comment text


class Stats:
    def __init__(self):
        self.sections = 0
        self.dids = 0
        self.rules = 0
        self.phrases = 0
        self.unmapped = []      # (file, line, token, why)
        self.mentions = []      # (file, line, text)
        self.bare = []          # (file, line, token)
        self.in_strings = []    # (file, line, token)
        self.long_lines = []    # (file, line, length)
        self.changes = []       # (file, line, old, new)
        self.files_changed = set()
        self.files_scanned = 0
        self.doc_lines = []     # (file, line): `///` lines, which may feed the OpenAPI document


def drop_repeats(text):
    """A link written again later on the same line (e.g. two sections mapping to one heading)
    is dropped with the separator before it."""
    seen = set()
    pieces, last = [], 0
    for m in re.finditer(r"(?P<sep>\s*[,;]\s*)?(?P<x>" + LINK_RE + r")(?![#a-z0-9-])", text):
        if m.group("x") in seen and m.group("sep"):
            pieces.append(text[last:m.start()])
            last = m.end()
        seen.add(m.group("x"))
    pieces.append(text[last:])
    return "".join(pieces)


def wrap(line, width):
    """Splits an over-long whole-line comment (`//`, `///`, `//!`, `#`, ` * `) at spaces into
    lines with the same prefix; other lines come back as they are."""
    m = re.match(r"^(\s*(?:///|//!|//|#|\*)\s?)(?!\s*\*/)(.*)$", line)
    if len(line) <= width or not m or line.rstrip().endswith("*/"):
        return [line]
    prefix, rest = m.group(1), m.group(2)
    out, current = [], ""
    for word in rest.split(" "):
        candidate = word if not current else current + " " + word
        if current and len(prefix) + len(candidate) > width:
            out.append(prefix + current)
            current = word
        else:
            current = candidate
    out.append(prefix + current)
    return out


def rewrite_line(seg, where, known_ids, stats, bare_ids):
    """Rewrites one line of comment text; returns the new text."""
    triggered = bool(TRIGGER_RE.search(seg))
    out = seg

    for old, new in PHRASES:
        if old in out:
            out = out.replace(old, new)
            stats.phrases += 1

    out = LEAD_RE.sub("", out)
    out = DEVIATION_LEAD_RE.sub("", out)

    def section(m):
        num, qual = m.group("num"), (m.group("qual") or "").strip().strip("`")
        if qual and (num + " " + qual) in SECTIONS:
            stats.sections += 1
            return SECTIONS[num + " " + qual][1]
        if num in SECTIONS:
            stats.sections += 1
            return SECTIONS[num][1] + (m.group("qual") or "")
        stats.unmapped.append(where + ("§" + num, "no such section in the mapping table"))
        return m.group(0)

    out = SECTION_RE.sub(section, out)

    def rule(m):
        if not (m.group("lead") or triggered):
            return m.group(0)
        a = int(m.group("a"))
        b = int(m.group("b")) if m.group("b") else a
        targets = []
        for k in range(a, b + 1):
            if k not in RULES:
                stats.unmapped.append(where + (m.group(0).strip(), "no such reliability rule"))
                return m.group(0)
            if RULES[k] not in targets:
                targets.append(RULES[k])
        stats.rules += 1
        return ", ".join(targets)

    out = RULE_RE.sub(rule, out)

    def did(m):
        n = int(m.group("n"))
        if n not in known_ids:
            stats.unmapped.append(where + (m.group(0), "no such id in docs/compatibility.md"))
            return m.group(0)
        if not (triggered or bare_ids):
            stats.bare.append(where + (m.group(0),))
            return m.group(0)
        stats.dids += 1
        return "%s#d%d" % (COMPAT, n)

    out = DID_RE.sub(did, out)

    # Tidy: "x/y" between links becomes "x, y"; a link repeated next to itself is written once.
    out = SLASH_RE.sub(r"\1, ", out)
    while True:
        tidy = DUP_RE.sub(lambda m: m.group("x"), out)
        if tidy == out:
            break
        out = tidy
    out = drop_repeats(out)

    if out == seg and CONTRACT_WORD_RE.search(seg):
        stats.mentions.append(where + (seg.strip(),))
    return out


def process_file(path, rel, known_ids, stats, args):
    lang = language(path)
    if lang is None:
        return
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (UnicodeDecodeError, OSError):
        return
    stats.files_scanned += 1
    comments, strings = spans(text, lang)

    def line_of(offset):
        return text.count("\n", 0, offset) + 1

    for s, e in strings:
        for m in re.finditer(r"§\d+(?:\.\d+)*|(?<![A-Za-z0-9_])D\d{1,3}(?![A-Za-z0-9_])", text[s:e]):
            stats.in_strings.append((rel, line_of(s + m.start()), m.group(0)))

    edits = []  # (start, end, new text)
    for s, e in comments:
        # A block comment spans several lines: rewrite it line by line.
        pos = s
        for piece in text[s:e].split("\n"):
            where = (rel, line_of(pos))
            new = rewrite_line(piece, where, known_ids, stats, args.bare_ids)
            if new != piece:
                edits.append((pos, pos + len(piece), new))
            pos += len(piece) + 1
    if not edits:
        return

    lines_before = text.split("\n")
    for s, e, new in sorted(edits, reverse=True):
        text = text[:s] + new + text[e:]
    lines_after = text.split("\n")
    final = []
    for i, (old, new) in enumerate(zip(lines_before, lines_after)):
        if old == new:
            final.append(new)
            continue
        pieces = wrap(new, args.max_width) if args.wrap else [new]
        final.extend(pieces)
        stats.changes.append((rel, i + 1, old, "\n".join(pieces)))
        if lang == "rust" and old.lstrip().startswith("///") and documents_api_type(lines_before, i):
            stats.doc_lines.append((rel, i + 1))
        if any(len(p) > args.max_width for p in pieces):
            stats.long_lines.append((rel, i + 1, max(len(p) for p in pieces)))
    text = "\n".join(final)
    stats.files_changed.add(rel)
    if not args.dry_run:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def documents_api_type(lines, i):
    """Whether the `///` comment at line index `i` documents an item deriving `ToSchema` (its
    doc comments become descriptions in the OpenAPI document)."""
    j = i + 1
    while j < len(lines) and lines[j].lstrip().startswith(("///", "#[", "//")):
        if "ToSchema" in lines[j]:
            return True
        j += 1
    # A field's doc comment: look for the enclosing item's derive above.
    if j < len(lines) and re.match(r"\s+(pub\s+)?\w+\s*:", lines[j]):
        k = i
        while k > 0 and not re.match(r"\s*(pub(\([^)]*\))?\s+)?(struct|enum)\b", lines[k]):
            k -= 1
        while k > 0 and lines[k - 1].lstrip().startswith(("#[", "///")):
            k -= 1
            if "ToSchema" in lines[k]:
                return True
    return False


def walk(root, paths):
    for p in paths:
        full = os.path.join(root, p)
        if os.path.isfile(full):
            yield full
            continue
        for dirpath, dirnames, filenames in os.walk(full):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for name in sorted(filenames):
                if name not in SKIP_FILES:
                    yield os.path.join(dirpath, name)


def known_ids(root):
    path = os.path.join(root, COMPAT)
    ids = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"###\s+D(\d+)\s*$", line)
            if m:
                ids.add(int(m.group(1)))
    return ids


def print_table():
    print("| section | about | covered by |")
    print("|---|---|---|")
    for key in sorted(SECTIONS, key=lambda k: [int(x) if x.isdigit() else x for x in re.split(r"[. ]", k)]):
        about, target = SECTIONS[key]
        print("| §%s | %s | `%s` |" % (key, about, target))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", help="files or folders, relative to --root (default: %s)" % " ".join(DEFAULT_PATHS))
    ap.add_argument("--root", default=os.path.normpath(os.path.join(here, "..", "..")), help="repository root")
    ap.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    ap.add_argument("--bare-ids", action="store_true", help="also link D-ids on lines that cite nothing else")
    ap.add_argument("--quiet", action="store_true", help="print only the summary")
    ap.add_argument("--max-width", type=int, default=100, help="warn about rewritten lines longer than this")
    ap.add_argument("--wrap", action="store_true",
                    help="split rewritten whole-line comments longer than --max-width onto several lines")
    ap.add_argument("--print-table", action="store_true", help="print the section mapping as Markdown and exit")
    args = ap.parse_args()

    if args.print_table:
        print_table()
        return 0

    root = args.root
    anchors = doc_anchors(root)
    bad = check_targets(anchors)
    if bad:
        print("rewrite-citations: the mapping points at anchors that do not exist:", file=sys.stderr)
        for b in bad:
            print("  " + b, file=sys.stderr)
        return 2
    ids = known_ids(root)

    stats = Stats()
    for path in walk(root, args.paths or DEFAULT_PATHS):
        if os.path.abspath(path) == os.path.abspath(__file__):
            continue
        process_file(path, os.path.relpath(path, root), ids, stats, args)

    mode = "DRY RUN: nothing written" if args.dry_run else "files rewritten in place"
    print("rewrite-citations (%s)" % mode)
    if not args.quiet:
        for rel, line, old, new in stats.changes:
            print("\n%s:%d" % (rel, line))
            print("  - " + old.strip())
            for piece in new.split("\n"):
                print("  + " + piece.strip())
        if stats.unmapped:
            print("\nCould not map (left unchanged):")
            for rel, line, token, why in stats.unmapped:
                print("  %s:%d  %s: %s" % (rel, line, token, why))
        if stats.mentions:
            print("\nMentions of the contract without a section (left for review by hand):")
            for rel, line, seg in stats.mentions:
                print("  %s:%d  %s" % (rel, line, seg))
        if stats.long_lines:
            print("\nRewritten lines longer than %d characters (rewrap by hand):" % args.max_width)
            for rel, line, n in stats.long_lines:
                print("  %s:%d  (%d)" % (rel, line, n))

    total = stats.sections + stats.dids + stats.rules + stats.phrases
    print("\nSummary")
    print("  files scanned:               %d" % stats.files_scanned)
    print("  files changed:               %d" % len(stats.files_changed))
    print("  comment lines changed:       %d" % len(stats.changes))
    print("  citations rewritten:         %d  (sections %d, D-ids %d, reliability rules %d, phrases %d)"
          % (total, stats.sections, stats.dids, stats.rules, stats.phrases))
    print("  could not map:               %d" % len(stats.unmapped))
    print("  contract mentions to review: %d" % len(stats.mentions))
    print("  bare D-ids left as they are: %d  (valid ids of %s; --bare-ids links them)" % (len(stats.bare), COMPAT))
    print("  D-ids/§ in string literals:  %d  (never touched)" % len(stats.in_strings))
    print("  lines over %d characters:   %d%s" % (args.max_width, len(stats.long_lines),
                                               "" if args.wrap else "  (--wrap splits them)"))
    print("  `///` lines changed:         %d  (doc comments of API types feed the OpenAPI document:"
          " if any, regenerate frontend/openapi.json)" % len(stats.doc_lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

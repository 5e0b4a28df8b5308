#!/usr/bin/env python3
"""Writes the development dataset in fixtures/ (Django loaddata format, our own content):
fleet (fruits, distributors, locations, harvesters incl. an emulator), exception codes, and a
few error reports with their events, pick sessions and exceptions.

Run from the repository top: python3 scripts/dev/make_fixtures.py
"""
import json
import uuid
from datetime import datetime, timezone

CREATED = "2026-01-05T09:00:00Z"


def audit(creator=1):
    return {"creator": creator, "modifiedBy": None, "created": CREATED, "lastModified": CREATED}


def iso(ts):
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


fleet = [
    {"model": "harvester.fruit", "pk": 1, "fields": {**audit(), "name": "strawberry"}},
    {"model": "harvester.fruit", "pk": 2, "fields": {**audit(), "name": "raspberry"}},
    {"model": "location.distributor", "pk": 1, "fields": {**audit(), "name": "Central Valley Produce"}},
    {"model": "location.location", "pk": 1, "fields": {**audit(), "distributor": 1, "ranch": "Ranch A",
                                                         "country": "United States", "region": "California",
                                                         "site_channel": "ranch-a-ops"}},
    {"model": "location.location", "pk": 2, "fields": {**audit(), "distributor": 1, "ranch": "Ranch B",
                                                         "country": "United States", "region": "Oregon",
                                                         "site_channel": "ranch-b-ops"}},
]
harvesters = [(1, 11, 1, 1, "Harvester 11", False), (2, 100, 1, 2, "Harvester 100", False),
              (3, 12, 2, 1, "Raspberry 12", False), (4, 1100, 1, 1, "Strawberry emulator", True)]
for pk, harv_id, fruit, loc, name, emu in harvesters:
    fleet.append({"model": "harvester.harvester", "pk": pk, "fields": {
        **audit(), "harv_id": harv_id, "fruit": fruit, "location": loc, "name": name,
        "is_emulator": emu, "thingName": f"harv-{harv_id}"}})
    fleet.append({"model": "harvester.historicalharvester", "pk": pk, "fields": {
        **audit(), "id": pk, "harv_id": harv_id, "fruit": fruit, "location": loc, "name": name,
        "is_emulator": emu, "thingName": f"harv-{harv_id}", "history_date": CREATED,
        "history_change_reason": None, "history_type": "+", "history_user": 1}})

codes = [(0, "AFTBaseException", "aft", False, "Please cycle the harvester"),
         (1, "TrayNotDetected", "traychg", False, "Check the tray changer for a missing tray"),
         (2, "GripperStalled", "gripper", True, "Check the gripper"),
         (3, "CarriageLimitError", "motion", False, "Check the robot's carriage for obstructions")]
code_rows = [{"model": "exceptions.aftexceptioncode", "pk": i + 1, "fields": {
    **audit(), "code": c, "name": n, "msg": f"{n} raised", "team": t, "cycle": cy, "operator_msg": om}}
    for i, (c, n, t, cy, om) in enumerate(codes)]

reports, ex_rows = [], []
specs = [  # (harvester pk, harv_id, location, timestamp, errors: (key, code, ts offset, handled))
    (1, 11, 1, 1_764_000_000.25, [("traychg.0", 1, -30, False), ("harvester.0", 0, -10, False)]),
    (1, 11, 1, 1_764_003_600.5, [("gripper.2", 2, -5, True)]),
    (2, 100, 2, 1_764_007_200.75, [("motion.1", 3, -60, False), ("traychg.0", 1, -40, False), ("masterui.0", 0, -1, True)]),
    (3, 12, 1, 1_764_010_800.0, [("gripper.1", 2, -20, True)]),
]
event_rows, ps_rows = [], []
ex_pk = 1
for i, (hpk, harv_id, loc, ts, errors) in enumerate(specs, start=1):
    ev_uuid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"hds-dev-event-{i}"))
    ps_uuid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"hds-dev-session-{(i + 1) // 2}"))
    event_rows.append({"model": "event.event", "pk": i, "fields": {**audit(), "UUID": ev_uuid, "secondary_events": []}})
    if (i + 1) // 2 not in [p["pk"] for p in ps_rows]:
        ps_rows.append({"model": "event.picksession", "pk": (i + 1) // 2, "fields": {
            **audit(), "UUID": ps_uuid, "harvester": hpk, "location": loc,
            "start_time": iso(ts - 600), "session_length": "00:10:00.000000"}})
    errs = {}
    for key, code, off, handled in errors:
        errs[key] = {"ts": ts + off, "code": code, "handled": handled,
                     "value": "traychgunit.1 Error: No tray detected in collection" if key.startswith("traychg") else f"{key} failed",
                     "traceback": f"Traceback (most recent call last):\n  File \"aft/{key.split('.')[0]}.py\", line 42, in run\nRuntimeError: {key} failed"}
    body = {"type": "error", "timestamp": ts, "serial_number": f"{harv_id:03d}", "uuid": ev_uuid,
            "pick_session_uuid": ps_uuid,
            "data": {"serial_number": f"{harv_id:03d}", "githash": "a1b2c3d4e5", "branch_name": "main",
                     "sysmon_report": {"serial_number": f"{harv_id:03d}",
                                       "sysmon.0": {"index": 0, "robot_index": 0, "errors": errs,
                                                    "services": {"traychg.0": {"PID": 4242, "state": "S"}}}}}}
    reports.append({"model": "errorreport.errorreport", "pk": i, "fields": {
        **audit(), "reportTime": iso(ts), "report": body, "event": i, "location": loc, "harvester": hpk,
        "githash": "a1b2c3d4e5", "gitbranch": "main", "pick_session": (i + 1) // 2}})
    ordered = sorted(errors, key=lambda e: e[2])
    for j, (key, code, off, handled) in enumerate(ordered):
        service, idx = key.split(".")
        ex_rows.append({"model": "exceptions.aftexception", "pk": ex_pk, "fields": {
            **audit(), "code": code + 1, "service": service, "node": 0, "robot": int(idx),
            "traceback": errs[key]["traceback"], "info": errs[key]["value"], "timestamp": iso(ts + off),
            "report": i, "handled": handled, "primary": j == 0}})
        ex_pk += 1
tags = [{"model": "event.eventtag", "pk": i, "fields": {"tag": 1, "content_object": i}} for i in range(1, len(specs) + 1)]


def write(name, rows):
    with open(f"fixtures/{name}", "w") as f:
        json.dump(rows, f, indent=2)
        f.write("\n")


write("fleet.json", fleet)
write("exceptioncodes.json", code_rows)
write("errorreports.json", event_rows + ps_rows + tags + reports + ex_rows)

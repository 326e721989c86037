#!/usr/bin/env python3
"""HISTORY ONLY: this script is no longer the pipeline.

It made the first seed (seed/catalogue.json, since split into one file per
brand under seed/catalogue/) from the shared research file. The catalogue
files are now the source of truth and are edited directly, each fact with its
source (seed/README.md, seed/RESEARCH.md); running this again would overwrite
the research with the old transcription. It is kept to show how the first
seed was made.

Transcribe ../shared/research/lock-catalogue.json into seed/catalogue.json.

The research file records what sources say in their own words; the seed
holds the same facts in lockscore's record shape and the methodology §7
vocabulary. Every rule below is written down in seed/README.md. A null in the
research stays null unless the value follows from the form factor by
construction, and then the record's notes say so. Run from the repository
root:  python3 seed/tools/transcribe.py ../shared/research/lock-catalogue.json
"""
import json
import sys
from urllib.parse import urlparse

FORM = {
    "deadbolt": "deadbolt",
    "retrofit thumb-turn": "retrofit",
    "euro-cylinder motorised": "euro_cylinder_motorised",
    "euro-cylinder electronic (clutch)": "euro_cylinder_electronic",
    "mortise": "mortise",
    "rim nightlatch": "rim_nightlatch",
    None: "other",
}

MARKETS = {"UK", "IE", "EU", "DE", "FR", "NL", "CH", "Nordics", "US", "CA", "AU", "NZ", "JP", "KR", "BR", "Asia", "global"}


def door_type(s):
    t = s.lower()
    if t.startswith("us ") or "us deadbolt" in t or "us door" in t:
        return "us_deadbolt"
    if t in ("upvc", "composite") or "multipoint" in t:
        return "uk_multipoint"
    if t.startswith("timber") or t == "uk mortice":
        return "uk_timber"
    return "other"


def status(s):
    if s is None:
        return "unknown"
    t = s.lower()
    if t.startswith("current (") :
        return "current"
    if any(w in t for w in ("legacy", "discontinued", "superseded", "sold (")):
        return "discontinued"
    return "unknown"


def present(v):
    """A research credential value: True/'built-in...' present, 'accessory...' or 'none' absent."""
    if v is None:
        return None
    if v is True or v is False:
        return v
    t = v.lower()
    if t == "none":
        return False
    if t.startswith("accessory"):
        return False
    return True


def host(url):
    return urlparse(url).netloc or url


def transcribe(r):
    notes = []
    form = FORM[r["form_factor"]]
    ko = r["key_override"]
    us = form == "deadbolt" or any(door_type(d) == "us_deadbolt" for d in r["door_types"])
    euro = any(door_type(d) in ("uk_multipoint", "uk_timber") or "euro" in d.lower() for d in r["door_types"])

    # key_override
    key = {"standard cylinder keyed": "independent", "none": "none", "hidden keyway": "independent"}.get(ko["type"])
    if ko["type"] in ("optional accessory cylinder", "other") or ko["type"] is None:
        key = None
    # key_override_needs_emergency_cylinder
    needs = ko["requires_emergency_function_cylinder"]
    if isinstance(needs, str):
        needs = needs.lower().startswith("yes")
    if key == "independent" and needs is None:
        if form == "deadbolt" or (form == "retrofit" and us and not euro):
            needs = False
            notes.append("By construction: a US deadbolt's key works from outside whatever is fitted inside, so it never needs an emergency-function cylinder.")
        elif form == "retrofit" and ko["depends_on_existing_cylinder"] and euro:
            needs = True
            notes.append("By construction: this retrofit turns the existing euro cylinder from inside, so the outside key works only with an emergency-function (double-clutch) cylinder.")
    if key == "none" and needs is None:
        needs = False

    # override_cylinder_rating
    rating = None
    ts007 = r["certifications"].get("ts007")
    if ts007 and "3-star" in ts007:
        rating = "ts007_3star"

    # emergency_power
    ep = {"9V terminal": "terminal_9v", "micro-USB": "usb_micro", "USB-C jump": "usb_c", "none": "none", "other": "internal_reserve"}.get(r["emergency_power"]["type"])

    # interior_egress
    inside = r["failure_behaviour"]["manual_inside_operation"]
    egress = None
    if inside is True or (isinstance(inside, str) and (inside.lower().startswith("yes") or "thumb-turn" in inside or "knob" in inside)):
        egress = "mechanical"
    elif inside is None and form == "retrofit":
        egress = "mechanical"
        notes.append("By construction: a retrofit turns the existing thumb-turn or key, which still turns by hand from inside.")
    elif inside is None and form == "deadbolt":
        egress = "mechanical"
        notes.append("By construction: a deadbolt has an interior thumb-turn that opens it by hand.")

    # motorised
    motorised = None
    if form in ("deadbolt", "retrofit", "euro_cylinder_motorised"):
        motorised = True
    elif form == "euro_cylinder_electronic":
        motorised = False
    fault = (r["failure_behaviour"]["on_electronics_or_motor_fault"] or "").lower()
    if "no motor" in fault:
        motorised = False

    oe = r["offline_entry"]
    keypad = present(oe["keypad"])
    if isinstance(oe["keypad"], str) and oe["keypad"].lower().startswith("accessory"):
        notes.append("Keypad: an accessory keypad is sold separately, so it is not the lock's keypad.")
    fingerprint = present(oe["fingerprint"])
    if isinstance(oe["fingerprint"], str) and "touch (" in oe["fingerprint"].lower():
        fingerprint = None  # only on some variants
    rfid = None
    if oe["nfc_rfid"] is not None:
        t = oe["nfc_rfid"].lower()
        if any(w in t for w in ("card", "fob", "tag", "sticker", "mifare", "iso14443", "nfc smart key", "built-in")):
            rfid = True
        elif t == "none":
            rfid = False
    phone_local = oe["bluetooth_local"] if isinstance(oe["bluetooth_local"], bool) else None
    wifi = r["connectivity"]["wifi"]
    phone_cloud = None
    if wifi is True:
        phone_cloud = True
    elif wifi is False:
        phone_cloud = False
    elif isinstance(wifi, str):
        w = wifi.lower()
        if "included" in w:
            phone_cloud = True
        elif "via" in w:
            phone_cloud = False
            notes.append("Remote opening over the internet needs a separately sold bridge, so phone_cloud is false for the lock alone.")

    warnings = " ".join(r["battery"]["low_battery_warnings"]).lower()
    on_device = True if any(w in warnings for w in ("led", "beep", "icon", "indicator", "sound", "flash", "visual", "alarm", "touchscreen", "red x")) else None
    remote = True if any(w in warnings for w in ("app", "e-mail", "email", "notification", "push", "portal")) else None

    reserve = None
    res = (r["battery"]["last_chance_reserve"] or "").lower()
    if "300 cycles" in res:
        reserve = "over_4_weeks"
    elif "about 1 month" in res or "few weeks" in res:
        reserve = "1_to_4_weeks"

    known_defect = None
    if any("unfixable" in (i["summary"] or "").lower() for i in r["known_incidents"]):
        known_defect = True

    sources = []
    seen = set()

    def add_source(url, supports):
        if not url or url in seen or not url.startswith(("http://", "https://")):
            return
        seen.add(url)
        sources.append({"url": url, "title": host(url), "supports": supports, "accessed": None})

    for u in r["sources"]:
        add_source(u, [])
    for u in r["failure_behaviour"].get("basis_sources") or []:
        add_source(u, ["failure_behaviour"])
    for i in r["known_incidents"]:
        add_source(i.get("source"), ["incidents"])

    incidents = [{"date": i.get("date"), "summary": i["summary"], "source_url": i["source"]}
                 for i in r["known_incidents"] if i.get("source", "").startswith(("http://", "https://"))]

    price = None
    p = r.get("price")
    if p and p.get("amount") is not None and p.get("currency"):
        price = {"amount": p["amount"], "currency": p["currency"], "as_of": None}
        if p.get("note"):
            notes.append("Price: " + p["note"] + ".")

    for label, text in (("Form factor", r.get("form_factor_detail")), ("Key override", ko.get("detail")),
                        ("Emergency power", r["emergency_power"].get("detail")), ("Status", r.get("status"))):
        if text:
            notes.append(f"{label}: {text}")
    if r.get("notes"):
        notes.append(r["notes"])
    brand = r["brand"].split(" (")[0].strip()
    if brand != r["brand"]:
        notes.append(f"Brand as sourced: {r['brand']}.")

    door_types = []
    for d in r["door_types"]:
        dt = door_type(d)
        if dt not in door_types:
            door_types.append(dt)

    rec = {
        "slug": r["id"], "brand": brand, "model": r["model"], "variant": "",
        "markets": [m for m in r["market"] if m in MARKETS],
        "form_factor": form, "door_types": door_types, "status": status(r["status"]),
        "release_year": None, "price": price, "product_url": None, "image_url": None,
        "key_override": key, "key_override_needs_emergency_cylinder": needs, "override_cylinder_rating": rating,
        "emergency_power": ep, "interior_egress": egress, "motorised": motorised,
        "keypad": keypad, "fingerprint": fingerprint, "rfid": rfid, "phone_local": phone_local, "phone_cloud": phone_cloud,
        "low_battery_on_device": on_device, "low_battery_remote": remote, "low_battery_reserve": reserve, "jam_alert": None,
        "bhma_a156_40_grade": None, "en_durability_class": None, "electronic_standard": None,
        "a156_33_battery_verified": None, "works_without_account": None, "update_support_declared": None,
        "recovery_without_vendor": None, "known_defect": known_defect,
        "sources": sources, "incidents": incidents, "notes": "\n".join(notes)[:10000],
        "data_confidence": r["data_confidence"],
    }
    unmapped = [m for m in r["market"] if m not in MARKETS]
    assert not unmapped, (r["id"], unmapped)
    return rec


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "../shared/research/lock-catalogue.json"
    research = json.load(open(src))
    out = [transcribe(r) for r in research]
    with open("seed/catalogue.json", "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(out)} records to seed/catalogue.json")


if __name__ == "__main__":
    main()

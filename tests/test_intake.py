"""spptik collect: every input file ends up in exactly one accounted place."""

import json
import zipfile

from autograder.demo import synthetic
from autograder.intake.collect import BROKEN, DUPLICATE, FILED, IGNORED, REPLACED_OLDER, UNMATCHED, collect


def good(answer_keys, aid="m00"):
    release, answers = answer_keys[aid]
    return synthetic.fill(release, answers)


def blank(answer_keys, aid="m00"):
    return answer_keys[aid][0]


def test_layouts_from_the_field_are_matched(fresh_cohort, answer_keys, tmp_path):
    ws = fresh_cohort
    people = ws.participants
    inbox = tmp_path / "masuk"
    # id in the file name, any case
    synthetic.dump(good(answer_keys), inbox / f"{people[0].id_peserta.lower()}_m00.ipynb")
    # a folder named by the id, deep inside downloads
    synthetic.dump(good(answer_keys, "m01"), inbox / "Unduhan" / "baru" / people[1].id_peserta / "x.ipynb")
    # the participant's name in the file name, assignment recognised from the cells inside
    synthetic.dump(good(answer_keys, "pre"), inbox / f"Tes awal {people[2].nama.upper()}.ipynb")
    # nbgrader exchange inbound layout with its timestamp.txt
    exch = inbox / "inbound" / f"{people[3].id_peserta}+m00+2022-05-10 09:00:00.000000 UTC"
    synthetic.dump(good(answer_keys), exch / "m00.ipynb")
    (exch / "timestamp.txt").write_text("2022-05-10 09:00:00.000000 UTC")
    # a zip holding a folder per participant, with a zip inside
    inner = tmp_path / "dalam.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr(f"{people[5].id_peserta}/m00.ipynb", json.dumps(good(answer_keys)))
    with zipfile.ZipFile(inbox / "kiriman_wa.zip", "w") as zf:
        zf.writestr(f"kelas/{people[4].id_peserta}/Tugas m01.ipynb",
                    json.dumps(good(answer_keys, "m01")))
        zf.write(inner, "arsip/dalam.zip")

    report = collect(ws, "-", [inbox])
    filed = {(i.student, i.assignment) for i in report.items if i.outcome == FILED}
    assert filed == {
        (people[0].id_peserta, "m00"), (people[1].id_peserta, "m01"),
        (people[2].id_peserta, "pre"), (people[3].id_peserta, "m00"),
        (people[4].id_peserta, "m01"), (people[5].id_peserta, "m00"),
    }
    stamp = (ws.submitted / people[3].id_peserta / "m00" / "timestamp.txt").read_text()
    assert stamp.startswith("2022-05-10 09:00:00")
    nb_name = ws.release_notebooks("m01")[0].name
    assert (ws.submitted / people[1].id_peserta / "m01" / nb_name).is_file()


def test_mixed_folder_every_file_accounted_for_once(fresh_cohort, answer_keys, tmp_path):
    ws = fresh_cohort
    p = ws.participants
    inbox = tmp_path / "campur"
    synthetic.dump(good(answer_keys), inbox / f"{p[0].id_peserta}_m00.ipynb")
    synthetic.dump(good(answer_keys), inbox / "salinan" / f"{p[0].id_peserta}_m00 (1).ipynb")  # same bytes
    (inbox / f"{p[1].id_peserta}_m00.ipynb").write_text('{"cells": [ rusak', encoding="utf-8")
    synthetic.dump(good(answer_keys), inbox / "tanpa_nama.ipynb")
    synthetic.dump(good(answer_keys), inbox / "ORANG-LAIN-99_m00.ipynb")
    (inbox / "catatan.docx").write_bytes(b"PK\x03\x04 bukan notebook")
    with zipfile.ZipFile(inbox / "arsip.zip", "w") as zf:
        zf.writestr(f"{p[2].id_peserta}/m00.ipynb", json.dumps(blank(answer_keys)))
    inputs = [f for f in inbox.rglob("*") if f.is_file()]
    before = {f: f.read_bytes() for f in inputs}

    report = collect(ws, "m00", [inbox])

    # 7 inputs, 7 items (the zip counts by its member)
    assert report.received == 7
    outcomes = sorted(i.outcome for i in report.items)
    assert outcomes == sorted([FILED, DUPLICATE, BROKEN, UNMATCHED, UNMATCHED, IGNORED, FILED])
    for item in report.items:
        if item.outcome in (FILED, BROKEN, UNMATCHED, IGNORED):
            assert (ws.root / item.destination).is_file(), item
        assert item.reason or item.outcome == FILED
    quarantined = [p for p in ws.quarantine.rglob("*") if p.is_file() and not p.name.endswith(".alasan.txt")]
    assert len(quarantined) == 3
    reasons = [p.read_text() for p in ws.quarantine.rglob("*.alasan.txt")]
    assert any("id_peserta atau nama peserta tidak ditemukan" in r for r in reasons)
    # the inputs are untouched
    assert {f: f.read_bytes() for f in inputs} == before
    ledger = (ws.reports / "penerimaan.jsonl").read_text().splitlines()
    assert len(ledger) == 7
    # and grading takes what was filed: the good ones graded, the broken one reported as 0
    from autograder.grading import run as grading

    report = grading.grade(ws, jobs=2)
    status = {r.student: r.status for r in report.results}
    assert status == {p[0].id_peserta: grading.GRADED, p[1].id_peserta: grading.BROKEN,
                      p[2].id_peserta: grading.GRADED}


def test_a_new_version_replaces_and_the_old_one_is_kept(fresh_cohort, answer_keys, tmp_path):
    import os
    import time

    ws = fresh_cohort
    pid = ws.participants[0].id_peserta
    first = synthetic.dump(blank(answer_keys), tmp_path / "a" / f"{pid}_m00.ipynb")
    os.utime(first, (time.time() - 3600, time.time() - 3600))
    collect(ws, "m00", [first])
    second = synthetic.dump(good(answer_keys), tmp_path / "b" / f"{pid}_m00.ipynb")
    report = collect(ws, "m00", [second])
    assert report.items[0].outcome == FILED
    current = next((ws.submitted / pid / "m00").glob("*.ipynb"))
    assert json.loads(current.read_text()) == good(answer_keys)
    archived = list((ws.archive / pid / "m00").rglob("*.ipynb"))
    assert len(archived) == 1 and json.loads(archived[0].read_text()) == blank(answer_keys)
    # the old one arriving again, late: archived as older, the newer stays graded
    third = synthetic.dump(synthetic.partly(*answer_keys["m00"], 0.5, __import__("random").Random(1)),
                           tmp_path / "c" / f"{pid}_m00.ipynb")
    os.utime(third, (time.time() - 7200, time.time() - 7200))
    report = collect(ws, "m00", [third])
    assert report.items[0].outcome == REPLACED_OLDER
    assert json.loads(current.read_text()) == good(answer_keys)
    assert len(list((ws.archive / pid / "m00").rglob("*.ipynb"))) == 2


def test_two_participants_with_the_same_name_are_not_guessed(fresh_cohort, answer_keys, tmp_path):
    import shutil

    from autograder.cohort.roster import write_roster
    from autograder.cohort.workspace import Workspace

    ws = fresh_cohort
    people = ws.participants
    twin = people[1].__class__(**{**people[1].__dict__, "nama": people[0].nama})
    write_roster([people[0], twin, *people[2:]], ws.root / "roster.csv")
    ws = Workspace(ws.root)
    path = synthetic.dump(good(answer_keys), tmp_path / f"{people[0].nama}.ipynb")
    report = collect(ws, "m00", [path])
    assert report.items[0].outcome == UNMATCHED
    assert "lebih dari satu orang" in report.items[0].reason
    shutil.rmtree(tmp_path / "x", ignore_errors=True)

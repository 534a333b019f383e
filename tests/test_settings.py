"""kohort.toml and course.toml: one reader each, every problem named in Indonesian, one writer."""

from __future__ import annotations

import os
import stat
import tomllib

import pytest
from click.testing import CliRunner

from autograder.cli import main
from autograder.cohort.settings import (
    CohortSettings,
    SettingsError,
    exchange_root,
    read_settings,
    update_settings,
    write_settings,
)
from autograder.cohort.workspace import Workspace
from autograder.course.manifest import MANIFEST_PATH, ManifestError, load_course


def test_written_settings_read_back_the_same(tmp_path):
    settings = CohortSettings(name='Padang "A", 10–14 Mei', course_id="padang-a", created="2022-05-10",
                              db_url="postgresql://pelatih@db/spptik", cell_timeout=90,
                              tables={"sertifikat": {"penandatangan": "Dra. Contoh"}})
    write_settings(tmp_path, settings)
    assert read_settings(tmp_path) == settings
    assert tomllib.loads((tmp_path / "kohort.toml").read_text(encoding="utf-8"))["name"] == settings.name


def test_every_problem_in_kohort_toml_is_reported_at_once(tmp_path):
    (tmp_path / "kohort.toml").write_text(
        'name = "Padang"\ncourse_idd = "x"\ncell_timeout = "lama"\ncadangan_disimpan = 0\n'
        'db_url = 5\n', encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        read_settings(tmp_path)
    message = str(caught.value)
    assert "kunci 'course_idd' tidak dikenal (maksudnya 'course_id'?)" in message
    assert "'cell_timeout' harus bilangan bulat" in message
    assert "'cadangan_disimpan' harus lebih dari 0" in message
    assert "'db_url' harus teks" in message


def test_a_broken_kohort_toml_stops_a_command_with_one_indonesian_message(fresh_cohort):
    meta = fresh_cohort.root / "kohort.toml"
    meta.write_text(meta.read_text(encoding="utf-8") + "sel_timeout = 60\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(fresh_cohort.root)])
    assert result.exit_code == 2
    assert "kunci 'sel_timeout' tidak dikenal" in result.output
    assert "Traceback" not in result.output


def test_updating_one_setting_keeps_the_rest_and_the_file_mode(fresh_cohort):
    meta = fresh_cohort.root / "kohort.toml"
    os.chmod(meta, 0o640)
    before = read_settings(fresh_cohort.root)
    update_settings(fresh_cohort.root, exchange="/srv/nbgrader/exchange")
    after = read_settings(fresh_cohort.root)
    assert after == before.with_changes(exchange="/srv/nbgrader/exchange")
    assert stat.S_IMODE(meta.stat().st_mode) == 0o640
    # the cohort's nbgrader configuration (what nbgrader and the formgrader read) follows
    assert Workspace(fresh_cohort.root).config().Exchange.root == "/srv/nbgrader/exchange"


def test_the_exchange_is_decided_in_one_place(tmp_path):
    plain = CohortSettings(name="x")
    assert exchange_root(tmp_path, plain, {}) == tmp_path / "exchange"
    assert str(exchange_root(tmp_path, plain, {}, default="/srv/ex")) == "/srv/ex"
    recorded = plain.with_changes(exchange="/data/ex")
    assert str(exchange_root(tmp_path, recorded, {}, default="/srv/ex")) == "/data/ex"
    assert str(exchange_root(tmp_path, recorded, {"SPPTIK_EXCHANGE": "/env/ex"})) == "/env/ex"


def _manifest_with(tmp_path, old: str, new: str):
    text = MANIFEST_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "course.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, expected", [
    ("weight = 0\n", "wieght = 0\n", "kunci 'wieght' tidak dikenal (maksudnya 'weight'?)"),
    ("[course]\n", "[cours]\n", "kunci 'cours' tidak dikenal (maksudnya 'course'?)"),
    ("days = 5\n", "hari = 5\n", "[course]: kunci 'hari' tidak dikenal"),
    ("jp = 2\n", 'jp = "dua"\n', "jp harus berupa angka"),
])
def test_a_mistyped_course_toml_gets_an_indonesian_message(tmp_path, old, new, expected):
    with pytest.raises(ManifestError) as caught:
        load_course(_manifest_with(tmp_path, old, new))
    assert expected in str(caught.value)


def test_a_mistyped_completion_rule_key_is_named_not_a_type_error(tmp_path):
    text = MANIFEST_PATH.read_text(encoding="utf-8")
    path = tmp_path / "course.toml"
    if "[completion]" in text:
        text = text.replace("[completion]\n", "[completion]\nmin_final_scor = 80\n", 1)
    else:
        text += "\n[completion]\nmin_final_scor = 80\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        load_course(path)
    assert "kunci 'min_final_scor' tidak dikenal (maksudnya 'min_final_score'?)" in str(caught.value)
